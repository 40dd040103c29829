"""The arithmetic operators: + - * / ** @ and unary minus.

Broadcasting is undone by the engine (``graph.sum_to``), so each backward here
may return a gradient of the *broadcast* shape.
"""
import numpy

from ..autograd.function import Function


def check_broadcast(op, a, b):
    """Raise the learner's error when two shapes cannot be broadcast together."""
    try:
        numpy.broadcast_shapes(a.shape, b.shape)
    except ValueError:
        raise ValueError(
            f"{op}: shapes {tuple(a.shape)} and {tuple(b.shape)} cannot be broadcast together "
            "(trailing dimensions must be equal or 1).") from None


class Add(Function):
    def forward(self, a, b):
        check_broadcast("add", a, b)
        return a + b

    def backward(self, gy):
        return gy, gy


class Sub(Function):
    def forward(self, a, b):
        check_broadcast("sub", a, b)
        return a - b

    def backward(self, gy):
        return gy, -gy


class Mul(Function):
    def forward(self, a, b):
        check_broadcast("mul", a, b)
        self.a, self.b = a, b
        return a * b

    def backward(self, gy):
        return gy * self.b, gy * self.a


class Div(Function):
    def forward(self, a, b):
        check_broadcast("div", a, b)
        self.a, self.b = a, b
        return a / b

    def backward(self, gy):
        gb = None
        if self.needs_grad[1]:
            gb = -gy * self.a / (self.b * self.b)
        return gy / self.b, gb


class Neg(Function):
    def forward(self, x):
        return -x

    def backward(self, gy):
        return -gy


class Pow(Function):
    """x ** c for a constant exponent c: d/dx = c * x ** (c - 1)."""

    def __init__(self, exponent):
        self.c = exponent

    def forward(self, x):
        self.x = x
        return x ** self.c

    def backward(self, gy):
        return gy * self.c * self.x ** (self.c - 1)


class MatMul(Function):
    """a @ b for operands of 2 or more dimensions (leading dimensions broadcast)."""

    def forward(self, a, b):
        if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-2]:
            raise ValueError(
                f"matmul: shapes {tuple(a.shape)} and {tuple(b.shape)} don't fit: needs (..., n, k) "
                "@ (..., k, m) with the same k.")
        self.a, self.b = a, b
        return a @ b

    def backward(self, gy):
        ga = gy @ self.b.swapaxes(-1, -2) if self.needs_grad[0] else None  # (..., n, k)
        gb = self.a.swapaxes(-1, -2) @ gy if self.needs_grad[1] else None  # (..., k, m)
        return ga, gb


def add(a, b): return Add()(a, b)
def sub(a, b): return Sub()(a, b)
def mul(a, b): return Mul()(a, b)
def div(a, b): return Div()(a, b)
def neg(x): return Neg()(x)


def pow(x, exponent):
    if not isinstance(exponent, (int, float)):
        raise TypeError(
            f"pow: the exponent must be a Python number, got {type(exponent).__name__}; "
            "for a tensor exponent write exp(b * log(a)).")
    return Pow(exponent)(x)


def matmul(a, b):
    """Matrix product; a 1-D operand is treated as a row (left) or column (right) vector."""
    from .shape import reshape  # (1-D operands are promoted by reshaping: no extra backward)
    a_vec, b_vec = getattr(a, "ndim", 2) == 1, getattr(b, "ndim", 2) == 1
    if a_vec:
        a = reshape(a, 1, -1)  # (1, k)
    if b_vec:
        b = reshape(b, -1, 1)  # (k, 1)
    out = MatMul()(a, b)
    if a_vec or b_vec:
        shape = out.shape[:-2] + out.shape[-2:][(1 if a_vec else 0):(1 if b_vec else 2)]
        out = reshape(out, *shape)  # drop the promoted axes again
    return out
