"""The stand-in's functions and ufuncs: NumPy's, with device arrays in and device arrays out.

Each routine unwraps its device-array arguments, runs NumPy and wraps the
result; a numpy.ndarray argument raises TypeError as in CuPy. Only names that
real CuPy has are offered (tests/cupy_standin/cupy_names.txt).
"""
import numpy

from . import _transfers
from ._ndarray import _index, ndarray, operand, to_device, unwrap, wrap


class ufunc:
    """An element-wise function; ``.at`` exists for add, maximum and minimum, as in CuPy."""

    __module__ = "cupy"
    _SCATTER = ("add", "maximum", "minimum")

    def __init__(self, name):
        self._f = getattr(numpy, name)
        self.__name__ = name
        self.name = f"cupy_{name}"
        self.nin, self.nout, self.nargs = self._f.nin, self._f.nout, self._f.nargs
        self.__doc__ = f"The stand-in's {name}: numpy.{name} on device arrays."

    def __repr__(self):
        return f"<ufunc '{self.name}'>"

    def __call__(self, *args, out=None, **kwargs):
        if len(args) > self.nin:
            args, out = args[:self.nin], args[self.nin]
        ins = [operand(a) for a in args]
        if out is not None:
            if not isinstance(out, ndarray):
                raise TypeError(f"output must be a cupy.ndarray, got {type(out)}")
            self._f(*ins, out=out._a, **unwrap(kwargs))
            return out
        return wrap(self._f(*ins, **kwargs))

    def at(self, a, indices, b=None):
        """a[indices] op= b, unbuffered: repeated indices all take effect (CuPy's scatter ops)."""
        if self.__name__ not in self._SCATTER:
            raise NotImplementedError(f"`{self.name}.at` is not supported yet")
        if not isinstance(a, ndarray):
            raise TypeError(f"Unsupported type {type(a)}")
        if isinstance(b, numpy.ndarray):
            _transfers.record("host_to_device", b.nbytes)
        elif b is not None:
            b = operand(b)
        self._f.at(a._a, _index(indices), b)

    def reduce(self, array, axis=0, dtype=None, out=None, keepdims=False):
        if self.__name__ == "add":
            return array.sum(axis, dtype, out, keepdims)
        if self.__name__ == "multiply":
            return array.prod(axis, dtype, out, keepdims)
        raise NotImplementedError(f"`{self.name}.reduce` is not supported yet")

    def outer(self, A, B, **kwargs):
        return self(A.reshape(A.shape + (1,) * B.ndim), B.reshape((1,) * A.ndim + B.shape), **kwargs)


UFUNCS = (
    "add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "remainder", "mod",
    "fmod", "power", "float_power", "negative", "positive", "absolute", "fabs", "sign",
    "reciprocal", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt",
    "square", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh",
    "tanh", "arcsinh", "arccosh", "arctanh", "hypot", "logaddexp", "logaddexp2", "maximum",
    "minimum", "fmax", "fmin", "greater", "greater_equal", "less", "less_equal", "equal",
    "not_equal", "logical_and", "logical_or", "logical_xor", "logical_not", "bitwise_and",
    "bitwise_or", "bitwise_xor", "invert", "isfinite", "isinf", "isnan", "signbit", "copysign",
    "floor", "ceil", "trunc", "rint", "deg2rad", "rad2deg")
for _name in UFUNCS:
    globals()[_name] = ufunc(_name)
abs = absolute  # noqa: F821  (CuPy's alias, as NumPy's)


def _routine(name, module=numpy, prefix=""):
    """A stand-in routine: ``module.name`` (numpy's by default) with device arrays in and out."""
    f = getattr(module, name)

    def routine(*args, **kwargs):
        return wrap(f(*unwrap(args), **{k: unwrap(v) for k, v in kwargs.items()}))
    routine.__name__ = name
    routine.__doc__ = f"The stand-in's {prefix}{name}: numpy.{prefix}{name} on device arrays."
    return routine


