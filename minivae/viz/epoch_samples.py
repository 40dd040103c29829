"""Watching a model learn: the same latent points decoded after every epoch, as a GIF (TF tutorial).

Fixing ``z`` once before training and decoding it after each epoch shows the
decoder alone changing: blobs become digits or clothes.

    sampler = viz.EpochSamples(model, "runs/fashion-vae")
    fit(model, ..., on_epoch_end=sampler)     # runs/fashion-vae/epochs/epoch_001.png, ...
    sampler.animate()                         # runs/fashion-vae/training.gif
"""
import glob
import os

import numpy

from .canvas import image_grid
from .inference import decode

EPOCHS_FOLDER = "epochs"
GIF = "training.gif"


def epoch_samples(model, z_fixed, path, columns=4, title=None):
    """Decode ``z_fixed`` (N, latent_dim), fixed across epochs, and save the grid; return the Figure.

    title: a line above the grid, e.g. "epoch 3" (it also keeps the GIF's frames
    distinct: Pillow merges identical consecutive frames into one).
    """
    images = decode(model, numpy.asarray(z_fixed, dtype=numpy.float32))
    return image_grid(images, path, columns=min(columns, len(images)), suptitle=title)


def animate(png_paths, gif_path, duration_ms=500):
    """Join PNG frames (one per epoch, in order) into an animated GIF that loops; return its path.

    Frames of different sizes are resized to the first one's. Uses Pillow.
    """
    from PIL import Image
    if not png_paths:
        raise ValueError("animate: no frames; pass the list of per-epoch PNG paths")
    frames = []
    for p in png_paths:
        with Image.open(p) as im:
            frames.append(im.convert("RGB"))
    size = frames[0].size
    frames = [f if f.size == size else f.resize(size) for f in frames]
    frames[0].save(gif_path, format="GIF", save_all=True, append_images=frames[1:],
                   duration=duration_ms, loop=0)
    return gif_path


def epoch_frames(out_dir):
    """The per-epoch PNGs already in ``out_dir/epochs``, in epoch order."""
    return sorted(glob.glob(os.path.join(out_dir, EPOCHS_FOLDER, "epoch_*.png")))


class EpochSamples:
    """An ``on_epoch_end(epoch, record)`` callback for ``fit``: one frame per epoch, then a GIF.

    The 16 latent points are drawn once from N(0, I) with their own generator
    (seeded by ``seed``), so they are the same after a resume and the training's
    random stream is left untouched.
    """

    def __init__(self, model, out_dir, n=16, seed=0):
        self.model, self.out_dir = model, out_dir
        rng = numpy.random.default_rng(seed)
        self.z_fixed = rng.standard_normal((n, model.latent_dim), dtype=numpy.float32)  # (n, latent_dim)

    def __call__(self, epoch, record=None):
        path = os.path.join(self.out_dir, EPOCHS_FOLDER, f"epoch_{epoch:03d}.png")
        epoch_samples(self.model, self.z_fixed, path, title=f"epoch {epoch}")
        return path

    def animate(self):
        """Write ``out_dir/training.gif`` from every epoch's frame; return its path."""
        return animate(epoch_frames(self.out_dir), os.path.join(self.out_dir, GIF))
