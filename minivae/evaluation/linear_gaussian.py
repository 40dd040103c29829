"""A linear Gaussian latent model: the one VAE whose log p(x) is known exactly.

    p(z) = N(0, I),   p(x | z) = N(W z + b, s^2 I)   =>   p(x) = N(b, W W^T + s^2 I).

When the columns of W are orthogonal, W^T W = diag(d^2) and the exact posterior is
a diagonal Gaussian, so a VAE encoder can represent it:

    q(z | x) = N(m, v),   m = (W^T (x - b)) / (d^2 + s^2),   v = s^2 / (d^2 + s^2).

With that encoder every importance weight p(x, z) / q(z | x) equals p(x), and IWAE_K =
log p(x) for every K; a perturbed encoder gives a bound that climbs to it as K grows.
"""
import math

import numpy

from .. import backend
from .latent_model import LatentModel
from .densities import Gaussian


class LinearGaussian(LatentModel):
    """The model above on one backend (``xp``), float64, with the latent-model interface.

    mean_shift, log_var_shift: added to the exact posterior's mean and log variance
    (0, 0 is the exact encoder).
    """

    name = "linear-gaussian"

    def __init__(self, W, b, noise_std, mean_shift=0.0, log_var_shift=0.0):
        xp = backend.get_array_module(W)
        self.W = xp.asarray(W, dtype=xp.float64)  # (D, L)
        self.b = xp.asarray(b, dtype=xp.float64)  # (D,)
        self.noise_variance = float(noise_std) ** 2
        gram = self.W.T @ self.W  # (L, L)
        if not xp.allclose(gram, xp.diag(xp.diag(gram)), atol=1e-8):
            raise ValueError("LinearGaussian: the columns of W must be orthogonal, so that the "
                             "exact posterior is diagonal (use LinearGaussian.random)")
        self.d2 = xp.diag(gram)  # (L,)
        self.mean_shift, self.log_var_shift = mean_shift, log_var_shift
        self.latent_dim = self.W.shape[1]
        self.input_shape = (self.W.shape[0],)
        self.device = backend.device_of(self.W)
        self.likelihood = Gaussian(self.noise_variance, why=", the linear model's noise")

    @classmethod
    def random(cls, dims, latent_dim, noise_std=0.5, seed=0, xp=numpy, lengths=None, **shifts):
        """W with orthogonal columns of ``lengths`` (default from 2 down to 0.5), b ~ N(0, I).

        A column of length 0 is a latent dimension the model ignores: its exact
        posterior is the prior N(0, 1) for every x, a collapsed dimension.
        """
        rng = numpy.random.default_rng(seed)
        q, _ = numpy.linalg.qr(rng.standard_normal((dims, latent_dim)))  # (D, L), orthonormal columns
        if lengths is None:
            lengths = numpy.linspace(2.0, 0.5, latent_dim)
        W = q * numpy.asarray(lengths, dtype=numpy.float64)  # column j scaled by its length d_j
        return cls(xp.asarray(W), xp.asarray(rng.standard_normal(dims)), noise_std, **shifts)

    def sample(self, n, seed=0):
        """n draws x ~ p(x): z ~ N(0, I), x = W z + b + s * noise; (n, D)."""
        xp = backend.get_array_module(self.W)
        rng = numpy.random.default_rng(seed)
        z = xp.asarray(rng.standard_normal((n, self.latent_dim)))
        noise = xp.asarray(rng.standard_normal((n, len(self.b))))
        return z @ self.W.T + self.b + math.sqrt(self.noise_variance) * noise

    def encode(self, x):
        xp = backend.get_array_module(self.W)
        x = xp.asarray(x, dtype=xp.float64)
        precision = self.d2 + self.noise_variance  # (L,)
        z_mean = (x - self.b) @ self.W / precision  # (n, L)
        z_log_var = xp.log(self.noise_variance / precision) + xp.zeros_like(z_mean)  # (n, L)
        return z_mean + self.mean_shift, z_log_var + self.log_var_shift

    def log_px_given_z(self, x, z):
        mean = z @ self.W.T + self.b  # (n, k, D)
        return self.likelihood.log_prob(x, mean)

    def log_px(self, x):
        """The exact log p(x) = log N(x; b, W W^T + s^2 I), float64 (n,)."""
        xp = backend.get_array_module(self.W)
        x = xp.asarray(x, dtype=xp.float64)
        cov = self.W @ self.W.T + self.noise_variance * xp.eye(len(self.b))  # (D, D)
        _, logdet = xp.linalg.slogdet(cov)
        diff = x - self.b  # (n, D)
        mahalanobis = (diff * xp.linalg.solve(cov, diff.T).T).sum(axis=1)  # (n,)
        return -0.5 * (mahalanobis + logdet + len(self.b) * math.log(2 * math.pi))
