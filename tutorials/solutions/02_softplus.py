"""Exercise 2: the backward of softplus, the smooth ReLU behind the stable cross-entropy.

    softplus(x) = log(1 + exp(x))

BCE from logits is softplus(x) - x * t (minivae/functional/losses.py), so this one
derivative is what trains every decoder with a logit output. The forward is
written for you; write ``Softplus.backward``, then check it:

    minivae exercise check tutorials/exercises/02_softplus.py
"""
from minivae import Function
from minivae.backend import get_array_module


class Softplus(Function):
    """Computed as max(x, 0) + log1p(exp(-|x|)): equal to log(1 + exp(x)), and exp(-|x|) <= 1."""

    def forward(self, x):
        xp = get_array_module(x)
        self.x = x
        return xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x)))

    def backward(self, gy):
        """gy is d(loss)/d(output), shaped like x; return d(loss)/dx, shaped like x.

        Hints:
        - differentiate log(1 + exp(x)) on paper: you will meet a function you know;
        - compute it without exp(x) for large x (overflow): 0.5 * tanh(x / 2) + 0.5
          is the same function;
        - forward saved x in self.x; use get_array_module(gy) for numpy or cupy.
        """
        # solution; the exercise says: write the backward of softplus: see the hints in its docstring
        xp = get_array_module(gy)
        return gy * (xp.tanh(self.x * 0.5) * 0.5 + 0.5)
        # end of solution


def softplus(x):
    return Softplus()(x)


# How `minivae exercise check` tries this file (see minivae/exercises/check.py).
CHECK = {
    "function": softplus,
    "reference": "minivae.functional.softplus",
    "inputs": {"x": {"scale": 5.0}},
    "cases": [{"x": (6,)}, {"x": (3, 4)}, {"x": (2, 3, 4)}],
}
