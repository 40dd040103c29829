"""CI (.ci/run): what it runs, in which order, and the wheel matrix's plan."""
import importlib.util
import os
import re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def ci_commands():
    with open(os.path.join(ROOT, ".ci", "run")) as f:
        return [line.strip() for line in f if line.strip() and not line.lstrip().startswith("#")]


def wheel_matrix():
    spec = importlib.util.spec_from_file_location("wheel_matrix", os.path.join(ROOT, ".ci", "wheel_matrix.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_ci_ends_with_readmes_test_command():
    """pytest's count must close CI's output, and README's test command is the one CI runs."""
    commands = ci_commands()
    assert commands[-1] == "python3 dev.py test"
    with open(os.path.join(ROOT, "README.md")) as f:
        assert "\n    python3 dev.py test\n" in f.read()


def test_ci_runs_the_wheel_matrix_before_the_tests():
    commands = ci_commands()
    assert commands.index("python3 .ci/wheel_matrix.py") < commands.index("python3 dev.py test")


def test_the_oldest_cell_pins_setup_cfgs_floors():
    floors = wheel_matrix().floors()
    assert {pin.split("==")[0] for pin in floors} == {"numpy", "matplotlib", "tqdm", "Pillow"}
    assert all(re.fullmatch(r"[A-Za-z]+==[0-9.]+", pin) for pin in floors)


def test_pythons_absent_from_pyenv_are_skipped(monkeypatch, tmp_path):
    matrix = wheel_matrix()
    monkeypatch.setattr(matrix, "PYENV", str(tmp_path))
    assert matrix.pythons() == (None, None)
    for version in ("3.8.18", "3.9.18", "3.13.0", "3.11.7"):
        (tmp_path / version / "bin").mkdir(parents=True)
        (tmp_path / version / "bin" / "python3").touch()
    oldest, newest = matrix.pythons()
    assert (oldest[0], newest[0]) == ((3, 9, 18), (3, 13, 0))  # 3.8 is below python_requires


def test_readme_leads_in_at_most_200_lines():
    with open(os.path.join(ROOT, "README.md")) as f:
        text = f.read()
    first_screen = "\n".join(text.splitlines()[:25])
    assert len(text.splitlines()) <= 200
    assert "python3 dev.py train --epochs 1" in first_screen  # the one command to run first
