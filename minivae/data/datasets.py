"""One record per data set: where its files are, how its pixels become model inputs, its classes.

Every reader takes a data set's facts from its :class:`DataSet` in ``DATA_SETS``:
the recipes and ``minivae train`` (loading), the short-run rule (split sizes),
every figure, the report and the explorer (class names, and how a drawn or
dropped image is prepared: ``pipeline``). When the files of another data set
stand in (Fashion-MNIST for MNIST), the record of the data actually used is
``record.stood_in_by(FASHION_MNIST)``: its class names are the clothes, and
``stands_in_for`` says which data set it replaces.
"""
import dataclasses
import hashlib
import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Optional

import numpy

from . import fashion_mnist, preprocess
from .cifar import BATCHES, CIFAR10_CLASSES, FOLDER as CIFAR_FOLDER, find_cifar10, load_cifar10
from .errors import DataFileError
from .fashion_mnist import CLASS_NAMES as FASHION_CLASS_NAMES, FILE_NAMES as IDX_FILES
from .image_folder import load_celeba_attributes, load_image_folder


class DatasetNotFound(ValueError):
    """A data set that is unknown, or whose files are not where the learner said they are."""


@dataclass(frozen=True)
class DataSet:
    """A data set's facts, in one place.

    name: the registry name (``--dataset``); title: how a sentence names it.
    channels, stored_size: the stored pixels, uint8 ``channels x size x size`` (size None: the
    photos vary and are resized to the model's input, CelebA). pipeline: the functions of
    :mod:`minivae.data.preprocess` that turn stored pixels into model inputs, in order (the
    loader and the explorer's page both run them). input_range: the model inputs' range.
    class_names: label k's name (() when the images have no classes). train_images,
    test_images: the full splits' sizes (None: they depend on the folder). how: the
    preprocessing in words. attribute: the label the booleans of an unlabelled set stand for
    (CelebA's "Smiling"). stands_in_for: the title of the data set these files replace, or None;
    files_of: then the name of the data set whose files they are.
    """
    name: str
    title: str
    channels: int
    stored_size: Optional[int]
    pipeline: tuple
    input_range: tuple
    class_names: tuple
    train_images: Optional[int]
    test_images: Optional[int]
    how: str
    attribute: Optional[str] = None
    stands_in_for: Optional[str] = None
    files_of: Optional[str] = None

    def stood_in_by(self, other):
        """The record of ``other``'s files used in place of this data set's (same preprocessing)."""
        return dataclasses.replace(self, title=other.title, class_names=other.class_names,
                                   stands_in_for=self.title, files_of=other.name)

    @property
    def described(self):
        """The data set and its preprocessing in words, e.g. "CIFAR-10, scaled to [-1, 1]"."""
        if self.stands_in_for:
            return (f"{self.title} standing in for {self.stands_in_for} (not found: pass --data "
                    f"or set MINIVAE_MNIST), {self.how}")
        return f"{self.title}, {self.how}"

    @property
    def stand_in_note(self):
        """One sentence for figures and pages when these files stand in for another set, else ""."""
        if not self.stands_in_for:
            return ""
        return (f"{self.title} stands in for {self.stands_in_for} here (not found on this machine): "
                f"the classes are {self.title}'s, not {self.stands_in_for}'s.")

    def prepare(self, pixels):
        """Stored uint8 pixels (N, H, W) or (N, C, H, W) -> float32 model inputs (N, C, H', W')."""
        x = pixels
        for step in self.pipeline:
            x = getattr(preprocess, step)(x)
        return preprocess.add_channel_axis(x) if x.ndim == 3 else x  # (N, 1, H, W) for grey


DIGITS = tuple(str(d) for d in range(10))
FASHION_MNIST = DataSet("fashion-mnist", "Fashion-MNIST", 1, 28, ("scale_to_unit", "pad_to_32"),
                        (0.0, 1.0), FASHION_CLASS_NAMES, 60_000, 10_000,
                        "scaled to [0, 1], padded to 32x32")
