"""Which latent dimensions does the model use? KL per dimension and active units.

The KL term of the ELBO is a sum over dimensions; per image and dimension d,

    KL_d = -0.5 * (1 + log_var_d - mean_d^2 - exp(log_var_d)).

A dimension the decoder ignores collapses to the prior: its q(z_d | x) = N(0, 1)
whatever x is, so KL_d = 0. Burda et al. call dimension d *active* when its
posterior mean moves with the data: Cov_x(E_q[z_d]) = Var over images of mean_d > 0.01.
"""
from .. import backend

ACTIVE_THRESHOLD = 0.01  # Burda, Grosse and Salakhutdinov (2016), section 5.2


def kl_per_dimension(z_mean, z_log_var):
    """KL(q(z_d | x) || N(0, 1)) for each image and dimension, float64 (n, latent_dim)."""
    xp = backend.get_array_module(z_mean)
    mean, log_var = z_mean.astype(xp.float64), z_log_var.astype(xp.float64)
    return -0.5 * (1 + log_var - mean * mean - xp.exp(log_var))


def active_units(z_means, threshold=ACTIVE_THRESHOLD):
    """(number of active dimensions, each dimension's Var over images of E_q[z_d]).

    z_means: the posterior means of many images (n, latent_dim), NumPy or CuPy.
    """
    xp = backend.get_array_module(z_means)
    variance = z_means.astype(xp.float64).var(axis=0)  # (latent_dim,)
    return int((variance > threshold).sum()), variance
