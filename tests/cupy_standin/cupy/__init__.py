"""A stand-in for CuPy, backed by NumPy on the CPU, for testing minivae's CuPy path without a GPU.

NOT a GPU and not CuPy: it runs NumPy, but keeps CuPy's rules, so that the bugs a
real GPU shows (host/device mixing, hidden copies to the host, NumPy functions
silently called on device data) fail here too:

- ``cupy.ndarray`` is not a ``numpy.ndarray``; ``numpy.asarray(device_array)``
  raises CuPy's TypeError, so does arithmetic with a ``numpy.ndarray``;
- copies between host and device are counted (``cupy._transfers``);
- only names that real CuPy has exist here (tests/cupy_standin/cupy_names.txt).

tests/conftest.py puts this package on sys.path when real CuPy with a visible
GPU is absent and MINIVAE_CUPY_STANDIN=1 (or ``pytest --cupy-standin``).
"""
import numpy as _numpy
from numpy import (  # noqa: F401  (CuPy re-exports NumPy's scalar types and constants)
    bool_, int8, int16, int32, int64, intp, uint8, uint16, uint32, uint64, float16, float32,
    float64, complex64, complex128, dtype, finfo, iinfo, integer, floating, number, generic,
    inexact, signedinteger, unsignedinteger, complexfloating, issubdtype, newaxis, inf, nan, pi,
    e)

from . import _transfers  # noqa: F401
from ._ndarray import ndarray  # noqa: F401
from ._routines import *  # noqa: F401,F403

from . import cuda, lib, linalg, random  # noqa: F401,E402

__version__ = "14.2.0+numpy.standin"  # the CuPy whose names it offers, on NumPy



def is_available():
    """True: the stand-in "device" is always there."""
    return True


def get_default_memory_pool():
    """The memory pool device arrays are allocated from (empty here: they are NumPy's)."""
    return cuda._default_pools["device"]


def get_default_pinned_memory_pool():
    return cuda._default_pools["pinned"]
