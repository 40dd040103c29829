"""The stand-in's cupy.linalg: numpy.linalg on device arrays."""
import numpy.linalg as _np_linalg

from .._ndarray import unwrap as _unwrap, wrap as _wrap


def _routine(name):
    f = getattr(_np_linalg, name)

    def routine(*args, **kwargs):
        return _wrap(f(*_unwrap(args), **{k: _unwrap(v) for k, v in kwargs.items()}))
    routine.__name__ = name
    routine.__doc__ = f"The stand-in's linalg.{name}: numpy.linalg.{name} on device arrays."
    return routine


for _name in ("norm", "inv", "pinv", "solve", "det", "slogdet", "svd", "qr", "cholesky", "eigh",
              "eigvalsh", "matrix_power", "matrix_rank", "lstsq"):
    globals()[_name] = _routine(_name)
del _name
