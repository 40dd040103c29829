"""The one list of model names: MODELS, filled by @register where each factory is written.

    @register("fashion-vae")
    def fashion_vae(latent_dim=2, beta=500): ...

    model = build("fashion-vae", latent_dim=2)          # model.name == "fashion-vae"
    saved = {"model": model.name, "config": model.config, "weights": model.state_dict()}
    again = build(saved["model"], **saved["config"])

The command line's --model choices, the training recipes (minivae.recipes) and
checkpoints all read these names; ``minivae/models/__init__.py`` imports every
factory's module, so MODELS is whole once ``minivae.models`` is imported.
"""
import functools

MODELS = {}  # registry name -> factory, in the order the factories are imported


def register(name):
    """Put a model factory in MODELS under ``name``; every model it builds is called ``name``."""
    def decorate(factory):
        if name in MODELS:
            raise ValueError(f"register: two model factories are called {name!r}")

        @functools.wraps(factory)
        def named(*args, **kwargs):
            model = factory(*args, **kwargs)
            model.name = name
            return model
        MODELS[name] = named
        return named
    return decorate


def build(name, **config):
    """The model called ``name`` (see MODELS), made with ``config`` as keyword arguments."""
    key = str(name).lower().replace("_", "-")
    if key not in MODELS:
        raise ValueError(f"unknown model {name!r}: choose one of {', '.join(MODELS)}.")
    return MODELS[key](**config)
