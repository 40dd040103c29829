"""Each source's training recipe: its data set, preprocessing and hyperparameters.

These are the defaults of `minivae train --model NAME`; every flag overrides them.
"""
from dataclasses import dataclass, field

from . import data


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


RECIPES = {
    "fashion-autoencoder": Recipe("fashion-autoencoder", "fashion-mnist", 3, 100, 1e-3,
                                  model_args={"latent_dim": 2},
                                  source="Generative Deep Learning, ch. 3, autoencoder"),
    "fashion-vae": Recipe("fashion-vae", "fashion-mnist", 5, 100, 5e-4,
                          model_args={"latent_dim": 2, "beta": 500},
                          source="Generative Deep Learning, ch. 3, VAE"),
    "faces-vae": Recipe("faces-vae", "celeba", 10, 128, 5e-4,
                        model_args={"latent_dim": 200, "beta": 2000},
                        source="Generative Deep Learning, ch. 3, faces VAE"),
}

DATASETS = ("fashion-mnist", "celeba")


class DatasetNotFound(ValueError):
    pass


def load_dataset(name, path=None, limit=None):
    """(train images, validation images, validation labels or None, description).

    Images come preprocessed as the source does it: float32, NCHW.
    """
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
        return images[n_val:], images[:n_val], None, f"CelebA-style faces from {path}, 32x32"
    raise DatasetNotFound(f"unknown dataset {name!r}: choose one of {', '.join(DATASETS)}")
