"""dev.py, the entry point README names: its pass-through runs `minivae` from .venv."""
import os
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
