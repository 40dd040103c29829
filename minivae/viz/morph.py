"""Morphing: decode the points on the straight line between two encodings (figure 3-20).

    z_new = z_A * (1 - alpha) + z_B * alpha,    alpha from 0 to 1

A smooth sequence of plausible images shows the latent space is continuous.
"""
import numpy

from .canvas import image_rows
from .inference import decode, encode


def morph(model, image_a, image_b, path, steps=10):
    """Decode ``steps`` points from image_a's encoding to image_b's (both (C, H, W)); return the Figure.

    The row is framed by the two originals: A, the decoded line, B.
    """
    pair = numpy.stack([numpy.asarray(image_a), numpy.asarray(image_b)])  # (2, C, H, W)
    if pair.ndim != 4:
        raise ValueError(f"morph: expected two single images (C, H, W), got shapes "
                         f"{numpy.shape(image_a)} and {numpy.shape(image_b)}")
    if steps < 2:
        raise ValueError(f"morph: steps must be at least 2 (the two ends), got {steps}")
    z_a, z_b = encode(model, pair)  # (latent_dim,) each
    alphas = numpy.linspace(0, 1, steps, dtype=numpy.float32)[:, None]  # (steps, 1)
    decoded = decode(model, z_a * (1 - alphas) + z_b * alphas)  # (steps, C, H, W)
    row = numpy.concatenate([pair[:1].astype(decoded.dtype), decoded, pair[1:].astype(decoded.dtype)])
    labels = ["A"] + [f"{a:.2f}" for a in alphas[:, 0]] + ["B"]
    return image_rows([row], path, col_labels=labels)
