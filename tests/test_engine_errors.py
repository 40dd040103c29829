"""Errors for learners: each names the op, the shapes, dtypes or devices involved, and what to do."""
import os
import subprocess
import sys
from pathlib import Path

import numpy
import pytest

import minivae
from minivae import backend

ROOT = Path(__file__).resolve().parents[1]


def tensor(xp, shape, dtype=numpy.float64):
    return minivae.Tensor(xp.ones(shape, dtype=dtype), requires_grad=True)


MISMATCHES = [
    ("add", lambda a, b: a + b, (2, 3), (2, 4)),
    ("sub", lambda a, b: a - b, (3,), (4,)),
    ("mul", lambda a, b: a * b, (2, 3), (3, 2)),
    ("div", lambda a, b: a / b, (5, 1, 2), (4, 3)),
    ("matmul", lambda a, b: a @ b, (2, 3), (4, 5)),
    ("matmul", lambda a, b: a @ b, (3,), (4,)),
    ("matmul", lambda a, b: a @ b, (2, 3, 4), (3, 4, 5)),  # batch dims 2 and 3 don't broadcast
    ("concatenate", lambda a, b: minivae.concatenate([a, b], axis=1), (2, 3), (4, 3)),
    ("concatenate", lambda a, b: minivae.concatenate([a, b]), (2, 3), (2, 3, 1)),
]


@pytest.mark.parametrize("op, fn, a_shape, b_shape", MISMATCHES,
                         ids=[f"{m[0]}{m[2]}{m[3]}" for m in MISMATCHES])
def test_shape_mismatch_names_the_op_and_both_shapes(xp, op, fn, a_shape, b_shape):
    with pytest.raises(ValueError) as caught:
        fn(tensor(xp, a_shape), tensor(xp, b_shape))
    message = str(caught.value)
    assert message.startswith(f"{op}:"), message
    assert str(a_shape) in message and str(b_shape) in message, message


def test_reshape_to_a_wrong_size_names_both_shapes(xp):
    with pytest.raises(ValueError, match=r"reshape: .*\(2, 3\).*\(4, 2\)"):
        tensor(xp, (2, 3)).reshape(4, 2)


def test_backward_on_a_non_scalar_needs_a_grad(xp):
    y = tensor(xp, (2, 3)) * 2.0
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\).*\.sum\(\)"):
        y.backward()


def test_backward_with_a_grad_of_the_wrong_shape(xp):
    y = tensor(xp, (2, 3)) * 2.0
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(2, 3\)"):
        y.backward(xp.ones((3, 2)))


@pytest.mark.parametrize("dtype", [numpy.int64, numpy.int32, numpy.bool_])
def test_integer_data_cannot_require_grad(dtype):
    with pytest.raises(TypeError, match="floating-point"):
        minivae.Tensor(numpy.zeros(3, dtype=dtype), requires_grad=True)


def test_mixing_float32_and_float64_names_both_dtypes(xp):
    with pytest.raises(TypeError, match=r"add: .*float32.*float64"):
        tensor(xp, (2,), numpy.float32) + tensor(xp, (2,), numpy.float64)
    with pytest.raises(TypeError, match=r"matmul: .*float64.*float32"):
        tensor(xp, (2, 2), numpy.float64) @ tensor(xp, (2, 2), numpy.float32)


def test_pow_needs_a_number_exponent(xp):
    with pytest.raises(TypeError, match="pow: .*exp"):
        tensor(xp, (2,)) ** tensor(xp, (2,))


def test_uneven_split_names_the_shape(xp):
    with pytest.raises(ValueError, match=r"split: .*\(5, 2\).*3"):
        minivae.split(tensor(xp, (5, 2)), 3)


def test_transpose_needs_a_permutation(xp):
    with pytest.raises(ValueError, match=r"transpose: .*\(0, 0\).*\(2, 3\)"):
        tensor(xp, (2, 3)).transpose(0, 0)


def test_an_unknown_backend_lists_the_choices():
    with pytest.raises(ValueError) as caught:
        minivae.use("tpu")
    message = str(caught.value)
    assert "'tpu'" in message and "numpy" in message and "cupy" in message


@pytest.mark.parametrize("how, hint", [("checkout", ".venv/bin/pip install -e '.[gpu]'"),
                                       ("pip", "pip install cupy-cuda13x")])
def test_cupy_without_a_gpu_says_how_to_get_one(monkeypatch, how, hint):
    monkeypatch.setenv("MINIVAE_INSTALLED", how)  # the hint fits how minivae was installed
    monkeypatch.setattr(backend, "_cupy", None)  # CuPy missing, simulated: this runs everywhere
    monkeypatch.setitem(sys.modules, "cupy", None)  # (`import cupy` raises ImportError)
    before = backend.current()
    with pytest.raises(minivae.BackendError) as caught:
        minivae.use("cupy")
    message = str(caught.value)
    assert hint in message and "minivae[gpu]" not in message.replace("'.[gpu]'", ""), message
    assert backend.current() == before  # a failed use() changes nothing


def test_importing_minivae_does_not_import_cupy():
    env = {k: v for k, v in os.environ.items() if k != "MINIVAE_BACKEND"}
    code = "import minivae, minivae.functional, sys; assert 'cupy' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_mixing_devices_names_both():
    if not backend.cupy_available():
        pytest.skip("needs CuPy and a GPU: mixing devices is impossible without one")
    on_cpu = minivae.Tensor(numpy.ones(3))
    on_gpu = minivae.Tensor(numpy.ones(3), device="gpu")
    with pytest.raises(ValueError, match=r"add: .*cpu.*gpu"):
        on_cpu + on_gpu
