"""Every op, one table, one test body per property (MyGrad / Chainer style).

Each row names an op, how minivae computes it, how NumPy computes it (the
float64 reference), and a Hypothesis strategy drawing its inputs: random
shapes of sides 1-4, broadcast pairs, axes, indices. The bodies below check,
for every row and every backend present (the `xp` fixture):

- the forward values equal the NumPy reference;
- backward agrees with central differences (``minivae.gradcheck``, float64),
  and every gradient has its input's shape, dtype and array module;
- backward is linear in the upstream gradient.

Inputs keep away from the points where an op has no derivative (0 for abs
and the relu family, the bounds of clip, ties for max) and from the edges of
its domain (nonpositive bases for log, sqrt and fractional powers).
"""
import math
from typing import Callable, NamedTuple

import hypothesis.extra.numpy as hnp
import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minivae
import minivae.functional as F
from minivae import backend


class Case(NamedTuple):
    """One drawn example: the float64 input arrays and the op's keyword arguments."""
    arrays: tuple
    kwargs: dict


class Op(NamedTuple):
    name: str
    fn: Callable    # fn(*tensors, **kwargs) -> Tensor
    ref: Callable   # ref(*arrays, **kwargs) -> numpy array, in float64
    cases: object   # a strategy of Case


# ----------------------------------------------------------------- strategies

def floats(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def away_from_zero(low, high):
    """Floats with low <= |x| <= high, of either sign."""
    return st.one_of(floats(-high, -low), floats(low, high))


ANY = floats(-3, 3)
POSITIVE = floats(0.2, 4)
NONZERO = away_from_zero(0.1, 3)
WIDE = st.one_of(floats(-5, 5), st.sampled_from([-50.0, 50.0]))  # saturating tails
OFF_CLIP_BOUNDS = st.one_of(floats(-2, -0.6), floats(-0.4, 0.4), floats(0.6, 2))  # clip at +-0.5

SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)
NONSCALAR_SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=4)
BROADCAST_PAIRS = [((3, 1, 4), (2, 4)), ((2, 4), (3, 1, 4)), ((), (2, 3)), ((2, 3), ()),
                   ((4, 1), (3,)), ((1,), (2, 1, 1))]
MATMUL_PAIRS = [((2, 3), (3, 4)), ((3,), (3,)), ((3,), (3, 2)), ((2, 3), (3,)),
                ((2, 1, 2, 3), (4, 3, 2)), ((3,), (2, 3, 4)), ((2, 4, 3), (3,))]


def arrays(shape, elements):
    return hnp.arrays(numpy.float64, shape, elements=elements)


@st.composite
def unary(draw, elements=ANY, shapes=SHAPES):
    return Case((draw(arrays(draw(shapes), elements)),), {})


@st.composite
def binary(draw, a=ANY, b=ANY):
    """Two arrays of mutually broadcastable shapes (scalars included)."""
    pairs = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4)
    a_shape, b_shape = draw(st.one_of(st.sampled_from(BROADCAST_PAIRS),
                                      pairs.map(lambda p: p.input_shapes)))
    return Case((draw(arrays(a_shape, a)), draw(arrays(b_shape, b))), {})


@st.composite
def matmul_operands(draw):
    """2-D, batched with broadcast batch dims, and 1-D vector operands (numpy's signature)."""
    shapes = hnp.mutually_broadcastable_shapes(signature=numpy.matmul.signature, max_dims=2,
                                               max_side=4)
    a_shape, b_shape = draw(st.one_of(st.sampled_from(MATMUL_PAIRS),
                                      shapes.map(lambda p: p.input_shapes)))
    return Case((draw(arrays(a_shape, ANY)), draw(arrays(b_shape, ANY))), {})


@st.composite
def distinct(draw, shape):
    """Values 0.5 apart in a random order: no ties, so max has a derivative everywhere."""
    n = math.prod(shape)
    order = draw(st.permutations(range(n)))
    return (numpy.array(order, dtype=numpy.float64) * 0.5 - n / 4).reshape(shape)


