"""Each source's training recipe: its data set, preprocessing and hyperparameters.

These are the defaults of `minivae train --model NAME`; every flag overrides them.
A recipe names its model by its registry name (minivae.models.MODELS), checked when
the recipe is written down.
"""
import os
import warnings
from dataclasses import dataclass, field

from . import data
from .models import MODELS


@dataclass(frozen=True)
class Recipe:
    model: str
    dataset: str
    epochs: int
    batch_size: int
    lr: float
    optimizer: str = "adam"
    model_args: dict = field(default_factory=dict)  # beta, latent_dim, ...
    source: str = ""
    test_elbo: bool = False  # print the TF tutorial's "Test set ELBO" (-val_total_loss) each epoch

    def __post_init__(self):
        if self.model not in MODELS:
            raise ValueError(f"Recipe: no model is registered as {self.model!r}; the registry "
                             f"(minivae.models.MODELS) has {', '.join(MODELS)}")


BOOK_MODEL = "fashion-vae"  # the book's main job: `minivae train` with no --model, `python3 dev.py train`

RECIPES = {recipe.model: recipe for recipe in [
    Recipe("fashion-autoencoder", "fashion-mnist", 3, 100, 1e-3, model_args={"latent_dim": 2},
           source="Generative Deep Learning, ch. 3, autoencoder"),
    Recipe("fashion-vae", "fashion-mnist", 5, 100, 5e-4, model_args={"latent_dim": 2, "beta": 500},
           source="Generative Deep Learning, ch. 3, VAE"),
    Recipe("faces-vae", "celeba", 10, 128, 5e-4, model_args={"latent_dim": 200, "beta": 2000},
           source="Generative Deep Learning, ch. 3, faces VAE"),
    Recipe("cvae", "mnist-binarized", 10, 32, 1e-4, model_args={"latent_dim": 2},
           source="TensorFlow tutorial, convolutional VAE", test_elbo=True),
    Recipe("mlp-vae", "mnist", 20, 100, 1e-3, optimizer="rmsprop", model_args={"latent_dim": 2},
           source="Keras blog, MLP VAE"),
    Recipe("cifar-vae", "cifar10", 50, 128, 1e-4, model_args={"latent_dim": 128},
           source="PyTorch blog, CIFAR-10 VAE"),
]}

# mnist: the Keras blog's input, in [0, 1], 28x28 (the MLP VAE flattens it itself);
# mnist-binarized: the TF tutorial's, 0 or 1 (threshold 0.5); cifar10: the PyTorch blog's, [-1, 1].
DATASETS = ("fashion-mnist", "celeba", "mnist", "mnist-binarized", "cifar10")


CELEBA_ATTRIBUTE = "Smiling"  # the book's attribute vector for the faces arithmetic figure


class DatasetNotFound(ValueError):
    pass


def _celeba_attribute(path, files, name):
    """(bool array: does each file have attribute ``name``?, a note) from list_attr_celeba.csv
    next to the images or one folder up; (None, "") when there is no such file."""
    for folder in (path, os.path.dirname(os.path.abspath(path))):
        csv_path = os.path.join(folder, "list_attr_celeba.csv")
        if os.path.isfile(csv_path):
            attributes = data.load_celeba_attributes(csv_path)
            if name not in attributes.names:
                return None, f"{csv_path} has no {name} column"
            column = attributes.names.index(name)
            row = {image_id: i for i, image_id in enumerate(attributes.image_ids)}
            ids = [os.path.basename(f) for f in files]
            if not all(i in row for i in ids):
                return None, f"{csv_path} does not list every image"
            return attributes.values[[row[i] for i in ids], column] == 1, f"{name} from {csv_path}"
    return None, ""


def _check_idx_folder(name, path):
    """Refuse a ``--data`` that is not a folder of the four IDX files, naming what was expected.

    (The loaders themselves warn and fall back to the system's copy; a path the
    learner typed should stop the command instead of quietly training on other data.)
    """
    missing = data.fashion_mnist.missing_files(path)
    if not missing:
        return
    what = "is not a folder" if not os.path.isdir(path) else (
        "holds none of them" if len(missing) == len(data.fashion_mnist.FILE_NAMES)
        else "lacks " + ", ".join(missing))
    raise DatasetNotFound(f"--data {path}: expected a folder holding {name}'s four IDX files "
                          f"({', '.join(data.fashion_mnist.FILE_NAMES)}, each raw or .gz); it {what}"
                          + (" (as root, apt-get install dataset-fashion-mnist puts them in "
                             f"{data.fashion_mnist.SYSTEM_DIR})" if name == "Fashion-MNIST" else ""))


def load_dataset(name, path=None, limit=None):
    """(train images, validation images, validation labels or None, description).

    Images come preprocessed as the source does it: float32, NCHW. A ``path``
    given must hold the data set: it is never silently replaced by another copy.
    """
    if path is not None and name in ("fashion-mnist", "mnist", "mnist-binarized"):
        _check_idx_folder("Fashion-MNIST" if name == "fashion-mnist" else "MNIST", path)
    if name == "fashion-mnist":
        train, _ = data.load_fashion_mnist(path, "train")
        test, test_labels = data.load_fashion_mnist(path, "test")
        train, test = data.book_preprocess(train[:limit]), data.book_preprocess(test[:limit])
        return train, test, test_labels[:limit], "Fashion-MNIST, scaled to [0, 1], padded to 32x32"
    if name == "celeba":
        if path is None:
            raise DatasetNotFound("the faces VAE needs --data PATH: a CelebA folder "
                                  "(img_align_celeba/ with the JPEGs)")
        folder = data.load_image_folder(path, image_size=32, limit=None if limit is None else 2 * limit)
        images = folder.images
        n_val = max(1, len(images) // 10)
        smiling, found = _celeba_attribute(path, folder.files[:n_val], CELEBA_ATTRIBUTE)
        described = f"CelebA-style faces from {path}, 32x32" + (f"; {found}" if found else "")
        return images[n_val:], images[:n_val], smiling, described
    if name in ("mnist", "mnist-binarized"):
        train, _, found = data.load_mnist(path, "train")  # warns when Fashion-MNIST stands in
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the same warning, for the test split
            test, test_labels, _ = data.load_mnist(path, "test")
        train, test = (data.add_channel_axis(data.scale_to_unit(x[:limit])) for x in (train, test))
        how = "scaled to [0, 1], 28x28"
        if name == "mnist-binarized":
            train, test = data.binarize(train), data.binarize(test)
            how = "binarized at 0.5, 28x28"
        what = ("MNIST" if found == "mnist" else
                "Fashion-MNIST standing in for MNIST (not found: pass --data or set MINIVAE_MNIST)")
        return train, test, test_labels[:limit], f"{what}, {how}"
    if name == "cifar10":
        try:
            train, _ = data.load_cifar10(path, "train")
            test, test_labels = data.load_cifar10(path, "test")
        except FileNotFoundError as exc:
            raise DatasetNotFound(f"CIFAR-10 is needed: pass --data DIR (the cifar-10-batches-py "
                                  f"folder) or set MINIVAE_CIFAR10. {exc}") from None
        train, test = data.scale_to_symmetric(train[:limit]), data.scale_to_symmetric(test[:limit])
        return train, test, test_labels[:limit], "CIFAR-10, scaled to [-1, 1]"
    raise DatasetNotFound(f"unknown dataset {name!r}: choose one of {', '.join(DATASETS)}")
