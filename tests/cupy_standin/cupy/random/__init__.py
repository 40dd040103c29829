"""The stand-in's cupy.random: NumPy's generators, drawing straight into device arrays.

The numbers differ from real CuPy's (cuRAND) for the same seed, as they do
between NumPy and CuPy: tests compare statistics, never draws across backends.
"""
import numpy as _numpy

from .._ndarray import ndarray as _ndarray, wrap as _wrap


class Generator:
    """Draws device arrays, in the requested dtype (no float64 detour), like CuPy's Generator."""

    def __init__(self, seed=None):
        self._rng = _numpy.random.default_rng(seed)

    def _fill(self, draw, out):
        if out is None:
            return _wrap(draw)
        out._a[...] = draw
        return out

    def standard_normal(self, size=None, dtype=_numpy.float64, out=None):
        return self._fill(self._rng.standard_normal(size=size, dtype=dtype), out)

    def random(self, size=None, dtype=_numpy.float64, out=None):
        return self._fill(self._rng.random(size=size, dtype=dtype), out)

    def uniform(self, low=0.0, high=1.0, size=None, dtype=_numpy.float64):
        return _wrap(self._rng.uniform(low, high, size).astype(dtype))

    def integers(self, low, high=None, size=None, dtype=_numpy.int64, endpoint=False):
        return _wrap(self._rng.integers(low, high, size, dtype=dtype, endpoint=endpoint))

    def standard_exponential(self, size=None, dtype=_numpy.float64, method="zig", out=None):
        return self._fill(self._rng.standard_exponential(size=size, dtype=dtype, method=method), out)


def default_rng(seed=None):
    """A new Generator seeded with ``seed`` (an int, or None for fresh entropy)."""
    if isinstance(seed, _ndarray):
        raise TypeError("cupy stand-in: seed default_rng with a Python int")
    return Generator(seed)


_global = _numpy.random.default_rng()


def seed(seed=None):
    global _global
    _global = _numpy.random.default_rng(seed)


def rand(*size, dtype=float):
    return _wrap(_global.random(size).astype(dtype))


def randn(*size, dtype=float):
    return _wrap(_global.standard_normal(size).astype(dtype))


def random(size=None, dtype=float):
    return _wrap(_numpy.asarray(_global.random(size)).astype(dtype))


def standard_normal(size=None, dtype=float):
    return _wrap(_numpy.asarray(_global.standard_normal(size)).astype(dtype))


def normal(loc=0.0, scale=1.0, size=None, dtype=float):
    return _wrap(_numpy.asarray(_global.normal(loc, scale, size)).astype(dtype))


def uniform(low=0.0, high=1.0, size=None, dtype=float):
    return _wrap(_numpy.asarray(_global.uniform(low, high, size)).astype(dtype))


def randint(low, high=None, size=None, dtype=int):
    return _wrap(_numpy.asarray(_global.integers(low, high, size)).astype(dtype))


def permutation(num):
    if isinstance(num, _ndarray):
        return _wrap(_global.permutation(num._a))
    return _wrap(_global.permutation(num))
