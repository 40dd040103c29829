"""The CuPy stand-in keeps CuPy's rules, and offers only names real CuPy has.

The stand-in (tests/cupy_standin/cupy) is imported directly here, by path, so
these tests run whether or not the suite's cupy cases use it.
"""
import importlib
import os
import subprocess
import sys

import numpy
import pytest

from conftest import STANDIN_DIR

NAMES_FILE = os.path.join(STANDIN_DIR, "cupy_names.txt")


def _standin():
    """The stand-in's cupy package, imported from its folder even beside a real CuPy."""
    saved = {m: sys.modules.pop(m) for m in list(sys.modules) if m.split(".")[0] == "cupy"}
    sys.path.insert(0, STANDIN_DIR)
    try:
        module = importlib.import_module("cupy")
        submodules = {m: sys.modules[m] for m in sys.modules if m.split(".")[0] == "cupy"}
    finally:
        sys.path.remove(STANDIN_DIR)
        for m in [m for m in sys.modules if m.split(".")[0] == "cupy"]:
            del sys.modules[m]
        sys.modules.update(saved)
    return module, submodules


@pytest.fixture(scope="module")
def cp():
    module, submodules = _standin()
    if not hasattr(module, "_transfers"):
        pytest.skip("tests/cupy_standin did not import")
    saved = {m: sys.modules.get(m) for m in submodules}
    sys.modules.update(submodules)  # (pickling and __array_function__ look cupy up by name)
    yield module
    for m, mod in saved.items():
        if mod is None:
            sys.modules.pop(m, None)
        else:
            sys.modules[m] = mod


def read_names():
    """{section: set of names}, and the CuPy version the list was taken from."""
    sections, current, version = {}, None, None
    with open(NAMES_FILE) as f:
        for line in f:
            line = line.strip()
            if line.startswith("# Public names of CuPy"):
                version = line.split()[5]
            elif line.startswith("[") and line.endswith("]"):
                current = sections.setdefault(line[1:-1], set())
            elif line and not line.startswith("#"):
                current.add(line)
    return sections, version


def _public(obj):
    return {n for n in vars(obj) if not n.startswith("_") or n == "__version__"}


def _class_public(cls):
    names = set()
    for klass in cls.__mro__[:-1]:
        names |= {n for n in vars(klass) if not n.startswith("_")}
    return names


def test_names_list_records_the_cupy_version():
    sections, version = read_names()
    assert version and version[0].isdigit(), "cupy_names.txt must say which CuPy it lists"
    assert {"cupy", "cupy.cuda", "cupy.cuda.runtime", "cupy.random", "cupy.lib.stride_tricks",
            "cupy.ndarray", "cupy.ufunc"} <= set(sections)
    assert len(sections["cupy"]) > 300  # the real namespace, not a hand-picked few
    for must in ("asarray", "asnumpy", "ndarray", "get_array_module", "float32"):
        assert must in sections["cupy"]


def test_every_public_name_of_the_standin_is_real_cupy(cp):
    sections, version = read_names()
    import cupy.cuda.runtime  # noqa: F401  (the stand-in's, via the fixture)
    checks = {
        "cupy": _public(cp), "cupy.cuda": _public(cp.cuda), "cupy.cuda.runtime": _public(cp.cuda.runtime),
        "cupy.random": _public(cp.random), "cupy.lib": _public(cp.lib),
        "cupy.lib.stride_tricks": _public(cp.lib.stride_tricks), "cupy.linalg": _public(cp.linalg),
        "cupy.ndarray": _class_public(cp.ndarray), "cupy.ufunc": _class_public(cp.ufunc),
        "cupy.cuda.Device": _class_public(cp.cuda.Device), "cupy.cuda.Stream": _class_public(cp.cuda.Stream),
        "cupy.cuda.MemoryPool": _class_public(cp.cuda.MemoryPool),
        "cupy.random.Generator": _class_public(cp.random.Generator),
    }
    invented = {s: sorted(names - sections[s]) for s, names in checks.items() if names - sections[s]}
    assert not invented, f"the stand-in offers names CuPy {version} does not have: {invented}"


def test_standin_is_not_numpy(cp):
    a = cp.asarray(numpy.ones((2, 3), dtype=numpy.float32))
    assert not isinstance(a, numpy.ndarray)
    assert type(a).__module__ == "cupy"
    with pytest.raises(TypeError, match="Implicit conversion to a NumPy array is not allowed"):
        numpy.asarray(a)
    with pytest.raises(TypeError, match="Unsupported type"):
        a + numpy.ones(3, dtype=numpy.float32)
    with pytest.raises(TypeError, match="Unsupported type"):
        numpy.ones(3, dtype=numpy.float32) * a
    with pytest.raises(TypeError, match="Unsupported type"):
        cp.concatenate([a, numpy.ones((2, 3))])


