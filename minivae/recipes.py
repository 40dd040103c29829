"""Each source's training recipe: its data set, preprocessing and hyperparameters.

These are the defaults of `minivae train --model NAME`; every flag overrides them.
A recipe names its model by its registry name (minivae.models.MODELS), checked when
the recipe is written down.
"""
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

DATASETS = tuple(data.DATA_SETS)  # the data sets' names; their facts are minivae.data's records
DatasetNotFound = data.DatasetNotFound


def load_dataset(name, path=None, limit=None):
    """The data set ``name`` loaded and preprocessed as its record says: a minivae.data.LoadedData."""
    return data.load_data_set(name, path, limit)