@st.composite
def reduction(draw, tie_free=False):
    shape = draw(NONSCALAR_SHAPES)
    ndim = len(shape)
    axis = draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1),
                          hnp.valid_tuple_axes(ndim, min_size=1)))
    x = draw(distinct(shape)) if tie_free else draw(arrays(shape, ANY))
    return Case((x,), {"axis": axis, "keepdims": draw(st.booleans())})


@st.composite
def reshapes(draw):
    """A new shape with the same size: the dims shuffled, 1s inserted, maybe one -1."""
    shape = draw(SHAPES)
    new = list(draw(st.permutations(shape)))
    for _ in range(draw(st.integers(0, 2))):
        new.insert(draw(st.integers(0, len(new))), 1)
    if new and draw(st.booleans()):
        new[draw(st.integers(0, len(new) - 1))] = -1
    return Case((draw(arrays(shape, ANY)),), {"shape": tuple(new)})


@st.composite
def permutations(draw):
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=3))
    ndim = len(shape)
    axes = draw(st.one_of(st.none(), st.permutations(range(ndim)).map(tuple)))
    if axes and draw(st.booleans()):
        axes = tuple(a - ndim for a in axes)  # negative axes mean the same
    return Case((draw(arrays(shape, ANY)),), {"axes": axes})


@st.composite
def flattens(draw):
    shape = draw(hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=3))
    ndim = len(shape)
    start = draw(st.integers(-ndim, ndim - 1))
    end = draw(st.integers(start % ndim, ndim - 1))
    if draw(st.booleans()):
        end -= ndim
    return Case((draw(arrays(shape, ANY)),), {"start_dim": start, "end_dim": end})


@st.composite
def basic_indices(draw):
    """Ints and slices (negative starts, stops and steps too), one per leading axis."""
    shape = draw(NONSCALAR_SHAPES)
    parts = []
    for n in shape[:draw(st.integers(1, len(shape)))]:
        if draw(st.booleans()):
            parts.append(draw(st.integers(-n, n - 1)))
        else:
            bound = st.none() | st.integers(-n - 1, n)
            parts.append(slice(draw(bound), draw(bound), draw(st.sampled_from([None, 1, 2, -1, -2]))))
    index = tuple(parts) if draw(st.booleans()) or len(parts) > 1 else parts[0]
    return Case((draw(arrays(shape, ANY)),), {"index": index})


@st.composite
def integer_array_indices(draw):
    """Integer arrays with a repeated entry: the gradient of a repeated pick must add up."""
    shape = draw(NONSCALAR_SHAPES)

    def picks(n):
        ints = draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=5))
        return ints + ints[:1]  # at least one repeat

    kind = draw(st.sampled_from(["list", "array", "after slice", "two arrays"]))
    if kind == "list":
        index = picks(shape[0])
    elif kind == "array":
        index = numpy.asarray(picks(shape[0]))
    elif kind == "after slice" and len(shape) >= 2:
        index = (slice(None), numpy.asarray(picks(shape[1])))
    elif kind == "two arrays" and len(shape) >= 2:
        first = picks(shape[0])
        second = draw(st.lists(st.integers(0, shape[1] - 1), min_size=len(first),
                               max_size=len(first)))
        index = (numpy.asarray(first), numpy.asarray(second))
    else:
        index = numpy.asarray(picks(shape[0]))
    return Case((draw(arrays(shape, ANY)),), {"index": index})


@st.composite
def joins(draw, same_shape=False):
    """2-3 arrays equal in every axis but `axis` (in every axis at all, to stack)."""
    shape = list(draw(NONSCALAR_SHAPES))
    ndim = len(shape)
    count = draw(st.integers(2, 3))
    if same_shape:
        axis = draw(st.integers(-ndim - 1, ndim))
        xs = tuple(draw(arrays(tuple(shape), ANY)) for _ in range(count))
    else:
        axis = draw(st.integers(-ndim, ndim - 1))
        xs = []
        for _ in range(count):
            shape[axis] = draw(st.integers(1, 3))
            xs.append(draw(arrays(tuple(shape), ANY)))
    return Case(tuple(xs), {"axis": axis})


