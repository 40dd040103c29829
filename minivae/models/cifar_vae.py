"""The PyTorch blog's VAE on CIFAR-10: 32x32 colour images in [-1, 1], a 128-d latent space.

Each layer of the blog's ``nn.Sequential`` is one layer here, in its order:
Conv2d(k4, s2, p1) -> ReLU -> BatchNorm2d, three times (32x32 -> 4x4), then
Linear(2048, 1024) -> ReLU and the two heads fc_mu, fc_logvar. The decoder
starts with ``decoder_input`` = Linear(latent, 1024), with no activation before
the next Linear(1024, 2048); it ends in a Tanh, matching data in [-1, 1].

PyTorch names, Keras layers: BatchNorm2d's momentum 0.1 is Keras' 0.9
(moving = 0.9 * moving + 0.1 * batch), its eps is 1e-5. Weights start as
Keras initializes them (Glorot uniform, zero bias), not as PyTorch does.

The loss is the blog's ``vae_loss``: F.mse_loss(reduction="sum") + the closed-form
KL. Summed over pixels, 3 * 32 * 32 = 3072 times the mean, so this is the book's
VAE with reconstruction="mse" and beta = 3072. The blog also sums over the batch
and divides by the number of images when it prints; here each loss is the mean over
the batch, which is that printed "Average loss" directly. The steps are the same:
Adam divides each gradient by its own running scale, so a loss N times larger
moves the weights just as far (tested in tests/test_models_sources.py).
"""
from ..nn import (Activation, BatchNormalization, Conv2D, Conv2DTranspose, Dense, Flatten, ReLU,
                  Reshape, Sequential)
from .registry import register
from .vae import VAE
from .vae_encoder import VAEEncoder

INPUT_SHAPE = (3, 32, 32)
SHAPE_BEFORE_FLATTENING = (128, 4, 4)  # the blog's nn.Unflatten(1, (128, 4, 4))
PIXELS = 3 * 32 * 32


def batch_norm_2d():
    """PyTorch's BatchNorm2d defaults in Keras terms: momentum 0.1 -> 0.9, eps 1e-5."""
    return BatchNormalization(momentum=0.9, epsilon=1e-5)


@register("cifar-vae")  # the PyTorch CIFAR-10 blog
def cifar_vae(latent_dim=128):
    """Trainable parameters: encoder 2,526,624 and decoder 2,396,963 for latent_dim=128;
    the batch norms' moving statistics add 448 and 192 non-trainable ones."""
    body = []
    for filters in (32, 64, 128):  # 32x16x16, 64x8x8, 128x4x4
        body += [Conv2D(filters, 4, strides=2, padding=1), ReLU(), batch_norm_2d()]
    body += [Flatten(),  # 128*4*4 = 2048
             Dense(1024), ReLU()]
    encoder = VAEEncoder(body, latent_dim, INPUT_SHAPE, name="encoder")  # heads: fc_mu, fc_logvar

    layers = [Dense(1024),  # the blog's decoder_input
              Dense(2048), ReLU(),
              Reshape(SHAPE_BEFORE_FLATTENING)]
    for filters in (64, 32):  # 64x8x8, 32x16x16
        layers += [Conv2DTranspose(filters, 4, strides=2, padding=1), ReLU(), batch_norm_2d()]
    layers += [Conv2DTranspose(3, 4, strides=2, padding=1),  # 3x32x32
               Activation("tanh")]
    decoder = Sequential(layers, input_shape=(latent_dim,), name="decoder")

    model = VAE(encoder, decoder, {"latent_dim": latent_dim}, beta=PIXELS, reconstruction="mse")
    model.value_range = (-1.0, 1.0)  # the blog's Normalize((0.5,) * 3, (0.5,) * 3), and a tanh decoder
    return model
