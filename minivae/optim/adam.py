"""Adam: momentum plus a per-weight step size from the gradient's running magnitude."""
import math

from ..backend import get_array_module
from .optimizer import Optimizer


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-7)``, the book's ``optimizer="adam"``.

    Keras' update, at step t (counting from 1):

        m = beta1 * m + (1 - beta1) * grad            first moment (mean)
        v = beta2 * v + (1 - beta2) * grad ** 2       second moment (uncentered variance)
        alpha = lr * sqrt(1 - beta2 ** t) / (1 - beta1 ** t)    bias correction
        param = param - alpha * m / (sqrt(v) + eps)

    m and v start at zero, so early on they are biased towards zero; the
    correction in alpha undoes that. eps=1e-7 is Keras' default (PyTorch: 1e-8).
    """

    hyperparameters = ("lr", "betas", "eps")

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-7):
        super().__init__(params)
        self.lr, self.betas, self.eps = float(lr), tuple(float(b) for b in betas), float(eps)

    def update(self, param, grad, slots):
        beta1, beta2 = self.betas
        t = self.iterations
        m = self.slot(slots, "m", param)
        v = self.slot(slots, "v", param)
        m += (grad - m) * (1 - beta1)          # = beta1 * m + (1 - beta1) * grad
        v += (grad * grad - v) * (1 - beta2)
        alpha = self.lr * math.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
        xp = get_array_module(param)
        param -= alpha * m / (xp.sqrt(v) + self.eps)
