"""What the evaluation needs of a model: q(z | x) and log p(x | z), as plain arrays.

A *latent model* here is a :class:`LatentModel`: it has

    latent_dim, input_shape, device, likelihood (with .sentence)
    encode(x)            -> z_mean, z_log_var      arrays (n, latent_dim): q(z|x) = N(z_mean, exp(z_log_var))
    log_px_given_z(x, z) -> float64 array (n, k)   for z of shape (n, k, latent_dim)

:class:`VAELatentModel` gives a minivae VAE (the book's, faces, MLP, CIFAR) or the TF
tutorial's CVAE this face, from what the model declares (``model.is_vae``, its p(x|z)
``model.likelihood``); :class:`~minivae.evaluation.linear_gaussian.LinearGaussian` is one
whose log p(x) is known in closed form, for checking the estimates.
"""
from .. import backend
from ..autograd import Tensor
from .errors import EvaluationError
from .densities import BernoulliLogits, BernoulliProbabilities, Gaussian, is_binary

DECODE_ROWS = 32  # latent points per decoder pass on the CPU (see log_px_given_z); a GPU takes all


class LatentModel:
    """q(z|x) and p(x|z) as plain arrays: what the evaluation runs on (see the module docstring).

    A subclass says so by being one; evaluate() takes it as it is, and makes one of any
    other model with :func:`latent_model`, which asks that model whether it is a VAE.
    """

    def encode(self, x):
        """z_mean, z_log_var: arrays (n, latent_dim), q(z|x) = N(z_mean, exp(z_log_var))."""
        raise NotImplementedError

    def log_px_given_z(self, x, z):
        """log p(x|z), a float64 array (n, k) for z of shape (n, k, latent_dim)."""
        raise NotImplementedError


class VAELatentModel(LatentModel):
    """A trained minivae VAE or CVAE seen as q(z|x) and p(x|z); runs in inference mode, no graph."""

    def __init__(self, model, likelihood):
        self.model = model
        self.likelihood = likelihood
        self.latent_dim = model.latent_dim
        self.input_shape = tuple(model.input_shape)
        self.device = model.device
        self._decode = model.decoder.logits if model.likelihood.logits else model.decoder
        self.decode_rows = DECODE_ROWS if self.device == "cpu" else None  # None: all at once

    def encode(self, x):
        with self.model.inference():
            z_mean, z_log_var, _ = self.model.encoder(self.model.as_batch(x))
        return z_mean.data, z_log_var.data

    def log_px_given_z(self, x, z):
        """log p(x | z) (n, k) for z (n, k, latent_dim), decoded a few images' points at a time.

        Small passes keep the decoder's activations (a few MB) in the CPU's cache and
        the memory bounded for any n * k. What matters more is that the memory freed
        after each pass is reused rather than handed back to the OS, which evaluate()
        asks glibc for (minivae.memory): 0.59 against 1.04 ms per point for 500-point
        passes of the book's VAE (benchmarks/bench_evaluate.py, benchmarks/RESULTS.md).
        """
        n, k, latent = z.shape
        xp = backend.get_array_module(z)
        per_chunk = n if self.decode_rows is None else max(1, self.decode_rows // k)  # images per pass
        parts = []
        with self.model.inference():
            for start in range(0, n, per_chunk):
                zs = z[start:start + per_chunk]  # (m, k, latent_dim)
                m = zs.shape[0]
                flat = xp.asarray(zs.reshape(m * k, latent), dtype=self.model.dtype)  # (m*k, latent_dim)
                out = self._decode(Tensor(flat)).data  # (m*k, C, H, W)
                out = out.reshape((m, k) + tuple(out.shape[1:]))  # (m, k, C, H, W)
                parts.append(self.likelihood.log_prob(x[start:start + m], out))
        return parts[0] if len(parts) == 1 else xp.concatenate(parts, axis=0)


def latent_model(model, images):
    """The latent model of a trained minivae ``model`` for data ``images`` (n, C, H, W).

    Asks the model for its p(x | z) (``model.likelihood``, see ``minivae/evaluation/densities.py``) and checks
    that the images fit: their shape, and their range for a Bernoulli. Raises
    :class:`EvaluationError` for a model with no q(z | x) or data that does not fit.
    """
    name = model.name
    if not model.is_vae:
        raise EvaluationError(f"the {name} has no q(z|x) (its encoder gives one point, not a "
                              "distribution), so it has no ELBO or importance-weighted bound; "
                              "evaluate a VAE")
    shape = tuple(model.input_shape)
    if getattr(images, "ndim", None) != 4 or tuple(images.shape[1:]) != shape:
        raise EvaluationError(f"the {name} takes images of shape (N, {', '.join(map(str, shape))}), "
                              f"the data has shape {tuple(getattr(images, 'shape', ()))}: the data "
                              "does not fit the model")
    if len(images) == 0:
        raise EvaluationError("there are no images to evaluate on")
    declared = model.likelihood
    if declared.family == "gaussian":
        likelihood = Gaussian(declared.variance, why=declared.why)
    elif declared.logits:
        likelihood = BernoulliLogits(is_binary(images))
    else:
        likelihood = BernoulliProbabilities(is_binary(images))
    try:
        likelihood.check(images)
    except ValueError as exc:
        raise EvaluationError(f"{name}: {exc}") from None
    return VAELatentModel(model, likelihood)
