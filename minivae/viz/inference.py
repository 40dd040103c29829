"""Running a trained model for the figures: encode, decode, reconstruct, in batches.

Every figure needs plain NumPy arrays, whatever device the model lives on. These
helpers wrap the inputs as Tensors on the model's device and run the model
inside ``model.inference()`` (no graph, nothing saved for backward; batch norm
uses its moving statistics) and in batches of 500, so that 10,000 test images
never sit in memory as one activation tensor. The results come back as NumPy
arrays. What kind of model it is (``model.is_vae``) and the size of its latent
space (``model.latent_dim``) the model says itself.
"""
import numpy

from .. import backend
from ..autograd import Tensor

BATCH_SIZE = 500


def encode(model, images, which="z_mean", batch_size=BATCH_SIZE):
    """The embeddings of ``images`` (N, C, H, W) as a NumPy array (N, latent_dim).

    which: for a VAE, "z_mean" (the centre of each image's Gaussian, what the
    book plots) or "z" (a sample from it, drawn with the reparameterization
    trick); an autoencoder has only its one point and ignores ``which``.
    """
    if which not in ("z_mean", "z"):
        raise ValueError(f"encode: which must be 'z_mean' or 'z', got {which!r}")
    _check_images("encode", images)
    out = []
    with model.inference():
        for start in range(0, len(images), batch_size):
            code = model.encoder(_tensor(model, images[start:start + batch_size]))
            if model.is_vae:  # (z_mean, z_log_var, z)
                code = code[0] if which == "z_mean" else code[2]
            out.append(code.numpy())
    return numpy.concatenate(out).astype(numpy.float32)  # (N, latent_dim)


def decode(model, z, batch_size=BATCH_SIZE):
    """The decoder's images for latent points ``z`` (N, latent_dim), as NumPy (N, C, H, W)."""
    z = z.numpy() if isinstance(z, Tensor) else backend.to_numpy(numpy.asarray(z) if isinstance(z, list) else z)
    z = numpy.asarray(z, dtype=numpy.float32)
    if z.ndim != 2:
        raise ValueError(f"decode: expected latent points of shape (N, latent_dim), got {z.shape}; "
                         "for one point use z[None].")
    out = []
    with model.inference():
        for start in range(0, len(z), batch_size):
            out.append(model.decoder(_tensor(model, z[start:start + batch_size])).numpy())
    return numpy.concatenate(out)


def reconstruct(model, images, batch_size=BATCH_SIZE):
    """model(x) for each image, as NumPy (N, C, H, W); a VAE decodes a sample z."""
    _check_images("reconstruct", images)
    out = []
    with model.inference():
        for start in range(0, len(images), batch_size):
            out.append(model(_tensor(model, images[start:start + batch_size])).numpy())
    return numpy.concatenate(out)


def _tensor(model, array):
    """``array`` as a Tensor on the model's device, in the model's dtype (float32 by default)."""
    device = getattr(model, "device", None) or "cpu"
    dtype = getattr(model, "dtype", None) or numpy.float32
    array = backend.to_device(array, device) if hasattr(array, "shape") else array
    xp = backend.get_array_module(array)
    return Tensor(xp.asarray(array, dtype=dtype))


def _check_images(where, images):
    if getattr(images, "ndim", None) != 4:
        raise ValueError(f"{where}: expected images of shape (N, C, H, W), got shape "
                         f"{getattr(images, 'shape', type(images).__name__)}; add the batch axis "
                         "with images[None] for one image, or the channel axis with images[:, None].")
