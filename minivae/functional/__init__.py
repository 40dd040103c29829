"""minivae.functional (import it as F): stateless functions, signatures as torch.nn.functional."""
from .activations import relu, leaky_relu, sigmoid, tanh, softplus, log_sigmoid
from .conv import conv2d, conv_transpose2d
from .linear import linear
from .batchnorm import batch_norm
from .losses import (binary_cross_entropy, binary_cross_entropy_with_logits, mse_loss, kl_normal,
                     log_normal_pdf)
from .sampling import reparameterize

__all__ = ["relu", "leaky_relu", "sigmoid", "tanh", "softplus", "log_sigmoid", "conv2d",
           "conv_transpose2d", "linear", "batch_norm", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "mse_loss", "kl_normal", "log_normal_pdf",
           "reparameterize"]
