"""The stand-in's cupy.linalg: numpy.linalg on device arrays."""
import numpy.linalg

from .._ndarray import unwrap, wrap


def _routine(name):
    f = getattr(numpy.linalg, name)

    def routine(*args, **kwargs):
        return wrap(f(*unwrap(args), **{k: unwrap(v) for k, v in kwargs.items()}))
    routine.__name__ = name
    routine.__doc__ = f"The stand-in's linalg.{name}: numpy.linalg.{name} on device arrays."
    return routine


for _name in ("norm", "inv", "pinv", "solve", "det", "slogdet", "svd", "qr", "cholesky", "eigh",
              "eigvalsh", "matrix_power", "matrix_rank", "lstsq"):
    globals()[_name] = _routine(_name)
del _name
