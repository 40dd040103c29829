"""VAEEncoder: convolutions to a vector, then two heads, z_mean and z_log_var, and a sample z."""
from ..nn import Dense, Layer, Sampling, Sequential


class VAEEncoder(Layer):
    """The book's VAE encoder (example 3-12): ``encoder(x)`` returns ``z_mean, z_log_var, z``.

    ``body`` turns an image into a flat vector; ``z_mean`` and ``z_log_var`` are two
    Dense heads on that vector (the log of the variance, so any real number is
    valid); ``z`` is drawn from N(z_mean, exp(z_log_var)) by the Sampling layer.
    """

    def __init__(self, body_layers, latent_dim, input_shape, name="encoder"):
        super().__init__(name)
        self.latent_dim = int(latent_dim)
        self.body = Sequential(body_layers, name=f"{name}_body")
        self.z_mean = Dense(self.latent_dim, name="z_mean")
        self.z_log_var = Dense(self.latent_dim, name="z_log_var")
        self.sampling = Sampling(name="z")
        self.ensure_built(tuple(input_shape))

    def build(self, input_shape):
        features = self.body.ensure_built(input_shape)
        latent = self.z_mean.ensure_built(features)
        self.z_log_var.ensure_built(features)
        return self.sampling.ensure_built([latent, latent])

    def forward(self, x):
        h = self.body(x)  # (N, features)
        z_mean = self.z_mean(h)  # (N, latent_dim)
        z_log_var = self.z_log_var(h)  # (N, latent_dim)
        z = self.sampling(z_mean, z_log_var)
        return z_mean, z_log_var, z
