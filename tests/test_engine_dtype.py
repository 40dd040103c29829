"""float32 stays float32 end to end; random draws come out in the dtype asked for, reproducibly."""
import types

import numpy
import pytest

import minivae
import minivae.functional as F
from minivae import backend


def test_a_float32_graph_stays_float32_forward_and_backward(xp):
    rng = numpy.random.default_rng(0)
    x = minivae.Tensor(xp.asarray(rng.uniform(0.5, 2, (4, 3)), dtype=numpy.float32),
                       requires_grad=True)
    w = minivae.Tensor(xp.asarray(rng.standard_normal((3, 2)), dtype=numpy.float32),
                       requires_grad=True)
    steps = []

    def keep(t):
        steps.append(t)
        return t

    h = keep(x @ w)
    h = keep(2.0 * h + 1)            # Python float and int
    h = keep(1 - h / 3)
    h = keep(numpy.float64(0.5) * h)  # a NumPy float64 scalar is a number, not a float64 tensor
    h = keep(h ** 2 + x.sqrt().sum(axis=1, keepdims=True) ** 0.5)
    h = keep(F.sigmoid(h) + F.tanh(h) + F.softplus(h) + F.log_sigmoid(h) + F.relu(h)
             + F.leaky_relu(h, 0.2))
    h = keep(minivae.concatenate([h, h.clip(-1, 1)], axis=1))
    h = keep(minivae.stack(minivae.split(h, 2, axis=1)).transpose(1, 0, 2).flatten(1))
    h = keep(minivae.log1p(h[[0, 0, 2]].exp()) + h.abs().mean(axis=0) - h.max(axis=0))
    loss = keep(h.mean())
    loss.backward()
    assert [t.dtype for t in steps] == [numpy.float32] * len(steps)
    assert x.grad.dtype == numpy.float32 and w.grad.dtype == numpy.float32
    assert numpy.isfinite(backend.to_numpy(x.grad)).all()


@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
def test_python_numbers_take_the_tensor_dtype(xp, dtype):
    x = minivae.Tensor(xp.ones(3, dtype=dtype), requires_grad=True)
    for y in (x + 1, 1 + x, x * 0.1, 0.1 / x, x - 2.5, x ** 3, x.mean(), x ** 0.5):
        assert y.dtype == dtype


def test_python_lists_become_float32():
    assert minivae.Tensor([1.0, 2.0]).dtype == numpy.float32
    assert minivae.Tensor(3).dtype == numpy.float32


@pytest.mark.parametrize("draw", [backend.randn, backend.rand])
@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
def test_random_draws_come_out_in_the_requested_dtype(xp, draw, dtype):
    sample = draw((5, 4), dtype, xp)
    assert sample.dtype == dtype and sample.shape == (5, 4)
    assert backend.get_array_module(sample) is xp


def test_manual_seed_makes_draws_reproducible(xp):
    backend.manual_seed(7)
    first = backend.to_numpy(backend.randn((3, 4), numpy.float32, xp))
    backend.manual_seed(7)
    again = backend.to_numpy(backend.randn((3, 4), numpy.float32, xp))
    backend.manual_seed(8)
    other = backend.to_numpy(backend.randn((3, 4), numpy.float32, xp))
    numpy.testing.assert_array_equal(first, again)
    assert not numpy.array_equal(first, other)


def test_manual_seed_also_seeds_a_backend_loaded_afterwards(monkeypatch):
    """A module first used after manual_seed (cupy, loaded lazily) must start from the seed too.

    A stand-in with NumPy's random API plays the late module, so this runs without a GPU.
    """
    late = types.SimpleNamespace(random=numpy.random)
    monkeypatch.setattr(backend, "_generators", {})
    draws = []
    for _ in range(2):
        backend.manual_seed(11)
        draws.append(backend.randn((4,), numpy.float64, late))
    numpy.testing.assert_array_equal(draws[0], draws[1])


LARGE = numpy.array([-1000.0, -100.0, -50.0, -20.0, -1.0, 0.0, 1.0, 20.0, 50.0, 100.0, 1000.0])
REFERENCES = {
    "sigmoid": lambda x: numpy.exp(-numpy.logaddexp(0, -x)),
    "tanh": numpy.tanh,
    "softplus": lambda x: numpy.logaddexp(0, x),
    "log_sigmoid": lambda x: -numpy.logaddexp(0, -x),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
def test_activations_are_finite_and_exact_for_large_inputs(xp, name, dtype):
    x = minivae.Tensor(xp.asarray(LARGE, dtype=dtype), requires_grad=True)
    y = getattr(F, name)(x)
    y.sum().backward()
    assert y.dtype == dtype and x.grad.dtype == dtype
    assert numpy.isfinite(y.numpy()).all() and numpy.isfinite(backend.to_numpy(x.grad)).all()
    tolerance = 1e-6 if dtype == numpy.float32 else 1e-12
    numpy.testing.assert_allclose(y.numpy(), REFERENCES[name](LARGE), rtol=tolerance,
                                  atol=tolerance)
