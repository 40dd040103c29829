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
        self.a, self.b = a, b
        return a @ b

    def backward(self, gy):
        ga = gy @ self.b.swapaxes(-1, -2) if self.needs_grad[0] else None  # (..., n, k)
        gb = self.a.swapaxes(-1, -2) @ gy if self.needs_grad[1] else None  # (..., k, m)
        return ga, gb


def add(a, b):
    """a + b, broadcasting; each input's gradient is gy summed back to its shape."""
    return Add()(a, b)


def sub(a, b):
    """a - b, broadcasting; the gradients are gy and -gy, summed back to each shape."""
    return Sub()(a, b)


def mul(a, b):
    """a * b elementwise, broadcasting; d/da = b, d/db = a."""
    return Mul()(a, b)


def div(a, b):
    """a / b elementwise, broadcasting; d/da = 1 / b, d/db = -a / b^2."""
    return Div()(a, b)


def neg(x):
    """-x; the gradient is -gy."""
    return Neg()(x)


def pow(x, exponent):
    """x ** exponent for a Python number exponent; d/dx = exponent * x ** (exponent - 1)."""
    if not isinstance(exponent, (int, float)):
        raise TypeError(
            f"pow: the exponent must be a Python number, got {type(exponent).__name__}; "
            "for a tensor exponent write exp(b * log(a)).")
    return Pow(exponent)(x)


def check_matmul(a_shape, b_shape):
    """Raise the learner's error, with the shapes as given, when a @ b is undefined."""
    k_a = a_shape[-1] if a_shape else None
    k_b = b_shape[-2 if len(b_shape) >= 2 else 0] if b_shape else None
    try:
        numpy.broadcast_shapes(a_shape[:-2], b_shape[:-2])
        batch_ok = True
    except ValueError:
        batch_ok = False
    if k_a is None or k_a != k_b or not batch_ok:
        raise ValueError(
            f"matmul: shapes {a_shape} and {b_shape} don't fit: needs (..., n, k) @ (..., k, m) "
            "with the same k and broadcastable leading dimensions (a 1-D operand is (k,)).")


def matmul(a, b):
    """Matrix product; a 1-D operand is treated as a row (left) or column (right) vector."""
    from .shape import reshape  # (1-D operands are promoted by reshaping: no extra backward)
    check_matmul(tuple(getattr(a, "shape", ())), tuple(getattr(b, "shape", ())))
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
