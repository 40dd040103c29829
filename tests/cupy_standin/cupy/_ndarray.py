"""The stand-in's ndarray: a NumPy array that plays "device memory", behind CuPy's rules.

It is *not* a numpy.ndarray. As in CuPy:
- ``numpy.asarray(a)`` raises TypeError (no implicit device-to-host copy);
- arithmetic with a numpy.ndarray raises TypeError (Python and NumPy scalars are fine);
- ``.get()``, ``float(a)``, ``int(a)``, ``bool(a)``, ``a.item()``, ``a.tolist()`` and
  ``repr(a)`` copy to the host, and each copy is counted in :mod:`cupy._transfers`;
- NumPy functions and ufuncs called on it dispatch to the stand-in
  (``__array_function__``, ``__array_ufunc__``); results stay on the device,
  0-d ones included.
"""
import numpy

from . import _transfers

IMPLICIT_CONVERSION = ("Implicit conversion to a NumPy array is not allowed. "
                       "Please use `.get()` to construct a NumPy array explicitly.")
_SCALARS = (bool, int, float, complex, numpy.generic)
_DTYPE_KINDS = "biufc"


def _unsupported(x):
    return TypeError(f"Unsupported type {type(x)}")


def check_dtype(dtype):
    """CuPy holds numbers only: no object, string or datetime arrays."""
    dtype = numpy.dtype(dtype)
    if dtype.kind not in _DTYPE_KINDS:
        raise ValueError(f"Unsupported dtype {dtype}")
    return dtype


def operand(x):
    """An operand of a ufunc: a device array's NumPy data, or a scalar; anything else raises."""
    if isinstance(x, ndarray):
        return x._a
    if isinstance(x, _SCALARS):
        return x
    raise _unsupported(x)


def unwrap(x):
    """Arguments of a routine: device arrays unwrapped (in lists and tuples too); host arrays raise."""
    if isinstance(x, ndarray):
        return x._a
    if isinstance(x, numpy.ndarray):
        raise _unsupported(x)
    if isinstance(x, (list, tuple)):
        return type(x)(unwrap(i) for i in x)
    return x


def wrap(r):
    """Results of a routine back on the device (NumPy scalars become 0-d device arrays)."""
    if isinstance(r, numpy.ndarray):
        return ndarray._from(r)
    if isinstance(r, numpy.generic):
        return ndarray._from(numpy.asarray(r))
    if isinstance(r, tuple):
        return tuple(wrap(i) for i in r)
    if isinstance(r, list):
        return [wrap(i) for i in r]
    return r


def to_device(x, dtype=None):
    """A host value (NumPy array, list, scalar) copied to a new device array: one counted copy."""
    a = numpy.array(x, dtype=dtype, copy=True)
    check_dtype(a.dtype)
    _transfers.record("host_to_device", a.nbytes)
    return ndarray._from(a)


def _index(key):
    """An index with device arrays unwrapped; host index arrays are copied over, as CuPy does."""
    if isinstance(key, tuple):
        return tuple(_index(k) for k in key)
    if isinstance(key, ndarray):
        return key._a
    if isinstance(key, (list, numpy.ndarray)):
        a = numpy.asarray(key)
        _transfers.record("host_to_device", a.nbytes)
        return a
    return key


def _is_basic(key):
    parts = key if isinstance(key, tuple) else (key,)
    return all(p is None or p is Ellipsis or isinstance(p, (slice, int, numpy.integer))
               for p in parts)


def _method(name, doc=None):
    def method(self, *args, **kwargs):
        return wrap(getattr(self._a, name)(*unwrap(args), **{k: unwrap(v) for k, v in kwargs.items()}))
    method.__name__ = name
    method.__doc__ = doc or f"As numpy.ndarray.{name}, on the device."
    return method


def _binary(ufunc_name, reflected=False):
    def op(self, other):
        if not isinstance(other, (ndarray,) + _SCALARS) and _should_use_rop(self, other):
            return NotImplemented
        from . import _routines
        fn = getattr(_routines, ufunc_name)
        return fn(other, self) if reflected else fn(self, other)
    return op


def _inplace(ufunc_name):
    def op(self, other):
        from . import _routines
        getattr(_routines, ufunc_name)(self, other, out=self)
        return self
    return op


