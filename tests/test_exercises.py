"""The gradient exercises: every blank one fails its check, every solution passes, the CLI says so."""
import ast
from pathlib import Path

import pytest

from minivae import cli
from minivae.exercises import STATUSES, check_exercise
from minivae.exercises.learner import learner_text, solution_code, write_learner_files

TUTORIALS = Path(__file__).resolve().parents[1] / "tutorials"
EXERCISES = TUTORIALS / "exercises"
SOLUTIONS = TUTORIALS / "solutions"
NAMES = sorted(p.name for p in EXERCISES.glob("[0-9][0-9]_*.py"))
OPS = ("sigmoid", "softplus", "matmul", "conv2d", "conv_transpose2d", "batch_norm",
       "reparameterize", "kl_normal")


def test_one_exercise_per_op_each_with_its_solution():
    assert [name[3:-3] for name in NAMES] == list(OPS)
    assert sorted(p.name for p in SOLUTIONS.glob("[0-9][0-9]_*.py")) == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_a_blank_exercise_fails_as_not_written_yet(name):
    verdict = check_exercise(EXERCISES / name)
    assert verdict.status == "not written" and not verdict.passed
    report = str(verdict)
    assert report.startswith(f"FAIL  {name}: backward is not written yet")
    assert "NotImplementedError: write the backward of" in report


@pytest.mark.parametrize("name", NAMES)
def test_the_solution_passes(name, device):
    verdict = check_exercise(SOLUTIONS / name, device=device)
    assert verdict.passed, str(verdict)
    assert str(verdict).startswith(f"PASS  {name}: ")


@pytest.mark.parametrize("name", NAMES)
def test_each_learners_file_is_made_from_its_solutions_source(name):
    expected = learner_text((SOLUTIONS / name).read_text(encoding="utf-8"))
    assert (EXERCISES / name).read_text(encoding="utf-8") == expected, (
        f"tutorials/exercises/{name} is not its source tutorials/solutions/{name} with the marked "
        "solution cut out: edit the source, then run `python3 dev.py exercises`")


def test_the_learners_files_are_written_from_the_sources(tmp_path):
    source = (SOLUTIONS / "01_sigmoid.py").read_text(encoding="utf-8")
    (tmp_path / "solutions").mkdir()
    (tmp_path / "exercises").mkdir()
    (tmp_path / "solutions" / "01_sigmoid.py").write_text(source, encoding="utf-8")
    assert write_learner_files(tmp_path / "solutions", tmp_path / "exercises") == [
        tmp_path / "exercises" / "01_sigmoid.py"]
    written = (tmp_path / "exercises" / "01_sigmoid.py").read_text(encoding="utf-8")
    assert 'raise NotImplementedError("write the backward of sigmoid: see the hints in its docstring")' in written
    assert "self.y * (1 - self.y)" not in written.split("def backward")[1].split("def sigmoid")[0]
    assert write_learner_files(tmp_path / "solutions", tmp_path / "exercises") == []  # in sync: untouched


def test_the_worked_solution_reads_without_its_markers():
    code = solution_code((SOLUTIONS / "03_matmul.py").read_text(encoding="utf-8"))
    assert "# solution;" not in code and "# end of solution" not in code
    assert "ga = gy @ self.b.swapaxes(-1, -2)" in code


@pytest.mark.parametrize("cut", ["# solution; the exercise says:", "# end of solution"])
def test_a_source_without_one_marked_solution_is_refused(cut):
    source = (SOLUTIONS / "02_softplus.py").read_text(encoding="utf-8")
    broken = "\n".join(line for line in source.splitlines() if cut not in line)
    with pytest.raises(ValueError, match="02_softplus.py: the source of an exercise marks exactly one solution"):
        learner_text(broken, "02_softplus.py")


def _without_backward_bodies(path):
    """The module's AST with every backward's body cut down to its docstring."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "backward":
            node.body = node.body[:1]
    return ast.dump(tree)


@pytest.mark.parametrize("name", NAMES)
def test_exercise_and_solution_differ_only_inside_backward(name):
    assert _without_backward_bodies(EXERCISES / name) == _without_backward_bodies(SOLUTIONS / name)


# ---------------------------------------------------------------- a learner's mistakes

def _edited(tmp_path, name, old, new):
    """A copy of a solution with one edit, as a learner's attempt."""
    text = (SOLUTIONS / name).read_text()
    assert old in text, f"{old!r} not in {name}"
    path = tmp_path / name
    path.write_text(text.replace(old, new))
    return path


def test_a_wrong_gradient_names_the_input_the_element_and_both_values(tmp_path):
    path = _edited(tmp_path, "01_sigmoid.py", "return gy * self.y * (1 - self.y)", "return gy * self.y")
    verdict = check_exercise(path)
    assert (verdict.status, verdict.input, verdict.case) == ("wrong gradient", "x", 1)
    report = str(verdict)
    assert report.startswith("FAIL  01_sigmoid.py: the gradient of x (input 0) is wrong")
    for words in ("case 1 of 3: x (6,)", "at element (", "analytic (backward)",
                  "numeric (central difference)"):
        assert words in report


