"""Rules read off the source text: cupy is imported in one module, ops compute with their inputs' xp.

Plain regular expressions over lines (no parsing), so a file another engineer
is halfway through writing is still checked rather than crashing the test.
"""
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "minivae"
BACKEND = PACKAGE / "backend.py"

# numpy.X(...) calls op code may make: bookkeeping on shapes, axes and index lists,
# never computing on array data (that is what `xp = get_array_module(x)` is for).
ALLOWED_NUMPY_CALLS = {
    "broadcast_shapes",  # shapes only: the learner's error for mismatched operands
    "argsort",           # of a list of axes: the inverse of a permutation
    "asarray",           # of a Python list of indices, before it meets an array
    "dtype",             # dtype objects, not data
}

CUPY_IMPORT = re.compile(r"^\s*(import\s+cupy\b|from\s+cupy\b)")
NUMPY_CALL = re.compile(r"(?<![\w.])(?:numpy|np)\.([A-Za-z_][\w.]*)\s*\(")
DOCSTRING = re.compile(r'""".*?"""|\'\'\'.*?\'\'\'', re.DOTALL)


def code_lines(path):
    """(line number, code) pairs with docstrings and comments blanked out."""
    text = DOCSTRING.sub(lambda m: "\n" * m.group().count("\n"), path.read_text(encoding="utf-8"))
    return [(n, line.split("#", 1)[0]) for n, line in enumerate(text.splitlines(), 1)]


def test_the_rules_see_real_source():
    assert len(list(PACKAGE.rglob("*.py"))) >= 10
    assert any(CUPY_IMPORT.search(line) for _, line in code_lines(BACKEND))
    assert NUMPY_CALL.search("    y = numpy.exp(x)")[1] == "exp"
    assert NUMPY_CALL.search("    y = np.linalg.norm(x)")[1] == "linalg.norm"
    assert not NUMPY_CALL.search("    xp = cupy.numpy_like(x)")


def test_only_backend_imports_cupy():
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{n}: {line.strip()}"
                 for path in sorted(PACKAGE.rglob("*.py")) if path != BACKEND
                 for n, line in code_lines(path) if CUPY_IMPORT.search(line)]
    assert not offenders, "cupy is imported outside minivae/backend.py:\n" + "\n".join(offenders)


def test_ops_compute_with_the_array_module_of_their_inputs():
    files = sorted([*(PACKAGE / "ops").glob("*.py"), *(PACKAGE / "functional").glob("*.py")])
    assert files
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{n}: numpy.{name}(...)"
                 for path in files for n, line in code_lines(path)
                 for name in NUMPY_CALL.findall(line) if name not in ALLOWED_NUMPY_CALLS]
    assert not offenders, (
        "op code calls NumPy directly, so it would break (or silently copy) on the GPU; "
        "use xp = get_array_module(x) instead, or add a bookkeeping call to "
        "ALLOWED_NUMPY_CALLS:\n" + "\n".join(offenders))


RELATIVE_IMPORT = re.compile(r"^\s*from\s+(\.+)([\w.]*)\s+import\s+([\w, ]+)")


def _imports_of(path):
    """The package-relative modules a file imports, as dotted names under minivae."""
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1]  # e.g. ("minivae", "viz")
    found = set()
    for _, line in code_lines(path):
        m = RELATIVE_IMPORT.search(line)
        if not m:
            continue
        base = here[:len(here) - (len(m[1]) - 1)]
        target = ".".join(base + tuple(p for p in m[2].split(".") if p))
        found.add(target)
        found.update(f"{target}.{name.strip()}" for name in m[3].split(","))
    return found


def test_figures_never_import_the_command_layer():
    """viz/ sits below commands.py: a run folder is read through minivae.run_folder."""
    files = sorted((PACKAGE / "viz").glob("*.py"))
    assert files
    offenders = [str(path.relative_to(PACKAGE.parent)) for path in files
                 if "minivae.commands" in _imports_of(path)]
    assert not offenders, "viz/ imports minivae.commands (a circle): " + ", ".join(offenders)
    assert "minivae.commands" in _imports_of(PACKAGE / "cli.py")
    assert "minivae.commands" not in _imports_of(PACKAGE / "run_folder.py")
