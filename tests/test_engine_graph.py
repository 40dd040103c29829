"""The backward walk: gradients add up, graphs are freed or retained, no_grad and detach cut them."""
import re

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minivae
from minivae import backend
from minivae.autograd import graph


def leaf(xp, values):
    return minivae.Tensor(xp.asarray(values, dtype=numpy.float64), requires_grad=True)


X = [[0.5, -1.0, 2.0], [3.0, -0.25, 1.5]]


def test_a_tensor_used_twice_receives_the_sum_of_both_gradients(xp):
    x = leaf(xp, X)
    (x * x + x).sum().backward()  # d/dx (x^2 + x) = 2x + 1
    numpy.testing.assert_allclose(backend.to_numpy(x.grad), 2 * numpy.array(X) + 1)


def test_a_diamond_graph_adds_both_paths(xp):
    x = leaf(xp, X)
    a = x * 3.0
    (a * a + minivae.exp(a)).sum().backward()  # d/dx (9x^2 + e^{3x}) = 18x + 3 e^{3x}
    x_np = numpy.array(X)
    numpy.testing.assert_allclose(backend.to_numpy(x.grad), 18 * x_np + 3 * numpy.exp(3 * x_np))


def test_backward_on_two_separate_graphs_accumulates_into_grad(xp):
    x = leaf(xp, X)
    (x * 2.0).sum().backward()
    (x * 3.0).sum().backward()
    numpy.testing.assert_allclose(backend.to_numpy(x.grad), numpy.full((2, 3), 5.0))


def test_zero_grad_clears_and_the_next_backward_starts_fresh(xp):
    x = leaf(xp, X)
    (x * 2.0).sum().backward()
    x.zero_grad()
    assert x.grad is None
    (x * 3.0).sum().backward()
    numpy.testing.assert_allclose(backend.to_numpy(x.grad), numpy.full((2, 3), 3.0))


def test_leaf_grad_is_a_fresh_array_not_a_view_of_the_upstream(xp):
    x = leaf(xp, X)
    upstream = xp.ones((2, 3))
    x.backward(upstream)  # a leaf is its own root: its gradient is the upstream itself
    upstream[...] = 7.0
    numpy.testing.assert_allclose(backend.to_numpy(x.grad), numpy.ones((2, 3)))


def test_no_grad_builds_no_graph_and_switches_back_on_after(xp):
    x = leaf(xp, X)
    with minivae.no_grad():
        assert not minivae.is_grad_enabled()
        y = (x * 2.0).exp().sum()
        assert not y.requires_grad and y.creator is None
        with pytest.raises(RuntimeError, match="does not require grad"):
            y.backward()
    assert minivae.is_grad_enabled()
    z = (x * 2.0).sum()
    assert z.requires_grad and z.creator is not None


def test_no_grad_switches_back_on_after_an_exception():
    with pytest.raises(ZeroDivisionError):
        with minivae.no_grad():
            1 / 0  # noqa: B018 (the expression raises; that is its point)
    assert minivae.is_grad_enabled()


def test_retain_graph_allows_a_second_backward(xp):
    x = leaf(xp, X)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    numpy.testing.assert_allclose(backend.to_numpy(x.grad), 4 * numpy.array(X))


def test_a_second_backward_without_retain_graph_raises_a_clear_error(xp):
    x = leaf(xp, X)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_detach_stops_the_gradient(xp):
    x = leaf(xp, X)
    d = x.detach()
    assert not d.requires_grad and d.creator is None
    numpy.testing.assert_array_equal(d.numpy(), x.numpy())
    (d * x).sum().backward()  # only the attached factor contributes: d/dx = d = x, not 2x
    numpy.testing.assert_allclose(backend.to_numpy(x.grad), numpy.array(X))


def test_only_inputs_that_require_grad_get_one(xp):
    w = leaf(xp, X)
    data = minivae.Tensor(xp.asarray(numpy.ones((2, 3))))
    (data * w).sum().backward()
    assert data.grad is None
    numpy.testing.assert_allclose(backend.to_numpy(w.grad), numpy.ones((2, 3)))


def test_a_deep_chain_needs_no_recursion(xp):
    x = leaf(xp, [1.0])
    y = x
    for _ in range(3000):  # deeper than Python's default recursion limit
        y = y + 1.0
    y.sum().backward()
    numpy.testing.assert_allclose(backend.to_numpy(x.grad), [1.0])


