"""RMSprop: divide each step by the running root-mean-square of that weight's gradients."""
from ..backend import get_array_module
from .optimizer import Optimizer


class RMSprop(Optimizer):
    """``RMSprop(params, lr=1e-3, rho=0.9, eps=1e-7)`` with Keras' update rule.

    The rule:

        v = rho * v + (1 - rho) * grad ** 2
        param = param - lr * grad / sqrt(v + eps)

    Weights with large gradients take smaller steps, those with small ones
    larger steps. (Keras puts eps inside the square root; PyTorch outside.)
    """

    hyperparameters = ("lr", "rho", "eps")

    def __init__(self, params, lr=1e-3, rho=0.9, eps=1e-7):
        super().__init__(params)
        self.lr, self.rho, self.eps = float(lr), float(rho), float(eps)

    def update(self, param, grad, slots):
        v = self.slot(slots, "velocity", param)
        v *= self.rho
        v += (1 - self.rho) * grad * grad
        xp = get_array_module(param)
        param -= self.lr * grad / xp.sqrt(v + self.eps)
