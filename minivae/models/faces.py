"""The book's CelebA faces VAE (tables 3-5, 3-6): 200 latent dimensions, batch norm, LeakyReLU.

Every convolution has 128 filters and is followed by BatchNormalization and
LeakyReLU (slope 0.3, Keras' default); the reconstruction loss is MSE with
beta = 2000.
"""
from ..nn import (BatchNormalization, Conv2D, Conv2DTranspose, Dense, Flatten, LeakyReLU, Reshape,
                  Sequential)
from .registry import register
from .vae import VAE
from .vae_encoder import VAEEncoder

NUM_FEATURES = 128
DOWNSAMPLINGS = 4  # four stride-2 convolutions: 32x32 -> 2x2


@register("faces-vae")
def faces_vae(latent_dim=200, image_size=32, channels=3, beta=2000):
    """Encoder 653,584 parameters (1,024 non-trainable), decoder 700,803 (2,048 non-trainable)."""
    factor = 2 ** DOWNSAMPLINGS
    if image_size % factor:
        raise ValueError(f"faces_vae: image_size must be a multiple of {factor} (the four "
                         f"stride-2 convolutions halve it four times), got {image_size}.")
    body = []
    for i in range(1, DOWNSAMPLINGS + 1):
        body += [Conv2D(NUM_FEATURES, 3, strides=2, padding="same", name=f"conv2d_{i}"),
                 BatchNormalization(name=f"bn_{i}"),
                 LeakyReLU(name=f"lr_{i}")]
    body.append(Flatten(name="flatten"))
    encoder = VAEEncoder(body, latent_dim, (channels, image_size, image_size), name="encoder")

    shape_before_flattening = (NUM_FEATURES, image_size // factor, image_size // factor)
    c, h, w = shape_before_flattening
    layers = [Dense(c * h * w), BatchNormalization(), LeakyReLU(), Reshape(shape_before_flattening)]
    for _ in range(DOWNSAMPLINGS):
        layers += [Conv2DTranspose(NUM_FEATURES, 3, strides=2, padding="same"),
                   BatchNormalization(), LeakyReLU()]
    layers.append(Conv2DTranspose(channels, 3, strides=1, activation="sigmoid", padding="same",
                                  name="decoder_output"))
    decoder = Sequential(layers, input_shape=(latent_dim,), name="decoder")

    config = {"latent_dim": latent_dim, "image_size": image_size, "channels": channels, "beta": beta}
    return VAE(encoder, decoder, config, beta=beta, reconstruction="mse")
