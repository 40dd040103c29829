"""SGD: step against the gradient, optionally with momentum."""
from .optimizer import Optimizer


class SGD(Optimizer):
    """``SGD(params, lr=0.01, momentum=0.0)`` with Keras' update rule.

    The rule:

        velocity = momentum * velocity - lr * grad
        param    = param + velocity

    (momentum=0: param = param - lr * grad). The velocity keeps moving in the
    direction of past gradients, which damps zig-zagging across a narrow valley.
    """

    hyperparameters = ("lr", "momentum")

    def __init__(self, params, lr=0.01, momentum=0.0):
        super().__init__(params)
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f"SGD: momentum must be in [0, 1], got {momentum}.")
        self.lr, self.momentum = float(lr), float(momentum)

    def update(self, param, grad, slots):
        if self.momentum == 0.0:
            param -= self.lr * grad
            return
        velocity = self.slot(slots, "velocity", param)
        velocity *= self.momentum
        velocity -= self.lr * grad
        param += velocity
