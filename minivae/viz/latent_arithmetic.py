"""Attribute vectors: walk from an image towards "more Smiling" or "more Sandal" (figure 3-19).

    feature_vector = mean z of the images with the attribute
                     - mean z of the images without it
    z_new = z + alpha * feature_vector

Decoding z_new changes mostly the one feature, since everything else averages
out between the two groups.
"""
import numpy

from .canvas import image_rows
from .inference import decode, encode

FACTORS = range(-4, 5)


def attribute_vector(model, images, has_attribute, which="z_mean"):
    """Mean embedding of the images with the attribute minus that of those without (latent_dim,)."""
    has_attribute = numpy.asarray(has_attribute, dtype=bool)
    if has_attribute.shape != (len(images),):
        raise ValueError(f"attribute_vector: has_attribute must hold one bool per image, shape "
                         f"({len(images)},), got {has_attribute.shape}")
    if has_attribute.all() or not has_attribute.any():
        raise ValueError(f"attribute_vector: all {len(images)} images are on one side of the attribute "
                         f"({int(has_attribute.sum())} have it); both groups need at least one image")
    z = encode(model, images, which)  # (N, latent_dim)
    return z[has_attribute].mean(axis=0) - z[~has_attribute].mean(axis=0)


def latent_arithmetic(model, images, has_attribute, path, base_images=None, factors=FACTORS,
                      attribute_name="attribute", n_base=5):
    """Rows of ``base_images`` with ``alpha * feature_vector`` added, one column per alpha.

    images, has_attribute: the set the vector is averaged over, e.g. the test
    set with ``labels == 5`` (Sandal) or a CelebA attribute column ``== 1``.
    base_images: the images to change (default: the first ``n_base`` without the
    attribute). Each row starts with the original; column alpha = 0 is its plain
    reconstruction. Returns the Figure (len(base_images) rows of 1 + len(factors) panels).
    """
    has_attribute = numpy.asarray(has_attribute, dtype=bool)
    vector = attribute_vector(model, images, has_attribute)  # (latent_dim,)
    if base_images is None:
        base_images = images[~has_attribute][:n_base]
    factors = list(factors)
    z = encode(model, base_images)  # (B, latent_dim)
    moved = z[:, None, :] + numpy.asarray(factors, dtype=numpy.float32)[None, :, None] * vector  # (B, F, latent_dim)
    decoded = decode(model, moved.reshape(-1, z.shape[1]))  # (B * F, C, H, W)
    decoded = decoded.reshape((len(z), len(factors)) + decoded.shape[1:])  # (B, F, C, H, W)
    originals = numpy.asarray(base_images, dtype=decoded.dtype)[:, None]  # (B, 1, C, H, W)
    rows = list(numpy.concatenate([originals, decoded], axis=1))  # B rows of 1 + F images
    return image_rows(rows, path, col_labels=["original"] + [f"{a:+g}" for a in factors],
                      title=f"z + alpha * ({attribute_name} vector), alpha above each column")
