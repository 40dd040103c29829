"""The stand-in's cupy.linalg: numpy.linalg on device arrays."""
import numpy.linalg as _np_linalg

from .._routines import _routine

for _name in ("norm", "inv", "pinv", "solve", "det", "slogdet", "svd", "qr", "cholesky", "eigh",
              "eigvalsh", "matrix_power", "matrix_rank", "lstsq"):
    globals()[_name] = _routine(_name, _np_linalg, "linalg.")
del _name
