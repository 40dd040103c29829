"""The losses: values against NumPy references for every reduction, stability at extreme
inputs, the errors a learner meets, and gradients against central differences."""
import math

import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minivae.functional as F
from minivae import Tensor, gradcheck
from minivae.backend import to_numpy

REDUCE = {"mean": numpy.mean, "sum": numpy.sum, "none": lambda a: a}
EPS = 1e-7  # the documented clipping of binary_cross_entropy


def tensor(xp, array, requires_grad=True):
    return Tensor(xp.asarray(array), requires_grad=requires_grad)


def ref_bce(p, t):
    p = numpy.clip(p, EPS, 1 - EPS)
    return -(t * numpy.log(p) + (1 - t) * numpy.log(1 - p))


def ref_bce_with_logits(x, t):
    return numpy.logaddexp(0, x) - x * t  # log(1 + e^x) - x t


def ref_kl(mean, log_var):
    """KL(N(mu, sigma^2) || N(0, 1)) = log(1 / sigma) + (sigma^2 + mu^2) / 2 - 1 / 2, summed."""
    sigma = numpy.exp(log_var / 2)
    return (numpy.log(1 / sigma) + (sigma ** 2 + mean ** 2) / 2 - 0.5).sum(axis=1)


def ref_log_normal_pdf(x, mean, log_var, axis):
    var = numpy.exp(log_var)
    density = numpy.exp(-(x - mean) ** 2 / (2 * var)) / numpy.sqrt(2 * math.pi * var)
    return numpy.log(density).sum(axis=axis)


shapes = st.tuples(st.integers(1, 4), st.integers(1, 5))
seeds = st.integers(0, 2**32 - 1)
reductions = st.sampled_from(["mean", "sum", "none"])


def probabilities(shape, seed, low=0.0, high=1.0):
    rng = numpy.random.default_rng(seed)
    return rng.uniform(low, high, shape), rng.uniform(0, 1, shape)  # (p, soft target)


# ---------------------------------------------------------------- values

@given(shape=shapes, seed=seeds, reduction=reductions)
def test_binary_cross_entropy_equals_numpy(xp, shape, seed, reduction):
    p, t = probabilities(shape, seed)
    p.flat[0] = 0.0 if seed % 2 else 1.0  # a saturated value, clipped
    loss = F.binary_cross_entropy(tensor(xp, p, False), tensor(xp, t, False), reduction=reduction)
    expected = REDUCE[reduction](ref_bce(p, t))
    assert loss.shape == numpy.shape(expected)
    numpy.testing.assert_allclose(loss.numpy(), expected, rtol=1e-10)


@given(shape=shapes, seed=seeds, reduction=reductions)
def test_binary_cross_entropy_with_logits_equals_numpy(xp, shape, seed, reduction):
    rng = numpy.random.default_rng(seed)
    x, t = 4 * rng.standard_normal(shape), rng.uniform(0, 1, shape)
    loss = F.binary_cross_entropy_with_logits(tensor(xp, x, False), tensor(xp, t, False),
                                              reduction=reduction)
    numpy.testing.assert_allclose(loss.numpy(), REDUCE[reduction](ref_bce_with_logits(x, t)),
                                  rtol=1e-10)


@given(shape=shapes, seed=seeds, reduction=reductions)
def test_mse_loss_equals_numpy(xp, shape, seed, reduction):
    rng = numpy.random.default_rng(seed)
    x, t = rng.standard_normal(shape), rng.standard_normal(shape)
    loss = F.mse_loss(tensor(xp, x, False), tensor(xp, t, False), reduction=reduction)
    numpy.testing.assert_allclose(loss.numpy(), REDUCE[reduction]((x - t) ** 2), rtol=1e-12)


def test_mean_is_over_every_element(xp):
    x = tensor(xp, numpy.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), False)
    t = tensor(xp, numpy.zeros((2, 3)), False)
    assert F.mse_loss(x, t).item() == pytest.approx(14 / 6)
    assert F.mse_loss(x, t, reduction="sum").item() == pytest.approx(14)


@given(shape=shapes, seed=seeds)
def test_with_logits_equals_bce_of_sigmoid_for_moderate_logits(xp, shape, seed):
    rng = numpy.random.default_rng(seed)
    x, t = rng.uniform(-5, 5, shape), rng.uniform(0, 1, shape)
    x, t = tensor(xp, x, False), tensor(xp, t, False)
    with_logits = F.binary_cross_entropy_with_logits(x, t, reduction="none")
    of_sigmoid = F.binary_cross_entropy(F.sigmoid(x), t, reduction="none")
    numpy.testing.assert_allclose(with_logits.numpy(), of_sigmoid.numpy(), rtol=1e-9)


# ---------------------------------------------------------------- stability

