"""Activation functions. relu, leaky_relu, sigmoid, tanh and softplus have hand-written
backwards; log_sigmoid is composed from softplus and needs none of its own."""
from .. import parallel
from ..autograd.function import Function
from ..backend import get_array_module
from ..ops import neg


class ReLU(Function):
    """max(x, 0); gradient 1 where the output is positive, else 0."""

    def forward(self, x):
        xp = get_array_module(x)
        self.y = parallel.elementwise(lambda x, out: xp.maximum(x, 0, out=out), x)
        return self.y

    def backward(self, gy):
        xp = get_array_module(gy)
        return parallel.elementwise(lambda gy, y, out: xp.multiply(gy, y > 0, out=out), gy, self.y)


class LeakyReLU(Function):
    """x for x > 0, slope * x otherwise; gradient 1 or slope.

    Written with arithmetic, not ``where``: for a slope in [0, 1] the output is
    max(x, slope * x), and the gradient factor is slope + (1 - slope) * [x > 0].
    (NumPy's masked selection is several times slower than these plain passes.)
    The pieces of ``parallel`` keep each pass's temporaries in cache.
    """

    def __init__(self, negative_slope):
        self.slope = negative_slope

    def forward(self, x):
        xp = get_array_module(x)
        slope, larger = x.dtype.type(self.slope), (xp.maximum if self.slope <= 1 else xp.minimum)
        self.positive = xp.empty_like(x, dtype=bool)

        def leaky(x, positive, out):
            xp.greater(x, 0, out=positive)
            return larger(x, xp.multiply(x, slope, out=out), out=out)  # max(x, slope * x)
        y = xp.empty_like(x)
        parallel.map_chunks(leaky, x, self.positive, y)
        return y

    def backward(self, gy):
        xp = get_array_module(gy)
        slope = gy.dtype.type(self.slope)
        return parallel.elementwise(
            lambda gy, positive, out: xp.multiply(gy, positive * (1 - slope) + slope, out=out),
            gy, self.positive)


class Sigmoid(Function):
    """1 / (1 + exp(-x)), computed as 0.5 tanh(x / 2) + 0.5, which never overflows;
    d/dx = y (1 - y): save the output."""

    def forward(self, x):
        xp = get_array_module(x)
        self.y = xp.tanh(x * 0.5) * 0.5 + 0.5
        return self.y

    def backward(self, gy):
        return gy * self.y * (1 - self.y)


class Tanh(Function):
    """d/dx tanh(x) = 1 - tanh(x)^2: save the output."""

    def forward(self, x):
        xp = get_array_module(x)
        self.y = xp.tanh(x)
        return self.y

    def backward(self, gy):
        return gy * (1 - self.y * self.y)


class Softplus(Function):
    """log(1 + exp(x)) = max(x, 0) + log1p(exp(-abs(x))), stable for any x; d/dx = sigmoid(x).

    Written by hand rather than composed from relu and abs: their subgradients
    at exactly 0 would give softplus'(0) = 0 instead of the true 0.5.
    """

    def forward(self, x):
        xp = get_array_module(x)
        self.x = x
        return xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x)))

    def backward(self, gy):
        xp = get_array_module(gy)
        return gy * (xp.tanh(self.x * 0.5) * 0.5 + 0.5)


def relu(x):
    """max(x, 0); the gradient passes where x > 0."""
    return ReLU()(x)


def leaky_relu(x, negative_slope=0.01):
    """x where x > 0, negative_slope * x elsewhere (Keras' LeakyReLU uses 0.3)."""
    return LeakyReLU(negative_slope)(x)


def sigmoid(x):
    """1 / (1 + exp(-x)), computed without overflow; d/dx = y * (1 - y) from the output y."""
    return Sigmoid()(x)


def tanh(x):
    """Hyperbolic tangent; d/dx = 1 - y^2 from the output y."""
    return Tanh()(x)


def softplus(x):
    """log(1 + exp(x)), stable for any x; d/dx = sigmoid(x)."""
    return Softplus()(x)


def log_sigmoid(x):
    """log(sigmoid(x)) = -softplus(-x): stable for large abs(x), no backward of its own."""
    return neg(softplus(neg(x)))
