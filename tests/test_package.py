"""minivae as a package: its version, its licence, and hints that fit how it was installed."""
import configparser
import os
import subprocess
import sys

import numpy
import pytest

import minivae
from minivae import installed
from minivae.cli import main
from minivae.run_settings import SavedRun
from minivae.short_run import short_run_warning
from minivae.viz.note import add_note

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_version_is_printed(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"minivae {minivae.__version__}"


def test_the_wheel_takes_its_version_and_licence_from_the_checkout():
    config = configparser.ConfigParser()
    config.read(os.path.join(ROOT, "setup.cfg"))
    assert config["metadata"]["version"] == "attr: minivae.__version__"
    assert config["metadata"]["license"] == "MIT"
    with open(os.path.join(ROOT, config["metadata"]["license_files"])) as f:
        assert f.readline().strip() == "MIT License"


@pytest.mark.parametrize("how, fix", [("checkout", "python3 dev.py train"),
                                      ("pip", "minivae train --model fashion-vae")])
def test_the_short_run_hint_names_a_command_that_works_here(monkeypatch, how, fix):
    monkeypatch.setenv("MINIVAE_INSTALLED", how)
    run = SavedRun.from_meta({"model": "fashion-vae", "dataset": "fashion-mnist", "batch_size": 100,
                              "limit": 1000})
    assert f"`{fix}`" in short_run_warning(run, [{"epoch": 1}])


def test_other_models_go_through_dev_py_in_a_checkout(monkeypatch):
    monkeypatch.setenv("MINIVAE_INSTALLED", "checkout")
    assert installed.minivae_command("train --model mnist-vae") == \
        "python3 dev.py minivae train --model mnist-vae"
    monkeypatch.setenv("MINIVAE_INSTALLED", "pip")
    assert installed.minivae_command("train --model mnist-vae") == "minivae train --model mnist-vae"


def test_this_checkout_is_recognised_as_one(monkeypatch):
    monkeypatch.delenv("MINIVAE_INSTALLED", raising=False)
    assert installed.checkout() == ROOT


def test_the_short_run_note_is_drawn_with_pillow_of_any_supported_version(tmp_path):
    from PIL import Image
    path = str(tmp_path / "figure.png")
    Image.new("RGB", (300, 100), "white").save(path)
    add_note(path, "This run took 10 training steps; train longer. " * 3)
    out = numpy.asarray(Image.open(path))
    assert out.shape[0] > 100 and (out[100:] != 255).any()  # a band with ink in it


def test_ruff_finds_nothing():
    """The rule set is in pyproject.toml ([tool.ruff]); `ruff check .` is what this runs."""
    ruff = pytest.importorskip("ruff", reason="ruff is in minivae[dev]: pip install -e '.[dev]'")
    del ruff
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_no_api_summary_ends_in_a_colon():
    """The API reference's tables show each docstring's first paragraph: it is a sentence, not
    the lead-in to a formula ("...update rule:") cut off from it."""
    import ast
    import pathlib
    endings = []
    for path in sorted(pathlib.Path(ROOT, "minivae").rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node in [tree] + [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]:
            doc = ast.get_docstring(node)
            if doc and not getattr(node, "name", "").startswith("_"):
                first = doc.strip().split("\n\n")[0].rstrip()
                if first.endswith(":"):
                    endings.append(f"{path.relative_to(ROOT)}: {getattr(node, 'name', 'module')}: ...{first[-50:]}")
    assert not endings, "\n".join(endings)
