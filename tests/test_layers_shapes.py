"""Output shapes as Keras computes them, parameter counts, and the errors a learner meets."""
import math

import numpy
import pytest
from hypothesis import given, strategies as st

import minivae
from minivae.nn import (Activation, BatchNormalization, Conv2D, Conv2DTranspose, Dense, Flatten,
                        LeakyReLU, Reshape, Sampling, Sequential)


def ones(*shape):
    return minivae.Tensor(numpy.ones(shape, dtype=numpy.float32))


@given(h=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3),
       padding=st.sampled_from(["valid", "same"]))
def test_conv2d_output_shape_matches_keras(h, k, s, padding):
    expected = math.ceil(h / s) if padding == "same" else (h - k) // s + 1
    if expected < 1:
        return
    layer = Conv2D(2, k, strides=s, padding=padding)
    assert layer.ensure_built((1, h, h + 1))[1] == expected
    assert layer(ones(1, 1, h, h + 1)).shape[1:] == layer.output_shape


@given(h=st.integers(1, 5), k=st.integers(1, 4), s=st.integers(1, 3),
       padding=st.sampled_from(["valid", "same"]))
def test_conv2d_transpose_output_shape_matches_keras(h, k, s, padding):
    # Keras' deconv_output_length with output_padding=None
    expected = h * s if padding == "same" else h * s + max(k - s, 0)
    layer = Conv2DTranspose(2, k, strides=s, padding=padding)
    assert layer.ensure_built((1, h, h))[1:] == (expected, expected)
    assert layer(ones(1, 1, h, h)).shape[1:] == (2, expected, expected)


@pytest.mark.parametrize("layer, input_shape, params", [
    (Dense(2), (2048,), 4_098),                                       # table 3-1
    (Conv2D(32, 3, strides=2, padding="same"), (1, 32, 32), 320),
    (Conv2D(64, (3, 3), strides=2, padding="same"), (32, 16, 16), 18_496),
    (Conv2DTranspose(128, 3, strides=2, padding="same"), (128, 4, 4), 147_584),  # table 3-2
    (Conv2DTranspose(3, 3, padding="same"), (128, 32, 32), 3_459),    # table 3-6
    (BatchNormalization(), (128, 16, 16), 512),                       # table 3-5
    (BatchNormalization(), (512,), 2_048),                            # table 3-6
    (LeakyReLU(), (3, 4, 4), 0), (Flatten(), (3, 4, 4), 0),
])
def test_parameter_counts_of_the_book(layer, input_shape, params):
    layer.ensure_built(input_shape)
    assert layer.count_params() == params


def test_keras_default_names_are_numbered_within_a_model():
    model = Sequential([Dense(4), Dense(4, name="mine"), Dense(4), LeakyReLU(), LeakyReLU()],
                       input_shape=(3,))
    assert [layer.name for layer in model.layers] == ["dense", "mine", "dense_1", "leaky_re_lu",
                                                      "leaky_re_lu_1"]
    assert model.get_layer("mine") is model.layers[1]
    with pytest.raises(KeyError, match="dense_1"):
        model.get_layer("nope")


def test_leaky_relu_uses_keras_default_slope():
    assert LeakyReLU().negative_slope == 0.3
    y = LeakyReLU()(minivae.Tensor([[-1.0, 2.0]]))
    numpy.testing.assert_allclose(y.numpy(), [[-0.3, 2.0]])


def test_activation_names():
    x = minivae.Tensor([[0.0, 1.0]])
    numpy.testing.assert_allclose(Activation("sigmoid")(x).numpy(), [[0.5, 1 / (1 + math.e ** -1)]],
                                  rtol=1e-6)
    assert Activation("linear")(x) is x
    with pytest.raises(ValueError, match="unknown activation 'swishy'.*relu"):
        Activation("swishy")


