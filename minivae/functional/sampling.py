"""The reparameterization trick: a random sample that gradients can flow through."""
from .. import backend, ops
from ..autograd.tensor import Tensor


def reparameterize(z_mean, z_log_var):
    """z = mean + exp(0.5 * log_var) * epsilon,  epsilon ~ N(0, I).

    The randomness sits in epsilon, a constant of the graph, so z is a plain
    differentiable function of mean and log_var. The standard deviation is
    exp(0.5 * log_var): the square root of the variance exp(log_var).
    epsilon is drawn in the tensors' own dtype and on their device.
    """
    if z_mean.shape != z_log_var.shape:
        raise ValueError(f"reparameterize: z_mean shape {z_mean.shape} and z_log_var shape "
                         f"{z_log_var.shape} differ")
    xp = backend.get_array_module(z_mean.data)
    epsilon = Tensor._wrap(backend.randn(z_mean.shape, z_mean.dtype, xp))
    return z_mean + ops.exp(0.5 * z_log_var) * epsilon