def _should_use_rop(x, y):
    """CuPy's rule: defer to y's reflected operator if y opts out of ufuncs or has a higher priority."""
    try:
        y_ufunc = y.__array_ufunc__
    except AttributeError:
        return getattr(x, "__array_priority__", 0) < getattr(y, "__array_priority__", 0)
    return y_ufunc is None


class ndarray:
    """Multi-dimensional array on the (stand-in) device: a NumPy array behind CuPy's rules."""

    __module__ = "cupy"
    __slots__ = ("_a", "__weakref__")
    __array_priority__ = 100

    def __init__(self, shape, dtype=float, memptr=None, strides=None, order="C"):
        if memptr is not None or strides is not None:
            raise NotImplementedError("cupy stand-in: ndarray(memptr=, strides=) has no device memory")
        self._a = numpy.empty(shape, check_dtype(dtype), order=order)

    @classmethod
    def _from(cls, a):
        obj = cls.__new__(cls)
        obj._a = a
        return obj

    # ------------------------------------------------------------ attributes
    shape = property(lambda self: self._a.shape)
    dtype = property(lambda self: self._a.dtype)
    ndim = property(lambda self: self._a.ndim)
    size = property(lambda self: self._a.size)
    itemsize = property(lambda self: self._a.itemsize)
    nbytes = property(lambda self: self._a.nbytes)
    strides = property(lambda self: self._a.strides)
    flags = property(lambda self: self._a.flags)
    T = property(lambda self: ndarray._from(self._a.T))
    mT = property(lambda self: ndarray._from(self._a.mT))
    real = property(lambda self: ndarray._from(self._a.real))
    imag = property(lambda self: ndarray._from(self._a.imag))

    @property
    def base(self):
        return None if self._a.base is None else ndarray._from(self._a.base)

    @property
    def device(self):
        from .cuda import Device
        return Device(0)

    # ------------------------------------------------------------ the host boundary
    def __array__(self, dtype=None, copy=None):
        raise TypeError(IMPLICIT_CONVERSION)

    def get(self, stream=None, order="C", out=None, blocking=True):
        """A NumPy copy of the data: one counted device-to-host copy."""
        _transfers.record("device_to_host", self._a.nbytes)
        if out is not None:
            out[...] = self._a
            return out
        return numpy.array(self._a, order=order, copy=True)

    def set(self, arr, stream=None):
        """Copy a NumPy array of the same shape into this array: one counted host-to-device copy."""
        if not isinstance(arr, numpy.ndarray):
            raise TypeError(f"Only numpy.ndarray can be set to cupy.ndarray, got {type(arr)}")
        if arr.shape != self.shape:
            raise ValueError(f"Shape mismatch. Old shape: {self.shape}, new shape: {arr.shape}")
        _transfers.record("host_to_device", arr.nbytes)
        self._a[...] = arr

    def _to_host(self):
        _transfers.record("device_to_host", self._a.nbytes)
        return self._a

    def item(self):
        if self.size != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        return self._to_host().item()

    def tolist(self):
        return self._to_host().tolist()

    def tobytes(self, order="C"):
        return self._to_host().tobytes(order)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __complex__(self):
        return complex(self.item())

    def __bool__(self):
        if self.size != 1:
            raise ValueError("The truth value of an array with more than one element is "
                             "ambiguous. Use a.any() or a.all()")
        return bool(self.item())

    def __repr__(self):
        return repr(self._to_host())

    def __str__(self):
        return str(self._to_host())

    def __format__(self, spec):
        return format(self._to_host(), spec)

    def __reduce__(self):
        from ._routines import array
        return array, (self.get(),)

    # ------------------------------------------------------------ dispatch from NumPy
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        from . import _routines
        for x in inputs + tuple(kwargs.get("out", ()) or ()):
            if isinstance(x, numpy.ndarray):
                raise _unsupported(x)
        fn = getattr(_routines, ufunc.__name__, None)
        if fn is None:
            return NotImplemented
        if "out" in kwargs and isinstance(kwargs["out"], tuple):
            kwargs["out"] = kwargs["out"][0] if len(kwargs["out"]) == 1 else kwargs["out"]
        return fn(*inputs, **kwargs) if method == "__call__" else getattr(fn, method)(*inputs, **kwargs)

    def __array_function__(self, func, types, args, kwargs):
        import cupy
        for t in types:
            if not issubclass(t, (ndarray, numpy.ndarray)):
                return NotImplemented
        target = cupy
        for part in func.__module__.split(".")[1:]:
            if part.startswith("_"):
                continue
            target = getattr(target, part, None)
            if target is None:
                return NotImplemented
        fn = getattr(target, func.__name__, None)
        if fn is None:
            return NotImplemented
        return fn(*args, **kwargs)

    # ------------------------------------------------------------ containers
    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of unsized object")
        return len(self._a)

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (ndarray._from(self._a[i]) for i in range(len(self._a)))

    def __getitem__(self, key):
        return wrap(self._a[_index(key)])

    def __setitem__(self, key, value):
        if isinstance(value, numpy.ndarray):
            if _is_basic(key) and value.ndim:
                raise ValueError("non-scalar numpy.ndarray cannot be used for fill")
            _transfers.record("host_to_device", value.nbytes)
        elif isinstance(value, ndarray):
            value = value._a
        elif isinstance(value, (list, tuple)):
            value = unwrap(value)
        self._a[_index(key)] = value

    def __copy__(self):
        return ndarray._from(self._a.copy())

    def __deepcopy__(self, memo):
        return ndarray._from(self._a.copy())

    def copy(self, order="C"):
        return ndarray._from(self._a.copy(order=order))

    def astype(self, dtype, order="K", casting=None, subok=None, copy=True):
        if casting is not None:
            raise TypeError("casting is not supported yet")
        if subok is not None:
            raise TypeError("subok is not supported yet")
        out = self._a.astype(check_dtype(dtype), order=order, copy=copy)
        return self if out is self._a else ndarray._from(out)

    def fill(self, value):
        if isinstance(value, numpy.ndarray) and value.ndim:
            raise ValueError("non-scalar numpy.ndarray cannot be used for fill")
        self._a.fill(operand(value) if not isinstance(value, numpy.ndarray) else value)

    def scatter_add(self, slices, value):
        """a[slices] += value with repeated indices adding up (CuPy's own method)."""
        from ._routines import add
        add.at(self, slices, value)

    # ------------------------------------------------------------ operators
    __add__, __radd__ = _binary("add"), _binary("add", True)
    __sub__, __rsub__ = _binary("subtract"), _binary("subtract", True)
    __mul__, __rmul__ = _binary("multiply"), _binary("multiply", True)
    __truediv__, __rtruediv__ = _binary("true_divide"), _binary("true_divide", True)
    __floordiv__, __rfloordiv__ = _binary("floor_divide"), _binary("floor_divide", True)
    __mod__, __rmod__ = _binary("remainder"), _binary("remainder", True)
    __pow__, __rpow__ = _binary("power"), _binary("power", True)
    __matmul__, __rmatmul__ = _binary("matmul"), _binary("matmul", True)
    __and__, __rand__ = _binary("bitwise_and"), _binary("bitwise_and", True)
    __or__, __ror__ = _binary("bitwise_or"), _binary("bitwise_or", True)
    __xor__, __rxor__ = _binary("bitwise_xor"), _binary("bitwise_xor", True)
    __lt__, __le__ = _binary("less"), _binary("less_equal")
    __gt__, __ge__ = _binary("greater"), _binary("greater_equal")
    __eq__, __ne__ = _binary("equal"), _binary("not_equal")
    __hash__ = None
    __iadd__, __isub__ = _inplace("add"), _inplace("subtract")
    __imul__, __itruediv__ = _inplace("multiply"), _inplace("true_divide")
    __ipow__, __ifloordiv__ = _inplace("power"), _inplace("floor_divide")
    __iand__, __ior__, __ixor__ = _inplace("bitwise_and"), _inplace("bitwise_or"), _inplace("bitwise_xor")

    def __neg__(self):
        return ndarray._from(-self._a)

    def __pos__(self):
        return ndarray._from(+self._a)

    def __abs__(self):
        return ndarray._from(abs(self._a))

    def __invert__(self):
        return ndarray._from(~self._a)


for _name in ("reshape", "transpose", "swapaxes", "ravel", "flatten", "squeeze", "view",
              "sum", "mean", "max", "min", "prod", "var", "std", "argmax", "argmin", "all", "any",
              "cumsum", "cumprod", "clip", "round", "conj", "conjugate", "dot", "repeat", "take",
              "diagonal", "trace", "nonzero", "sort", "argsort", "ptp"):
    setattr(ndarray, _name, _method(_name))
del _name