def test_sampling_draws_from_the_encoded_normal():
    z_mean = minivae.Tensor(numpy.full((20000, 2), 1.0, dtype=numpy.float32))
    z_log_var = minivae.Tensor(numpy.full((20000, 2), math.log(4.0), dtype=numpy.float32))
    z = Sampling()([z_mean, z_log_var]).numpy()
    assert z.dtype == numpy.float32
    numpy.testing.assert_allclose(z.mean(axis=0), 1.0, atol=0.05)
    numpy.testing.assert_allclose(z.std(axis=0), 2.0, atol=0.05)  # exp(0.5 * log_var), not exp(log_var)


# ---------------------------------------------------------------- errors for learners

def error_of(layer, x):
    with pytest.raises(ValueError) as err:
        layer(x)
    return str(err.value)


def test_wrong_channels_name_the_layer_and_both_shapes():
    layer = Conv2D(32, 3, name="conv2d_1")
    layer.ensure_built((1, 32, 32))
    text = error_of(layer, ones(4, 3, 32, 32))
    assert "Conv2D layer 'conv2d_1'" in text
    assert "(None, 1, H, W)" in text and "(4, 3, 32, 32)" in text


def test_channels_last_images_get_a_hint():
    layer = Conv2D(32, 3)
    layer.ensure_built((1, 32, 32))
    text = error_of(layer, ones(4, 32, 32, 1))
    assert "(4, 32, 32, 1)" in text and "channels-first" in text and "transpose(0, 3, 1, 2)" in text


def test_wrong_rank_for_conv_layers():
    for layer in (Conv2D(2, 3), Conv2DTranspose(2, 3)):
        text = error_of(layer, ones(4, 32))  # never built: the rank is checked before building
        assert f"{type(layer).__name__} layer '{layer.name}'" in text
        assert "(None, C, H, W)" in text and "(None, 32)" in text


def test_dense_after_conv_without_flatten():
    layer = Dense(2, name="z_mean")
    text = error_of(layer, ones(4, 128, 4, 4))
    assert "Dense layer 'z_mean'" in text and "Flatten()" in text and "(None, 128, 4, 4)" in text
    layer.ensure_built((512,))
    text = error_of(layer, ones(4, 2048))
    assert "(None, 512)" in text and "(4, 2048)" in text


def test_batch_normalization_wrong_channels_and_rank():
    layer = BatchNormalization(name="bn_1")
    layer.ensure_built((128, 16, 16))
    text = error_of(layer, ones(2, 64, 16, 16))
    assert "BatchNormalization layer 'bn_1'" in text and "(None, 128, H, W)" in text
    assert "(2, 64, 16, 16)" in text
    text = error_of(BatchNormalization(), ones(2, 3, 4))
    assert "(None, 3, 4)" in text


def test_reshape_that_cannot_fit():
    text = error_of(Reshape((128, 4, 4)), ones(2, 100))
    assert "Reshape layer 'reshape'" in text and "(100,)" in text and "(128, 4, 4)" in text
    assert "2048" in text


def test_sequential_reports_the_layer_that_failed():
    model = Sequential([Conv2D(8, 3, strides=2, padding="same"), Flatten(), Dense(2, name="out")],
                       input_shape=(1, 8, 8))
    text = error_of(model, ones(1, 1, 16, 16))  # right channels, wrong size: Dense sees 512 features
    assert "Dense layer 'out'" in text and "(None, 128)" in text and "(1, 512)" in text


def test_sampling_needs_two_inputs_of_one_shape():
    with pytest.raises(ValueError, match="Sampling layer 'z'.*z_mean and z_log_var"):
        Sampling(name="z")(ones(2, 3), ones(2, 4))


def test_bad_arguments():
    with pytest.raises(ValueError, match="padding must be 'valid' or 'same'"):
        Conv2D(2, 3, padding="full")
    with pytest.raises(TypeError, match="item 1 is a str"):
        Sequential([Dense(2), "relu"])
