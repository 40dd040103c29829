"""The stand-in's cupy.lib.stride_tricks: views with chosen strides over device memory."""
import numpy.lib.stride_tricks as _np_tricks

from .._ndarray import ndarray as _ndarray


def as_strided(x, shape=None, strides=None):
    """A view of ``x`` with the given shape and byte strides (no copy, as in CuPy)."""
    if not isinstance(x, _ndarray):
        raise TypeError(f"Unsupported type {type(x)}")
    return _ndarray._from(_np_tricks.as_strided(x._a, shape, strides))


def sliding_window_view(x, window_shape, axis=None, *, subok=False, writeable=False):
    if not isinstance(x, _ndarray):
        raise TypeError(f"Unsupported type {type(x)}")
    view = _np_tricks.sliding_window_view(x._a, window_shape, axis, writeable=writeable)
    return _ndarray._from(view)