def test_a_wrong_weight_gradient_is_told_apart_from_the_others(tmp_path):
    path = _edited(tmp_path, "04_conv2d.py",
                   "g_weight = g_w_mat.reshape(c_out, kh, kw, c).transpose(0, 3, 1, 2)",
                   "g_weight = g_w_mat.reshape(c_out, c, kh, kw)")
    verdict = check_exercise(path)
    assert (verdict.status, verdict.input) == ("wrong gradient", "weight")
    assert "stride=2, padding=1" in str(verdict)  # the first case with C > 1 shows it


def test_a_broadcast_slip_in_matmul_points_at_the_line(tmp_path):
    path = _edited(tmp_path, "03_matmul.py", "ga = gy @ self.b.swapaxes(-1, -2)", "ga = gy @ self.b.T")
    verdict = check_exercise(path)
    assert (verdict.status, verdict.case) == ("backward error", 2)  # the first stack of matrices
    assert "ga = gy @ self.b.T" in str(verdict)


def test_a_transposed_gradient_is_refused_by_the_engines_rule(tmp_path):
    """(5, 4) for b of shape (4, 5): twenty numbers, the wrong shape; the engine's sum_to refuses it too."""
    path = _edited(tmp_path, "03_matmul.py", "gb = self.a.swapaxes(-1, -2) @ gy",
                   "gb = gy.swapaxes(-1, -2) @ self.a")
    verdict = check_exercise(path)
    assert (verdict.status, verdict.input, verdict.case) == ("backward error", "b", 1)
    assert verdict.summary == "backward returned a gradient of shape (5, 4) for b, which has shape (4, 5)"


@pytest.mark.parametrize("old, new, summary", [
    ("return g_x, g_weight, g_bias", "return g_x, g_weight, None",
     "backward returned None for bias, which needs a gradient"),
    ("return g_x, g_weight, g_bias", "return g_x, g_weight",
     "backward returned 2 value(s) for the 3 inputs of forward"),
    ("return g_x, g_weight, g_bias", "return g_x, g_bias, g_weight",
     "backward returned a gradient of shape (1,) for weight, which has shape (1, 1, 3, 3)"),
    ("return g_x, g_weight, g_bias", "return g_x, g_weight.astype('float32'), g_bias",
     "backward returned a float32 gradient for weight, which is float64"),
])
def test_a_malformed_return_is_named(tmp_path, old, new, summary):
    verdict = check_exercise(_edited(tmp_path, "04_conv2d.py", old, new))
    assert verdict.status == "backward error"
    assert verdict.summary == summary


def test_a_changed_forward_is_caught(tmp_path):
    path = _edited(tmp_path, "08_kl_normal.py", "return -0.5 * (", "return 0.5 * (")
    verdict = check_exercise(path)
    assert verdict.status == "wrong forward"
    assert "minivae.functional.kl_normal" in verdict.summary


def test_a_syntax_error_is_a_load_error_with_its_line(tmp_path):
    path = _edited(tmp_path, "02_softplus.py", "return gy * (xp.tanh", "return gy * (xp.tanh(")
    verdict = check_exercise(path)
    assert verdict.status == "load error"
    assert "SyntaxError" in str(verdict) and "at line " in str(verdict)


def test_a_file_without_check_is_a_load_error(tmp_path):
    path = tmp_path / "09_nothing.py"
    path.write_text("x = 1\n")
    verdict = check_exercise(path)
    assert verdict.status == "load error" and "CHECK" in str(verdict)


def test_statuses_are_the_documented_ones():
    assert STATUSES[0] == "pass" and {"not written", "wrong gradient", "load error"} <= set(STATUSES)


# ---------------------------------------------------------------- the command line

def test_cli_exits_0_on_pass_and_1_on_fail(capsys):
    assert cli.main(["exercise", "check", str(SOLUTIONS / "08_kl_normal.py")]) == 0
    assert capsys.readouterr().out.startswith("PASS  08_kl_normal.py")
    assert cli.main(["exercise", "check", str(EXERCISES / "08_kl_normal.py")]) == 1
    assert capsys.readouterr().out.startswith("FAIL  08_kl_normal.py: backward is not written yet")


def test_cli_fails_on_a_wrong_gradient(tmp_path, capsys):
    path = _edited(tmp_path, "07_reparameterize.py", "gy * 0.5 * self.std * self.epsilon",
                   "gy * self.std * self.epsilon")
    assert cli.main(["exercise", "check", str(path)]) == 1
    assert "the gradient of z_log_var (input 1) is wrong" in capsys.readouterr().out


def test_cli_reports_a_missing_file_as_a_usage_error(tmp_path, capsys):
    assert cli.main(["exercise", "check", str(tmp_path / "nope.py")]) == 2
    assert "no exercise file at" in capsys.readouterr().err
