"""Sampling: the book's layer that draws z from N(z_mean, exp(z_log_var)) (example 3-11)."""
from .. import functional as F
from .layer import Layer
from .summary import format_shape


class Sampling(Layer):
    """``Sampling()([z_mean, z_log_var])`` or ``Sampling()(z_mean, z_log_var)``.

    The reparameterization trick: z = z_mean + exp(0.5 * z_log_var) * epsilon,
    epsilon ~ N(0, I). The randomness sits in epsilon, outside the graph, so
    gradients flow to z_mean and z_log_var. No parameters.
    """

    def __call__(self, *inputs):
        if len(inputs) == 1 and isinstance(inputs[0], (list, tuple)):
            inputs = tuple(inputs[0])  # the book's Sampling()([z_mean, z_log_var])
        return super().__call__(*inputs)

    def build(self, input_shape):
        if not isinstance(input_shape, list) or len(input_shape) != 2:
            raise ValueError(f"Sampling layer '{self.name}': takes two inputs, z_mean and "
                             f"z_log_var; got {input_shape}.")
        return tuple(input_shape[0])

    def check_input(self, inputs):
        if len(inputs) != 2:
            raise ValueError(f"Sampling layer '{self.name}': takes two inputs, z_mean and "
                             f"z_log_var; got {len(inputs)}.")
        z_mean, z_log_var = inputs
        if z_mean.shape != z_log_var.shape or len(z_mean.shape) != 2:
            raise ValueError(
                f"Sampling layer '{self.name}': expected z_mean and z_log_var of the same shape "
                f"(None, latent_dim), received {format_shape(z_mean.shape)} and "
                f"{format_shape(z_log_var.shape)}.")

    def forward(self, z_mean, z_log_var):
        return F.reparameterize(z_mean, z_log_var)
