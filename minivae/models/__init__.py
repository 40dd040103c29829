"""minivae.models: the three models of the book's chapter 3 and one model of each blog.

    model = minivae.models.build("fashion-vae")      # or fashion_vae(latent_dim=2, beta=500)
    optimizer = minivae.optim.Adam(model.parameters())
    logs = model.train_step(batch, optimizer)        # {"total_loss": ..., "reconstruction_loss": ..., "kl_loss": ...}
"""
from .model import Model
from .likelihood import Likelihood, implied_variance
from .autoencoder import Autoencoder
from .vae import VAE
from .vae_encoder import VAEEncoder
from .fashion import fashion_autoencoder, fashion_vae
from .faces import faces_vae
from .cvae import CVAE, cvae
from .mlp_vae import mlp_vae
from .cifar_vae import cifar_vae
from .registry import MODELS, build, register

__all__ = ["Model", "Likelihood", "implied_variance", "Autoencoder", "VAE", "VAEEncoder", "fashion_autoencoder",
           "fashion_vae", "faces_vae", "CVAE", "cvae", "mlp_vae", "cifar_vae", "MODELS", "build", "register"]
