"""Exercise 1: the backward of sigmoid.

    sigmoid(x) = 1 / (1 + exp(-x))

The forward is written for you; write ``Sigmoid.backward``, then check it:

    minivae exercise check tutorials/exercises/01_sigmoid.py
"""
from minivae import Function
from minivae.backend import get_array_module


class Sigmoid(Function):
    """Computed as 0.5 * tanh(x / 2) + 0.5: the same function, but exp never overflows."""

    def forward(self, x):
        xp = get_array_module(x)
        self.y = xp.tanh(x * 0.5) * 0.5 + 0.5
        return self.y

    def backward(self, gy):
        """gy is d(loss)/d(output), shaped like x; return d(loss)/dx, shaped like x.

        Hints:
        - element by element, the chain rule says d(loss)/dx = gy * d(sigmoid)/dx;
        - differentiate 1 / (1 + exp(-x)) and write the result with y = sigmoid(x)
          alone: forward saved y in self.y, so no exp is needed here.
        """
        # solution; the exercise says: write the backward of sigmoid: see the hints in its docstring
        return gy * self.y * (1 - self.y)
        # end of solution


def sigmoid(x):
    return Sigmoid()(x)


# How `minivae exercise check` tries this file (see minivae/exercises/check.py).
CHECK = {
    "function": sigmoid,
    "reference": "minivae.functional.sigmoid",
    "inputs": {"x": {"scale": 4.0}},
    "cases": [{"x": (6,)}, {"x": (3, 4)}, {"x": (2, 3, 4)}],
}
