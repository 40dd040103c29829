"""batch_norm: batch statistics in training, running statistics in eval, PyTorch's running update
(unbiased variance), and the gradient through the batch statistics."""
import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minivae.functional as F
from minivae import Tensor, gradcheck
from minivae.backend import to_numpy as to_np

SHAPES = [(6, 3), (4, 2, 3, 5)]


def tensor(xp, array, requires_grad=True):
    return Tensor(xp.asarray(array), requires_grad=requires_grad)


def axes_of(x):
    return (0,) + tuple(range(2, x.ndim))


def channel(v, ndim):
    return v.reshape((1, -1) + (1,) * (ndim - 2))


def reference(x, running_mean, running_var, weight, bias, training, momentum=0.1, eps=1e-5):
    """(output, new running mean, new running var) in float64 NumPy."""
    axes = axes_of(x)
    if training:
        mean, var = x.mean(axis=axes), x.var(axis=axes)
        unbiased = x.var(axis=axes, ddof=1)
        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var = (1 - momentum) * running_var + momentum * unbiased
    else:
        mean, var = running_mean, running_var
    y = (x - channel(mean, x.ndim)) / numpy.sqrt(channel(var, x.ndim) + eps)
    return channel(weight, x.ndim) * y + channel(bias, x.ndim), running_mean, running_var


def data(shape, seed=0):
    rng = numpy.random.default_rng(seed)
    c = shape[1]
    x = 3.0 * rng.standard_normal(shape) + 2.0  # far from normalized already
    running_mean, running_var = rng.standard_normal(c), rng.uniform(0.5, 2.0, c)
    return x, running_mean, running_var, rng.standard_normal(c), rng.standard_normal(c)


@pytest.mark.parametrize("shape", SHAPES)
def test_training_output_has_zero_mean_unit_variance_per_channel(xp, shape):
    x, running_mean, running_var, _, _ = data(shape)
    y = F.batch_norm(tensor(xp, x, False), xp.asarray(running_mean), xp.asarray(running_var),
                     training=True).numpy()
    numpy.testing.assert_allclose(y.mean(axis=axes_of(y)), 0, atol=1e-12)
    numpy.testing.assert_allclose(y.var(axis=axes_of(y)), 1, rtol=1e-5)  # var / (var + eps)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("momentum", [0.1, 0.5])
def test_training_matches_reference_and_updates_running_stats_in_place(xp, shape, momentum):
    x, running_mean, running_var, weight, bias = data(shape, seed=1)
    rm, rv = xp.asarray(running_mean.copy()), xp.asarray(running_var.copy())
    rm_before, rv_before = rm, rv
    y = F.batch_norm(tensor(xp, x, False), rm, rv, tensor(xp, weight, False), tensor(xp, bias, False),
                     training=True, momentum=momentum)
    expected_y, expected_rm, expected_rv = reference(x, running_mean, running_var, weight, bias,
                                                     True, momentum)
    numpy.testing.assert_allclose(y.numpy(), expected_y, rtol=1e-10, atol=1e-12)
    assert rm is rm_before and rv is rv_before
    numpy.testing.assert_allclose(to_np(rm), expected_rm, rtol=1e-12)
    numpy.testing.assert_allclose(to_np(rv), expected_rv, rtol=1e-12)
    # the unbiased variance, not the biased one the normalization uses
    biased_rv = (1 - momentum) * running_var + momentum * x.var(axis=axes_of(x))
    assert not numpy.allclose(to_np(rv), biased_rv, rtol=1e-6)


@pytest.mark.parametrize("shape", SHAPES)
def test_eval_uses_running_stats_and_leaves_them_alone(xp, shape):
    x, running_mean, running_var, weight, bias = data(shape, seed=2)
    rm, rv = xp.asarray(running_mean.copy()), xp.asarray(running_var.copy())
    y = F.batch_norm(tensor(xp, x, False), rm, rv, tensor(xp, weight, False), tensor(xp, bias, False),
                     training=False)
    expected_y, _, _ = reference(x, running_mean, running_var, weight, bias, False)
    numpy.testing.assert_allclose(y.numpy(), expected_y, rtol=1e-10, atol=1e-12)
    numpy.testing.assert_array_equal(to_np(rm), running_mean)
    numpy.testing.assert_array_equal(to_np(rv), running_var)


@pytest.mark.parametrize("shape", SHAPES)
def test_weight_and_bias_none_mean_one_and_zero(xp, shape):
    x, running_mean, running_var, _, _ = data(shape, seed=3)
    c = shape[1]
    for training in (True, False):
        y = F.batch_norm(tensor(xp, x, False), xp.asarray(running_mean.copy()),
                         xp.asarray(running_var.copy()), training=training)
        expected_y, _, _ = reference(x, running_mean, running_var, numpy.ones(c), numpy.zeros(c),
                                     training)
        numpy.testing.assert_allclose(y.numpy(), expected_y, rtol=1e-10, atol=1e-12)


def test_float32_stays_float32(xp):
    x, running_mean, running_var, weight, bias = (
        a.astype(numpy.float32) for a in data((4, 3, 2, 2), seed=4))
    for training in (True, False):
        y = F.batch_norm(tensor(xp, x), xp.asarray(running_mean), xp.asarray(running_var),
                         tensor(xp, weight), tensor(xp, bias), training=training)
        assert y.dtype == numpy.float32
        y.sum().backward()


shapes = st.sampled_from(SHAPES + [(2, 1), (3, 2, 1, 1), (1, 2, 2, 3)])


