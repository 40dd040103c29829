"""Weight initializers, as Keras names them: zeros, ones, glorot_uniform.

Each draws directly in the weight's dtype from minivae.backend's generator,
so a float32 model never passes through float64.
"""
import math

from .. import backend


def zeros(shape, dtype, xp):
    """An array of zeros (biases, batch norm's beta and moving mean)."""
    return xp.zeros(shape, dtype=dtype)


def ones(shape, dtype, xp):
    """An array of ones (batch norm's gamma and moving variance)."""
    return xp.ones(shape, dtype=dtype)


def glorot_uniform(fan_in, fan_out):
    """Keras' default kernel initializer: U(-limit, limit), limit = sqrt(6 / (fan_in + fan_out)).

    The limit keeps the variance of activations and of gradients about equal
    from layer to layer (Glorot & Bengio, 2010). For a dense layer fan_in and
    fan_out are its input and output sizes; for a convolution each is a
    channel count times kh * kw (the receptive field).
    """
    limit = math.sqrt(6.0 / (fan_in + fan_out))

    def draw(shape, dtype, xp):
        u = backend.rand(shape, dtype, xp)  # U[0, 1)
        return (u * 2 - 1) * limit  # a Python float keeps the array's dtype
    return draw


_BY_NAME = {"zeros": zeros, "ones": ones}


def get(initializer):
    """An initializer function from its name, or the function itself."""
    if callable(initializer):
        return initializer
    if initializer not in _BY_NAME:
        raise ValueError(f"unknown initializer {initializer!r}: choose one of {sorted(_BY_NAME)} "
                         "or pass a function (shape, dtype, xp) -> array.")
    return _BY_NAME[initializer]
