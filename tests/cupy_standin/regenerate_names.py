"""Write tests/cupy_standin/cupy_names.txt: the public names of real CuPy, read from its wheel.

    python tests/cupy_standin/regenerate_names.py                # downloads cupy-cuda13x
    python tests/cupy_standin/regenerate_names.py path/to.whl    # or reads a wheel you have

Modules written in Python (cupy, cupy.cuda, cupy.random, cupy.lib...) are read
with ``ast``: the names their top level imports, defines or assigns. Parts
compiled with Cython (cupy.cuda.runtime, the methods of ndarray, ufunc,
Device, Stream, MemoryPool, random.Generator) keep their qualified names as
strings inside the .so files, so those are read from there. Names starting
with an underscore are private and left out (``__version__`` excepted).
The stand-in test (tests/test_cupy_standin.py) checks every public name the
stand-in offers against this list.
"""
import ast
import glob
import os
import re
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.environ.get("CUPY_NAMES_OUT") or os.path.join(HERE, "cupy_names.txt")

# module name -> its source file in the wheel
PY_MODULES = {
    "cupy": "cupy/__init__.py",
    "cupy.cuda": "cupy/cuda/__init__.py",
    "cupy.random": "cupy/random/__init__.py",
    "cupy.lib": "cupy/lib/__init__.py",
    "cupy.lib.stride_tricks": "cupy/lib/stride_tricks.py",
    "cupy.linalg": "cupy/linalg/__init__.py",
}
# module or class -> (the .so that defines it, the qualified-name prefixes of its members)
COMPILED = {
    "cupy.cuda.runtime": ("cupy_backends/cuda/api/runtime", ["cupy_backends.cuda.api.runtime"]),
    "cupy.ndarray": ("cupy/_core/core", ["cupy._core.core._ndarray_base", "cupy._core.core.ndarray"]),
    "cupy.ufunc": ("cupy/_core/_kernel", ["cupy._core._kernel.ufunc"]),
    "cupy.cuda.Device": ("cupy/cuda/device", ["cupy.cuda.device.Device"]),
    "cupy.cuda.Stream": ("cupy/cuda/stream", ["cupy.cuda.stream._BaseStream", "cupy.cuda.stream.Stream"]),
    "cupy.cuda.MemoryPool": ("cupy/cuda/memory", ["cupy.cuda.memory.MemoryPool"]),
    "cupy.random.Generator": ("cupy/random/_generator_api", ["cupy.random._generator_api.Generator"]),
}
# Cython attributes declared `cdef readonly`/`public` leave no qualified name in the .so;
# they are in CuPy's API reference (docs.cupy.dev, "cupy.ndarray", "cupy.cuda.Stream").
DOCUMENTED = {"cupy.ndarray": ["base", "data", "dtype"], "cupy.cuda.Stream": ["null", "ptr"]}


def public(name):
    return not name.startswith("_") or name == "__version__"


def python_names(source):
    """Names bound at the top level of a module (imports, defs, classes, assignments)."""
    names = set()
    for node in ast.parse(source).body:
        nodes = [node]
        if isinstance(node, ast.Try):  # `try: from x import y` / `except ImportError: y = ...`
            nodes = node.body + [n for h in node.handlers for n in h.body] + node.orelse
        for n in nodes:
            if isinstance(n, ast.ImportFrom) and n.module != "__future__":
                names.update(a.asname or a.name for a in n.names if a.name != "*")
            elif isinstance(n, ast.Import):  # `import os` is no part of the API; `import cupy.x` is
                names.update((a.asname or a.name).split(".")[0] for a in n.names
                             if a.name.startswith("cupy"))
            elif isinstance(n, (ast.FunctionDef, ast.ClassDef)):
                names.add(n.name)
            elif isinstance(n, ast.Assign):
                names.update(t.id for t in n.targets if isinstance(t, ast.Name))
            if isinstance(n, ast.FunctionDef) and n.name == "__getattr__":  # lazy attributes
                names.update(c.value for c in ast.walk(n) if isinstance(c, ast.Compare)
                             for c in c.comparators if isinstance(c, ast.Constant)
                             and isinstance(c.value, str))
    return names


def compiled_names(data, prefixes):
    """Members of a Cython module or class, from the qualified names kept in its .so."""
    names = set()
    for prefix in prefixes:
        for m in re.finditer(re.escape(prefix.encode()) + rb"\.([A-Za-z_][A-Za-z0-9_]*)", data):
            names.add(m.group(1).decode())
    return names


def version(wheel):
    with zipfile.ZipFile(wheel) as z:
        text = z.read("cupy/_version.py").decode()
    return re.search(r"__version__ = ['\"]([^'\"]+)", text).group(1)


def main(argv):
    if argv:
        wheel = argv[0]
    else:
        folder = tempfile.mkdtemp()
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "cupy-cuda13x",
                        "-d", folder], check=True)
        wheel = glob.glob(os.path.join(folder, "*.whl"))[0]
    sections = {}
    with zipfile.ZipFile(wheel) as z:
        files = z.namelist()
        for module, path in PY_MODULES.items():
            names = python_names(z.read(path).decode())
            package = os.path.dirname(path)
            if path.endswith("__init__.py"):  # subpackages are attributes too
                names.update(f.split("/")[len(package.split("/"))] for f in files
                             if f.startswith(package + "/") and f.count("/") > package.count("/")
                             and f.endswith("__init__.py"))
            sections[module] = names
        for name, (stem, prefixes) in COMPILED.items():
            so = next(f for f in files if f.startswith(stem + ".") and f.endswith(".so"))
            sections[name] = compiled_names(z.read(so), prefixes) | set(DOCUMENTED.get(name, []))
    with open(OUT, "w") as f:
        f.write(f"# Public names of CuPy {version(wheel)} ({os.path.basename(wheel)}),\n"
                "# written by tests/cupy_standin/regenerate_names.py; one [section] per module or class.\n")
        for section, names in sections.items():
            f.write(f"\n[{section}]\n")
            f.writelines(n + "\n" for n in sorted(filter(public, names)))
    print(f"wrote {OUT}: CuPy {version(wheel)}, "
          + ", ".join(f"{s} {sum(map(public, n))}" for s, n in sections.items()))


if __name__ == "__main__":
    main(sys.argv[1:])
