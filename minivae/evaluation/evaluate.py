"""evaluate(model, images, samples): the ELBO, IWAE_K for K = 1, 10, ..., and the latent units.

    result = evaluate(model, test_images, samples=1000)
    result.log_likelihood["1000"]   # {"mean": ..., "se": ..., "bits_per_dim": ...}
    result.to_json()                # what `minivae evaluate` writes to evaluation.json
"""
import math
import time
from dataclasses import asdict, dataclass, field

import numpy

from .. import backend
from ..memory import keep_freed_memory
from .errors import EvaluationError
from .iwae import draw_log_weights, iwae, sample_ladder
from .latent_model import LatentModel, latent_model
from .units import ACTIVE_THRESHOLD, active_units, kl_per_dimension


@dataclass
class Evaluation:
    """Means over images in nats per image; se is the standard error of the mean over images."""
    likelihood: str  # which p(x | z) every log p here uses
    samples: int  # K, the importance samples per image
    images: int
    dimensions: int  # D, the numbers in one image: bits/dim = -log p / (D ln 2)
    elbo: float  # E_q[log p(x|z)] - KL, the KL in closed form (the book's loss without beta)
    elbo_se: float
    elbo_mc: float  # the single-sample Monte-Carlo ELBO of the TF tutorial (one z per image)
    elbo_mc_se: float
    kl: float  # KL(q(z|x) || p(z)), closed form
    kl_mc: float  # its Monte-Carlo estimate, mean over the K draws of log q - log p(z)
    log_likelihood: dict  # str(K) -> {"mean", "se", "bits_per_dim"}: IWAE_K, a bound on log p(x)
    kl_per_dim: list
    active_units: int
    active_threshold: float
    posterior_mean_variance: list  # Var over images of E_q[z_d], the active-unit criterion
    seconds: float = 0.0
    extra: dict = field(default_factory=dict)  # model name, backend, ...

    def bits_per_dim(self, nats):
        """-log p / (D ln 2): nats per image as bits per pixel."""
        return -nats / (self.dimensions * math.log(2))

    def to_json(self):
        out = asdict(self)
        out.update(out.pop("extra"))
        return out


def evaluate(model, images, samples=1000, batch_size=500, threshold=ACTIVE_THRESHOLD, progress=None):
    """Evaluate a trained VAE (or any latent model, see :func:`latent_model`) on ``images``.

    samples: K, the draws from q(z|x) per image; IWAE_k is reported for k = 1, 10,
    100, ... and K, each from the same K draws split into K // k groups.
    batch_size: images encoded, and latent points decoded, per pass.
    progress(count): called as latent points are decoded (n * K in all).
    """
    if int(samples) != samples or samples < 1:
        raise EvaluationError(f"evaluate: samples must be a whole number K >= 1 (the draws from "
                              f"q(z|x) per image), got {samples}")
    if batch_size < 1:
        raise EvaluationError(f"evaluate: batch_size must be at least 1, got {batch_size}")
    keep_freed_memory()  # as fit() does: every pass allocates the same large arrays again
    started = time.perf_counter()
    # a LatentModel as it is; a minivae model through latent_model, which asks it model.is_vae
    lm = model if isinstance(model, LatentModel) else latent_model(model, images)
    result = _evaluate(lm, images, int(samples), batch_size, threshold, progress)
    result.extra["model"] = getattr(model, "name", type(model).__name__)
    result.seconds = time.perf_counter() - started
    return result


def _evaluate(lm, images, samples, batch_size, threshold, progress):
    ladder = sample_ladder(samples)
    per_image = {name: [] for name in ["elbo", "elbo_mc", "kl", "kl_mc"] + [str(k) for k in ladder]}
    kl_dims, means = [], []
    for start in range(0, len(images), batch_size):
        x = backend.to_device(images[start:start + batch_size], lm.device)
        z_mean, z_log_var = lm.encode(x)
        log_px_z, log_pz, log_qz = draw_log_weights(lm, x, z_mean, z_log_var, samples,
                                                    max_rows=batch_size, progress=progress)
        log_w = log_px_z + log_pz - log_qz  # (n, K)
        kl_d = kl_per_dimension(z_mean, z_log_var)  # (n, latent_dim)
        kl = kl_d.sum(axis=1)  # (n,)
        found = {"elbo": log_px_z.mean(axis=1) - kl, "elbo_mc": log_w[:, 0], "kl": kl,
                 "kl_mc": (log_qz - log_pz).mean(axis=1)}
        found.update({str(k): iwae(log_w, k) for k in ladder})
        for name, values in found.items():
            per_image[name].append(backend.to_numpy(values))
        kl_dims.append(backend.to_numpy(kl_d))
        means.append(backend.to_numpy(z_mean))
    per_image = {name: numpy.concatenate(v) for name, v in per_image.items()}
    active, variance = active_units(numpy.concatenate(means), threshold)
    dims = int(numpy.prod(lm.input_shape))
    mean = {name: float(v.mean()) for name, v in per_image.items()}
    se = {name: standard_error(v) for name, v in per_image.items()}
    result = Evaluation(
        likelihood=lm.likelihood.sentence, samples=samples, images=len(images), dimensions=dims,
        elbo=mean["elbo"], elbo_se=se["elbo"], elbo_mc=mean["elbo_mc"], elbo_mc_se=se["elbo_mc"],
        kl=mean["kl"], kl_mc=mean["kl_mc"], log_likelihood={}, active_units=active,
        kl_per_dim=[float(v) for v in numpy.concatenate(kl_dims).mean(axis=0)],
        active_threshold=float(threshold), posterior_mean_variance=[float(v) for v in variance])
    for k in ladder:
        result.log_likelihood[str(k)] = {"mean": mean[str(k)], "se": se[str(k)],
                                         "bits_per_dim": result.bits_per_dim(mean[str(k)])}
    result.per_image = per_image  # the values behind each mean, for plots and tests (not saved)
    return result


def standard_error(values):
    """std(values) / sqrt(n), with n - 1 in the variance; nan for a single value."""
    values = numpy.asarray(values, dtype=numpy.float64)
    if len(values) < 2:
        return float("nan")
    return float(values.std(ddof=1) / math.sqrt(len(values)))
