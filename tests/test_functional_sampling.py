"""reparameterize: z = z_mean + exp(0.5 * z_log_var) * epsilon, a sample gradients flow through."""
import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minivae
import minivae.functional as F
from minivae import Tensor, gradcheck
from minivae.backend import to_numpy


def tensor(xp, array, requires_grad=True):
    return Tensor(xp.asarray(array), requires_grad=requires_grad)


@given(shape=st.tuples(st.integers(1, 4), st.integers(1, 5)), seed=st.integers(0, 2**32 - 1))
def test_gradcheck(xp, shape, seed):
    rng = numpy.random.default_rng(seed)

    def fn(z_mean, z_log_var):  # the same epsilon on every call, or central differences are noise
        minivae.manual_seed(seed)
        return F.reparameterize(z_mean, z_log_var)

    assert gradcheck(fn, tensor(xp, rng.standard_normal(shape)), tensor(xp, rng.standard_normal(shape)))


def test_gradients_have_the_closed_form(xp):
    """dz/dz_mean = 1, dz/dz_log_var = 0.5 * exp(0.5 * z_log_var) * epsilon = 0.5 * (z - z_mean)."""
    mean_np, log_var_np = numpy.array([[0.5, -1.0, 2.0]]), numpy.array([[0.0, 1.0, -2.0]])
    z_mean, z_log_var = tensor(xp, mean_np), tensor(xp, log_var_np)
    z = F.reparameterize(z_mean, z_log_var)
    z.sum().backward()
    numpy.testing.assert_array_equal(to_numpy(z_mean.grad), numpy.ones((1, 3)))
    numpy.testing.assert_allclose(to_numpy(z_log_var.grad), 0.5 * (z.numpy() - mean_np), rtol=1e-12)


def test_samples_have_the_right_mean_and_standard_deviation(xp):
    """Over n = 40000 draws the sample mean is within 5 standard errors (5 sigma / sqrt(n)) of
    z_mean and the sample std within 5 / sqrt(2n) (2.5%) of exp(0.5 * z_log_var), relative.
    log_var = 2 tells std e = 2.72 apart from the slip exp(log_var) = 7.39 at once."""
    n = 40000
    means, log_vars = numpy.array([0.5, -2.0, 3.0, 0.0]), numpy.array([0.0, 2.0, -1.0, -4.0])
    z_mean = tensor(xp, numpy.tile(means, (n, 1)), False)
    z_log_var = tensor(xp, numpy.tile(log_vars, (n, 1)), False)
    z = F.reparameterize(z_mean, z_log_var).numpy()  # (n, 4)
    sigma = numpy.exp(0.5 * log_vars)
    assert numpy.all(numpy.abs(z.mean(axis=0) - means) < 5 * sigma / numpy.sqrt(n))
    assert numpy.all(numpy.abs(z.std(axis=0) / sigma - 1) < 5 / numpy.sqrt(2 * n))


def test_float32_in_float32_out_with_a_float32_epsilon(xp):
    shape = (3, 4)
    z_mean, z_log_var = (tensor(xp, numpy.zeros(shape, dtype=numpy.float32)) for _ in range(2))
    minivae.manual_seed(3)
    z = F.reparameterize(z_mean, z_log_var)
    assert z.dtype == numpy.float32
    # epsilon is the generator's float32 draw: a float64 draw gives other numbers, not just rounder
    expected = xp.random.default_rng(3).standard_normal(size=shape, dtype=xp.float32)
    numpy.testing.assert_array_equal(z.numpy(), to_numpy(expected))
    z.sum().backward()
    assert z_mean.grad.dtype == numpy.float32 and z_log_var.grad.dtype == numpy.float32


def test_float64_stays_float64(xp):
    z = F.reparameterize(tensor(xp, numpy.zeros((2, 2))), tensor(xp, numpy.zeros((2, 2))))
    assert z.dtype == numpy.float64


def test_manual_seed_makes_draws_reproducible(xp):
    z_mean, z_log_var = tensor(xp, numpy.zeros((5, 3)), False), tensor(xp, numpy.zeros((5, 3)), False)
    minivae.manual_seed(42)
    first = F.reparameterize(z_mean, z_log_var).numpy()
    second = F.reparameterize(z_mean, z_log_var).numpy()
    minivae.manual_seed(42)
    numpy.testing.assert_array_equal(F.reparameterize(z_mean, z_log_var).numpy(), first)
    numpy.testing.assert_array_equal(F.reparameterize(z_mean, z_log_var).numpy(), second)
    assert not numpy.array_equal(first, second)  # successive draws differ
    minivae.manual_seed(43)
    assert not numpy.array_equal(F.reparameterize(z_mean, z_log_var).numpy(), first)


def test_shape_mismatch_names_both_shapes(xp):
    with pytest.raises(ValueError, match="reparameterize") as info:
        F.reparameterize(tensor(xp, numpy.zeros((2, 3)), False), tensor(xp, numpy.zeros((2, 1)), False))
    assert "(2, 3)" in str(info.value) and "(2, 1)" in str(info.value)
