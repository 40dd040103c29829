"""Data for the VAEs of the sources: find it, read it safely, preprocess it, batch it.

- ``idx``: the IDX format of MNIST / Fashion-MNIST
- ``fashion_mnist``: where Fashion-MNIST lives on this machine, and loading it (or MNIST)
- ``download``: the opt-in, checksummed download
- ``cifar``: CIFAR-10 batches, through an Unpickler that cannot run code
- ``image_folder``: CelebA photos and attributes
- ``datasets``: one record per data set (files, preprocessing, classes, sizes) and its loader
- ``preprocess``: uint8 pixels -> float32 network inputs, as each source does it
- ``loader``: shuffled mini-batches, reproducible per (seed, epoch), on any device
"""
from .cifar import CIFAR10_CLASSES, find_cifar10, load_cifar10, load_cifar_batch
from .download import CONTENT_SHA256, MIRROR_URL, OFFICIAL_URL, download_fashion_mnist
from .datasets import (CELEBA, CIFAR10, DATA_SETS, FASHION_MNIST, MNIST, MNIST_BINARIZED, DataSet,
                       DatasetNotFound, LoadedData, content_hash, data_set, load_data_set)
from .errors import DataFileError
from .fashion_mnist import CLASS_NAMES, MNISTData, find_fashion_mnist, load_fashion_mnist, load_mnist
from .idx import read_idx
from .image_folder import CelebAAttributes, ImageFolder, load_celeba_attributes, load_image_folder
from .loader import DataLoader, batches, epoch_order
from .paths import cache_dir
from .preprocess import (add_channel_axis, binarize, book_preprocess, flatten_images, pad_to_32,
                         scale_to_symmetric, scale_to_unit)

__all__ = [
    "CELEBA", "CIFAR10", "DATA_SETS", "DataSet", "DatasetNotFound", "FASHION_MNIST", "LoadedData",
    "MNIST", "MNIST_BINARIZED", "content_hash", "data_set", "load_data_set",
    "CIFAR10_CLASSES", "CLASS_NAMES", "CONTENT_SHA256", "CelebAAttributes", "DataFileError",
    "DataLoader", "ImageFolder", "MIRROR_URL", "MNISTData", "OFFICIAL_URL", "add_channel_axis",
    "batches", "binarize", "book_preprocess", "cache_dir", "download_fashion_mnist", "epoch_order",
    "find_cifar10", "find_fashion_mnist", "flatten_images", "load_celeba_attributes", "load_cifar10",
    "load_cifar_batch", "load_fashion_mnist", "load_image_folder", "load_mnist", "pad_to_32",
    "read_idx", "scale_to_symmetric", "scale_to_unit",
]
