"""VAE: the encoder gives a distribution, the decoder a reconstruction of a sample from it."""
import math
from dataclasses import asdict

from .. import functional as F
from ..functional.losses import BCE_EPSILON
from .likelihood import Likelihood, implied_variance
from .model import Model

RECONSTRUCTION = {
    "bce": F.binary_cross_entropy,  # Fashion-MNIST: pixels read as probabilities
    "mse": F.mse_loss,              # CelebA faces
}


class VAE(Model):
    """The book's VAE (example 3-13): ``encoder(x)`` is ``z_mean, z_log_var, z``.

    Its losses::

        reconstruction_loss = beta * mean over batch of (mean over pixels of BCE or MSE)
        kl_loss = mean over batch of sum over latent dims of
                  -0.5 * (1 + z_log_var - z_mean ** 2 - exp(z_log_var))
        total_loss = reconstruction_loss + kl_loss

    beta weighs reconstruction against the KL term, which pulls every
    encoding towards N(0, I): 500 for Fashion-MNIST, 2000 for faces.
    """

    is_vae = True
    kl_estimate = "closed form"

    def __init__(self, encoder, decoder, config, beta, reconstruction="bce"):
        super().__init__(encoder, decoder, config)
        if reconstruction not in RECONSTRUCTION:
            raise ValueError(f"VAE: reconstruction must be one of {', '.join(RECONSTRUCTION)}, "
                             f"got {reconstruction!r}.")
        self.beta = float(beta)
        self.reconstruction = reconstruction

    @property
    def likelihood(self):
        """BCE: a Bernoulli per pixel from the decoder's probabilities. MSE: the Gaussian whose
        variance makes beta * MSE its -log p(x|z) up to a constant (``implied_variance``)."""
        if self.reconstruction == "bce":
            return Likelihood("bernoulli")
        pixels = math.prod(self.input_shape)
        return Likelihood("gaussian", variance=implied_variance(self.beta, pixels),
                          why=f" = D / (2 beta) = {pixels} / (2 * {self.beta:g}), the variance at which "
                              "the training loss beta * mean squared error equals -log p(x|z) up to a "
                              "constant")

    def loss_terms(self):
        """beta * mean over pixels of BCE or MSE, and the closed-form KL (see Model.loss_terms)."""
        kernel = self.reconstruction
        return {"reconstruction": {"kernel": kernel, "over_pixels": "mean", "scale": self.beta,
                                   "epsilon": BCE_EPSILON if kernel == "bce" else None},
                "kl": self.kl_estimate, "beta": self.beta, "likelihood": asdict(self.likelihood),
                "describe": {"reconstruction_loss": f"beta x mean {kernel.upper()} over pixels",
                             "kl_loss": "KL(q(z|x) || N(0, I)), closed form", "beta": "",
                             "total_loss": "reconstruction_loss + kl_loss"}}

    def forward(self, x):
        _, _, z = self.encoder(x)
        return self.decoder(z)

    def compute_losses(self, x):
        z_mean, z_log_var, z = self.encoder(x)
        reconstruction = self.decoder(z)
        per_pixel = RECONSTRUCTION[self.reconstruction](reconstruction, x, reduction="none")
        reconstruction_loss = self.beta * per_pixel.mean(axis=(1, 2, 3)).mean()
        kl_loss = F.kl_normal(z_mean, z_log_var).mean()
        return {"total_loss": reconstruction_loss + kl_loss,
                "reconstruction_loss": reconstruction_loss, "kl_loss": kl_loss}

