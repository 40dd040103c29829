"""minivae.parallel: big passes split over threads give the same numbers as one thread.

The tests shrink MIN_BYTES and PIECE_BYTES so that small arrays are cut into
many pieces too, and run the ops with two threads and with one (the same
numbers, bit for bit), and against plain whole-array NumPy (equal within float32
rounding).
"""
import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minivae.functional as F
from minivae import Tensor, backend, gradcheck, models, optim, parallel
from minivae.backend import to_numpy


@pytest.fixture
def tiny_pieces(monkeypatch):
    """Every array is 'big' and cut into pieces of 256 bytes; restores the thread count after."""
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)
    monkeypatch.setattr(parallel, "PIECE_BYTES", 256)
    previous = parallel.set_threads(2)
    yield
    parallel.set_threads(previous)


def test_map_chunks_visits_every_row_once(tiny_pieces):
    x = numpy.arange(1000, dtype=numpy.float32).reshape(50, 20)
    out = numpy.zeros_like(x)
    parallel.map_chunks(lambda x, out: numpy.add(out, 2 * x, out=out), x, out)
    numpy.testing.assert_array_equal(out, 2 * x)


def test_sum_chunks_adds_the_pieces_partial_sums(tiny_pieces):
    x = numpy.random.default_rng(0).standard_normal((64, 3, 5, 5))
    numpy.testing.assert_allclose(parallel.sum_chunks(lambda x: x.sum(axis=(0, 2, 3)), x),
                                  x.sum(axis=(0, 2, 3)), rtol=1e-12)


def test_sum_chunks_adds_in_row_order_whichever_thread_finishes_first(tiny_pieces):
    """Float addition is not associative: summing the pieces in the order the threads finished
    would change the last bits from run to run (and a resumed run would drift from the whole)."""
    import time
    x = numpy.zeros((16, 16), dtype=numpy.float32)  # 4 pieces of 4 rows (256 bytes each)
    x[0::4, 0] = [1e8, 1, -1e8, 1]  # in float32, (1e8 + 1) - 1e8 + 1 = 1, but 1 + 1 + 1e8 - 1e8 = 0

    def late_first_piece(piece):
        if piece[0, 0] == 1e8:
            time.sleep(0.05)  # the other thread's pieces finish first
        return piece.sum(axis=0)
    total = parallel.sum_chunks(late_first_piece, x)
    in_row_order = ((numpy.float32(1e8) + numpy.float32(1)) + numpy.float32(-1e8)) + numpy.float32(1)
    assert total[0] == in_row_order == 1


def test_map_chunks_names_the_shapes_when_the_first_axes_differ(tiny_pieces):
    with pytest.raises(ValueError, match=r"first axis.*\(4, 2\).*\(3, 2\)"):
        parallel.map_chunks(lambda a, b: None, numpy.zeros((4, 2)), numpy.zeros((3, 2)))


def test_set_threads_refuses_zero():
    with pytest.raises(ValueError, match="at least 1 thread"):
        parallel.set_threads(0)


def test_a_worker_error_reaches_the_caller(tiny_pieces):
    def fail(x):
        raise RuntimeError("piece failed")
    with pytest.raises(RuntimeError, match="piece failed"):
        parallel.map_chunks(fail, numpy.zeros((64, 64)))


def _train_step(name, batch, xp, threads):
    """Losses, gradients and the updated weights of one training step, with ``threads`` threads."""
    parallel.set_threads(threads)
    backend.manual_seed(0)
    model = models.build(name)
    model.to(backend.device_of(xp.zeros(1)))
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    x = xp.asarray(numpy.random.default_rng(1).uniform(0, 1, (batch,) + tuple(model.input_shape))
                   .astype(numpy.float32))
    losses = model.train_step(x, optimizer)
    grads = [to_numpy(p.grad) for p in model.parameters()]
    weights = [to_numpy(p.data) for p in model.parameters()]
    return losses, grads, weights


@pytest.mark.parametrize("name", ["fashion-vae", "faces-vae"])
def test_a_training_step_is_the_same_with_threads_on_and_off(xp, tiny_pieces, name):
    """The pieces do not depend on the thread count, nor the order their sums are added in."""
    losses_1, grads_1, weights_1 = _train_step(name, 4, xp, threads=1)
    losses_2, grads_2, weights_2 = _train_step(name, 4, xp, threads=2)
    assert losses_2 == losses_1
    for a, b in zip(grads_1 + weights_1, grads_2 + weights_2):
        numpy.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("name", ["fashion-vae", "faces-vae"])
def test_a_training_step_in_pieces_matches_whole_array_passes(xp, tiny_pieces, monkeypatch, name):
    """Against plain NumPy (no pieces, one thread), equal within float32 rounding."""
    losses_2, grads_2, weights_2 = _train_step(name, 4, xp, threads=2)
    monkeypatch.setattr(parallel, "MIN_BYTES", 1 << 62)  # every array 'small': one call each
    losses_1, grads_1, weights_1 = _train_step(name, 4, xp, threads=1)
    for key in losses_1:
        assert losses_2[key] == pytest.approx(losses_1[key], rel=1e-5), key
    # Only the order of the sums differs. Some gradients are zero but for rounding
    # (a conv's bias before batch norm), so the tolerance is against the model's largest.
    largest = max(numpy.abs(g).max() for g in grads_1)
    for g1, g2 in zip(grads_1, grads_2):
        numpy.testing.assert_allclose(g2, g1, rtol=1e-4, atol=1e-5 * largest)
    # Adam's first step moves a weight by about lr * sign(gradient): a gradient that is zero
    # but for rounding may step either way, 2 * lr apart
    for w1, w2 in zip(weights_1, weights_2):
        numpy.testing.assert_allclose(w2, w1, rtol=0, atol=2.01e-3)


shapes = st.tuples(st.integers(2, 5), st.integers(1, 3), st.integers(2, 5), st.integers(2, 5))


@given(shape=shapes, seed=st.integers(0, 2**32 - 1))
def test_gradcheck_of_the_split_ops(xp, tiny_pieces, shape, seed):
    rng = numpy.random.default_rng(seed)
    n, c, h, w = shape
    x = Tensor(xp.asarray(rng.standard_normal(shape) + 0.1), requires_grad=True)  # float64
    weight = Tensor(xp.asarray(rng.standard_normal((2, c, 3, 3))), requires_grad=True)
    bias = Tensor(xp.asarray(rng.standard_normal(2)), requires_grad=True)
    image_bias = Tensor(xp.asarray(rng.standard_normal(c)), requires_grad=True)
    running = [xp.zeros(2), xp.ones(2)]

    def fn(x, weight, bias, image_bias):  # every split pass: padding, im2col, the bias add and
        y = F.conv2d(x, weight, bias, stride=2, padding=1)  # its gradient, batch norm, the
        y = F.leaky_relu(F.batch_norm(y, *running, training=True), 0.3)  # activations, col2im
        return F.relu(F.conv_transpose2d(y, weight, image_bias, stride=2, padding=1))
    assert gradcheck(fn, x, weight, bias, image_bias)
