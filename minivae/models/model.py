"""Model: an encoder and a decoder trained together; the base of the autoencoder and the VAEs.

A subclass says how to compute its losses from a batch (``compute_losses``);
this base runs the training step the book writes in example 3-13: forward,
loss, gradients of the total loss, one optimizer step.

A model also says what it is, so that the figures, the explorer and the
evaluation ask it instead of finding out:

    is_vae       True: encoder(x) gives (z_mean, z_log_var, z), q(z|x) = N(z_mean, exp(z_log_var));
                 False: encoder(x) is one point z (an autoencoder)
    likelihood   p(x|z), the distribution its decoder's output is the parameter of (.likelihood)
    kl_estimate  how kl_loss estimates KL(q(z|x) || p(z)): "closed form", "one sample"
                 (log q(z|x) - log p(z) at the drawn z, a Monte-Carlo estimate), or None (no KL)
    loss_terms() how compute_losses makes each term, as data (the explorer's page runs it)
    value_range  (low, high) of its inputs and of its decoder's outputs: (0, 1), or (-1, 1)
                 where the decoder ends in tanh (the CIFAR-10 VAE)
    latent_dim   the size of z
    name         its name in the registry (set by @register on its factory)
"""
from .. import backend
from ..autograd.tensor import Tensor
from ..nn import Module
from ..nn.summary import format_shape


class Model(Module):
    """An encoder and a decoder trained together: the base of the autoencoder and the VAEs.

    A subclass computes its losses from a batch (``compute_losses``); ``train_step``
    is the book's example 3-13: forward, losses, backward of the total, one optimizer step.
    """

    name = "model"  # the registry name (minivae.models.build(name, **config))
    is_vae = False  # does the encoder give q(z|x) (z_mean, z_log_var, z), or one point z?
    kl_estimate = None  # "closed form", "one sample" or None: how kl_loss estimates the KL
    value_range = (0.0, 1.0)  # its images' range, in and out: pixels read as probabilities

    def __init__(self, encoder, decoder, config):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
        self.config = dict(config)  # the constructor's arguments: build(self.name, **self.config)

    @property
    def input_shape(self):
        """One example's shape, channels-first, e.g. (1, 32, 32)."""
        return self.encoder.input_shape

    @property
    def latent_dim(self):
        """The size of the latent space: the length of the vector the decoder takes."""
        return int(self.decoder.input_shape[0])

    @property
    def likelihood(self):
        """p(x|z): the :class:`Likelihood` whose -log the training loss is (up to beta and a constant)."""
        raise NotImplementedError(f"{type(self).__name__} must say what its p(x|z) is (likelihood)")

    def loss_terms(self):
        """How ``compute_losses`` makes its loss for one image, as data a page can run.

        The record::

            reconstruction  {kernel: "bce" | "bce_with_logits" | "mse", over_pixels: "mean" | "sum",
                             scale: what multiplies it (beta, or 1), epsilon: BCE's clip, or None}
            kl              kl_estimate: "closed form", "one sample" or None
            beta            the weight of the reconstruction term, or None where there is none
            likelihood      {family, logits}: logits True, the kernel takes the decoder's logits
            describe        {term: a line saying how it is made}, for the page's table

        Each model writes it beside its ``compute_losses``, so the two are read together.
        """
        raise NotImplementedError(f"{type(self).__name__} must say how its loss is made (loss_terms)")

    def __call__(self, x):
        """The reconstruction of ``x``: a Tensor (kept in the graph) or an array (converted)."""
        return self.forward(x if isinstance(x, Tensor) else self.as_batch(x))

    def forward(self, x):
        raise NotImplementedError

    def compute_losses(self, x):
        """A dict of scalar tensors: total_loss, reconstruction_loss, kl_loss."""
        raise NotImplementedError

    # ------------------------------------------------------------ the two steps
    def train_step(self, batch, optimizer):
        """One gradient step on ``batch`` (N, C, H, W) in [0, 1]; returns the losses as floats."""
        x = self.as_batch(batch)
        self.train()
        optimizer.zero_grad()
        losses = self.compute_losses(x)
        losses["total_loss"].backward()
        optimizer.step()
        return _floats(losses)

    def test_step(self, batch):
        """The losses on ``batch`` in inference mode, without building a graph or updating."""
        x = self.as_batch(batch)
        with self.inference():
            return _floats(self.compute_losses(x))

    # ------------------------------------------------------------ inputs
    def as_batch(self, batch):
        """A Tensor on the model's device and in its dtype, checked against the input shape."""
        data = batch.data if isinstance(batch, Tensor) else batch
        device = self.device
        if backend.device_of(data) != device:
            data = backend.to_device(data, device)
        xp = backend.get_array_module(data)
        data = xp.asarray(data, dtype=self.dtype)
        expected = tuple(self.input_shape)
        if data.ndim != len(expected) + 1 or tuple(data.shape[1:]) != expected:
            hint = ""
            if data.ndim == 4 and data.shape[-1] == expected[0]:
                hint = " The batch looks channels-last (N, H, W, C): use x.transpose(0, 3, 1, 2)."
            elif data.ndim == len(expected):
                hint = " Add the batch axis: x[None] for a single image."
            raise ValueError(f"{self.name}: expected a batch of shape {format_shape((None,) + expected)}, "
                             f"received {format_shape(tuple(data.shape))}.{hint}")
        return Tensor(data)

    # ------------------------------------------------------------ the rest of the Keras API
    def summary(self, print_fn=print):
        """Print the encoder's and the decoder's tables (the book prints them separately) and
        return None, as Keras does; print_fn=None returns them as a string instead."""
        text = self.encoder.summary(print_fn=None) + "\n" + self.decoder.summary(print_fn=None)
        if print_fn is None:
            return text
        print_fn(text)
        return None

    def extra_repr(self):
        return ", ".join(f"{k}={v!r}" for k, v in self.config.items())


def _floats(losses):
    """The losses as Python floats, brought from the device in one copy (each copy waits for it)."""
    tensors = {k: v.data for k, v in losses.items() if isinstance(v, Tensor)}
    fetched = {}
    if tensors:
        xp = backend.get_array_module(*tensors.values())
        stacked = xp.stack([a.reshape(()) for a in tensors.values()])  # (number of losses,)
        fetched = dict(zip(tensors, backend.to_numpy(stacked).tolist()))
    return {k: fetched[k] if k in fetched else float(v) for k, v in losses.items()}
