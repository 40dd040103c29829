"""dev.py, the entry point README names: its pass-through runs `minivae` from .venv."""
import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEV = os.path.join(ROOT, "dev.py")


def dev(*args, cwd=ROOT):
    return subprocess.run([sys.executable, DEV, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


@pytest.fixture
def venv_or_skip():
    if not os.path.exists(os.path.join(ROOT, ".venv", "bin", "minivae")):
        pytest.skip("no .venv with minivae here (python3 dev.py test makes it)")


def test_minivae_pass_through_runs_the_command_from_the_venv(venv_or_skip, tmp_path):
    done = dev("minivae", "train", "--epochs", "0", cwd=tmp_path)
    assert done.returncode == 2  # minivae's own refusal, passed back
    assert done.stderr.strip() == ("minivae train: --epochs: expected a whole number of at least 1, "
                                   "got 0 (see minivae train --help)")
    assert "usage: minivae" in dev("minivae", "--help").stdout


def test_no_command_lists_the_commands():
    done = dev()
    assert done.returncode == 1
    for command in ("train", "test", "minivae", "notebooks"):
        assert f"python3 dev.py {command}" in done.stderr


def load_dev():
    import importlib.util
    spec = importlib.util.spec_from_file_location("dev_script", DEV)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_test_command_ends_with_pytests_own_counts(monkeypatch, capsys):
    """CI reads the closing lines: pytest's "N passed, N skipped in S" must be the last one,
    so dev.py says its own piece before pytest runs, and a second -q (-qq) is not passed on."""
    script = load_dev()
    ran = []
    monkeypatch.setattr(script, "install", lambda extras: None)
    monkeypatch.setattr(script, "run", lambda *cmd: ran.append(cmd) or print("12 passed in 3.00s"))
    script.main(["test", "-q", "-k", "conv"])
    assert ran[0][-3:] == ("pytest", "-k", "conv")
    assert capsys.readouterr().out.splitlines()[-1] == "12 passed in 3.00s"


def test_pytest_under_the_projects_options_prints_its_count(tmp_path):
    """setup.cfg's addopts (-q) keeps pytest's count line; the cupy line comes before it."""
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider",
                           "tests/test_package.py::test_version_is_printed"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    lines = done.stdout.strip().splitlines()
    assert re.fullmatch(r"1 passed in [\d.]+s", lines[-1]), done.stdout
    assert lines[-2].startswith("of these, the cupy cases"), done.stdout
