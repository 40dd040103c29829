"""Tensor: an array (NumPy or CuPy) that remembers how it was computed.

``t.data`` is the backend array, ``t.grad`` its gradient after ``backward()``
(an array of the same shape and dtype, or None), and ``t.creator`` the op that
produced it (None for a leaf: data or a parameter). The arithmetic operators
and methods below only forward to the ops in :mod:`minivae.ops`.
"""
import numpy

from .. import backend
from . import graph


class Tensor:
    """An array (NumPy or CuPy) that remembers how it was computed.

    ``data`` is the backend array; ``grad`` its gradient after ``backward()`` (same
    shape and dtype, or None); ``creator`` the Function that produced it (None for a
    leaf: data or a parameter). ``requires_grad=True`` makes a leaf collect a gradient.
    ``name`` (optional) is what its repr and the graph drawings call it.
    """

    name = None

    # numpy's binary operators defer to Tensor, so `2.0 * t` and `array + t` build graph nodes
    __array_priority__ = 100

    def __init__(self, data, requires_grad=False, dtype=None, device=None, name=None):
        if isinstance(data, Tensor):
            data = data.data
        xp = backend.get_array_module(data)
        if device is not None:
            xp = backend.module(device)
            data = backend.to_device(data, device) if hasattr(data, "shape") else data
        elif not hasattr(data, "shape"):  # Python numbers and lists go to the default backend
            xp = backend.default_module()
        if dtype is None and not (hasattr(data, "dtype") and data.dtype.kind in "fiub"):
            dtype = numpy.float32  # Python numbers and lists become float32, like the book's Keras
        data = xp.asarray(data, dtype=dtype)
        if requires_grad and data.dtype.kind != "f":
            raise TypeError(
                f"Tensor: only floating-point tensors can require gradients, got dtype "
                f"{data.dtype} (shape {data.shape}); pass dtype='float32' or convert the data.")
        self.data = data
        self.requires_grad = bool(requires_grad)
        self.grad = None
        self.creator = None
        if name is not None:
            self.name = str(name)

    @classmethod
    def _wrap(cls, array, requires_grad=False):
        """A tensor around an op's output array, without the checks of __init__."""
        t = cls.__new__(cls)
        t.data, t.requires_grad, t.grad, t.creator = array, requires_grad, None, None
        return t

    # ------------------------------------------------------------ properties
    shape = property(lambda self: tuple(self.data.shape))
    dtype = property(lambda self: self.data.dtype)
    ndim = property(lambda self: self.data.ndim)
    size = property(lambda self: int(self.data.size))
    device = property(lambda self: backend.device_of(self.data))
    T = property(lambda self: ops.transpose(self))

    def __len__(self):
        return self.shape[0]

    def __repr__(self):
        body = numpy.array2string(self.numpy(), precision=4, separator=", ", prefix="Tensor(")
        extra = f", device='{self.device}'" if self.device != "cpu" else ""
        if self.creator is not None:  # computed: say by which op
            grad = f", grad_fn={type(self.creator).__name__}"
        else:
            grad = ", requires_grad=True" if self.requires_grad else ""
        name = f", name={self.name!r}" if self.name else ""
        return f"Tensor({body}, shape={self.shape}, dtype={self.dtype}{extra}{grad}{name})"

    # ------------------------------------------------------------ autograd
    def backward(self, grad=None, retain_graph=False):
        """Fill ``.grad`` of every leaf this tensor depends on with d(self)/d(leaf)."""
        if not self.requires_grad:
            raise RuntimeError(
                "backward: this tensor does not require grad: none of its inputs had "
                "requires_grad=True, or it was computed inside minivae.no_grad().")
        xp = backend.get_array_module(self.data)
        if grad is None:
            if self.size != 1:
                raise RuntimeError(
                    f"backward: the output has shape {self.shape}, not a single number; "
                    "reduce it first (.sum() or .mean()) or pass grad= of the same shape.")
            grad = xp.ones_like(self.data)
        else:
            grad = grad.data if isinstance(grad, Tensor) else xp.asarray(grad, dtype=self.dtype)
            if grad.shape != self.data.shape:
                raise ValueError(
                    f"backward: grad has shape {tuple(grad.shape)} but the tensor has shape "
                    f"{self.shape}; they must match.")
        graph.backward(self, grad, retain_graph)

    def detach(self):
        """The same data, cut from the graph (no gradient flows through it)."""
        return Tensor._wrap(self.data)

    def zero_grad(self):
        self.grad = None

    def requires_grad_(self, flag=True):
        self.requires_grad = flag
        return self

    # ------------------------------------------------------------ devices and conversion
    def numpy(self):
        """The values as a NumPy array (copied from the GPU if needed)."""
        return backend.to_numpy(self.data)

    def item(self):
        return self.numpy().item()

    def to(self, device):
        """This tensor on 'cpu' (NumPy) or 'gpu' (CuPy); a new leaf unless already there."""
        if self.device == backend.DEVICES[backend._check_name(device)]:
            return self
        return Tensor(backend.to_device(self.data, device), requires_grad=self.requires_grad)

    def astype(self, dtype):
        """A copy in another float dtype, cut from the graph (gradchecks use float64 copies)."""
        return Tensor(self.data.astype(dtype), requires_grad=self.requires_grad)

    # ------------------------------------------------------------ operators
    def __add__(self, other): return ops.add(self, other)
    def __radd__(self, other): return ops.add(other, self)
    def __sub__(self, other): return ops.sub(self, other)
    def __rsub__(self, other): return ops.sub(other, self)
    def __mul__(self, other): return ops.mul(self, other)
    def __rmul__(self, other): return ops.mul(other, self)
    def __truediv__(self, other): return ops.div(self, other)
    def __rtruediv__(self, other): return ops.div(other, self)
    def __neg__(self): return ops.neg(self)
    def __pow__(self, exponent): return ops.pow(self, exponent)
    def __matmul__(self, other): return ops.matmul(self, other)
    def __rmatmul__(self, other): return ops.matmul(other, self)
    def __getitem__(self, index): return ops.getitem(self, index)

    # ------------------------------------------------------------ methods
    def exp(self): return ops.exp(self)
    def log(self): return ops.log(self)
    def log1p(self): return ops.log1p(self)
    def sqrt(self): return ops.sqrt(self)
    def abs(self): return ops.abs(self)
    def clip(self, low=None, high=None): return ops.clip(self, low, high)
    def sum(self, axis=None, keepdims=False): return ops.sum(self, axis, keepdims)
    def mean(self, axis=None, keepdims=False): return ops.mean(self, axis, keepdims)
    def max(self, axis=None, keepdims=False): return ops.max(self, axis, keepdims)
    def reshape(self, *shape): return ops.reshape(self, *shape)
    def transpose(self, *axes): return ops.transpose(self, *axes)
    def permute(self, *axes): return ops.transpose(self, *axes)
    def flatten(self, start_dim=0, end_dim=-1): return ops.flatten(self, start_dim, end_dim)


from .. import ops  # noqa: E402  (the ops need Tensor, so they are imported after it)
