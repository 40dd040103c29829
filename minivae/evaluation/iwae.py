"""The importance-weighted bound (Burda, Grosse and Salakhutdinov, 2016), batched, in float64.

For an image x and K draws z_k ~ q(z | x), the log importance weights are

    log w_k = log p(x | z_k) + log p(z_k) - log q(z_k | x),

and IWAE_K = log (1/K) sum_k w_k  <=  log p(x), in expectation. K = 1 is the
single-sample ELBO; the bound tightens as K grows. The mean of the w_k is taken
as a log-sum-exp around the largest log w_k, so no exp ever overflows or
underflows to a wrong answer.
"""
import numpy

from .. import backend
from .. import functional as F
from ..autograd import Tensor, no_grad


def log_mean_exp(a, axis):
    """log mean exp(a) along ``axis``, computed as max + log mean exp(a - max) (stable)."""
    xp = backend.get_array_module(a)
    top = a.max(axis=axis, keepdims=True)
    top = xp.where(xp.isfinite(top), top, 0.0)  # a row of -inf stays -inf, not nan
    with numpy.errstate(divide="ignore"):  # log 0 = -inf for such a row is the right answer
        return (top + xp.log(xp.exp(a - top).mean(axis=axis, keepdims=True))).squeeze(axis)


def log_normal(z, z_mean, z_log_var):
    """log N(z; z_mean, exp(z_log_var)) summed over the last axis, of plain arrays: the training
    loss's own F.log_normal_pdf, with no graph. Numbers for z_mean and z_log_var give the
    prior, log N(z; 0, I) = log_normal(z, 0.0, 0.0), as the CVAE tutorial writes it."""
    mean, log_var = (v if isinstance(v, float) else Tensor(v) for v in (z_mean, z_log_var))
    with no_grad():
        return F.log_normal_pdf(Tensor(z), mean, log_var, axis=-1).data


def draw_log_weights(model, x, z_mean, z_log_var, samples, max_rows=500, progress=None):
    """(log p(x|z_k), log p(z_k), log q(z_k|x)), each float64 (n, samples), for z_k ~ q(z|x).

    model: a latent model (see :func:`latent_model`); x (n, ...) on its device;
    z_mean, z_log_var (n, latent_dim) from ``model.encode(x)``. The n * samples
    latent points are decoded at most ``max_rows`` at a time, a few samples of
    every image per pass. progress(count) is told each pass how many points it did.
    """
    xp = backend.get_array_module(z_mean)
    n, latent = z_mean.shape
    mean64 = z_mean.astype(xp.float64)[:, None]  # (n, 1, latent)
    log_var64 = z_log_var.astype(xp.float64)[:, None]  # (n, 1, latent)
    std = xp.exp(0.5 * z_log_var)[:, None]  # (n, 1, latent), the encoder's dtype
    step = max(1, max_rows // n)  # samples per pass
    parts = ([], [], [])
    for start in range(0, samples, step):
        k = min(step, samples - start)
        epsilon = backend.randn((n, k, latent), z_mean.dtype, xp)
        z = z_mean[:, None] + std * epsilon  # (n, k, latent): the reparameterization trick
        z64 = z.astype(xp.float64)  # the densities at the very z the decoder sees
        parts[0].append(model.log_px_given_z(x, z))
        parts[1].append(log_normal(z64, 0.0, 0.0))  # log p(z), the prior N(0, I)
        parts[2].append(log_normal(z64, mean64, log_var64))  # log q(z|x)
        if progress is not None:
            progress(n * k)
    return tuple(xp.concatenate(p, axis=1) for p in parts)


def iwae(log_w, k):
    """IWAE_k per image from log weights (n, K): the mean over the K // k disjoint groups of k.

    Each group gives one estimate log (1/k) sum w of the same bound, so averaging the
    groups lowers its noise for free; k = 1 gives the Monte-Carlo ELBO averaged over K draws.
    """
    n, total = log_w.shape
    if not 1 <= k <= total:
        raise ValueError(f"iwae: k must be between 1 and the {total} samples drawn, got {k}")
    groups = total // k
    grouped = log_w[:, :groups * k].reshape(n, groups, k)  # (n, groups, k)
    return log_mean_exp(grouped, axis=2).mean(axis=1)  # (n,)


# `minivae evaluate`'s K: 500,000 decoder passes for the book's VAE on its whole test set, within
# 10 minutes on 2 CPU cores (K = 100 took 11.3 on shared cores; benchmarks/RESULTS.md). The
# paper's K is 1000 (88 minutes there): `--samples 1000`, best on a GPU.
DEFAULT_SAMPLES = 50


def sample_ladder(samples):
    """The K of the report: 1, 10, 100, ... up to ``samples``, and ``samples`` itself."""
    ladder, k = [], 1
    while k <= samples:
        ladder.append(k)
        k *= 10
    if ladder[-1] != samples:
        ladder.append(samples)
    return ladder
