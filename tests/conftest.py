"""Shared fixtures: every test that takes `xp` runs once per backend present.

The CuPy case skips itself, with the reason, where CuPy or a GPU is missing,
unless the CuPy stand-in is on (MINIVAE_CUPY_STANDIN=1 or ``pytest
--cupy-standin``, as in .ci/run): then, where real CuPy with a visible GPU is
absent, ``import cupy`` finds tests/cupy_standin/cupy, a NumPy-backed module
with CuPy's rules (see its docstring), and the cupy cases run on the CPU.
"""
import os
import sys

import numpy
import pytest
from hypothesis import HealthCheck, settings

from minivae import backend

STANDIN_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cupy_standin")
_cupy_mode = "not requested"  # "real", "stand-in" or why neither; set in pytest_configure


def pytest_addoption(parser):
    parser.addoption("--cupy-standin", action="store_true",
                     help="run the cupy cases on tests/cupy_standin (NumPy on the CPU) when real "
                          "CuPy with a GPU is absent; same as MINIVAE_CUPY_STANDIN=1")


def pytest_configure(config):
    global _cupy_mode
    requested = config.getoption("--cupy-standin") or os.environ.get("MINIVAE_CUPY_STANDIN") == "1"
    if backend.cupy_available():  # a real GPU: test the real thing (or a stand-in on PYTHONPATH)
        _cupy_mode = "stand-in" if hasattr(backend.load_cupy(), "_transfers") else "real"
    elif requested:
        use_cupy_standin()
        _cupy_mode = "stand-in"


def use_cupy_standin():
    """Make `import cupy` (here and in subprocesses) find the stand-in instead of real CuPy."""
    for name in [m for m in sys.modules if m.split(".")[0] in ("cupy", "cupy_backends", "cupyx")]:
        del sys.modules[name]  # a real CuPy that imported but saw no GPU
    sys.path.insert(0, STANDIN_DIR)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [STANDIN_DIR] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    os.environ["MINIVAE_CUPY_STANDIN"] = "1"
    backend._cupy = None
    backend.load_cupy()


def pytest_report_header(config):
    if _cupy_mode == "stand-in":
        return ["CuPy stand-in: NumPy on the CPU, not a GPU (tests/cupy_standin; "
                "copies and synchronizations are counted, not timed)"]
    if _cupy_mode == "real":
        cupy = backend.load_cupy()
        name = cupy.cuda.runtime.getDeviceProperties(0)["name"].decode()
        return [f"CuPy {cupy.__version__} on {name}"]
    return ["CuPy: not tested (no GPU; MINIVAE_CUPY_STANDIN=1 runs the cupy cases on the stand-in)"]


def pytest_terminal_summary(terminalreporter):
    """Say where the cupy cases ran, also under -q (which hides the header); a part of pytest's
    own count, which follows this line."""
    counts = {k: sum("cupy" in r.nodeid and r.when in ("call", "setup")
                     for r in terminalreporter.stats.get(k, []))
              for k in ("passed", "failed", "skipped")}
    where = {"stand-in": "ran on the CuPy stand-in (NumPy on the CPU, not a GPU)",
             "real": "ran on real CuPy"}.get(_cupy_mode, "did not run (CuPy not tested)")
    terminalreporter.write_line(f"of these, the cupy cases (tests of the CuPy backend, counted in the "
                                f"total below too) {where}: {counts['passed']} passed, "
                                f"{counts['failed']} failed, {counts['skipped']} skipped")


@pytest.fixture
def cupy_transfers():
    """The stand-in's copy counters (cupy._transfers); skips on real CuPy, which has none."""
    cupy = _cupy_or_skip()
    if not hasattr(cupy, "_transfers"):
        pytest.skip("counting host/device copies needs the CuPy stand-in; real CuPy has no counters")
    return cupy._transfers

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
