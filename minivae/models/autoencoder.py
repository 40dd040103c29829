"""Autoencoder: encoder to a point in latent space, decoder back, trained on reconstruction alone."""
from .. import functional as F
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

    def forward(self, x):
        return self.decoder(self.encoder(x))

    def compute_losses(self, x):
        reconstruction = self.forward(x)
        reconstruction_loss = F.binary_cross_entropy(reconstruction, x)
        return {"total_loss": reconstruction_loss, "reconstruction_loss": reconstruction_loss,
                "kl_loss": 0.0}
