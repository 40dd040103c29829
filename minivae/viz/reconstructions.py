"""Originals on top, their reconstructions below (figures 3-6 and 3-16)."""
import numpy

from .canvas import image_rows
from .inference import reconstruct


MAX_PANELS = 100


def reconstructions(model, images, path, n=None):
    """Pass ``images`` (N, C, H, W), or their first ``n``, through encoder and decoder; save the pair.

    What the two-number bottleneck keeps (shape, brightness) and loses (logos,
    texture) shows at a glance. A VAE decodes a sample z of each image's
    Gaussian, as ``model(x)`` does. Returns the Figure (2 rows of N panels).
    """
    images = numpy.asarray(images if n is None else images[:n])
    if len(images) == 0:
        raise ValueError("reconstructions: got no images; pass at least one (N, C, H, W) image")
    if len(images) > MAX_PANELS:
        raise ValueError(f"reconstructions: {len(images)} images would make {len(images)} columns; "
                         f"pass a few, e.g. images[:10], or n=10")
    return image_rows([images, reconstruct(model, images)], path,
                      row_labels=["original", "reconstruction"])
