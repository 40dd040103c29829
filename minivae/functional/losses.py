"""The losses of the source documents, composed from primitive ops (no backward of their own).

Each takes ``reduction``: "mean" (over every element), "sum", or "none" (per element).
"""
import math

import numpy

from .. import ops
from ..backend import get_array_module
from ..autograd.tensor import Tensor
from .activations import softplus

REDUCTIONS = ("mean", "sum", "none")
BCE_EPSILON = 1e-7  # Keras's backend epsilon


def _reduce(loss, reduction, op):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    if reduction == "none":
        return loss
    raise ValueError(f"{op}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def _same_shape(op, a, b):
    if a.shape != tuple(b.shape):
        raise ValueError(f"{op}: input shape {a.shape} and target shape {tuple(b.shape)} differ; "
                         "reshape one so they match (silent broadcasting here is a classic bug)")


def _check_probabilities(p):
    lo, hi = float(p.min()), float(p.max())
    if lo < 0 or hi > 1:
        raise ValueError(f"binary_cross_entropy: probabilities must lie in [0, 1], got values in "
                         f"[{lo:.4g}, {hi:.4g}]; pass logits to binary_cross_entropy_with_logits")


def binary_cross_entropy(p, target, reduction="mean"):
    """-(t log p + (1 - t) log(1 - p)) for probabilities p in [0, 1].

    p is clipped to [1e-7, 1 - 1e-7] first, as Keras does, so that a sigmoid that
    saturates to exactly 0 or 1 in float32 gives a large finite loss instead of inf;
    the gradient is zero where clipping acted. Values outside [0, 1] are an error, checked
    on the CPU only: on a GPU the check would copy to the host and wait, every step.
    """
    _same_shape("binary_cross_entropy", p, target)
    if get_array_module(p.data) is numpy:
        _check_probabilities(p.data)
    p = ops.clip(p, BCE_EPSILON, 1 - BCE_EPSILON)
    loss = -(target * ops.log(p) + (1 - target) * ops.log(1 - p))
    return _reduce(loss, reduction, "binary_cross_entropy")


def binary_cross_entropy_with_logits(logits, target, reduction="mean"):
    """BCE of sigmoid(logits), computed stably: softplus(x) - x * t (never log(0))."""
    _same_shape("binary_cross_entropy_with_logits", logits, target)
    loss = softplus(logits) - logits * target
    return _reduce(loss, reduction, "binary_cross_entropy_with_logits")


def mse_loss(x, target, reduction="mean"):
    """(x - t)^2."""
    _same_shape("mse_loss", x, target)
    diff = x - target
    return _reduce(diff * diff, reduction, "mse_loss")


def kl_normal(z_mean, z_log_var):
    """KL(N(mean, exp(log_var)) || N(0, I)) per sample, summed over latent dimensions.

    In closed form:

        KL = -0.5 * sum(1 + log_var - mean^2 - exp(log_var))        shape (N,)
    """
    _same_shape("kl_normal", z_mean, z_log_var)
    return -0.5 * ops.sum(1 + z_log_var - z_mean * z_mean - ops.exp(z_log_var), axis=1)


def log_normal_pdf(sample, mean, log_var, axis=1):
    """log N(sample; mean, exp(log_var)) summed over ``axis``, as in the TensorFlow CVAE tutorial.

    Per element:

        -0.5 * ((sample - mean)^2 * exp(-log_var) + log_var + log(2 pi))
    """
    diff = sample - mean
    # log_var may be a number: the tutorial's prior term is log_normal_pdf(z, 0., 0.)
    inv_var = ops.exp(-log_var) if isinstance(log_var, Tensor) else math.exp(-log_var)
    return ops.sum(-0.5 * (diff * diff * inv_var + log_var + math.log(2 * math.pi)), axis=axis)
