"""minivae.optim: optimizers that update parameters in place from their gradients.

    optimizer = Adam(model.parameters(), lr=1e-3)
    optimizer.zero_grad(); loss.backward(); optimizer.step()
"""
from .optimizer import Optimizer
from .sgd import SGD
from .adam import Adam
from .rmsprop import RMSprop

OPTIMIZERS = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop}


def get(name, params, **kwargs):
    """An optimizer by its Keras name ('adam', 'rmsprop', 'sgd'), as in compile(optimizer="adam")."""
    key = str(name).lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name!r}: choose one of {', '.join(OPTIMIZERS)}.")
    return OPTIMIZERS[key](params, **kwargs)


__all__ = ["Optimizer", "SGD", "Adam", "RMSprop", "get"]
