"""Exercise 6: the backward of batch normalization in training mode.

    mean, var = the batch's mean and (biased) variance of each channel
    x_hat = (x - mean) / sqrt(var + eps)
    y     = weight * x_hat + bias

Statistics are taken over every axis but the channels: N for x (N, C); N, H, W
for x (N, C, H, W). In training they come from the batch itself, so every
input moves every output of its channel: that is what makes this backward
interesting. (The running averages used at inference are left out here; see
minivae/functional/batchnorm.py for the whole layer.) The forward is written
for you; write ``BatchNorm.backward``, then check it:

    minivae exercise check tutorials/exercises/06_batch_norm.py
"""
from minivae import Function
from minivae.backend import get_array_module


class BatchNorm(Function):
    """x (N, C) or (N, C, H, W), weight (C,), bias (C,) -> y shaped like x."""

    def __init__(self, eps):
        self.eps = eps

    def forward(self, x, weight, bias):
        xp = get_array_module(x)
        self.axes = (0,) + tuple(range(2, x.ndim))  # every axis but the channels
        self.shape = (1, -1) + (1,) * (x.ndim - 2)  # (1, C) or (1, C, 1, 1): a channel vector
        mean = x.mean(axis=self.axes, keepdims=True)  # (1, C[, 1, 1])
        var = x.var(axis=self.axes, keepdims=True)  # (1, C[, 1, 1])
        self.inv_std = 1 / xp.sqrt(var + self.eps)  # (1, C[, 1, 1])
        self.x_hat = (x - mean) * self.inv_std
        self.weight = weight
        return self.x_hat * weight.reshape(self.shape) + bias.reshape(self.shape)

    def backward(self, gy):
        """gy is d(loss)/dy, shaped like x; return the gradients of x, weight and bias.

        Hints:
        - bias and weight are easy: y = weight * x_hat + bias, summed over self.axes
          (each channel's parameter touched every value of that channel);
        - call g = gy * weight (reshaped to self.shape) the gradient of x_hat;
        - x_hat = (x - mean) * inv_std depends on x directly *and* through mean and
          var, which depend on every x of the channel. With n values per channel,
          sums over self.axes (keepdims=True) and x - mean = x_hat / inv_std:

              d_var  = sum(g * (x - mean)) * -0.5 * inv_std ** 3
              d_mean = sum(-g * inv_std)        (var's own term sums to zero)
              dx     = g * inv_std + d_var * 2 * (x - mean) / n + d_mean / n

          then simplify: dx can be written with g, x_hat and inv_std alone;
        - stuck? the module docstring of minivae/functional/batchnorm.py has the result.
        """
        # solution; the exercise says: write the backward of batch_norm: see the hints in its docstring
        g_bias = gy.sum(axis=self.axes)  # (C,)
        g_weight = (gy * self.x_hat).sum(axis=self.axes)  # (C,)
        g = gy * self.weight.reshape(self.shape)  # d(loss)/d(x_hat)
        g_x = self.inv_std * (g - g.mean(axis=self.axes, keepdims=True)
                              - self.x_hat * (g * self.x_hat).mean(axis=self.axes, keepdims=True))
        return g_x, g_weight, g_bias
        # end of solution


def batch_norm(x, weight, bias, eps=1e-5):
    return BatchNorm(eps)(x, weight, bias)


# How `minivae exercise check` tries this file (see minivae/exercises/check.py).
CHECK = {
    "function": batch_norm,
    "reference": "minivae.exercises.references.batch_norm_training",
    "inputs": {"x": {"scale": 2.0}, "weight": {}, "bias": {}},
    "cases": [
        {"x": (8, 3), "weight": (3,), "bias": (3,)},
        {"x": (4, 2, 3, 3), "weight": (2,), "bias": (2,)},  # after a convolution: per channel
        {"x": (2, 5), "weight": (5,), "bias": (5,)},  # the smallest batch that has a variance
    ],
}
