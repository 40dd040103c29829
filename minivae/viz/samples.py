"""New images from the prior: decode z ~ N(0, I) (figures 3-8, 3-13 and 3-18)."""
import numpy

from .. import backend
from .canvas import image_grid
from .inference import decode


def sample_prior(model, n):
    """``n`` points z ~ N(0, I) of the model's latent size, drawn in float32 (N, latent_dim).

    Drawn with minivae's own generator, so ``minivae.manual_seed`` makes them repeatable.
    """
    return backend.randn((n, model.latent_dim), numpy.float32, numpy)


def random_samples(model, n, path, columns=10):
    """Decode ``n`` points of the standard normal prior and save them as a grid.

    For a VAE the KL term pulled the encodings towards N(0, I), so most of these
    decode to plausible images; for a plain autoencoder many fall where no
    image was ever encoded (the book's argument for the VAE). Returns the Figure.
    """
    if n < 1:
        raise ValueError(f"random_samples: n must be at least 1, got {n}")
    return image_grid(decode(model, sample_prior(model, n)), path, columns=min(columns, n))
