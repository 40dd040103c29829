"""The book's Fashion-MNIST models: the autoencoder (tables 3-1, 3-2) and the VAE (table 3-4).

Images are padded from 28x28 to 32x32, so three stride-2 convolutions take
them to 4x4 and three stride-2 transposed convolutions bring them back.
Shapes are channels-first: the book's (32, 32, 1) is (1, 32, 32) here.
"""
from ..nn import Conv2D, Conv2DTranspose, Dense, Flatten, Reshape, Sequential
from .autoencoder import Autoencoder
from .registry import register
from .vae import VAE
from .vae_encoder import VAEEncoder

INPUT_SHAPE = (1, 32, 32)
SHAPE_BEFORE_FLATTENING = (128, 4, 4)  # the book's K.int_shape(x)[1:], (4, 4, 128) in Keras


def encoder_convolutions():
    """Three Conv2D layers, 32, 64, 128 filters, each halving the image (example 3-3), then Flatten."""
    return [Conv2D(32, 3, strides=2, activation="relu", padding="same", name="conv2d_1"),
            Conv2D(64, 3, strides=2, activation="relu", padding="same", name="conv2d_2"),
            Conv2D(128, 3, strides=2, activation="relu", padding="same", name="conv2d_3"),
            Flatten(name="flatten")]


def fashion_decoder(latent_dim):
    """Example 3-4: Dense -> Reshape to 128x4x4 -> three Conv2DTranspose -> a sigmoid Conv2D."""
    c, h, w = SHAPE_BEFORE_FLATTENING
    return Sequential([
        Dense(c * h * w),
        Reshape(SHAPE_BEFORE_FLATTENING),
        Conv2DTranspose(128, 3, strides=2, activation="relu", padding="same"),
        Conv2DTranspose(64, 3, strides=2, activation="relu", padding="same"),
        Conv2DTranspose(32, 3, strides=2, activation="relu", padding="same"),
        Conv2D(1, 3, strides=1, activation="sigmoid", padding="same", name="decoder_output"),
    ], input_shape=(latent_dim,), name="decoder")


@register("fashion-autoencoder")
def fashion_autoencoder(latent_dim=2):
    """The autoencoder of examples 3-3 to 3-5: 96,770 + 246,273 parameters for latent_dim=2."""
    encoder = Sequential(encoder_convolutions() + [Dense(latent_dim, name="encoder_output")],
                         input_shape=INPUT_SHAPE, name="encoder")
    return Autoencoder(encoder, fashion_decoder(latent_dim), {"latent_dim": latent_dim})


@register("fashion-vae")
def fashion_vae(latent_dim=2, beta=500):
    """The VAE of examples 3-11 to 3-13: encoder 100,868 parameters for latent_dim=2."""
    encoder = VAEEncoder(encoder_convolutions(), latent_dim, INPUT_SHAPE, name="encoder")
    return VAE(encoder, fashion_decoder(latent_dim), {"latent_dim": latent_dim, "beta": beta},
                 beta=beta, reconstruction="bce")