BROADCASTS = [((3, 1, 4), (2, 4)), ((2, 4), (3, 1, 4)), ((), (2, 3)), ((2, 3), ()),
              ((4, 1), (1, 5)), ((1,), (3, 1))]


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div"])
@pytest.mark.parametrize("a_shape, b_shape", BROADCASTS)
def test_gradients_have_the_input_shape_after_broadcasting(xp, op, a_shape, b_shape):
    rng = numpy.random.default_rng(0)
    a_np, b_np = rng.uniform(0.5, 2, a_shape), rng.uniform(0.5, 2, b_shape)
    a, b = leaf(xp, a_np), leaf(xp, b_np)
    getattr(minivae, op)(a, b).sum().backward()
    assert a.grad.shape == a_shape and b.grad.shape == b_shape
    out_shape = numpy.broadcast_shapes(a_shape, b_shape)
    ones = numpy.ones(out_shape)
    expected_a = {"add": ones, "sub": ones, "mul": b_np * ones, "div": ones / b_np}[op]
    expected_b = {"add": ones, "sub": -ones, "mul": a_np * ones, "div": -a_np / b_np ** 2 * ones}[op]
    # a broadcast input receives the sum over the axes it was stretched along
    numpy.testing.assert_allclose(backend.to_numpy(a.grad),
                                  _sum_to(expected_a, a_shape))
    numpy.testing.assert_allclose(backend.to_numpy(b.grad),
                                  _sum_to(expected_b, b_shape))


def _sum_to(array, shape):
    lead = array.ndim - len(shape)
    array = array.sum(axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1)
    return array.sum(axis=axes, keepdims=True).reshape(shape)


def test_batched_matmul_gradients_have_the_input_shapes(xp):
    a, b = leaf(xp, numpy.ones((2, 1, 3, 4))), leaf(xp, numpy.ones((5, 4, 2)))
    (a @ b).sum().backward()
    assert a.grad.shape == (2, 1, 3, 4) and b.grad.shape == (5, 4, 2)
    # each entry of a meets 2 columns of b in each of 5 batches; each of b, 3 rows in 2 batches
    numpy.testing.assert_allclose(backend.to_numpy(a.grad), numpy.full((2, 1, 3, 4), 10.0))
    numpy.testing.assert_allclose(backend.to_numpy(b.grad), numpy.full((5, 4, 2), 6.0))


# ---------------------------------------------------------------- sum_to's rule

class _Transposed(minivae.Function):
    """x -> 2x, with a backward that slips: it returns the gradient transposed."""

    def forward(self, x):
        return 2 * x

    def backward(self, gy):
        return (2 * gy).T  # (3, 2) -> (2, 3): six numbers, the wrong shape


def test_sum_to_refuses_a_transposed_gradient(xp):
    x = leaf(xp, numpy.ones((3, 2)))
    y = _Transposed()(x)
    with pytest.raises(ValueError) as caught:
        y.sum().backward()
    message = str(caught.value)
    assert message.startswith("_transposed.backward returned a gradient of shape (2, 3)"), message
    assert "input of shape (3, 2)" in message and "does not broadcast" in message
    assert x.grad is None


@st.composite
def _shape_and_gradient_shape(draw):
    """An input's shape and a gradient's shape: broadcast from it half the time, anything else the rest."""
    shape = tuple(draw(st.lists(st.integers(1, 4), max_size=3)))
    if draw(st.booleans()):  # the shape broadcast: leading axes added, some 1s stretched
        lead = tuple(draw(st.lists(st.integers(1, 3), max_size=2)))
        grad_shape = lead + tuple(draw(st.integers(1, 3)) if n == 1 else n for n in shape)
    else:
        grad_shape = tuple(draw(st.lists(st.integers(1, 4), max_size=4)))
    return shape, grad_shape


@settings(max_examples=60, deadline=None)
@given(_shape_and_gradient_shape())
def test_sum_to_sums_exactly_the_gradients_it_can_undo(shapes):
    shape, grad_shape = shapes
    grad = numpy.arange(float(numpy.prod(grad_shape))).reshape(grad_shape)
    try:  # the rule, as NumPy states it: does the input's shape broadcast to the gradient's?
        broadcasts = numpy.broadcast_shapes(shape, grad_shape) == grad_shape
    except ValueError:
        broadcasts = False
    assert graph.broadcasts_to(shape, grad_shape) == broadcasts
    if broadcasts:
        out = graph.sum_to(grad, shape, "op")
        assert out.shape == shape
        numpy.testing.assert_allclose(out, _sum_to(grad, shape))
        assert out.sum() == pytest.approx(grad.sum())  # summing moves no number in or out
    else:
        with pytest.raises(ValueError, match=rf"^op\.backward .*{re.escape(str(grad_shape))}.*"
                                             rf"{re.escape(str(shape))}"):
            graph.sum_to(grad, shape, "op")
