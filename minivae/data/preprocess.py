"""Turn uint8 pixels into network inputs, as each source does it.

- the book (Fashion-MNIST): scale to [0, 1], pad 28x28 to 32x32 so three
  stride-2 convolutions halve it cleanly (32 -> 16 -> 8 -> 4);
- the TensorFlow CVAE tutorial: scale, then binarize at 0.5 so that
  Bernoulli (sigmoid cross-entropy) likelihoods are exact;
- the PyTorch CIFAR-10 post: ``Normalize((0.5,)*3, (0.5,)*3)``, i.e. [-1, 1],
  matching the decoder's Tanh output;
- the Keras MLP blog: flatten each image into one 784-vector.

Everything returned is float32: one float64 array upcasts the whole graph.
Arrays are NCHW (channels first), the layout of minivae's convolutions.
Each function works on NumPy or CuPy arrays alike: it only uses array methods.
"""
from ..backend import get_array_module


def _check_float(x, where):
    if x.dtype.kind != "f":
        raise TypeError(f"{where}: expected a float array, got dtype {x.dtype}; "
                        "turn uint8 pixels into floats in [0, 1] with scale_to_unit first")


def scale_to_unit(images):
    """uint8 pixels 0-255 -> float32 in [0, 1] (``x / 255``)."""
    if images.dtype.kind != "u" or images.dtype.itemsize != 1:
        raise TypeError(f"scale_to_unit: expected uint8 pixels 0-255, got dtype {images.dtype}; "
                        "floats are probably scaled already (scaling twice divides by 255 again)")
    xp = get_array_module(images)
    return images.astype(xp.float32) / xp.float32(255)


def pad_to_32(x):
    """Zero-pad the last two axes from 28x28 to 32x32, 2 pixels on each side (the book's ``np.pad``).

    Works on (N, 28, 28) and (N, C, 28, 28); the dtype is kept.
    """
    if x.ndim < 2 or x.shape[-2:] != (28, 28):
        raise ValueError(f"pad_to_32: expected images whose last two axes are 28x28, got shape {x.shape}")
    xp = get_array_module(x)
    widths = [(0, 0)] * (x.ndim - 2) + [(2, 2), (2, 2)]
    return xp.pad(x, widths, mode="constant", constant_values=0)  # (..., 32, 32)


def binarize(x, threshold=0.5):
    """float32 1 where ``x > threshold``, else 0 (the TF CVAE tutorial's ``np.where(x > .5, 1.0, 0.0)``).

    Expects floats in [0, 1]; scale uint8 pixels first.
    """
    _check_float(x, "binarize")
    xp = get_array_module(x)
    return (x > threshold).astype(xp.float32)


def scale_to_symmetric(x):
    """Floats in [0, 1] -> float32 in [-1, 1] (``(x - 0.5) / 0.5``, torchvision's Normalize(0.5, 0.5)).

    A uint8 input is scaled to [0, 1] first, as ``ToTensor`` does.
    """
    xp = get_array_module(x)
    if x.dtype.kind == "u":
        x = scale_to_unit(x)
    _check_float(x, "scale_to_symmetric")
    return x.astype(xp.float32) * xp.float32(2) - xp.float32(1)


def add_channel_axis(x):
    """(N, H, W) -> (N, 1, H, W): one grey channel, channels first."""
    if x.ndim != 3:
        raise ValueError(f"add_channel_axis: expected grey images (N, H, W), got shape {x.shape}")
    return x[:, None, :, :]  # (N, 1, H, W)


def flatten_images(x):
    """(N, ...) -> (N, prod(...)): each image as one vector, for dense (MLP) VAEs (784 for MNIST)."""
    return x.reshape(x.shape[0], -1)  # (N, H*W*...)


def book_preprocess(images):
    """The book's Fashion-MNIST pipeline: uint8 (N, 28, 28) -> float32 (N, 1, 32, 32) in [0, 1]."""
    if images.ndim != 3:
        raise ValueError(f"book_preprocess: expected uint8 images (N, 28, 28), got shape {images.shape}")
    return add_channel_axis(pad_to_32(scale_to_unit(images)))  # (N, 1, 32, 32)
