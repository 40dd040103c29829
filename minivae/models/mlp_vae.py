"""The Keras blog's MLP VAE on MNIST: 784 -> 256 -> 2 and back, no convolutions.

The blog reshapes each 28x28 image into a 784-vector before training; here
that is the encoder's first layer (Flatten) and the decoder's last (Reshape),
so the model takes and returns images (N, 1, 28, 28) in [0, 1] like every
other model, and every figure can draw it. Neither layer has weights.

The loss is the blog's ``vae_loss``:

    xent_loss = original_dim * binary_crossentropy(x, x_decoded)   (784 * the mean over pixels)
    kl_loss   = -0.5 * sum(1 + z_log_var - z_mean^2 - exp(z_log_var))

so it is the book's VAE with beta = 784: 784 times the mean BCE over pixels is
the sum over pixels, the whole Bernoulli log-likelihood of the image.
"""
from ..nn import Dense, Flatten, Reshape, Sequential
from .registry import register
from .vae import VAE
from .vae_encoder import VAEEncoder

IMAGE_SHAPE = (1, 28, 28)
ORIGINAL_DIM = 28 * 28  # the blog's original_dim


@register("mlp-vae")  # the Keras MLP blog
def mlp_vae(latent_dim=2, intermediate_dim=256):
    """The blog's VAE: encoder 201,988 and decoder 202,256 parameters for latent_dim=2."""
    encoder = VAEEncoder([
        Flatten(),  # (None, 784): the blog's x_train.reshape((len(x_train), 784))
        Dense(intermediate_dim, activation="relu", name="encoding"),
    ], latent_dim, IMAGE_SHAPE, name="encoder")
    decoder = Sequential([
        Dense(intermediate_dim, activation="relu", name="decoder_h"),
        Dense(ORIGINAL_DIM, activation="sigmoid", name="flat_decoder"),
        Reshape(IMAGE_SHAPE),
    ], input_shape=(latent_dim,), name="decoder")
    config = {"latent_dim": latent_dim, "intermediate_dim": intermediate_dim}
    return VAE(encoder, decoder, config, beta=ORIGINAL_DIM, reconstruction="bce")
