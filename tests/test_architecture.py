"""The floors of minivae, checked: the import-linter contracts in setup.cfg hold.

    cli > commands | arguments > train_command > redraw > viz | run_folder | bench | exercises
        > training | evaluation | short_run > run_settings > recipes > models > nn | optim
        > functional | gradcheck | data > autograd : ops > backend | errors | memory

No module imports a floor above its own, and no package has an import circle but
the deliberate autograd <-> ops one (README, "Architecture"). A new upward import
fails here with the broken contract's name and the offending line.
"""
import ast
import importlib.util
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINT = ("import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(no_cache=True, no_logo=True))")
FLOORS = "minivae's floors: no import runs upward"
NO_CIRCLES = "no import circle inside a package, but autograd <-> ops"


def lint(folder):
    """Run import-linter on the minivae in ``folder`` with the setup.cfg there: (exit code, output)."""
    if importlib.util.find_spec("importlinter") is None:
        pytest.fail("import-linter is missing: it is in minivae[dev] (pip install -e .[dev]; "
                    "`python3 dev.py test` installs it)")
    env = dict(os.environ, PYTHONPATH=folder)
    done = subprocess.run([sys.executable, "-c", LINT], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


def test_the_import_contracts_hold():
    code, output = lint(ROOT)
    assert code == 0, output
    assert f"{FLOORS} (README, Architecture) KEPT" in output and f"{NO_CIRCLES} KEPT" in output


@pytest.fixture
def copy(tmp_path):
    """minivae and its setup.cfg copied, to plant imports the real package must never have."""
    shutil.copytree(os.path.join(ROOT, "minivae"), tmp_path / "minivae",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(os.path.join(ROOT, "setup.cfg"), tmp_path / "setup.cfg")
    return tmp_path


def plant(path, line):
    text = path.read_text(encoding="utf-8")
    end = text.index('"""', 3) + 3  # after the module docstring
    path.write_text(text[:end] + "\n" + line + "\n" + text[end:], encoding="utf-8")


def test_an_upward_import_breaks_the_floors_contract(copy):
    plant(copy / "minivae" / "models" / "vae.py", "from ..viz import inference")
    code, output = lint(str(copy))
    assert code != 0 and f"{FLOORS} (README, Architecture) BROKEN" in output
    assert "minivae.models is not allowed to import minivae.viz" in output
    assert "minivae.models.vae -> minivae.viz.inference" in output


def test_a_circle_inside_a_package_breaks_the_no_circles_contract(copy):
    plant(copy / "minivae" / "nn" / "summary.py", "from . import layer")  # layer -> summary -> layer
    code, output = lint(str(copy))
    assert code != 0 and f"{NO_CIRCLES} BROKEN" in output and ".summary -> .layer" in output


def test_a_new_module_must_be_given_a_floor(copy):
    (copy / "minivae" / "helpers.py").write_text('"""Nobody said where this goes."""\n', encoding="utf-8")
    code, output = lint(str(copy))
    assert code != 0 and "not listed as layers" in output and "- minivae.helpers" in output


def _compares_a_model_name(tree, names):
    """(line, code) of each comparison in ``tree`` with a registered model's name as a constant."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        constants = [c for side in sides for c in ([side] if isinstance(side, ast.Constant) else
                     getattr(side, "elts", []) if isinstance(side, (ast.Tuple, ast.List, ast.Set)) else [])]
        if any(isinstance(c, ast.Constant) and c.value in names for c in constants):
            found.append((node.lineno, ast.unparse(node)))
    return found


def test_no_module_outside_models_compares_a_models_name():
    """What a model is (a VAE? how is its KL estimated? its images' range?) is asked of the model."""
    from minivae import models
    names = set(models.MODELS)
    package = os.path.join(ROOT, "minivae")
    offenders = []
    for folder, _, files in os.walk(package):
        if os.path.relpath(folder, package).split(os.sep)[0] == "models":
            continue
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path, encoding="utf-8") as f:
                    tree = ast.parse(f.read())
                offenders += [f"{os.path.relpath(path, ROOT)}:{line}: {code}"
                              for line, code in _compares_a_model_name(tree, names)]
    assert not offenders, "ask the model instead of comparing its name:\n" + "\n".join(offenders)


def test_the_name_check_finds_a_comparison():
    tree = ast.parse('if meta.get("model") == "cvae" or name in ("mlp-vae", "x"):\n    pass\n')
    assert [line for line, _ in _compares_a_model_name(tree, {"cvae", "mlp-vae"})] == [1, 1]


def test_readmes_floors_are_the_contracts():
    """README's Architecture diagram lists setup.cfg's floors, in order: the section stays current."""
    import configparser
    config = configparser.ConfigParser()
    config.read(os.path.join(ROOT, "setup.cfg"), encoding="utf-8")
    floors = [line.strip() for line in config["importlinter:contract:floors"]["layers"].splitlines()
              if line.strip()]
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        section = f.read().split("## Architecture", 1)[1]
    diagram = section.split("```", 2)[1].strip("\n").splitlines()
    drawn = [line.strip().split("  ")[0].strip() for line in diagram]
    assert drawn == floors, f"README's Architecture diagram {drawn} is not setup.cfg's floors {floors}"