ROUTINES = (
    # creation
    "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like", "full_like",
    "arange", "linspace", "logspace", "eye", "identity", "tri", "tril", "triu", "meshgrid",
    "diag",
    # shape and joining
    "reshape", "ravel", "transpose", "swapaxes", "moveaxis", "rollaxis", "squeeze",
    "expand_dims", "broadcast_to", "broadcast_arrays", "atleast_1d", "atleast_2d", "atleast_3d",
    "concatenate", "stack", "vstack", "hstack", "dstack", "column_stack", "split",
    "array_split", "hsplit", "vsplit", "flip", "fliplr", "flipud", "roll", "rot90", "tile",
    "repeat", "pad", "take", "take_along_axis", "where", "copyto", "diagonal", "trace",
    # maths
    "sum", "prod", "mean", "var", "std", "max", "min", "amax", "amin", "argmax", "argmin",
    "all", "any", "cumsum", "cumprod", "diff", "clip", "round", "around", "dot", "vdot",
    "inner", "outer", "tensordot", "einsum", "matmul", "nan_to_num", "count_nonzero",
    "nonzero", "argwhere", "flatnonzero", "sort", "argsort", "unique", "searchsorted",
    "median", "percentile", "quantile", "average", "histogram", "bincount", "allclose",
    "isclose", "array_equal", "cross", "kron", "convolve", "ptp", "nansum", "nanmean",
    "nanmax", "nanmin", "sinc",
)
for _name in ROUTINES:
    globals()[_name] = _routine(_name)
del _name


def shape(a):
    return tuple(a.shape)


def ndim(a):
    return a.ndim


def size(a, axis=None):
    return a.size if axis is None else a.shape[axis]


def asarray(a, dtype=None, order=None, *, blocking=False):
    """``a`` on the device: the same array if it is there already, else one counted copy."""
    if isinstance(a, ndarray):
        return a if dtype is None else a.astype(dtype, copy=False)
    if isinstance(a, (list, tuple)) and _holds_device_arrays(a):
        return wrap(numpy.asarray(unwrap(a), dtype=dtype))
    return to_device(a, dtype)


def array(obj, dtype=None, copy=True, order="K", subok=False, ndmin=0, *, blocking=False):
    """A new device array: a device-side copy of a device array, or a counted host-to-device copy."""
    if isinstance(obj, ndarray):
        out = numpy.array(obj._a, dtype=dtype, copy=copy, order=order, ndmin=ndmin)
        return obj if out is obj._a else ndarray._from(out)
    if isinstance(obj, (list, tuple)) and _holds_device_arrays(obj):
        return wrap(numpy.array(unwrap(obj), dtype=dtype, ndmin=ndmin))
    return to_device(numpy.array(obj, dtype=dtype, ndmin=ndmin), dtype)


def ascontiguousarray(a, dtype=None):
    return wrap(numpy.ascontiguousarray(unwrap(a), dtype=dtype))


def _holds_device_arrays(seq):
    return any(isinstance(x, ndarray) or isinstance(x, (list, tuple)) and _holds_device_arrays(x)
               for x in seq)


def asnumpy(a, stream=None, order="C", out=None, *, blocking=True):
    """A NumPy array: a counted device-to-host copy of a device array; host input unchanged."""
    if isinstance(a, ndarray):
        return a.get(stream=stream, order=order, out=out)
    return numpy.asarray(a, order=order)


def get_array_module(*args):
    """cupy if any argument is a device array, else numpy."""
    import cupy
    return cupy if any(isinstance(a, ndarray) for a in args) else numpy


def result_type(*arrays_and_dtypes):
    return numpy.result_type(*(a.dtype if isinstance(a, ndarray) else a for a in arrays_and_dtypes))


def can_cast(from_, to, casting="safe"):
    return numpy.can_cast(from_.dtype if isinstance(from_, ndarray) else from_, to, casting)


def isscalar(element):
    return numpy.isscalar(element)


__all__ = ["ufunc", "abs", *UFUNCS, *ROUTINES, "shape", "ndim", "size", "asarray", "array",
           "ascontiguousarray", "asnumpy", "get_array_module", "result_type", "can_cast", "isscalar"]
