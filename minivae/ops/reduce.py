"""Reductions: sum, mean, max over some axes (or all), with keepdims."""
from ..autograd.function import Function
from ..backend import get_array_module


def _axes(axis, ndim):
    """The reduced axes as a sorted tuple of non-negative ints."""
    if axis is None:
        return tuple(range(ndim))
    axis = (axis,) if isinstance(axis, int) else tuple(axis)
    return tuple(sorted(a % ndim for a in axis))


def _keep_shape(shape, axes):
    """The output shape as keepdims=True gives it: reduced axes become 1."""
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


class Sum(Function):
    """Every input element contributes once: the gradient is gy copied back over the axes."""

    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.x_shape, self.axes = x.shape, _axes(self.axis, x.ndim)
        return x.sum(axis=self.axes, keepdims=self.keepdims)

    def backward(self, gy):
        xp = get_array_module(gy)
        gy = gy.reshape(_keep_shape(self.x_shape, self.axes))  # (reduced axes as 1)
        return xp.broadcast_to(gy, self.x_shape)


class Max(Function):
    """The gradient goes to the maximal elements (shared equally between ties)."""

    def __init__(self, axis, keepdims):
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x):
        self.axes = _axes(self.axis, x.ndim)
        y = x.max(axis=self.axes, keepdims=True)
        self.is_max = x == y
        self.keep_shape = y.shape
        return y if self.keepdims else y.reshape([n for i, n in enumerate(y.shape) if i not in self.axes])

    def backward(self, gy):
        count = self.is_max.sum(axis=self.axes, keepdims=True)
        gy = gy.reshape(self.keep_shape)  # (reduced axes as 1)
        return (gy / count.astype(gy.dtype)) * self.is_max


def sum(x, axis=None, keepdims=False):
    """Sum over ``axis`` (all axes for None), as numpy.sum; gy is copied back over them."""
    return Sum(axis, keepdims)(x)


def mean(x, axis=None, keepdims=False):
    """sum / count: a composition, so it needs no backward of its own."""
    count = 1
    for a in _axes(axis, x.ndim):
        count *= x.shape[a]
    return sum(x, axis, keepdims) * (1.0 / count)


def max(x, axis=None, keepdims=False):
    """Maximum over ``axis``; the gradient goes to the maximal elements, shared between ties."""
    return Max(axis, keepdims)(x)
