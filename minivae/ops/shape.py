"""Ops that move elements without changing them: reshape, transpose, indexing.

Their backward moves the gradient back the same way.
"""
import numpy

from ..autograd.function import Function
from ..backend import get_array_module


class Reshape(Function):
    def __init__(self, shape):
        self.shape = shape

    def forward(self, x):
        self.x_shape = x.shape
        try:
            return x.reshape(self.shape)
        except ValueError:
            raise ValueError(
                f"reshape: cannot reshape shape {tuple(x.shape)} ({x.size} elements) "
                f"into {tuple(self.shape)}.") from None

    def backward(self, gy):
        return gy.reshape(self.x_shape)


class Transpose(Function):
    """Permute axes; the gradient is permuted back by the inverse permutation."""

    def __init__(self, axes):
        self.axes = axes

    def forward(self, x):
        axes = self.axes or tuple(reversed(range(x.ndim)))
        if sorted(a % x.ndim for a in axes) != list(range(x.ndim)):
            raise ValueError(f"transpose: axes {tuple(axes)} are not a permutation of the "
                             f"{x.ndim} axes of shape {tuple(x.shape)}.")
        self.inverse = tuple(numpy.argsort([a % x.ndim for a in axes]))
        return x.transpose(axes)

    def backward(self, gy):
        return gy.transpose(self.inverse)


def _is_basic(index):
    """True for ints and slices only: each element is picked at most once."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, slice)) or p is None or p is Ellipsis for p in parts)


class GetItem(Function):
    """x[index]; backward scatters gy into zeros (adding, for repeated integer indices)."""

    def __init__(self, index):
        self.index = index

    def forward(self, x):
        self.x_shape, self.x_dtype = x.shape, x.dtype
        return x[self.index]

    def backward(self, gy):
        xp = get_array_module(gy)
        gx = xp.zeros(self.x_shape, dtype=self.x_dtype)
        if _is_basic(self.index):
            gx[self.index] = gy
        else:
            xp.add.at(gx, self.index, gy)
        return gx


def reshape(x, *shape):
    """The same elements in a new shape (one -1 allowed); the gradient is reshaped back."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    return Reshape(shape)(x)


def transpose(x, *axes):
    """Permute the axes (reverse them when none are given); the gradient is permuted back."""
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    return Transpose(axes or None)(x)


permute = transpose


def flatten(x, start_dim=0, end_dim=-1):
    """Merge axes start_dim..end_dim into one (torch.flatten's signature)."""
    start, end = start_dim % x.ndim, end_dim % x.ndim
    merged = 1
    for n in x.shape[start:end + 1]:
        merged *= n
    return reshape(x, x.shape[:start] + (merged,) + x.shape[end + 1:])  # (..., product, ...)


def getitem(x, index):
    if isinstance(index, list):
        index = numpy.asarray(index)
    return GetItem(_unwrap(index))(x)


def _unwrap(index):
    """Tensor indices become their arrays (indices are data, not part of the graph)."""
    from ..autograd.tensor import Tensor
    if isinstance(index, Tensor):
        return index.data
    if isinstance(index, tuple):
        return tuple(_unwrap(i) for i in index)
    return index
