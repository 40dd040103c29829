"""The array backend: NumPy on the CPU, CuPy on an NVIDIA GPU.

This is the only module that imports cupy, and it does so lazily: a NumPy-only
user never pays for the import and never sees its errors.

Op code never asks "which backend is on?". It asks its *inputs*:
``xp = get_array_module(x)`` returns ``numpy`` for a NumPy array and ``cupy``
for a CuPy array, so one code path serves both devices. The default chosen
with :func:`use` (or ``MINIVAE_BACKEND``) only decides where *new* tensors are
created.
"""
import os
import sys

import numpy

from .installed import gpu_install_hint

BACKENDS = ("numpy", "cupy")
DEVICES = {"numpy": "cpu", "cupy": "gpu"}
_DEVICE_ALIASES = {"cpu": "numpy", "numpy": "numpy", "gpu": "cupy", "cuda": "cupy", "cupy": "cupy"}

_default = None  # set by use(); None means "read MINIVAE_BACKEND, else numpy"
_cupy = None
_generators = {}
_seed = None  # set by manual_seed(); generators created later start from it too


class BackendError(RuntimeError):
    """CuPy was asked for but cannot be used here."""


def _check_name(name):
    key = str(name).lower()
    if key not in _DEVICE_ALIASES:
        raise ValueError(
            f"unknown backend {name!r}: choose one of 'numpy' (CPU) or 'cupy' (GPU); "
            f"'cpu', 'gpu' and 'cuda' are accepted too")
    return _DEVICE_ALIASES[key]


def load_cupy():
    """Import cupy and check that a GPU is visible; raise one clear error if not."""
    global _cupy
    if _cupy is not None:
        return _cupy
    try:
        import cupy
    except Exception as exc:  # ImportError, or a broken CUDA install failing at import
        raise BackendError(
            "the 'cupy' backend needs CuPy, which is not installed here "
            f"({type(exc).__name__}: {exc}). Install it with {gpu_install_hint()}, "
            "or stay on the CPU with minivae.use('numpy').") from None
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as exc:
        count, reason = 0, f"{type(exc).__name__}: {exc}"
    else:
        reason = "cupy sees 0 CUDA devices"
    if count == 0:
        raise BackendError(
            "CuPy is installed but no GPU is visible "
            f"({reason}). Check `nvidia-smi` and CUDA_VISIBLE_DEVICES, "
            "or stay on the CPU with minivae.use('numpy').")
    _cupy = cupy
    return cupy


def cupy_available():
    """True when CuPy imports and sees at least one GPU (never raises)."""
    try:
        load_cupy()
        return True
    except BackendError:
        return False


def module(name):
    """The array module (numpy or cupy) for a backend or device name."""
    name = _check_name(name)
    return numpy if name == "numpy" else load_cupy()


def use(name):
    """Choose where new tensors are created: ``use("numpy")`` or ``use("cupy")``."""
    global _default
    name = _check_name(name)
    module(name)  # fail now, with the clear error, not at the first tensor
    _default = name


def current():
    """The name of the default backend: set by :func:`use`, else ``MINIVAE_BACKEND``, else numpy."""
    if _default is not None:
        return _default
    return _check_name(os.environ.get("MINIVAE_BACKEND", "numpy"))


def default_module():
    """The array module new tensors are created with."""
    return module(current())


def get_array_module(*arrays):
    """numpy or cupy, whichever the given arrays live in (numpy for Python scalars)."""
    for a in arrays:
        if type(a).__module__.split(".")[0] == "cupy":
            return sys.modules["cupy"]
    return numpy


def device_of(array):
    """'cpu' for a NumPy array, 'gpu' for a CuPy array."""
    return "gpu" if get_array_module(array) is not numpy else "cpu"


def device_name(name):
    """'cpu' or 'gpu' for a backend or device name: "numpy" and "cpu" are 'cpu'."""
    return DEVICES[_check_name(name)]


def to_device(array, device):
    """Copy an array to 'cpu' (NumPy) or 'gpu' (CuPy); no copy if it is already there."""
    target = _check_name(device)
    if device_of(array) == DEVICES[target]:
        return array
    if target == "numpy":
        return array.get()
    return load_cupy().asarray(array)


def to_numpy(array):
    """A NumPy array with the same values, wherever the input lives."""
    return to_device(array, "numpy")


# ---------------------------------------------------------------- randomness

def generator(xp):
    """The random generator of an array module, created on first use."""
    name = "numpy" if xp is numpy else "cupy"
    if name not in _generators:
        _generators[name] = xp.random.default_rng(_seed)
    return _generators[name]


def manual_seed(seed):
    """Seed the generators of every backend, for reproducible runs.

    Each generator is re-created from ``seed`` on its first use, so a backend
    loaded after this call (cupy, say) is seeded too.
    """
    global _seed
    _seed = seed
    _generators.clear()


def randn(shape, dtype, xp):
    """Standard normal samples drawn directly in ``dtype`` (no float64 detour)."""
    return generator(xp).standard_normal(size=shape, dtype=dtype)


def rand(shape, dtype, xp):
    """Uniform samples in [0, 1) drawn directly in ``dtype``."""
    return generator(xp).random(size=shape, dtype=dtype)


def rng_state():
    """The NumPy generator's state as a JSON-ready dict (for checkpoints)."""
    return generator(numpy).bit_generator.state


def set_rng_state(state):
    """Restore the NumPy generator's state saved by :func:`rng_state`."""
    generator(numpy).bit_generator.state = state
