"""Load CIFAR-10 (the PyTorch source's data set) from its "python version" batches, safely.

The batches (``data_batch_1`` .. ``data_batch_5``, ``test_batch``) are Python 2
pickles of a dict: ``b'data'`` uint8 (10000, 3072), ``b'labels'`` a list of
ints, ``b'batch_label'`` and ``b'filenames'``.

Unpickling runs code: a pickle names any importable function and the loader
calls it (``os.system`` included). So the batches are read with an
Unpickler whose ``find_class`` only returns the few globals that rebuilding a
NumPy array needs; any other name stops the load before anything runs.
"""
import os
import pickle
from pathlib import Path

import numpy

from .errors import DataFileError
from .paths import cache_dir

CIFAR10_CLASSES = ("airplane", "automobile", "bird", "cat", "deer",
                   "dog", "frog", "horse", "ship", "truck")
BATCHES = {"train": tuple(f"data_batch_{i}" for i in range(1, 6)), "test": ("test_batch",)}
FOLDER = "cifar-10-batches-py"  # what cifar-10-python.tar.gz extracts to
_HOW_TO_GET = (f"Download the CIFAR-10 python version (cifar-10-python.tar.gz) from "
               f"https://www.cs.toronto.edu/~kriz/cifar.html, extract it (tar xzf cifar-10-python.tar.gz) "
               f"and pass the {FOLDER} folder as path (or set MINIVAE_CIFAR10).")


def _latin1_encode(text, encoding="latin1"):
    """Python 3 pickles bytes at protocol 2 as ``_codecs.encode(text, 'latin1')``; allow only that."""
    if not isinstance(text, str) or encoding != "latin1":
        raise pickle.UnpicklingError(f"_codecs.encode({type(text).__name__}, {encoding!r}) refused")
    return text.encode("latin1")


def _allowed_globals():
    """(module, name) -> object: all that a pickled dict of uint8 arrays, lists and bytes needs."""
    try:
        from numpy._core.multiarray import _reconstruct  # NumPy >= 2
    except ImportError:
        from numpy.core.multiarray import _reconstruct  # NumPy 1.x
    return {
        ("numpy.core.multiarray", "_reconstruct"): _reconstruct,  # how NumPy 1 (and the 2009 files) name it
        ("numpy._core.multiarray", "_reconstruct"): _reconstruct,  # how NumPy 2 names it
        ("numpy", "ndarray"): numpy.ndarray,
        ("numpy", "dtype"): numpy.dtype,
        ("_codecs", "encode"): _latin1_encode,
    }


class RestrictedUnpickler(pickle.Unpickler):
    """An Unpickler that refuses every global except those that rebuild NumPy arrays."""

    def __init__(self, file, path):
        super().__init__(file, encoding="bytes")  # Python 2 str -> bytes, as the CIFAR page says
        self.path = path
        self.allowed = _allowed_globals()

    def find_class(self, module, name):
        if (module, name) not in self.allowed:
            raise DataFileError(
                f"load_cifar10: {self.path}: refused to unpickle the global {module}.{name}: a CIFAR-10 "
                "batch only needs numpy array globals, so this file is not one and may try to run "
                f"code. Do not load it; get the batches from the official page. {_HOW_TO_GET}")
        return self.allowed[(module, name)]


def _key(batch, name):
    """A batch dict's entry whether its keys are bytes (the original files) or str (re-saved)."""
    return batch.get(name.encode(), batch.get(name))


def load_cifar_batch(path):
    """One batch file -> ``(images uint8 (N, 3, 32, 32), labels uint8 (N,))``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"load_cifar10: no such batch file: {path}. {_HOW_TO_GET}")
    with open(path, "rb") as f:
        try:
            batch = RestrictedUnpickler(f, path).load()
        except DataFileError:
            raise
        except Exception as exc:  # pickle raises many types on damaged input
            raise DataFileError(f"load_cifar10: {path} is not a readable pickle "
                                f"({type(exc).__name__}: {exc}); the file is damaged. {_HOW_TO_GET}") from None

    def bad(problem):
        return DataFileError(f"load_cifar10: {path}: {problem}; not a CIFAR-10 batch. {_HOW_TO_GET}")

    if not isinstance(batch, dict):
        raise bad(f"holds a {type(batch).__name__}, expected a dict")
    data, labels = _key(batch, "data"), _key(batch, "labels")
    if labels is None and _key(batch, "fine_labels") is not None:
        raise bad("it has 'fine_labels', so it is CIFAR-100")
    if not isinstance(data, numpy.ndarray) or data.dtype != numpy.uint8 or data.ndim != 2 \
            or data.shape[1] != 3 * 32 * 32:
        raise bad(f"'data' should be uint8 (N, 3072), got "
                  f"{getattr(data, 'dtype', type(data).__name__)} {getattr(data, 'shape', '')}")
    if labels is None or len(labels) != len(data):
        raise bad(f"'labels' should list {len(data)} labels, got "
                  f"{'none' if labels is None else len(labels)}")
    labels = numpy.asarray(labels)
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise bad(f"labels range {labels.min()}..{labels.max()}, expected 0..9")
    # Each row is 1024 red, then 1024 green, then 1024 blue values, each a row-major 32x32 image.
    images = data.reshape(len(data), 3, 32, 32)  # (N, 3072) -> (N, 3, 32, 32)
    return images, labels.astype(numpy.uint8)


def find_cifar10(path=None):
    """The folder holding the CIFAR-10 batches: ``path`` (or its cifar-10-batches-py/), else
    ``$MINIVAE_CIFAR10``, else ``~/.cache/minivae/cifar-10-batches-py``."""
    root = path if path is not None else os.environ.get("MINIVAE_CIFAR10") or cache_dir(FOLDER)
    root = Path(root).expanduser()
    for folder in (root, root / FOLDER):
        if (folder / "test_batch").is_file() or (folder / "data_batch_1").is_file():
            return folder
    state = "does not exist" if not root.exists() else "has no data_batch_1 or test_batch"
    raise FileNotFoundError(f"load_cifar10: {root} {state} (looked in it and in {root / FOLDER}). "
                            + _HOW_TO_GET)


def load_cifar10(path=None, split="train"):
    """CIFAR-10 ``(images, labels)``: uint8 (N, 3, 32, 32) in 0-255 (NCHW) and uint8 (N,) in 0-9.

    N is 50,000 for ``split="train"`` (five batches) and 10,000 for ``"test"``.
    ``CIFAR10_CLASSES[label]`` names a label.
    """
    if split not in BATCHES:
        raise ValueError(f"load_cifar10: split must be 'train' or 'test', got {split!r}")
    folder = find_cifar10(path)
    parts = [load_cifar_batch(folder / name) for name in BATCHES[split]]
    images = numpy.concatenate([p[0] for p in parts])  # (N, 3, 32, 32)
    labels = numpy.concatenate([p[1] for p in parts])
    return images, labels
