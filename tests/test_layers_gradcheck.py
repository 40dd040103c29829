"""Every layer's backward against central differences, in float64, on random small sizes.

The parameters are passed to gradcheck beside the input, so the gradients of
kernels, biases and batch-norm scales are checked as well as the input's.
"""
import numpy
import pytest
from hypothesis import given, strategies as st

import minivae
from minivae import backend
from minivae.nn import (Activation, BatchNormalization, Conv2D, Conv2DTranspose, Dense, Flatten,
                        LeakyReLU, ReLU, Reshape, Sampling, Sequential)


def device_of(xp):
    return "cpu" if xp is numpy else "gpu"


def built(layer, input_shape, xp):
    """The layer built for ``input_shape``, converted to float64 and moved to xp's device."""
    layer.ensure_built(tuple(input_shape))
    return layer.astype("float64").to(device_of(xp))


def tensor(xp, shape, seed, requires_grad=True, scale=1.0):
    data = numpy.random.default_rng(seed).standard_normal(shape) * scale
    return minivae.Tensor(xp.asarray(data), requires_grad=requires_grad)


def check_layer(layer, x):
    """gradcheck the input and every parameter of ``layer``."""
    params = layer.parameters()
    assert all(p.dtype == numpy.float64 for p in params)
    assert minivae.gradcheck(lambda x, *ps: layer(x), x, *params)


seeds = st.integers(0, 2 ** 16)


@given(n=st.integers(1, 3), features=st.integers(1, 6), units=st.integers(1, 5),
       activation=st.sampled_from([None, "sigmoid", "tanh", "relu"]), seed=seeds)
def test_dense(xp, n, features, units, activation, seed):
    layer = built(Dense(units, activation=activation), (features,), xp)
    check_layer(layer, tensor(xp, (n, features), seed))


@given(n=st.integers(1, 2), c_in=st.integers(1, 3), c_out=st.integers(1, 3),
       h=st.integers(3, 6), w=st.integers(3, 6), k=st.integers(1, 3), s=st.integers(1, 2),
       padding=st.sampled_from(["valid", "same"]), activation=st.sampled_from([None, "relu"]),
       seed=seeds)
def test_conv2d(xp, n, c_in, c_out, h, w, k, s, padding, activation, seed):
    layer = built(Conv2D(c_out, k, strides=s, padding=padding, activation=activation),
                  (c_in, h, w), xp)
    check_layer(layer, tensor(xp, (n, c_in, h, w), seed))


@given(n=st.integers(1, 2), c_in=st.integers(1, 3), c_out=st.integers(1, 3),
       h=st.integers(1, 4), w=st.integers(1, 4), k=st.integers(1, 3), s=st.integers(1, 2),
       padding=st.sampled_from(["valid", "same"]), activation=st.sampled_from([None, "sigmoid"]),
       seed=seeds)
def test_conv2d_transpose(xp, n, c_in, c_out, h, w, k, s, padding, activation, seed):
    layer = built(Conv2DTranspose(c_out, k, strides=s, padding=padding, activation=activation),
                  (c_in, h, w), xp)
    x = tensor(xp, (n, c_in, h, w), seed)
    assert layer(x).shape[1:] == layer.output_shape
    check_layer(layer, x)


@given(n=st.integers(2, 4), c=st.integers(1, 3), spatial=st.sampled_from([(), (2, 3), (3, 2)]),
       training=st.booleans(), seed=seeds)
def test_batch_normalization(xp, n, c, spatial, training, seed):
    layer = built(BatchNormalization(), (c,) + spatial, xp)
    rng = numpy.random.default_rng(seed + 1)
    # non-trivial scale, shift and moving statistics, so every term of the gradient shows
    layer.gamma.data[...] = xp.asarray(rng.uniform(0.5, 2.0, c))
    layer.beta.data[...] = xp.asarray(rng.standard_normal(c))
    layer.moving_mean[...] = xp.asarray(rng.standard_normal(c))
    layer.moving_variance[...] = xp.asarray(rng.uniform(0.5, 2.0, c))
    layer.train(training)
    check_layer(layer, tensor(xp, (n, c) + spatial, seed, scale=3.0))


@given(shape=st.sampled_from([(3, 4), (2, 2, 3, 3)]), seed=seeds,
       layer=st.sampled_from(["relu", "leaky", "leaky_slope", "sigmoid", "tanh", "softplus",
                              "linear"]))
def test_activations(xp, shape, seed, layer):
    make = {"relu": ReLU, "leaky": LeakyReLU, "leaky_slope": lambda: LeakyReLU(0.1),
            "sigmoid": lambda: Activation("sigmoid"), "tanh": lambda: Activation("tanh"),
            "softplus": lambda: Activation("softplus"), "linear": lambda: Activation("linear")}
    x = tensor(xp, shape, seed)
    layer = make[layer]()
    assert minivae.gradcheck(layer, x)


@given(n=st.integers(1, 3), c=st.integers(1, 3), h=st.integers(1, 3), w=st.integers(1, 3),
       seed=seeds)
def test_flatten_and_reshape(xp, n, c, h, w, seed):
    x = tensor(xp, (n, c, h, w), seed)
    assert minivae.gradcheck(Flatten(), x)
    assert minivae.gradcheck(Reshape((h, w * c)), x)
    model = built(Sequential([Flatten(), Reshape((w, h, c))]), (c, h, w), xp)
    assert model(x).shape == (n, w, h, c)


@given(n=st.integers(1, 3), latent=st.integers(1, 4), seed=seeds)
def test_sampling(xp, n, latent, seed):
    layer = Sampling()
    z_mean, z_log_var = tensor(xp, (n, latent), seed), tensor(xp, (n, latent), seed + 1)

    def fn(z_mean, z_log_var):  # the same epsilon for every nudged evaluation
        backend.manual_seed(seed)
        return layer([z_mean, z_log_var])
    assert minivae.gradcheck(fn, z_mean, z_log_var)


def test_stacked_layers_gradcheck(xp):
    """A small encoder-decoder stack: gradients flow through every layer type together."""
    model = built(Sequential([
        Conv2D(2, 3, strides=2, padding="same", activation="relu"), BatchNormalization(),
        LeakyReLU(), Flatten(), Dense(3), Dense(8), Reshape((2, 2, 2)),
        Conv2DTranspose(2, 3, strides=2, padding="same"), Activation("sigmoid")]), (1, 4, 4), xp)
    x = tensor(xp, (3, 1, 4, 4), 0)
    assert model(x).shape == (3, 2, 4, 4)
    assert minivae.gradcheck(lambda x, *ps: model(x), x, *model.parameters())


def test_gradcheck_catches_a_wrong_layer_gradient(xp):
    """The harness itself: a layer whose weight gradient is wrong must fail."""
    layer = built(Dense(2), (3,), xp)
    x = tensor(xp, (2, 3), 0)

    def wrong(x, kernel, bias):  # detach() hides the kernel's second use from backward
        return layer(x) * kernel.detach().sum()
    with pytest.raises(minivae.GradcheckError):
        minivae.gradcheck(wrong, x, *layer.parameters())
