"""gradcheck: compare a backward pass with central differences.

For a function f and a random upstream gradient g, the scalar
L(x) = sum(f(x) * g) has dL/dx = (what backward gives for g). Central
differences estimate each element of that gradient numerically:

    dL/dx[i] ~ (L(x + eps e_i) - L(x - eps e_i)) / (2 eps)

with error O(eps^2); in float64 with eps = 1e-6 that is about 1e-10. For large
inputs a few random directions v replace the unit vectors e_i:
(L(x + eps v) - L(x - eps v)) / (2 eps) must equal dot(dL/dx, v).
"""
import warnings

import numpy

from . import backend
from .autograd.function import no_grad
from .autograd.tensor import Tensor


class GradcheckError(AssertionError):
    """The analytic gradient (backward) disagrees with the numeric one."""


def _scalar_loss(fn, inputs, upstream):
    with no_grad():
        out = fn(*inputs)
    return float((out.data * upstream).sum())


def gradcheck(fn, *inputs, eps=1e-6, atol=1e-5, rtol=1e-4, max_elements=256, directions=8,
              seed=0):
    """Check ``fn``'s backward against central differences for every input that requires grad.

    ``fn`` takes the tensors ``inputs`` and returns one tensor. Inputs with more
    than ``max_elements`` elements are checked along ``directions`` random
    directions instead of element by element. Returns True, or raises
    :class:`GradcheckError` naming the input, the worst element, both values
    and their relative error.
    """
    checked = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not checked:
        raise ValueError("gradcheck: no input has requires_grad=True, so there is nothing to check.")
    for i in checked:
        if inputs[i].dtype != numpy.float64:
            warnings.warn(
                f"gradcheck: input {i} is {inputs[i].dtype}; central differences need float64 "
                "(float32 rounding swamps them). Pass tensors made with dtype='float64'.",
                stacklevel=2)
    rng = numpy.random.default_rng(seed)
    out = fn(*inputs)
    if not out.requires_grad:
        raise GradcheckError("gradcheck: the output does not require grad: fn built no graph.")
    xp = backend.get_array_module(out.data)
    upstream = xp.asarray(rng.standard_normal(out.shape), dtype=out.dtype)
    for i in checked:
        inputs[i].grad = None
    out.backward(upstream)

    for i in checked:
        x = inputs[i]
        analytic = backend.to_numpy(x.grad) if x.grad is not None else numpy.zeros(x.shape)
        if x.size <= max_elements:
            _check_elements(fn, inputs, i, upstream, analytic, eps, atol, rtol)
        else:
            _check_directions(fn, inputs, i, upstream, analytic, eps, atol, rtol, rng, directions)
    return True


def _nudged_loss(fn, inputs, x, flat_index_or_direction, step, upstream):
    """L with x moved by ``step`` along one element (an int) or a direction (an array)."""
    original = x.data.copy()
    if isinstance(flat_index_or_direction, int):
        x.data[numpy.unravel_index(flat_index_or_direction, x.shape)] += step
    else:
        x.data += step * flat_index_or_direction
    try:
        return _scalar_loss(fn, inputs, upstream)
    finally:
        x.data[...] = original


def _check_elements(fn, inputs, i, upstream, analytic, eps, atol, rtol):
    x = inputs[i]
    numeric = numpy.zeros(x.size)
    for k in range(x.size):
        plus = _nudged_loss(fn, inputs, x, k, eps, upstream)
        minus = _nudged_loss(fn, inputs, x, k, -eps, upstream)
        numeric[k] = (plus - minus) / (2 * eps)
    numeric = numeric.reshape(x.shape)  # (the input's shape)
    _compare(f"input {i} (shape {x.shape})", analytic, numeric, atol, rtol, element=True)


def _check_directions(fn, inputs, i, upstream, analytic, eps, atol, rtol, rng, directions):
    x = inputs[i]
    xp = backend.get_array_module(x.data)
    for d in range(directions):
        v = rng.standard_normal(x.shape)
        v /= numpy.linalg.norm(v)
        v_dev = xp.asarray(v, dtype=x.dtype)
        plus = _nudged_loss(fn, inputs, x, v_dev, eps, upstream)
        minus = _nudged_loss(fn, inputs, x, v_dev, -eps, upstream)
        numeric = numpy.array([(plus - minus) / (2 * eps)])
        projected = numpy.array([float((analytic * v).sum())])
        _compare(f"input {i} (shape {x.shape}) along random direction {d}",
                 projected, numeric, atol, rtol, element=False)


def _compare(what, analytic, numeric, atol, rtol, element):
    error = numpy.abs(analytic - numeric)
    bad = error > atol + rtol * numpy.abs(numeric)
    if not bad.any():
        return
    worst = numpy.unravel_index(numpy.argmax(error - rtol * numpy.abs(numeric)), error.shape)
    a, n = float(analytic[worst]), float(numeric[worst])
    relative = abs(a - n) / max(abs(a), abs(n), 1e-12)
    where = f"element {tuple(int(j) for j in worst)}" if element else "the directional derivative"
    raise GradcheckError(
        f"gradcheck failed for {what} at {where}: analytic (backward) {a:.6g}, "
        f"numeric (central difference) {n:.6g}, relative error {relative:.3g} "
        f"({int(bad.sum())} of {bad.size} values outside atol={atol}, rtol={rtol}). "
        "Look at the backward of the op that produced this input's gradient.")
