"""The TensorFlow tutorial's convolutional VAE (CVAE) on binarized MNIST, trained on the ELBO.

Two stride-2 convolutions and one Dense layer give 2 * latent_dim numbers,
split into z_mean and z_log_var; a Dense layer and three transposed
convolutions give one logit per pixel of p(x|z), a Bernoulli per pixel.
Input is (1, 28, 28), channels-first (the tutorial's (28, 28, 1)), unpadded:
"valid" convolutions take 28 -> 13 -> 6.

The loss is the tutorial's single-sample Monte-Carlo estimate of the ELBO,

    log p(x|z) + log p(z) - log q(z|x),    z ~ q(z|x) = N(z_mean, exp(z_log_var)),

with every term a log density at the one sampled z (log_normal_pdf), the
KL term included: the book's VAE uses the closed form instead.
"""
from dataclasses import asdict

from .. import functional as F
from ..nn import Conv2D, Conv2DTranspose, Dense, Flatten, Layer, Reshape, Sampling, Sequential
from .likelihood import Likelihood
from .model import Model
from .registry import register

INPUT_SHAPE = (1, 28, 28)
SHAPE_BEFORE_FLATTENING = (32, 7, 7)  # the tutorial's Reshape(target_shape=(7, 7, 32))


class SplitEncoder(Layer):
    """The tutorial's ``encode``: one network ending in Dense(2 * latent_dim), cut in two.

    ``encoder(x)`` returns ``z_mean, z_log_var, z`` like the book's encoder: the first
    half of the last layer's outputs is z_mean, the second z_log_var (``tf.split``),
    and z is drawn by the Sampling layer. One Dense(2L) holds exactly the weights of
    two Dense(L) heads, so the parameter count is the same either way.
    """

    def __init__(self, layers, latent_dim, input_shape, name="encoder"):
        super().__init__(name)
        self.latent_dim = int(latent_dim)
        self.network = Sequential(layers, name=f"{name}_network")
        self.sampling = Sampling(name="z")
        self.ensure_built(tuple(input_shape))

    def build(self, input_shape):
        (features,) = self.network.ensure_built(input_shape)
        if features != 2 * self.latent_dim:
            raise ValueError(f"SplitEncoder '{self.name}': the last layer gives {features} outputs, "
                             f"expected 2 * latent_dim = {2 * self.latent_dim} (z_mean and z_log_var).")
        latent = (self.latent_dim,)
        return self.sampling.ensure_built([latent, latent])

    def forward(self, x):
        h = self.network(x)  # (N, 2 * latent_dim)
        z_mean = h[:, :self.latent_dim]  # (N, latent_dim)
        z_log_var = h[:, self.latent_dim:]  # (N, latent_dim)
        z = self.sampling(z_mean, z_log_var)
        return z_mean, z_log_var, z


class BernoulliDecoder(Layer):
    """p(x|z) with one Bernoulli per pixel: ``logits(z)`` for the loss, ``decoder(z)`` the image.

    ``network`` is the layers that give the logits (what the explorer exports before a sigmoid).

    The network ends without an activation, as the tutorial's does: the loss takes
    logits (sigmoid cross-entropy, never log(0)). Calling the decoder applies the
    sigmoid, giving pixel probabilities in [0, 1] (the tutorial's ``apply_sigmoid=True``),
    which is what every figure draws.
    """

    def __init__(self, layers, input_shape, name="decoder"):
        super().__init__(name)
        self.network = Sequential(layers, name=f"{name}_network")
        self.ensure_built(tuple(input_shape))

    def build(self, input_shape):
        return self.network.ensure_built(input_shape)

    def logits(self, z):
        return self.network(z)  # (N, 1, 28, 28)

    def forward(self, z):
        return F.sigmoid(self.logits(z))


class CVAE(Model):
    """The tutorial's ``CVAE`` and ``compute_loss``; the losses are means over the batch.

    Per image:

        reconstruction_loss = -log p(x|z)            = sum over pixels of BCE(logits, x)
        kl_loss             = log q(z|x) - log p(z)  (a one-sample estimate of the KL)
        total_loss          = reconstruction_loss + kl_loss = -ELBO

    test_step gives the same on test data, so -val_total_loss is the tutorial's
    "Test set ELBO". kl_loss is noisy and can be negative for one batch; its mean
    over samples is the closed-form KL that the book's VAE uses.
    """

    is_vae = True
    likelihood = Likelihood("bernoulli", logits=True)  # decoder.logits(z); decoder(z) is their sigmoid
    kl_estimate = "one sample"  # log q(z|x) - log p(z) at the drawn z: the tutorial's Monte-Carlo KL

    def loss_terms(self):
        """The sum over pixels of BCE from logits, and the one-sample KL (see Model.loss_terms)."""
        return {"reconstruction": {"kernel": "bce_with_logits", "over_pixels": "sum", "scale": 1.0,
                                   "epsilon": None},
                "kl": self.kl_estimate, "beta": None, "likelihood": asdict(self.likelihood),
                "describe": {"reconstruction_loss": "-log p(x|z): sum of BCE over pixels",
                             "kl_loss": "log q(z|x) - log p(z) at z", "beta": "",
                             "total_loss": "reconstruction_loss + kl_loss"}}

    def forward(self, x):
        _, _, z = self.encoder(x)
        return self.decoder(z)

    def encode(self, x):
        """The tutorial's ``encode``: (mean, logvar)."""
        z_mean, z_log_var, _ = self.encoder(x)
        return z_mean, z_log_var

    def decode(self, z, apply_sigmoid=False):
        """The tutorial's ``decode``: logits, or pixel probabilities with apply_sigmoid=True."""
        return self.decoder(z) if apply_sigmoid else self.decoder.logits(z)

    def compute_losses(self, x):
        z_mean, z_log_var, z = self.encoder(x)
        x_logit = self.decoder.logits(z)
        cross_ent = F.binary_cross_entropy_with_logits(x_logit, x, reduction="none")
        logpx_z = -cross_ent.sum(axis=(1, 2, 3))  # (N,)
        logpz = F.log_normal_pdf(z, 0., 0.)  # (N,) the prior N(0, I)
        logqz_x = F.log_normal_pdf(z, z_mean, z_log_var)  # (N,)
        reconstruction_loss = -logpx_z.mean()
        kl_loss = (logqz_x - logpz).mean()
        return {"total_loss": reconstruction_loss + kl_loss,
                "reconstruction_loss": reconstruction_loss, "kl_loss": kl_loss}


@register("cvae")  # the TensorFlow tutorial
def cvae(latent_dim=2):
    """The tutorial's CVAE: encoder 28,036 and decoder 41,953 parameters for latent_dim=2."""
    encoder = SplitEncoder([
        Conv2D(32, 3, strides=2, activation="relu"),
        Conv2D(64, 3, strides=2, activation="relu"),
        Flatten(),
        Dense(latent_dim + latent_dim),  # no activation: z_mean and z_log_var
    ], latent_dim, INPUT_SHAPE, name="encoder")
    c, h, w = SHAPE_BEFORE_FLATTENING
    decoder = BernoulliDecoder([
        Dense(c * h * w, activation="relu"),
        Reshape(SHAPE_BEFORE_FLATTENING),
        Conv2DTranspose(64, 3, strides=2, padding="same", activation="relu"),
        Conv2DTranspose(32, 3, strides=2, padding="same", activation="relu"),
        Conv2DTranspose(1, 3, strides=1, padding="same"),  # no activation: logits
    ], input_shape=(latent_dim,), name="decoder")
    return CVAE(encoder, decoder, {"latent_dim": latent_dim})
