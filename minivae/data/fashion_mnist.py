"""Find and load Fashion-MNIST (the book's data set), and MNIST where the other sources use it.

Fashion-MNIST is a drop-in replacement for MNIST: the same four IDX files,
the same sizes (60,000 train / 10,000 test, 28x28 grey, labels 0-9). So
``load_mnist`` can fall back to it when MNIST itself is not on the machine,
and says so, because the loss values the blogs quote are for MNIST.
"""
import os
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy

from .errors import DataFileError
from .idx import read_idx
from .paths import cache_dir

CLASS_NAMES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
               "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")

SPLITS = {  # split -> (image file, label file), without the optional .gz
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
FILE_NAMES = tuple(name for pair in SPLITS.values() for name in pair)
SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")  # where the Debian package dataset-fashion-mnist puts it


class MNISTData(NamedTuple):
    """What :func:`load_mnist` returns: unpack as ``images, labels, name = load_mnist()``.

    ``name`` is ``"mnist"`` or ``"fashion-mnist"``, so a script can print which one it trained on.
    """
    images: numpy.ndarray  # uint8 (N, 28, 28)
    labels: numpy.ndarray  # uint8 (N,)
    name: str


def _check_split(split, where):
    if split not in SPLITS:
        raise ValueError(f"{where}: split must be 'train' or 'test', got {split!r}")


def _idx_file(directory, stem):
    """The path of ``stem`` or ``stem.gz`` in ``directory``, or None."""
    for name in (stem + ".gz", stem):
        candidate = Path(directory) / name
        if candidate.is_file():
            return candidate
    return None


def _missing(directory):
    """The IDX files (of all four) that ``directory`` lacks; all four if it is not a folder."""
    if not Path(directory).is_dir():
        return list(FILE_NAMES)
    return [stem for stem in FILE_NAMES if _idx_file(directory, stem) is None]


def missing_files(directory):
    """The names of the four IDX files that ``directory`` (or its ``fashion-mnist/``) lacks:
    [] when it holds an MNIST-format data set, all four when it is not a folder."""
    return min(_missing(directory), _missing(Path(directory) / "fashion-mnist"), key=len)


def _candidates(path):
    """(label, folders) in search order; a user's folder is tried as is and with fashion-mnist/ appended."""
    groups = []
    for label, root in (("path argument", path), ("MINIVAE_DATA", os.environ.get("MINIVAE_DATA"))):
        if root:
            root = Path(root).expanduser()
            groups.append((label, [root, root / "fashion-mnist"]))
    groups.append(("system package", [SYSTEM_DIR]))
    groups.append(("download cache", [cache_dir("fashion-mnist")]))
    return groups


def find_fashion_mnist(path=None):
    """The folder holding the four Fashion-MNIST files (each raw or ``.gz``).

    Looks, in order, in ``path``, ``$MINIVAE_DATA``, ``/usr/share/datasets/fashion-mnist``
    and the download cache (``~/.cache/minivae/fashion-mnist``, honouring ``XDG_CACHE_HOME``).
    A ``path`` or ``MINIVAE_DATA`` that does not hold the data gives a warning, then the
    search goes on. When nothing is found, one :class:`FileNotFoundError` lists every
    place looked and every way to get the data.
    """
    looked = []  # (label, folder, missing file names)
    for label, folders in _candidates(path):
        for folder in folders:
            missing = _missing(folder)
            if not missing:
                first = looked[0][0] if looked else label
                if first != label and first in ("path argument", "MINIVAE_DATA"):
                    warnings.warn(f"find_fashion_mnist: no Fashion-MNIST in {looked[0][1]} "
                                  f"({looked[0][0]}); using {folder} ({label}) instead", stacklevel=2)
                return folder
            looked.append((label, folder, missing))
    lines = "\n".join(
        f"  - {folder} ({label}): " + ("no such folder" if not folder.is_dir() else "missing " + ", ".join(m))
        for label, folder, m in looked)
    raise FileNotFoundError(
        "find_fashion_mnist: Fashion-MNIST was not found. Looked in:\n" + lines + "\n"
        "Ways to get it:\n"
        "  - as root: apt-get install dataset-fashion-mnist   (installs to /usr/share/datasets/fashion-mnist)\n"
        "  - put the four files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
        "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) in a folder and pass "
        "--data PATH on the command line, or set MINIVAE_DATA=PATH\n"
        "  - when online: python3 -c 'import minivae.data as d; d.download_fashion_mnist()'  "
        f"(saves to {cache_dir('fashion-mnist')})")


def _load_split(directory, split, where):
    """(images (N, 28, 28), labels (N,)) of one split from an IDX folder, with the counts checked."""
    image_stem, label_stem = SPLITS[split]
    image_path = _idx_file(directory, image_stem) or Path(directory) / (image_stem + ".gz")
    label_path = _idx_file(directory, label_stem) or Path(directory) / (label_stem + ".gz")
    images = read_idx(image_path, expect_ndim=3)
    labels = read_idx(label_path, expect_ndim=1)
    if images.shape[1:] != (28, 28):
        raise DataFileError(f"{where}: {image_path}: images are {images.shape[1]}x{images.shape[2]}, "
                            "expected 28x28; is this really an MNIST-format file?")
    if len(images) != len(labels):
        raise DataFileError(f"{where}: {image_path} holds {len(images)} images but {label_path} "
                            f"holds {len(labels)} labels; the two files come from different "
                            "downloads. Replace both with a matching pair.")
    if labels.size and labels.max() > 9:
        raise DataFileError(f"{where}: {label_path}: label {int(labels.max())} found, "
                            "labels must be 0-9; replace the file")
    return images, labels


def load_fashion_mnist(path=None, split="train"):
    """Fashion-MNIST ``(images, labels)``: uint8 (N, 28, 28) in 0-255 and uint8 (N,) in 0-9.

    N is 60,000 for ``split="train"`` and 10,000 for ``"test"``. ``CLASS_NAMES[label]``
    names a label. See :func:`find_fashion_mnist` for where ``path=None`` looks.
    """
    _check_split(split, "load_fashion_mnist")
    return _load_split(find_fashion_mnist(path), split, "load_fashion_mnist")


def load_mnist(path=None, split="train"):
    """MNIST digits as ``MNISTData(images, labels, name)``; Fashion-MNIST, with a warning, if absent.

    MNIST is looked for in ``path``, then ``$MINIVAE_MNIST`` (a folder with the four
    files of http://yann.lecun.com/exdb/mnist/, raw or .gz). Without it the sources'
    MNIST examples still run, on Fashion-MNIST: ``name`` then says ``"fashion-mnist"``.
    """
    _check_split(split, "load_mnist")
    tried = []
    for label, root in (("path argument", path), ("MINIVAE_MNIST", os.environ.get("MINIVAE_MNIST"))):
        if root:
            folder = Path(root).expanduser()
            missing = _missing(folder)
            if not missing:
                images, labels = _load_split(folder, split, "load_mnist")
                return MNISTData(images, labels, "mnist")
            tried.append(f"{folder} ({label}): " + ("no such folder" if not folder.is_dir()
                                                    else "missing " + ", ".join(missing)))
    where = "; ".join(tried) if tried else "no path given and MINIVAE_MNIST is not set"
    warnings.warn(
        f"load_mnist: MNIST not found ({where}); using Fashion-MNIST instead, which has the "
        "same format and sizes. Loss values will differ from the MNIST numbers the sources "
        "quote. To use MNIST, pass its folder or set MINIVAE_MNIST.", stacklevel=2)
    images, labels = load_fashion_mnist(None, split)
    return MNISTData(images, labels, "fashion-mnist")
