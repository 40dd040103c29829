"""Batch normalization, with the gradient through the batch statistics written by hand.

    x_hat = (x - mean) / sqrt(var + eps)        y = weight * x_hat + bias

mean and var are taken over every axis but the channels (N for (N, C); N, H, W
for (N, C, H, W)). In training they come from the batch, so every x moves
every output: the backward is

    dx = (1 / sqrt(var + eps)) * (dx_hat - mean(dx_hat) - x_hat * mean(dx_hat * x_hat))

with dx_hat = dy * weight. In eval mode the running statistics are constants
and dx = dy * weight / sqrt(running_var + eps).
"""
from .. import parallel
from ..autograd.function import Function
from ..autograd.tensor import Tensor
from ..backend import get_array_module


def _channel_shape(x):
    return (1, -1) + (1,) * (x.ndim - 2)  # (1, C) or (1, C, 1, 1)


class BatchNorm(Function):
    """Saves the centred input xc = x - mean and inv_std = 1 / sqrt(var + eps), from which
    x_hat = xc * inv_std; working with xc directly saves whole passes over the activations
    (each pass over a (128, 128, 32, 32) float32 tensor reads and writes 67 MB).

    Passes over the activations: forward, the mean; xc with sum(xc^2); xc * scale + bias.
    backward: sum(gy) with sum(gy * xc) (by einsum: no product array); then
    dx = scale * (xc * k + gy - mean(gy)), k = -inv_std^2 * mean(gy * xc). Each pass runs
    on pieces of the batch on every core (``parallel``); the ufuncs of one line run on
    one piece after the other, while it is still in the core's cache.
    """

    def __init__(self, running_mean, running_var, training, momentum, eps):
        self.running_mean, self.running_var = running_mean, running_var
        self.training, self.momentum, self.eps = training, momentum, eps

    def forward(self, x, weight, bias):
        xp = get_array_module(x)
        self.axes = (0,) + tuple(range(2, x.ndim))
        shape = _channel_shape(x)
        n = x.size // x.shape[1]
        self.xc = xp.empty_like(x)

        def centre(x, xc):  # xc = x - mean, and its share of sum(xc^2)
            xp.subtract(x, mean.reshape(shape), out=xc)
            return _channel_dot(xp, xc, xc)
        if self.training:
            mean = parallel.sum_chunks(lambda x: x.sum(axis=self.axes), x) / n
            var = parallel.sum_chunks(centre, x, self.xc) / n  # the biased batch variance
            self._update_running(mean, var * (n / max(n - 1, 1)))  # running var is unbiased
        else:  # running stats may be kept in another float dtype: compute in x's
            mean, var = self.running_mean.astype(x.dtype, copy=False), self.running_var
            parallel.map_chunks(centre, x, self.xc)
        self.inv_std = (1 / xp.sqrt(var + self.eps)).astype(x.dtype).reshape(shape)  # (1, C, ...)
        self.weight = weight.reshape(shape)
        scale, shift = self.inv_std * self.weight, bias.reshape(shape)
        return parallel.elementwise(  # y = x_hat * weight + bias
            lambda xc, out: xp.add(xp.multiply(xc, scale, out=out), shift, out=out), self.xc)

    def _update_running(self, mean, unbiased_var):
        m = self.momentum
        self.running_mean *= 1 - m
        self.running_mean += m * mean
        self.running_var *= 1 - m
        self.running_var += m * unbiased_var

    def backward(self, gy):
        xp = get_array_module(gy)
        n = gy.size // gy.shape[1]
        sums = parallel.sum_chunks(  # (2, C): sum(gy), sum(gy * xc), in one pass
            lambda gy, xc: xp.stack([gy.sum(axis=self.axes), _channel_dot(xp, gy, xc)]), gy, self.xc)
        g_bias = sums[0]
        gy_xc = sums[1].reshape(self.inv_std.shape)  # sum(gy * x_hat) / inv_std
        g_weight = (gy_xc * self.inv_std).reshape(-1)
        scale = self.inv_std * self.weight  # d(y)/d(x_hat) * d(x_hat)/d(x) at fixed statistics
        if not self.training:
            return gy * scale, g_weight, g_bias
        # minus what flows back through the batch mean and variance:
        # dx = scale * (gy - mean(gy) - x_hat * mean(gy * x_hat)), written with xc
        k, mean_gy = -self.inv_std * self.inv_std * gy_xc / n, g_bias.reshape(scale.shape) / n

        def gx(xc, gy, out):
            xp.multiply(xc, k, out=out)
            out += gy
            out -= mean_gy
            out *= scale
        return parallel.elementwise(gx, self.xc, gy), g_weight, g_bias


def _channel_dot(xp, a, b):
    """sum(a * b) over every axis but the channels (axis 1), without making the product array."""
    letters = "nchw" if a.ndim == 4 else "nc"  # batch_norm takes (N, C) or (N, C, H, W)
    return xp.einsum(f"{letters},{letters}->c", a, b)


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    """Normalize each channel of x (N, C) or (N, C, H, W), as torch.nn.functional.batch_norm.

    running_mean and running_var are backend arrays of shape (C,); in training they are
    updated in place: running = (1 - momentum) * running + momentum * batch statistic,
    with the unbiased batch variance (PyTorch's convention).
    """
    if x.ndim not in (2, 4):
        raise ValueError(f"batch_norm: expected input (N, C) or (N, C, H, W), got shape {x.shape}")
    c = x.shape[1]
    if running_mean is None or running_var is None:
        raise ValueError(f"batch_norm: running_mean and running_var are required (arrays of shape "
                         f"({c},)); start them as zeros and ones")
    # a Tensor's data, not the Tensor: `tensor *= m` would rebind, not update the caller's buffer
    running_mean, running_var = (a.data if isinstance(a, Tensor) else a
                                 for a in (running_mean, running_var))
    for name, a in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if a is not None and tuple(a.shape) != (c,):
            raise ValueError(f"batch_norm: {name} has shape {tuple(a.shape)}, expected ({c},) "
                             f"for input shape {x.shape}")
    if training and x.size // c < 2:
        raise ValueError(f"batch_norm: training needs more than one value per channel to take "
                         f"batch statistics, got input shape {x.shape}")
    xp = get_array_module(x.data)
    if weight is None:
        weight = Tensor._wrap(xp.ones(c, dtype=x.dtype))
    if bias is None:
        bias = Tensor._wrap(xp.zeros(c, dtype=x.dtype))
    return BatchNorm(running_mean, running_var, training, momentum, eps)(x, weight, bias)