def test_with_logits_is_exact_at_extreme_float32_logits(xp):
    x = numpy.array([-100.0, 100.0, -1e4, 1e4], dtype=numpy.float32)
    logits = tensor(xp, x)
    wrong = tensor(xp, numpy.array([1.0, 0.0, 1.0, 0.0], dtype=numpy.float32), False)
    loss = F.binary_cross_entropy_with_logits(logits, wrong, reduction="none")
    assert loss.dtype == numpy.float32
    numpy.testing.assert_allclose(loss.numpy(), [100.0, 100.0, 1e4, 1e4], rtol=1e-6)
    loss.sum().backward()
    numpy.testing.assert_array_equal(to_numpy(logits.grad), [-1.0, 1.0, -1.0, 1.0])  # sigmoid(x) - t

    right = tensor(xp, numpy.array([0.0, 1.0, 0.0, 1.0], dtype=numpy.float32), False)
    loss = F.binary_cross_entropy_with_logits(tensor(xp, x), right, reduction="none").numpy()
    assert numpy.all(numpy.isfinite(loss))
    numpy.testing.assert_allclose(loss, 0.0, atol=1e-30)


def test_bce_of_a_saturated_sigmoid_is_clipped_not_infinite(xp):
    """The reason for the with-logits form: sigmoid(-100) is 0 in float32, and BCE can only clip."""
    p = F.sigmoid(tensor(xp, numpy.array([-100.0], dtype=numpy.float32), False))
    loss = F.binary_cross_entropy(p, tensor(xp, numpy.ones(1, dtype=numpy.float32), False)).item()
    assert loss == pytest.approx(-math.log(EPS), rel=1e-3)  # 16.1, not the true 100


@pytest.mark.parametrize("dtype, rel", [(numpy.float64, 1e-6), (numpy.float32, 2e-2)])
def test_bce_clips_probabilities_zero_and_one(xp, dtype, rel):
    p = tensor(xp, numpy.array([0.0, 1.0, 0.0, 1.0], dtype=dtype))
    t = tensor(xp, numpy.array([1.0, 0.0, 0.0, 1.0], dtype=dtype), False)
    loss = F.binary_cross_entropy(p, t, reduction="none")
    values = loss.numpy()
    assert numpy.all(numpy.isfinite(values)) and values.dtype == dtype
    numpy.testing.assert_allclose(values[:2], -math.log(EPS), rtol=rel)  # -log(1e-7) = 16.1
    numpy.testing.assert_allclose(values[2:], 0.0, atol=2e-7)  # -log(1 - 1e-7)
    loss.sum().backward()
    numpy.testing.assert_array_equal(to_numpy(p.grad), 0.0)  # no gradient where clipping acted


@pytest.mark.parametrize("bad", [[-0.1, 0.5], [0.5, 1.5], [-1e-3, 2.0]])
def test_bce_rejects_values_outside_zero_one(xp, bad):
    if xp is not numpy:
        pytest.skip("the range check runs on the CPU only: on a GPU it would copy to the host "
                    "and wait every step (minivae/functional/losses.py)")
    p, t = tensor(xp, numpy.array(bad), False), tensor(xp, numpy.zeros(2), False)
    with pytest.raises(ValueError, match=r"probabilities must lie in \[0, 1\]") as info:
        F.binary_cross_entropy(p, t)
    message = str(info.value)
    assert message.startswith("binary_cross_entropy:")
    assert "binary_cross_entropy_with_logits" in message  # what to do instead


# ---------------------------------------------------------------- errors

LOSSES = [F.binary_cross_entropy, F.binary_cross_entropy_with_logits, F.mse_loss]


@pytest.mark.parametrize("loss", LOSSES)
def test_unknown_reduction_lists_the_choices(xp, loss):
    with pytest.raises(ValueError, match=loss.__name__) as info:
        loss(tensor(xp, numpy.full((2, 2), 0.5), False), tensor(xp, numpy.zeros((2, 2)), False),
             reduction="avg")
    message = str(info.value)
    assert all(f"'{choice}'" in message for choice in ("mean", "sum", "none", "avg"))


@pytest.mark.parametrize("loss", LOSSES + [F.kl_normal])
@pytest.mark.parametrize("a_shape, b_shape", [((2, 3), (3, 2)), ((4, 1), (4,)), ((2, 3), (2, 1))])
def test_shape_mismatch_names_both_shapes(xp, loss, a_shape, b_shape):
    with pytest.raises(ValueError, match=loss.__name__) as info:
        loss(tensor(xp, numpy.full(a_shape, 0.5), False), tensor(xp, numpy.zeros(b_shape), False))
    message = str(info.value)
    assert str(a_shape) in message and str(b_shape) in message


# ---------------------------------------------------------------- the VAE terms