@st.composite
def splits(draw):
    shape = draw(NONSCALAR_SHAPES)
    axis = draw(st.integers(-len(shape), len(shape) - 1))
    n = shape[axis]
    if draw(st.booleans()):
        sections = draw(st.sampled_from([d for d in range(1, n + 1) if n % d == 0]))
    else:
        sections = sorted(draw(st.sets(st.integers(0, n), max_size=3)))
    return Case((draw(arrays(shape, ANY)),), {"sections": sections, "axis": axis})


@st.composite
def clips(draw):
    low, high = draw(st.sampled_from([(-0.5, 0.5), (None, 0.5), (-0.5, None)]))
    return Case((draw(arrays(draw(SHAPES), OFF_CLIP_BOUNDS)),), {"low": low, "high": high})


@st.composite
def leaky(draw):
    slope = draw(st.sampled_from([0.01, 0.2, 1.5]))
    return Case((draw(arrays(draw(SHAPES), NONZERO)),), {"negative_slope": slope})


# ----------------------------------------------------------------- references

def split_fn(x, sections, axis):
    parts = minivae.split(x, sections, axis)
    return minivae.concatenate([p * float(i + 1) for i, p in enumerate(parts)], axis)


def split_ref(x, sections, axis):
    parts = numpy.split(x, sections, axis)
    return numpy.concatenate([p * float(i + 1) for i, p in enumerate(parts)], axis)


def transpose_fn(x, axes):
    return x.transpose() if axes is None else minivae.transpose(x, *axes)


def sigmoid_ref(x):
    return numpy.exp(-numpy.logaddexp(0, -x))  # no overflow for large |x|


def leaky_ref(x, negative_slope):
    return numpy.where(x > 0, x, negative_slope * x)


# ----------------------------------------------------------------- the table

OPS = [
    Op("add", lambda a, b: a + b, numpy.add, binary()),
    Op("sub", lambda a, b: a - b, numpy.subtract, binary()),
    Op("mul", lambda a, b: a * b, numpy.multiply, binary()),
    Op("div", lambda a, b: a / b, numpy.divide, binary(b=NONZERO)),
    Op("add scalar", lambda x: 2.5 + x, lambda x: 2.5 + x, unary()),
    Op("rsub scalar", lambda x: 1.5 - x, lambda x: 1.5 - x, unary()),
    Op("mul scalar", lambda x: x * -0.75, lambda x: x * -0.75, unary()),
    Op("rdiv scalar", lambda x: 2.0 / x, lambda x: 2.0 / x, unary(NONZERO)),
    Op("neg", lambda x: -x, numpy.negative, unary()),
    Op("pow 2", lambda x: x ** 2, lambda x: x ** 2, unary()),
    Op("pow 3", lambda x: minivae.pow(x, 3), lambda x: x ** 3, unary()),
    Op("pow -1", lambda x: x ** -1, lambda x: x ** -1.0, unary(NONZERO)),
    Op("pow 0.5", lambda x: x ** 0.5, numpy.sqrt, unary(POSITIVE)),
    Op("pow -1.5", lambda x: x ** -1.5, lambda x: x ** -1.5, unary(POSITIVE)),
    Op("matmul", lambda a, b: a @ b, numpy.matmul, matmul_operands()),
    Op("exp", minivae.exp, numpy.exp, unary()),
    Op("log", minivae.log, numpy.log, unary(POSITIVE)),
    Op("log1p", minivae.log1p, numpy.log1p, unary(floats(-0.8, 4))),
    Op("sqrt", lambda x: x.sqrt(), numpy.sqrt, unary(POSITIVE)),
    Op("abs", minivae.abs, numpy.abs, unary(NONZERO)),
    Op("clip", minivae.clip, lambda x, low, high: numpy.clip(x, low, high), clips()),
    Op("sum", minivae.sum, numpy.sum, reduction()),
    Op("mean", lambda x, axis, keepdims: x.mean(axis=axis, keepdims=keepdims), numpy.mean,
       reduction()),
    Op("max", minivae.max, numpy.max, reduction(tie_free=True)),
    Op("reshape", lambda x, shape: minivae.reshape(x, shape), lambda x, shape: x.reshape(shape),
       reshapes()),
    Op("reshape varargs", lambda x, shape: x.reshape(*shape), lambda x, shape: x.reshape(shape),
       reshapes()),
    Op("transpose", transpose_fn, numpy.transpose, permutations()),
    Op("permute", lambda x, axes: minivae.permute(x, axes or ()), numpy.transpose,
       permutations()),
    Op("flatten", minivae.flatten,
       lambda x, start_dim, end_dim: x.reshape(
           x.shape[:start_dim % x.ndim] + (-1,) + x.shape[end_dim % x.ndim + 1:]),
       flattens()),
    Op("getitem basic", lambda x, index: x[index], lambda x, index: x[index], basic_indices()),
    Op("getitem integer arrays", lambda x, index: x[index], lambda x, index: x[index],
       integer_array_indices()),
    Op("concatenate", lambda *xs, axis: minivae.concatenate(xs, axis),
       lambda *xs, axis: numpy.concatenate(xs, axis), joins()),
    Op("stack", lambda *xs, axis: minivae.stack(xs, axis),
       lambda *xs, axis: numpy.stack(xs, axis), joins(same_shape=True)),
    Op("split", split_fn, split_ref, splits()),
    Op("relu", F.relu, lambda x: numpy.maximum(x, 0), unary(NONZERO)),
    Op("leaky_relu", F.leaky_relu, leaky_ref, leaky()),
    Op("sigmoid", F.sigmoid, sigmoid_ref, unary(WIDE)),
    Op("tanh", F.tanh, numpy.tanh, unary(WIDE)),
    Op("softplus", F.softplus, lambda x: numpy.logaddexp(0, x), unary(WIDE)),
    Op("log_sigmoid", F.log_sigmoid, lambda x: -numpy.logaddexp(0, -x), unary(WIDE)),
]

