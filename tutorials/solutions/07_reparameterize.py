"""Exercise 7: the backward of the reparameterized sample, the VAE's Sampling layer.

    z = z_mean + exp(0.5 * z_log_var) * epsilon,        epsilon ~ N(0, I)

A random draw has no gradient, but this z does: the randomness sits in
epsilon, a constant, and z is a plain function of z_mean and z_log_var. The
standard deviation is exp(0.5 * z_log_var), the square root of the variance
exp(z_log_var). (minivae builds this from exp, mul and add in
minivae/functional/sampling.py, so it needs no backward of its own; writing
one by hand is the exercise.) The forward is written for you; write
``Reparameterize.backward``, then check it:

    minivae exercise check tutorials/exercises/07_reparameterize.py
"""
from minivae import Function, backend
from minivae.backend import get_array_module


class Reparameterize(Function):
    """z_mean, z_log_var, epsilon, all (N, latent_dim) -> z (N, latent_dim)."""

    def forward(self, z_mean, z_log_var, epsilon):
        xp = get_array_module(z_mean)
        self.std = xp.exp(0.5 * z_log_var)
        self.epsilon = epsilon
        return z_mean + self.std * epsilon

    def backward(self, gy):
        """gy is d(loss)/dz; return the gradients of z_mean, z_log_var and epsilon.

        Hints:
        - dz/dz_mean = 1;
        - dz/dz_log_var: differentiate exp(0.5 * z_log_var) * epsilon; forward
          saved exp(0.5 * z_log_var) as self.std and epsilon as self.epsilon;
        - epsilon is noise, not something to learn: return None for it.
        """
        # solution; the exercise says: write the backward of the reparameterized sample: see the hints in its docstring
        return gy, gy * 0.5 * self.std * self.epsilon, None
        # end of solution


def reparameterize(z_mean, z_log_var, epsilon=None):
    """A sample of N(z_mean, exp(z_log_var)); epsilon is drawn here unless given (the checker fixes it)."""
    if epsilon is None:
        epsilon = backend.randn(z_mean.shape, z_mean.dtype, get_array_module(z_mean.data))
    return Reparameterize()(z_mean, z_log_var, epsilon)


# How `minivae exercise check` tries this file (see minivae/exercises/check.py).
CHECK = {
    "function": reparameterize,
    "reference": "minivae.exercises.references.reparameterize",
    "inputs": {"z_mean": {}, "z_log_var": {}, "epsilon": {"grad": False}},
    "cases": [
        {"z_mean": (4, 2), "z_log_var": (4, 2), "epsilon": (4, 2)},
        {"z_mean": (3, 5), "z_log_var": (3, 5), "epsilon": (3, 5)},
    ],
}
