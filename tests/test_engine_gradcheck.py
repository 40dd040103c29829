"""gradcheck itself: it passes a right backward, and catches a wrong one with a useful message."""
import re

import numpy
import pytest

import minivae
from minivae import Function, GradcheckError, gradcheck


class WrongSquare(Function):
    """x^2 with a deliberate slip in backward: gy * x instead of 2 * gy * x."""

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, gy):
        return gy * self.x


class RightSquare(WrongSquare):
    def backward(self, gy):
        return 2 * gy * self.x


def leaf(xp, shape, seed=0, dtype=numpy.float64):
    values = numpy.random.default_rng(seed).uniform(0.5, 2.0, shape)
    return minivae.Tensor(xp.asarray(values, dtype=dtype), requires_grad=True)


def test_a_right_backward_passes(xp):
    assert gradcheck(lambda x: RightSquare()(x), leaf(xp, (3, 4)))


def test_a_wrong_backward_fails_naming_input_element_values_and_relative_error(xp):
    x, w = leaf(xp, (3, 4)), leaf(xp, (3, 4), seed=1)
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda w, x: w * RightSquare()(x) + WrongSquare()(x), w, x)
    message = str(caught.value)
    assert "input 1" in message and "(3, 4)" in message            # which input, its shape
    element = re.search(r"element \((\d+), (\d+)\)", message)
    assert element, message                                        # which element
    i, j = int(element[1]), int(element[2])
    w_ij = float(w.numpy()[i, j])
    analytic = float(re.search(r"analytic \(backward\) (\S+),", message)[1])
    numeric = float(re.search(r"numeric \(central difference\) (\S+),", message)[1])
    relative = float(re.search(r"relative error (\S+) ", message)[1])
    # for upstream g, numeric d/dx = g (2wx + 2x); the slip gives analytic g (2wx + x)
    assert numeric / analytic == pytest.approx((2 * w_ij + 2) / (2 * w_ij + 1), rel=1e-4)
    assert relative == pytest.approx(abs(analytic - numeric) / abs(numeric), rel=1e-2)


def test_large_inputs_are_checked_along_random_directions(xp):
    big = leaf(xp, (20, 20))  # 400 elements > max_elements
    assert gradcheck(lambda x: RightSquare()(x), big, max_elements=256)
    with pytest.raises(GradcheckError, match="random direction"):
        gradcheck(lambda x: WrongSquare()(x), big, max_elements=256)


def test_inputs_without_requires_grad_are_left_alone(xp):
    constant = minivae.Tensor(xp.asarray(numpy.ones((2, 2))))
    assert gradcheck(lambda c, x: c * RightSquare()(x), constant, leaf(xp, (2, 2)))
    assert constant.grad is None


def test_nothing_to_check_is_an_error(xp):
    constant = minivae.Tensor(xp.asarray(numpy.ones(3)))
    with pytest.raises(ValueError, match="requires_grad"):
        gradcheck(lambda c: c * 2.0, constant)


def test_float32_inputs_warn(xp):
    x = leaf(xp, (3,), dtype=numpy.float32)
    with pytest.warns(UserWarning, match="float64"):
        # a linear function, so float32 central differences with a wide step are still exact enough
        assert gradcheck(lambda x: x * 3.0, x, eps=1e-2, atol=1e-2, rtol=1e-2)
