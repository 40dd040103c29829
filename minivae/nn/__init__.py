"""minivae.nn: modules and the Keras layers of the book's chapter 3.

The book's encoder, written with them::

    from minivae.nn import Sequential, Conv2D, Flatten, Dense

    encoder = Sequential([
        Conv2D(32, 3, strides=2, activation="relu", padding="same"),
        Conv2D(64, 3, strides=2, activation="relu", padding="same"),
        Conv2D(128, 3, strides=2, activation="relu", padding="same"),
        Flatten(),
        Dense(2, name="encoder_output"),
    ], input_shape=(1, 32, 32), name="encoder")   # channels-first: Keras' (32, 32, 1)
    encoder.summary()                               # Total params: 96,770
"""
from .parameter import Parameter
from .module import Module
from .layer import Layer
from .dense import Dense
from .conv2d import Conv2D
from .conv2d_transpose import Conv2DTranspose
from .batch_normalization import BatchNormalization
from .activations import Activation, ReLU, LeakyReLU
from .reshape import Flatten, Reshape
from .sampling import Sampling
from .sequential import Sequential
from .summary import summary
from . import init

__all__ = ["Parameter", "Module", "Layer", "Dense", "Conv2D", "Conv2DTranspose",
           "BatchNormalization", "Activation", "ReLU", "LeakyReLU", "Flatten", "Reshape",
           "Sampling", "Sequential", "summary", "init"]