by_name = pytest.mark.parametrize("op", OPS, ids=[op.name for op in OPS])


def tensors(xp, case):
    return [minivae.Tensor(xp.asarray(a), requires_grad=True) for a in case.arrays]


# ----------------------------------------------------------------- the bodies

@by_name
@given(data=st.data())
def test_forward_matches_numpy(xp, op, data):
    case = data.draw(op.cases, label="case")
    out = op.fn(*tensors(xp, case), **case.kwargs)
    expected = numpy.asarray(op.ref(*case.arrays, **case.kwargs))
    assert backend.get_array_module(out.data) is xp
    assert out.dtype == numpy.float64
    assert out.shape == expected.shape
    numpy.testing.assert_allclose(out.numpy(), expected, rtol=1e-10, atol=1e-12)


@by_name
@given(data=st.data())
def test_backward_matches_central_differences(xp, op, data):
    case = data.draw(op.cases, label="case")
    inputs = tensors(xp, case)
    assert minivae.gradcheck(lambda *ts: op.fn(*ts, **case.kwargs), *inputs)
    for t in inputs:
        assert type(t.grad) is type(t.data)
        assert t.grad.shape == t.shape and t.grad.dtype == numpy.float64


@by_name
@given(data=st.data())
def test_backward_is_linear_in_the_upstream_gradient(xp, op, data):
    case = data.draw(op.cases, label="case")
    a, b = data.draw(floats(-2, 2), label="a"), data.draw(floats(-2, 2), label="b")
    inputs = tensors(xp, case)
    out = op.fn(*inputs, **case.kwargs)
    rng = numpy.random.default_rng(data.draw(st.integers(0, 2**32 - 1), label="seed"))
    g1, g2 = rng.standard_normal(out.shape), rng.standard_normal(out.shape)

    def grads(upstream):
        for t in inputs:
            t.zero_grad()
        out.backward(xp.asarray(upstream), retain_graph=True)
        assert all(t.grad is not None for t in inputs)
        return [backend.to_numpy(t.grad) for t in inputs]

    grads1, grads2, combined = grads(g1), grads(g2), grads(a * g1 + b * g2)
    for one, two, both in zip(grads1, grads2, combined):
        numpy.testing.assert_allclose(both, a * one + b * two, rtol=1e-9, atol=1e-9)
