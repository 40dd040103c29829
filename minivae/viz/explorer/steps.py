"""An encoder or a decoder as a flat list of functional steps, the program the page's JavaScript runs.

    Dense(2048)                         {"op": "linear", "weight": "...", "bias": "..."}
    Reshape((128, 4, 4))                {"op": "reshape", "shape": [128, 4, 4]}
    Conv2DTranspose(64, 3, strides=2,   {"op": "conv_transpose2d", "stride": [2, 2],
        padding="same", activation=       "padding": "same", "pads": [0, 1, 0, 1],
        "relu")                           "out_shape": [64, 8, 8], ...}
                                        {"op": "relu"}

Each step is one call of :mod:`minivae.functional` with the arguments the layer
gives it, so the kernels in ``engine.js`` can follow the same names. What a step's
geometry works out (the zeros around the image, ``pads`` as (top, bottom, left,
right), and the output shape) is worked out here, by minivae's own
:func:`~minivae.functional.conv_geometry.conv_geometry`: the page restates no
formula, it runs the convolution it is given. The weights are gathered into one
float32 buffer; a step names its arrays by their key in that buffer (the
``state_dict`` names). Encoder and decoder are walked by the same ``_add_layer``:
each layer type is described for the page in one place.

An encoder's steps end in 2 * latent_dim numbers, z_mean then z_log_var, as the CVAE's
encoder gives them. The book's encoder has two Dense heads on the same features; they
become one linear step with the two kernels side by side, (features, 2 * latent_dim),
which computes exactly the two heads' outputs.
"""
import numpy

from ... import backend
from ...functional.conv_geometry import conv_geometry
from ...models.cvae import SplitEncoder
from ...models.vae_encoder import VAEEncoder
from ...nn import (Activation, BatchNormalization, Conv2D, Conv2DTranspose, Dense, Flatten, LeakyReLU,
                   ReLU, Reshape, Sequential)
from ...nn.activations import ACTIVATIONS

# activation name (as layers record it) -> the step; "linear" and None need none
ACTIVATION_STEPS = {"relu": {"op": "relu"}, "sigmoid": {"op": "sigmoid"}, "tanh": {"op": "tanh"},
                    "softplus": {"op": "softplus"},
                    "leaky_relu": {"op": "leaky_relu",
                                   "negative_slope": ACTIVATIONS["leaky_relu"].keywords["negative_slope"]}}


class Steps:
    """The steps and the arrays they read, collected while walking a decoder."""

    def __init__(self):
        self.steps = []
        self.arrays = {}  # key -> float32 array, in the order the steps use them

    def array(self, key, value):
        self.arrays[key] = numpy.ascontiguousarray(_numpy(value), dtype="<f4")
        return key

    def activation(self, name, where):
        if name in (None, "linear"):
            return
        if name not in ACTIVATION_STEPS:
            raise ValueError(f"explorer: {where} uses the activation {name!r}, which the page's "
                             f"engine.js does not have; it knows {', '.join(sorted(ACTIVATION_STEPS))}.")
        self.steps.append(dict(ACTIVATION_STEPS[name]))


def _numpy(value):
    return backend.to_numpy(getattr(value, "data", value))


def _padding(padding):
    """"same" / "valid" stay names; an explicit (ph, pw) becomes a list."""
    return padding if isinstance(padding, str) else [int(p) for p in padding]


