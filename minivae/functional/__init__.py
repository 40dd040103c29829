"""minivae.functional (import it as F): stateless functions, signatures as torch.nn.functional."""
from .activations import relu, leaky_relu, sigmoid, tanh, softplus, log_sigmoid

__all__ = ["relu", "leaky_relu", "sigmoid", "tanh", "softplus", "log_sigmoid"]
