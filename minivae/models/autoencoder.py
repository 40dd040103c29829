"""Autoencoder: encoder to a point in latent space, decoder back, trained on reconstruction alone."""
from dataclasses import asdict

from .. import functional as F
from ..functional.losses import BCE_EPSILON
from .likelihood import Likelihood
from .model import Model


class Autoencoder(Model):
    """The book's autoencoder (examples 3-3 to 3-6), compiled with loss="binary_crossentropy".

    loss = mean over pixels and batch of BCE(x, decoder(encoder(x))). There is
    no KL term; ``kl_loss`` is reported as 0.0 so every model logs the same keys.
    The encoder gives one point z, no q(z|x): it is no VAE.
    """

    is_vae = False
    likelihood = Likelihood("bernoulli")  # the BCE it trains on, of the decoder's sigmoid output

    def loss_terms(self):
        """The mean over pixels of BCE, no KL (see Model.loss_terms)."""
        return {"reconstruction": {"kernel": "bce", "over_pixels": "mean", "scale": 1.0,
                                   "epsilon": BCE_EPSILON},
                "kl": None, "beta": None, "likelihood": asdict(self.likelihood),
                "describe": {"reconstruction_loss": "mean BCE over pixels", "kl_loss": "(none)",
                             "total_loss": "reconstruction_loss + kl_loss"}}

    def forward(self, x):
        return self.decoder(self.encoder(x))

    def compute_losses(self, x):
        reconstruction = self.forward(x)
        reconstruction_loss = F.binary_cross_entropy(reconstruction, x)
        return {"total_loss": reconstruction_loss, "reconstruction_loss": reconstruction_loss,
                "kl_loss": 0.0}