@given(shape=shapes, seed=seeds)
def test_kl_normal_equals_closed_form(xp, shape, seed):
    rng = numpy.random.default_rng(seed)
    mean, log_var = rng.standard_normal(shape), rng.standard_normal(shape)
    kl = F.kl_normal(tensor(xp, mean, False), tensor(xp, log_var, False))
    assert kl.shape == (shape[0],)
    numpy.testing.assert_allclose(kl.numpy(), ref_kl(mean, log_var), rtol=1e-10, atol=1e-12)
    assert numpy.all(kl.numpy() >= 0)


def test_kl_normal_is_zero_for_the_prior(xp):
    kl = F.kl_normal(tensor(xp, numpy.zeros((3, 2)), False), tensor(xp, numpy.zeros((3, 2)), False))
    numpy.testing.assert_array_equal(kl.numpy(), numpy.zeros(3))
    kl = F.kl_normal(tensor(xp, numpy.array([[1.0, 0.0]]), False),
                     tensor(xp, numpy.array([[0.0, 2.0]]), False))
    assert kl.item() == pytest.approx(0.5 * 1.0 + 0.5 * (math.exp(2) - 1 - 2))


@given(shape=shapes, seed=seeds, axis=st.sampled_from([1, 0, -1]))
def test_log_normal_pdf_equals_the_log_of_the_density(xp, shape, seed, axis):
    rng = numpy.random.default_rng(seed)
    x, mean, log_var = rng.standard_normal(shape), rng.standard_normal(shape), rng.uniform(-1, 1, shape)
    got = F.log_normal_pdf(tensor(xp, x, False), tensor(xp, mean, False), tensor(xp, log_var, False),
                           axis=axis)
    numpy.testing.assert_allclose(got.numpy(), ref_log_normal_pdf(x, mean, log_var, axis), rtol=1e-10)


def test_log_normal_pdf_of_the_standard_prior_with_numbers(xp):
    """The tutorial's prior term log_normal_pdf(z, 0., 0.): mean and log_var as Python numbers."""
    z = numpy.array([[0.0, 1.0], [2.0, -1.0]])
    zt = tensor(xp, z)
    got = F.log_normal_pdf(zt, 0.0, 0.0)
    numpy.testing.assert_allclose(got.numpy(), ref_log_normal_pdf(z, 0.0, 0.0, axis=1), rtol=1e-12)
    got.sum().backward()
    numpy.testing.assert_allclose(to_numpy(zt.grad), -z)  # d/dz log N(z; 0, 1) = -z
    numpy.testing.assert_allclose(F.log_normal_pdf(zt, 1.0, math.log(4.0)).numpy(),
                                  ref_log_normal_pdf(z, 1.0, math.log(4.0), axis=1), rtol=1e-12)


# ---------------------------------------------------------------- gradients

@given(shape=shapes, seed=seeds, reduction=reductions)
def test_gradcheck_binary_cross_entropy(xp, shape, seed, reduction):
    p, t = probabilities(shape, seed, 0.05, 0.95)  # away from the clipping
    fn = lambda p, t: F.binary_cross_entropy(p, t, reduction=reduction)
    assert gradcheck(fn, tensor(xp, p), tensor(xp, t))


@given(shape=shapes, seed=seeds, reduction=reductions)
def test_gradcheck_binary_cross_entropy_with_logits(xp, shape, seed, reduction):
    rng = numpy.random.default_rng(seed)
    x, t = 3 * rng.standard_normal(shape), rng.uniform(0, 1, shape)
    fn = lambda x, t: F.binary_cross_entropy_with_logits(x, t, reduction=reduction)
    assert gradcheck(fn, tensor(xp, x), tensor(xp, t))


@given(shape=shapes, seed=seeds, reduction=reductions)
def test_gradcheck_mse_loss(xp, shape, seed, reduction):
    rng = numpy.random.default_rng(seed)
    fn = lambda x, t: F.mse_loss(x, t, reduction=reduction)
    assert gradcheck(fn, tensor(xp, rng.standard_normal(shape)), tensor(xp, rng.standard_normal(shape)))


@given(shape=shapes, seed=seeds)
def test_gradcheck_kl_normal(xp, shape, seed):
    rng = numpy.random.default_rng(seed)
    z_mean, z_log_var = (tensor(xp, rng.standard_normal(shape)) for _ in range(2))
    assert gradcheck(F.kl_normal, z_mean, z_log_var)


@given(shape=shapes, seed=seeds)
def test_gradcheck_log_normal_pdf(xp, shape, seed):
    rng = numpy.random.default_rng(seed)
    x, mean, log_var = (tensor(xp, rng.standard_normal(shape)) for _ in range(3))
    assert gradcheck(F.log_normal_pdf, x, mean, log_var)
