"""``build(name, **config)``: a model by its registry name, so a checkpoint can rebuild it::

    model = build("fashion-vae", latent_dim=2)
    saved = {"model": model.name, "config": model.config, "weights": model.state_dict()}
    again = build(saved["model"], **saved["config"])
"""
from .cifar_vae import cifar_vae
from .cvae import cvae
from .faces import faces_vae
from .fashion import fashion_autoencoder, fashion_vae
from .mlp_vae import mlp_vae

MODELS = {
    "fashion-autoencoder": fashion_autoencoder,
    "fashion-vae": fashion_vae,
    "faces-vae": faces_vae,
    "cvae": cvae,            # the TensorFlow tutorial
    "mlp-vae": mlp_vae,      # the Keras MLP blog
    "cifar-vae": cifar_vae,  # the PyTorch CIFAR-10 blog
}


def build(name, **config):
    """The model called ``name`` (see MODELS), made with ``config`` as keyword arguments."""
    key = str(name).lower().replace("_", "-")
    if key not in MODELS:
        raise ValueError(f"unknown model {name!r}: choose one of {', '.join(MODELS)}.")
    return MODELS[key](**config)