def _add_layer(layer, prefix, out):
    name = f"{prefix}{layer.name}"
    if isinstance(layer, Sequential):
        for child in layer.layers:
            _add_layer(child, f"{name}.", out)
    elif isinstance(layer, Dense):
        bias = out.array(f"{name}.bias", layer.bias) if layer.use_bias else None
        out.steps.append({"op": "linear", "layer": name, "weight": out.array(f"{name}.kernel", layer.kernel),
                          "bias": bias, "in_features": int(layer.kernel.shape[0]),
                          "out_features": int(layer.kernel.shape[1])})
        out.activation(layer.activation_name, f"Dense layer '{name}'")
    elif isinstance(layer, (Conv2D, Conv2DTranspose)):  # Conv2DTranspose is a Conv2D: test it first
        transposed = isinstance(layer, Conv2DTranspose)
        step = {"op": "conv_transpose2d" if transposed else "conv2d", "layer": name,
                "weight": out.array(f"{name}.kernel", layer.kernel),
                "weight_shape": [int(n) for n in layer.kernel.shape],
                "bias": out.array(f"{name}.bias", layer.bias) if layer.use_bias else None,
                "stride": list(layer.strides), "padding": _padding(layer.padding)}
        if transposed:
            step["output_padding"] = list(layer.output_padding)  # the layer's own, as its forward passes it
        step.update(_geometry(layer, transposed))
        out.steps.append(step)
        out.activation(layer.activation_name, f"{type(layer).__name__} layer '{name}'")
    elif isinstance(layer, BatchNormalization):
        out.steps.append({"op": "batch_norm", "layer": name,
                          "running_mean": out.array(f"{name}.moving_mean", layer.moving_mean),
                          "running_var": out.array(f"{name}.moving_variance", layer.moving_variance),
                          "weight": out.array(f"{name}.gamma", layer.gamma),
                          "bias": out.array(f"{name}.beta", layer.beta), "eps": float(layer.epsilon)})
    elif isinstance(layer, (Reshape, Flatten)):
        shape = layer.target_shape if isinstance(layer, Reshape) else layer.output_shape
        out.steps.append({"op": "reshape", "layer": name, "shape": [int(n) for n in shape]})
    elif isinstance(layer, LeakyReLU):
        out.steps.append({"op": "leaky_relu", "negative_slope": float(layer.negative_slope)})
    elif isinstance(layer, ReLU):
        out.steps.append({"op": "relu"})
    elif isinstance(layer, Activation):
        out.activation(layer.activation_name, f"Activation layer '{name}'")
    elif isinstance(layer, VAEEncoder):  # the body, then z_mean and z_log_var as one linear step
        _add_layer(layer.body, f"{name}.", out)
        heads = (layer.z_mean, layer.z_log_var)
        kernel = numpy.concatenate([_numpy(h.kernel) for h in heads], axis=1)  # (features, 2 * latent_dim)
        bias = numpy.concatenate([_numpy(h.bias) for h in heads])  # (2 * latent_dim,)
        key = f"{name}.{heads[0].name}+{heads[1].name}"
        out.steps.append({"op": "linear", "layer": key, "weight": out.array(f"{key}.kernel", kernel),
                          "bias": out.array(f"{key}.bias", bias), "in_features": int(kernel.shape[0]),
                          "out_features": int(kernel.shape[1])})
    elif isinstance(layer, SplitEncoder):  # the CVAE's: one Dense(2 * latent_dim), z_mean then z_log_var
        _add_layer(layer.network, f"{name}.", out)
    else:
        raise ValueError(f"explorer: the layer '{name}' is a {type(layer).__name__}, which "
                         "the page's engine.js cannot run; it knows Dense, Conv2D, Conv2DTranspose, "
                         "BatchNormalization, Reshape, Flatten and the activations.")


def _geometry(layer, transposed):
    """{pads, out_shape} of a built Conv2D or Conv2DTranspose: conv_geometry's, as its forward has them."""
    _, h, w = layer.input_shape
    g = conv_geometry((h, w), layer.kernel_size, layer.strides, layer.padding, transposed=transposed,
                      output_padding=layer.output_padding if transposed else 0)
    return {"pads": [int(p) for p in g.pads],  # (top, bottom, left, right) zeros around the image
            "out_shape": [int(n) for n in layer.output_shape]}  # (C_out, H, W): output_hw of the same geometry


def network_steps(network):
    """(steps, arrays) of ``network``, a built encoder or decoder made of the layers above: a list
    of step dicts and {key: float32 array}. An encoder's steps end in 2 * latent_dim numbers
    (z_mean, z_log_var) for a VAE, latent_dim (z) for an autoencoder."""
    out = Steps()
    _add_layer(network, "", out)
    return out.steps, out.arrays


def decoder_steps(decoder, logits=False):
    """(steps, arrays) of ``decoder``: a list of step dicts and {key: float32 array}.

    The decoder is a network for :func:`network_steps`.
    logits: the model's p(x|z) is a Bernoulli from logits (``model.likelihood.logits``, the
    CVAE): ``decoder.network`` gives them and decoder(z) is their sigmoid, as the page draws it.
    """
    if not logits:
        return network_steps(decoder)
    out = Steps()
    _add_layer(decoder.network, f"{decoder.name}.", out)
    out.steps.append({"op": "sigmoid"})
    return out.steps, out.arrays