# the Keras blog's input, in [0, 1], 28x28 (the MLP VAE flattens it itself)
MNIST = DataSet("mnist", "MNIST", 1, 28, ("scale_to_unit",), (0.0, 1.0), DIGITS, 60_000, 10_000,
                "scaled to [0, 1], 28x28")
# the TF tutorial's: 0 or 1 (threshold 0.5), so that the Bernoulli likelihood is exact
MNIST_BINARIZED = dataclasses.replace(MNIST, name="mnist-binarized",
                                      pipeline=("scale_to_unit", "binarize"),
                                      how="binarized at 0.5, 28x28")
CELEBA = DataSet("celeba", "CelebA", 3, None, ("scale_to_unit",), (0.0, 1.0), (), None, None,
                 "32x32", attribute="Smiling")  # the book's attribute vector for the arithmetic
# the PyTorch blog's: [-1, 1], matching the decoder's Tanh
CIFAR10 = DataSet("cifar10", "CIFAR-10", 3, 32, ("scale_to_symmetric",), (-1.0, 1.0),
                  CIFAR10_CLASSES, 50_000, 10_000, "scaled to [-1, 1]")

DATA_SETS = {d.name: d for d in (FASHION_MNIST, CELEBA, MNIST, MNIST_BINARIZED, CIFAR10)}


def data_set(name, stand_in=None):
    """The record of data set ``name``; with ``stand_in`` (a name), of that set's files used in its place."""
    if name not in DATA_SETS:
        raise DatasetNotFound(f"unknown dataset {name!r}: choose one of {', '.join(DATA_SETS)}")
    record = DATA_SETS[name]
    return record if stand_in in (None, name) else record.stood_in_by(DATA_SETS[stand_in])


class LoadedData(NamedTuple):
    """What :func:`load_data_set` returns."""
    train: numpy.ndarray        # float32 (N, C, H, W), preprocessed
    validation: numpy.ndarray   # float32 (M, C, H, W)
    labels: Optional[numpy.ndarray]  # (M,) class labels, booleans for ``data_set.attribute``, or None
    data_set: DataSet           # the record of the data actually used (a stand-in says so)
    described: str              # one line for the training banner
    files: tuple                # the files read, for :func:`content_hash`