def test_scalars_mix_and_results_stay_on_the_device(cp):
    a = cp.arange(6, dtype=cp.float32).reshape(2, 3)  # (2, 3)
    b = 2 * a + numpy.float32(1) - 0.5
    assert isinstance(b, cp.ndarray) and b.dtype == numpy.float32
    assert isinstance(b.sum(), cp.ndarray) and b.sum().shape == ()
    assert isinstance(a[1, 2], cp.ndarray)
    for numpy_call in (numpy.exp(a), numpy.sum(a), numpy.concatenate([a, a]), numpy.tanh(a)):
        assert isinstance(numpy_call, cp.ndarray)  # __array_ufunc__ / __array_function__
    assert numpy.shape(a) == (2, 3)


def test_every_copy_is_counted(cp):
    with cp._transfers.counting() as seen:
        a = cp.asarray(numpy.arange(4.0))     # host -> device
        cp.asarray(a)                          # already there: no copy
        a.get(), cp.asnumpy(a)                 # device -> host, twice
        float(a.sum()), a[0].item(), int(a[1]), bool(a[2] > 0), a.tolist()  # five more
        a * 3 + a                              # on the device: nothing
    assert (seen.host_to_device, seen.device_to_host) == (1, 7)
    assert "test_cupy_standin.py" in seen.where("device_to_host")


def test_indexing_with_host_arrays_copies_them_over(cp):
    a = cp.zeros(5, dtype=cp.float32)
    with cp._transfers.counting() as seen:
        a[numpy.array([0, 1])]
        cp.add.at(a, numpy.array([0, 0, 1]), 1.0)
    assert seen.host_to_device == 2 and seen.device_to_host == 0
    assert a.get().tolist() == [2, 1, 0, 0, 0]  # repeated indices add up
    with pytest.raises(ValueError, match="non-scalar numpy.ndarray"):
        a[:2] = numpy.ones(2)
    with pytest.raises(NotImplementedError, match="cupy_multiply.at"):
        cp.multiply.at(a, cp.asarray([0]), 2.0)


def test_cuda_random_and_strides(cp):
    assert cp.cuda.runtime.getDeviceCount() == 1
    assert b"stand-in" in cp.cuda.runtime.getDeviceProperties(0)["name"]
    with cp._transfers.counting() as seen:
        cp.cuda.get_current_stream().synchronize()
        cp.cuda.Stream.null.synchronize()
        cp.cuda.Device().synchronize()
    assert seen.synchronize == 3
    assert cp.get_default_memory_pool().used_bytes() == 0
    rng = cp.random.default_rng(0)
    for draw in (rng.standard_normal((3, 4), dtype=cp.float32), rng.random((3, 4), dtype=cp.float32)):
        assert isinstance(draw, cp.ndarray) and draw.dtype == numpy.float32 and draw.shape == (3, 4)
    a = cp.arange(6, dtype=cp.float32)
    windows = cp.lib.stride_tricks.as_strided(a, shape=(4, 3), strides=(4, 4))  # (4, 3) windows
    assert windows.get().tolist()[1] == [1, 2, 3]


def test_pickles_through_the_host(cp):
    import pickle
    a = cp.asarray(numpy.arange(3.0))
    b = pickle.loads(pickle.dumps(a))
    assert isinstance(b, cp.ndarray) and b.get().tolist() == [0, 1, 2]


def test_regenerate_script_reads_a_wheel(tmp_path):
    """The script that wrote the list runs (on a tiny fake wheel: CI has no network)."""
    import zipfile
    wheel = tmp_path / "cupy_fake-1.0-py3-none-any.whl"
    stub = "from cupy._core import ndarray\ndef asnumpy(a):\n    pass\n"
    with zipfile.ZipFile(wheel, "w") as z:
        z.writestr("cupy/_version.py", "__version__ = '1.0'\n")
        for path in ("cupy/__init__.py", "cupy/cuda/__init__.py", "cupy/random/__init__.py",
                     "cupy/lib/__init__.py", "cupy/lib/stride_tricks.py", "cupy/linalg/__init__.py"):
            z.writestr(path, stub)
        for so in ("cupy_backends/cuda/api/runtime", "cupy/_core/core", "cupy/_core/_kernel",
                   "cupy/cuda/device", "cupy/cuda/stream", "cupy/cuda/memory",
                   "cupy/random/_generator_api"):
            z.writestr(so + ".cpython-311-x86_64-linux-gnu.so", b"\0cupy._core.core._ndarray_base.get"
                       b"\0cupy_backends.cuda.api.runtime.getDeviceCount\0")
    script = os.path.join(STANDIN_DIR, "regenerate_names.py")
    out = tmp_path / "names.txt"
    env = dict(os.environ, CUPY_NAMES_OUT=str(out))
    subprocess.run([sys.executable, script, str(wheel)], check=True, env=env, capture_output=True)
    text = out.read_text()
    assert "# Public names of CuPy 1.0" in text
    cupy_section = text.split("[cupy]\n")[1].split("\n\n")[0].split()
    assert cupy_section == ["asnumpy", "cuda", "lib", "linalg", "ndarray", "random"]  # + subpackages
    assert "\ngetDeviceCount\n" in text and "\nget\n" in text
