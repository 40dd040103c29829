"""Element-wise functions of one tensor: exp, log, log1p, sqrt, abs, clip.

Where the derivative can be written with the output, the output is what is
saved (exp, sqrt): nothing else needs keeping.
"""
from ..autograd.function import Function
from ..backend import get_array_module


class Exp(Function):
    """d/dx exp(x) = exp(x): save the output."""

    def forward(self, x):
        xp = get_array_module(x)
        self.y = xp.exp(x)
        return self.y

    def backward(self, gy):
        return gy * self.y


class Log(Function):
    """d/dx log(x) = 1 / x."""

    def forward(self, x):
        xp = get_array_module(x)
        self.x = x
        return xp.log(x)

    def backward(self, gy):
        return gy / self.x


class Log1p(Function):
    """log(1 + x), exact for tiny x; d/dx = 1 / (1 + x)."""

    def forward(self, x):
        xp = get_array_module(x)
        self.x = x
        return xp.log1p(x)

    def backward(self, gy):
        return gy / (1 + self.x)


class Sqrt(Function):
    """d/dx sqrt(x) = 1 / (2 sqrt(x)): save the output."""

    def forward(self, x):
        xp = get_array_module(x)
        self.y = xp.sqrt(x)
        return self.y

    def backward(self, gy):
        return gy / (2 * self.y)


class Abs(Function):
    """d/dx |x| = sign(x) (0 at x = 0, as NumPy's sign gives)."""

    def forward(self, x):
        xp = get_array_module(x)
        self.sign = xp.sign(x)
        return xp.abs(x)

    def backward(self, gy):
        return gy * self.sign


class Clip(Function):
    """Limit x to [low, high]; the gradient passes only where x was inside."""

    def __init__(self, low, high):
        self.low, self.high = low, high

    def forward(self, x):
        xp = get_array_module(x)
        self.inside = xp.ones(x.shape, dtype=bool)
        if self.low is not None:
            self.inside &= x >= self.low
        if self.high is not None:
            self.inside &= x <= self.high
        return xp.clip(x, self.low, self.high)

    def backward(self, gy):
        return gy * self.inside


def exp(x):
    """e^x; its derivative is its output, which backward reuses."""
    return Exp()(x)


def log(x):
    """Natural log; d/dx = 1 / x."""
    return Log()(x)


def log1p(x):
    """log(1 + x), accurate for small x; d/dx = 1 / (1 + x)."""
    return Log1p()(x)


def sqrt(x):
    """Square root; d/dx = 0.5 / sqrt(x), from the saved output."""
    return Sqrt()(x)


def abs(x):
    """abs(x); d/dx = sign(x) (0 at 0)."""
    return Abs()(x)


def clip(x, low=None, high=None):
    """x limited to [low, high]; the gradient passes only where x was inside."""
    return Clip(low, high)(x)
