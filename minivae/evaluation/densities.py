"""log p(x | z) for the evaluation: one class per family of p(x|z) a model declares, each with its sentence.

beta weighs the *training loss*; it is not part of log p(x). Each class here
turns what the decoder outputs into log p(x | z), summed over the D numbers of
an image, in float64:

- Bernoulli (cvae on binarized pixels): log p = sum x l - softplus(l), from the logits l;
- Bernoulli cross-entropy on grey levels (the book's VAE, the MLP VAE): the same
  sum from probabilities, which for pixels strictly between 0 and 1 is *not* a
  normalized density (the values do not sum to 1 over [0, 1]^D);
- Gaussian N(x; decoder(z), sigma^2 I) for the MSE models (faces, cifar), with
  the variance that the beta-weighted MSE implies (minivae.models.likelihood.implied_variance).

Which one a model gets is what the model declares (``model.likelihood``, a
:class:`minivae.models.Likelihood`); :func:`~.latent_model.latent_model` reads it.
"""
import math

from .. import backend

BCE_EPSILON = 1e-7  # the training loss clips probabilities here (Keras' epsilon); so do we


class Density:
    """A per-pixel distribution p(x | z) with its parameters from the decoder's output."""

    binary_only = False  # True when the data must be 0 or 1

    def log_prob(self, x, out):
        """log p(x | z) summed over each image's pixels, float64, one value per row of ``out``.

        x: images (n, C, H, W); out: the decoder's outputs for k points per image,
        (n, k, C, H, W). Returns (n, k).
        """
        xp = backend.get_array_module(out)
        x = xp.asarray(x, dtype=xp.float64)[:, None]  # (n, 1, C, H, W): broadcast over the k points
        out = out.astype(xp.float64)
        per_pixel = self.per_pixel(x, out, xp).reshape(out.shape[0], out.shape[1], -1)  # (n, k, C*H*W)
        return per_pixel.sum(axis=2)

    def check(self, images):
        """Raise ValueError when ``images`` (NumPy or CuPy) lie outside this density's support."""


class BernoulliLogits(Density):
    """One Bernoulli per pixel with probability sigmoid(l): log p = x l - softplus(l)."""

    def __init__(self, binary):
        self.binary = binary

    def per_pixel(self, x, logits, xp):
        return x * logits - xp.logaddexp(0.0, logits)  # softplus(l) = log(1 + e^l), never overflows

    def check(self, images):
        _check_unit_interval(images, "a Bernoulli p(x | z)")

    @property
    def sentence(self):
        return _bernoulli_sentence(self.binary, "from the decoder's logits")


class BernoulliProbabilities(Density):
    """One Bernoulli per pixel from the decoder's sigmoid output p: x log p + (1 - x) log(1 - p).

    p is clipped to [1e-7, 1 - 1e-7] as the training loss clips it, so a saturated
    float32 sigmoid gives a large finite penalty, the same one training saw.
    """

    def __init__(self, binary):
        self.binary = binary

    def per_pixel(self, x, p, xp):
        p = xp.clip(p, BCE_EPSILON, 1 - BCE_EPSILON)
        return x * xp.log(p) + (1 - x) * xp.log1p(-p)

    def check(self, images):
        _check_unit_interval(images, "a Bernoulli p(x | z)")

    @property
    def sentence(self):
        return _bernoulli_sentence(self.binary, "from the decoder's sigmoid output, clipped to "
                                                "[1e-7, 1 - 1e-7] as in training")


class Gaussian(Density):
    """N(x; decoder(z), sigma^2 I): log p = -0.5 * ((x - m)^2 / sigma^2 + log(2 pi sigma^2)) per pixel."""

    def __init__(self, variance, why=""):
        self.variance = float(variance)
        self.why = why

    def per_pixel(self, x, mean, xp):
        diff = x - mean
        return -0.5 * (diff * diff / self.variance + math.log(2 * math.pi * self.variance))

    @property
    def sentence(self):
        return (f"Gaussian p(x|z) = N(x; decoder(z), sigma^2 I) with sigma^2 = {self.variance:.4g}"
                f"{self.why}; a density over continuous pixel values (not discretized).")


def _bernoulli_sentence(binary, how):
    if binary:
        return f"Bernoulli p(x|z) per pixel ({how}) on binary pixels: a normalized density."
    return (f"Bernoulli cross-entropy per pixel ({how}) on grey-level pixels: the book's "
            "reconstruction term, NOT a normalized density for pixels between 0 and 1, so "
            "log p(x) here is a score, not a likelihood.")


def is_binary(images):
    """True when every value is exactly 0 or 1."""
    xp = backend.get_array_module(images)
    return bool(xp.all((images == 0) | (images == 1)))


def _check_unit_interval(images, what):
    lo, hi = float(images.min()), float(images.max())
    if lo < 0 or hi > 1:
        raise ValueError(f"{what} needs pixels in [0, 1], these lie in [{lo:.3g}, {hi:.3g}]: the "
                         "data does not fit the model (was it trained on another data set?)")
