"""Activation layers (ReLU, LeakyReLU, Activation) and the ``activation=`` names they share.

Keras lets ``Dense(2, activation="relu")`` name its activation; the same
names work for ``Activation("relu")``.
"""
from functools import partial

from .. import functional as F
from .layer import Layer


def linear(x):
    """The identity: Keras' name for 'no activation'."""
    return x


ACTIVATIONS = {
    "linear": linear,
    "relu": F.relu,
    "sigmoid": F.sigmoid,
    "tanh": F.tanh,
    "softplus": F.softplus,
    "leaky_relu": partial(F.leaky_relu, negative_slope=0.3),  # Keras' default slope
}


def get(activation):
    """The function for an activation name, None ('linear'), or a function (kept as is)."""
    if activation is None:
        return linear
    if callable(activation):
        return activation
    key = str(activation).lower()
    if key not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}: choose one of "
                         f"{', '.join(sorted(ACTIVATIONS))}, None, or pass a function.")
    return ACTIVATIONS[key]


def name_of(activation):
    return activation if isinstance(activation, str) or activation is None else \
        getattr(activation, "__name__", type(activation).__name__)


class Activation(Layer):
    """Apply a named activation element-wise: ``Activation("sigmoid")``."""

    def __init__(self, activation, name=None):
        super().__init__(name)
        self.activation_name = name_of(activation)
        self.activation = get(activation)

    def forward(self, x):
        return self.activation(x)

    def extra_repr(self):
        return f"{self.activation_name!r}, name={self.name!r}"


class ReLU(Layer):
    """max(x, 0), element-wise."""

    def forward(self, x):
        return F.relu(x)


class LeakyReLU(Layer):
    """x for x > 0, negative_slope * x otherwise; Keras' default slope is 0.3
    (PyTorch's is 0.01), the value the book's faces VAE trains with."""

    def __init__(self, negative_slope=0.3, name=None):
        super().__init__(name)
        self.negative_slope = negative_slope

    def forward(self, x):
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}, name={self.name!r}"
