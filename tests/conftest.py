"""Shared fixtures: every test that takes `xp` runs once per backend present.

The CuPy case skips itself, with the reason, where CuPy or a GPU is missing.
"""
import os

import numpy
import pytest
from hypothesis import HealthCheck, settings

from minivae import backend

settings.register_profile(
    "minivae", deadline=None, max_examples=int(os.environ.get("MINIVAE_EXAMPLES", "15")),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile("minivae")


def _cupy_or_skip():
    try:
        return backend.load_cupy()
    except backend.BackendError as exc:
        pytest.skip(f"CuPy backend not tested: {exc}")


@pytest.fixture(params=["numpy", "cupy"])
def xp(request):
    """The array module of one backend: numpy, or cupy when a GPU is visible."""
    if request.param == "cupy":
        return _cupy_or_skip()
    return numpy


@pytest.fixture(params=["numpy", "cupy"])
def device(request):
    """A device name: 'cpu', or 'gpu' when a GPU is visible."""
    if request.param == "cupy":
        _cupy_or_skip()
        return "gpu"
    return "cpu"


@pytest.fixture(autouse=True)
def _default_backend():
    """Each test starts on the default backend and a fixed seed."""
    saved = backend._default
    backend.manual_seed(0)
    yield
    backend._default = saved
