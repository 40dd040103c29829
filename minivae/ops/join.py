"""Joining and splitting: concatenate is the primitive, stack and split compose it."""
from ..autograd.function import Function
from ..backend import get_array_module
from .shape import getitem, reshape


class Concatenate(Function):
    """Join along an axis; backward cuts gy back into the pieces' sizes."""

    def __init__(self, axis):
        self.axis = axis

    def forward(self, *xs):
        xp = get_array_module(*xs)
        axis = self.axis % xs[0].ndim
        for x in xs[1:]:
            if x.ndim != xs[0].ndim or any(
                    a != b for i, (a, b) in enumerate(zip(x.shape, xs[0].shape)) if i != axis):
                raise ValueError(
                    f"concatenate: shapes {tuple(xs[0].shape)} and {tuple(x.shape)} differ "
                    f"outside axis {self.axis}.")
        self.sizes = [x.shape[axis] for x in xs]
        self.axis = axis
        return xp.concatenate(xs, axis=axis)

    def backward(self, gy):
        grads, start = [], 0
        for n in self.sizes:
            index = (slice(None),) * self.axis + (slice(start, start + n),)
            grads.append(gy[index])
            start += n
        return tuple(grads)


def concatenate(tensors, axis=0):
    """Join tensors along an existing axis; backward cuts gy back into the pieces."""
    return Concatenate(axis)(*tensors)


def stack(tensors, axis=0):
    """Join along a new axis: give each a size-1 axis, then concatenate."""
    ndim = tensors[0].ndim + 1
    axis = axis % ndim
    expanded = [reshape(t, t.shape[:axis] + (1,) + t.shape[axis:]) for t in tensors]  # new axis of 1
    return concatenate(expanded, axis)


def split(x, sections, axis=0):
    """Cut into equal sections (an int) or at the given indices (a list), like numpy.split."""
    n = x.shape[axis]
    if isinstance(sections, int):
        if n % sections:
            raise ValueError(f"split: axis {axis} of shape {x.shape} has {n} elements, "
                             f"which do not divide into {sections} equal sections.")
        bounds = list(range(0, n + 1, n // sections))
    else:
        bounds = [0] + list(sections) + [n]
    lead = (slice(None),) * (axis % x.ndim)
    return [getitem(x, lead + (slice(a, b),)) for a, b in zip(bounds[:-1], bounds[1:])]