def content_hash(files):
    """sha256 (hex) of the files' names and bytes, in the order given: which files a run read."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(os.path.basename(str(path)).encode() + b"\0")
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _check_idx_folder(title, path):
    """Refuse a ``--data`` that is not a folder of the four IDX files, naming what was expected.

    (The loaders themselves warn and fall back to the system's copy; a path the
    learner typed should stop the command instead of quietly training on other data.)
    """
    missing = fashion_mnist.missing_files(path)
    if not missing:
        return
    what = "is not a folder" if not os.path.isdir(path) else (
        "holds none of them" if len(missing) == len(IDX_FILES) else "lacks " + ", ".join(missing))
    raise DatasetNotFound(f"--data {path}: expected a folder holding {title}'s four IDX files "
                          f"({', '.join(IDX_FILES)}, each raw or .gz); it {what}"
                          + (" (as root, apt-get install dataset-fashion-mnist puts them in "
                             f"{fashion_mnist.SYSTEM_DIR})" if title == "Fashion-MNIST" else ""))


def _idx_files(folder):
    """The four IDX files in ``folder`` (or its fashion-mnist/), raw or .gz."""
    for where in (Path(folder), Path(folder) / "fashion-mnist"):
        found = [fashion_mnist._idx_file(where, stem) for stem in IDX_FILES]
        if all(found):
            return tuple(found)
    return ()


def _load_idx(record, path, limit):
    if path is not None:
        _check_idx_folder(record.title, path)
    if record is FASHION_MNIST:
        folder = fashion_mnist.find_fashion_mnist(path)
        (train, _), (test, labels) = (fashion_mnist.load_fashion_mnist(folder, s) for s in ("train", "test"))
        used = record
    else:
        train, _, found = fashion_mnist.load_mnist(path, "train")  # warns when Fashion-MNIST stands in
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the same warning, for the test split
            test, labels, _ = fashion_mnist.load_mnist(path, "test")
        folder = (path or os.environ.get("MINIVAE_MNIST")) if found == "mnist" else \
            fashion_mnist.find_fashion_mnist(None)
        used = record if found == "mnist" else record.stood_in_by(FASHION_MNIST)
    train, test = used.prepare(train[:limit]), used.prepare(test[:limit])
    return LoadedData(train, test, labels[:limit], used, used.described, _idx_files(folder))


def _celeba_attribute(path, files, name):
    """(bool array: does each file have attribute ``name``?, a note) from list_attr_celeba.csv
    next to the images or one folder up; (None, "") when there is no such file."""
    for folder in (path, os.path.dirname(os.path.abspath(path))):
        csv_path = os.path.join(folder, "list_attr_celeba.csv")
        if os.path.isfile(csv_path):
            attributes = load_celeba_attributes(csv_path)
            if name not in attributes.names:
                return None, f"{csv_path} has no {name} column"
            column = attributes.names.index(name)
            row = {image_id: i for i, image_id in enumerate(attributes.image_ids)}
            ids = [os.path.basename(f) for f in files]
            if not all(i in row for i in ids):
                return None, f"{csv_path} does not list every image"
            return attributes.values[[row[i] for i in ids], column] == 1, f"{name} from {csv_path}"
    return None, ""


def _load_celeba(record, path, limit):
    if path is None:
        raise DatasetNotFound("the faces VAE needs --data PATH: a CelebA folder "
                              "(img_align_celeba/ with the JPEGs)")
    folder = load_image_folder(path, image_size=32, limit=None if limit is None else 2 * limit)
    images = folder.images  # (N, 3, 32, 32) in [0, 1]: the loader resizes and scales
    n_val = max(1, len(images) // 10)
    smiling, found = _celeba_attribute(path, folder.files[:n_val], record.attribute)
    described = f"CelebA-style faces from {path}, {record.how}" + (f"; {found}" if found else "")
    root = _celeba_image_dir(path)
    return LoadedData(images[n_val:], images[:n_val], smiling, record, described,
                      tuple(root / f for f in folder.files))


def _celeba_image_dir(path):
    folder = Path(path).expanduser()
    for _ in range(2):
        if (folder / "img_align_celeba").is_dir():
            folder = folder / "img_align_celeba"
    return folder


def _load_cifar(record, path, limit):
    try:
        train, _ = load_cifar10(path, "train")
        test, labels = load_cifar10(path, "test")
        folder = find_cifar10(path)
    except FileNotFoundError as exc:
        raise DatasetNotFound(f"CIFAR-10 is needed: pass --data DIR (the {CIFAR_FOLDER} "
                              f"folder) or set MINIVAE_CIFAR10. {exc}") from None
    files = tuple(folder / name for name in BATCHES["train"] + BATCHES["test"])
    return LoadedData(record.prepare(train[:limit]), record.prepare(test[:limit]), labels[:limit],
                      record, record.described, files)


LOADERS = {"fashion-mnist": _load_idx, "mnist": _load_idx, "mnist-binarized": _load_idx,
           "celeba": _load_celeba, "cifar10": _load_cifar}


def load_data_set(name, path=None, limit=None):
    """A :class:`LoadedData`: the data set's images preprocessed as its source does it
    (float32, NCHW), its validation labels and the record of the data actually used.

    A ``path`` given must hold the data set: it is never silently replaced by another copy.
    limit: only the first ``limit`` training and validation images (CelebA: 2 x limit photos).
    """
    record = data_set(name)
    return LOADERS[name](record, path, limit)


__all__ = ["CELEBA", "CIFAR10", "DATA_SETS", "DataFileError", "DataSet", "DatasetNotFound",
           "FASHION_MNIST", "LoadedData", "MNIST", "MNIST_BINARIZED", "content_hash", "data_set",
           "load_data_set"]