@given(shape=shapes, training=st.booleans(), seed=st.integers(0, 2**32 - 1))
def test_gradcheck(xp, shape, training, seed):
    """In training every x moves every output through the batch mean and variance."""
    x, running_mean, running_var, weight, bias = data(shape, seed)

    def fn(x, weight, bias):  # fresh running arrays: training updates them on every call
        return F.batch_norm(x, xp.asarray(running_mean.copy()), xp.asarray(running_var.copy()),
                            weight, bias, training=training)

    assert gradcheck(fn, tensor(xp, x), tensor(xp, weight), tensor(xp, bias))


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("training", [True, False])
def test_gradcheck_without_weight_and_bias(xp, shape, training):
    x, running_mean, running_var, _, _ = data(shape, seed=5)
    fn = lambda x: F.batch_norm(x, xp.asarray(running_mean.copy()), xp.asarray(running_var.copy()),
                                training=training)
    assert gradcheck(fn, tensor(xp, x))


def test_training_gradient_sums_to_zero_per_channel(xp):
    """Shifting a channel's batch by a constant changes nothing: dx sums to 0 over each channel."""
    x, running_mean, running_var, weight, bias = data((4, 3, 2, 2), seed=6)
    xt = tensor(xp, x)
    y = F.batch_norm(xt, xp.asarray(running_mean), xp.asarray(running_var), tensor(xp, weight),
                     tensor(xp, bias), training=True)
    y.backward(xp.asarray(numpy.random.default_rng(0).standard_normal(y.shape)))
    numpy.testing.assert_allclose(to_np(xt.grad).sum(axis=(0, 2, 3)), 0, atol=1e-10)


@pytest.mark.parametrize("x_shape, rm_shape, rv_shape, words", [
    ((4, 3), (4,), (3,), ["running_mean has shape (4,)", "expected (3,)"]),
    ((4, 3, 2, 2), (3,), (3, 1), ["running_var has shape (3, 1)", "expected (3,)"]),
    ((4, 3, 2), (3,), (3,), ["(N, C) or (N, C, H, W)", "(4, 3, 2)"]),
    ((4,), (4,), (4,), ["(4,)"]),
    ((2, 3, 4, 4, 4), (3,), (3,), ["(2, 3, 4, 4, 4)"]),
])
def test_shape_and_rank_errors(xp, x_shape, rm_shape, rv_shape, words):
    with pytest.raises(ValueError, match="batch_norm") as info:
        F.batch_norm(tensor(xp, numpy.zeros(x_shape), False), xp.zeros(rm_shape), xp.ones(rv_shape),
                     training=True)
    for word in words:
        assert word in str(info.value)


def test_weight_shape_error(xp):
    with pytest.raises(ValueError, match=r"weight has shape \(2,\), expected \(3,\)"):
        F.batch_norm(tensor(xp, numpy.zeros((4, 3)), False), xp.zeros(3), xp.ones(3),
                     weight=tensor(xp, numpy.ones(2), False))


def test_training_needs_more_than_one_value_per_channel(xp):
    with pytest.raises(ValueError, match="more than one value per channel"):
        F.batch_norm(tensor(xp, numpy.zeros((1, 3)), False), xp.zeros(3), xp.ones(3), training=True)
    y = F.batch_norm(tensor(xp, numpy.zeros((1, 3)), False), xp.zeros(3), xp.ones(3), training=False)
    numpy.testing.assert_allclose(y.numpy(), 0)


def test_float64_running_stats_with_float32_input(xp):
    """numpy.zeros(C) is float64: eval mode must still give float32 out and a float32 gradient."""
    x, running_mean, running_var, _, _ = data((4, 3), seed=7)
    xt = tensor(xp, x.astype(numpy.float32))
    y = F.batch_norm(xt, xp.asarray(running_mean), xp.asarray(running_var), training=False)
    assert y.dtype == numpy.float32
    expected_y, _, _ = reference(x.astype(numpy.float32).astype(float), running_mean, running_var,
                                 numpy.ones(3), numpy.zeros(3), False)
    numpy.testing.assert_allclose(y.numpy(), expected_y, rtol=1e-5, atol=1e-5)
    y.sum().backward()
    assert xt.grad.dtype == numpy.float32
    eval_slope = numpy.broadcast_to(1 / numpy.sqrt(running_var + 1e-5), (4, 3))  # dy/dx in eval
    numpy.testing.assert_allclose(to_np(xt.grad), eval_slope, rtol=1e-5)


def test_running_stats_given_as_tensors_are_updated_in_place(xp):
    x, running_mean, running_var, _, _ = data((6, 3), seed=8)
    rm, rv = Tensor(xp.asarray(running_mean.copy())), Tensor(xp.asarray(running_var.copy()))
    F.batch_norm(tensor(xp, x, False), rm, rv, training=True)
    _, expected_rm, expected_rv = reference(x, running_mean, running_var, numpy.ones(3),
                                            numpy.zeros(3), True)
    numpy.testing.assert_allclose(rm.numpy(), expected_rm, rtol=1e-12)
    numpy.testing.assert_allclose(rv.numpy(), expected_rv, rtol=1e-12)
    y = F.batch_norm(tensor(xp, x, False), rm, rv, training=False)
    expected_y, _, _ = reference(x, expected_rm, expected_rv, numpy.ones(3), numpy.zeros(3), False)
    numpy.testing.assert_allclose(y.numpy(), expected_y, rtol=1e-10)


def test_missing_running_statistics_is_a_clear_error():
    import minivae
    import minivae.functional as F
    x = minivae.Tensor(numpy.ones((4, 3), dtype=numpy.float32))
    with pytest.raises(ValueError, match="running_mean and running_var are required"):
        F.batch_norm(x, None, None, training=True)
