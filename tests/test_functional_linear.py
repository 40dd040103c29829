"""linear: x @ W + b with the weight laid out (in, out) as Keras stores it."""
import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minivae.functional as F
from minivae import Tensor, gradcheck
from minivae.backend import to_numpy


def tensor(xp, array, requires_grad=True):
    return Tensor(xp.asarray(array), requires_grad=requires_grad)


leading_dims = st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple)  # (N,), (B, N), (A, B, N)


features = st.integers(1, 5)
seeds = st.integers(0, 2**32 - 1)


@given(lead=leading_dims, n_in=features, n_out=features, seed=seeds)
def test_forward_equals_numpy(xp, lead, n_in, n_out, seed):
    rng = numpy.random.default_rng(seed)
    x, weight, bias = (rng.standard_normal(s) for s in (lead + (n_in,), (n_in, n_out), (n_out,)))
    y = F.linear(tensor(xp, x, False), tensor(xp, weight, False), tensor(xp, bias, False))
    assert y.shape == lead + (n_out,)
    x_weight = numpy.einsum("...i,io->...o", x, weight)
    numpy.testing.assert_allclose(y.numpy(), x_weight + bias, rtol=1e-12, atol=1e-12)
    y_no_bias = F.linear(tensor(xp, x, False), tensor(xp, weight, False))
    numpy.testing.assert_allclose(y_no_bias.numpy(), x_weight, rtol=1e-12, atol=1e-12)


@given(lead=leading_dims, n_in=features, n_out=features, seed=seeds)
def test_gradcheck_with_batched_leading_dims(xp, lead, n_in, n_out, seed):
    """Leading dims broadcast the weight and bias: their gradients sum over every one."""
    rng = numpy.random.default_rng(seed)
    x, weight, bias = (tensor(xp, rng.standard_normal(s))
                       for s in (lead + (n_in,), (n_in, n_out), (n_out,)))
    assert gradcheck(F.linear, x, weight, bias)
    assert gradcheck(lambda x, weight: F.linear(x, weight), x, weight)


def test_gradients_have_the_closed_form(xp):
    rng = numpy.random.default_rng(2)
    x_np, w_np = rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 5))
    x, weight, bias = tensor(xp, x_np), tensor(xp, w_np), tensor(xp, numpy.zeros(5))
    g = rng.standard_normal((2, 3, 5))
    F.linear(x, weight, bias).backward(xp.asarray(g))
    numpy.testing.assert_allclose(to_numpy(x.grad), g @ w_np.T, rtol=1e-12)
    numpy.testing.assert_allclose(to_numpy(weight.grad), numpy.einsum("bni,bno->io", x_np, g),
                                  rtol=1e-12)
    numpy.testing.assert_allclose(to_numpy(bias.grad), g.sum(axis=(0, 1)), rtol=1e-12)
    assert weight.grad.shape == (4, 5) and bias.grad.shape == (5,)


def test_shape_error_names_both_shapes(xp):
    x, weight = tensor(xp, numpy.zeros((2, 3)), False), tensor(xp, numpy.zeros((4, 5)), False)
    with pytest.raises(ValueError, match="linear") as info:
        F.linear(x, weight)
    message = str(info.value)
    assert "(2, 3)" in message and "(4, 5)" in message and "3 features" in message
