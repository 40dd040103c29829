"""Progress off a terminal: a line per epoch, and one about every 30 s inside a long epoch."""
import re

import numpy
import pytest

from minivae import cli
from minivae.training import display, fit

from test_training_fit import NoOptimizer, ScriptedModel

STEP_LINE = re.compile(r"^epoch (\d+)/(\d+)  step (\d+)/(\d+)  total_loss [\d.]+ .*"
                       r"\(\d+ s, about \d+ s left in this epoch\)$")


def lines_of(capsys):
    return capsys.readouterr().out.splitlines()


def test_off_a_terminal_a_line_comes_every_interval_and_one_per_epoch(capsys):
    # capsys: stdout is not a terminal, as with a log file or `tee`
    fit(ScriptedModel(), numpy.ones((40, 1)), epochs=2, batch_size=10, optimizer=NoOptimizer(),
        progress_every=0)  # an interval of 0 s: a line after every step but an epoch's last
    out = lines_of(capsys)
    steps = [tuple(map(int, STEP_LINE.match(line).groups())) for line in out if "  step " in line]
    assert steps == [(e, 2, s, 4) for e in (1, 2) for s in (1, 2, 3)]
    assert [line.split("  ")[0] for line in out if "  step " not in line] == ["epoch 1/2", "epoch 2/2"]


def test_a_short_epoch_prints_only_its_epoch_line(capsys):
    fit(ScriptedModel(), numpy.ones((40, 1)), epochs=3, batch_size=10, optimizer=NoOptimizer())
    out = lines_of(capsys)
    assert len(out) == 3 and all(line.startswith(f"epoch {i}/3  total_loss") for i, line in enumerate(out, 1))


def test_quiet_prints_the_epoch_lines_only(capsys):
    fit(ScriptedModel(), numpy.ones((40, 1)), epochs=1, batch_size=10, optimizer=NoOptimizer(),
        quiet=True, progress_every=0)
    assert [line.split("  ")[0] for line in lines_of(capsys)] == ["epoch 1/1"]


@pytest.mark.parametrize("stderr_tty, stdout_tty, shown", [(True, True, (True, False)),
                                                           (True, False, (True, True)),
                                                           (False, False, (False, True))])
def test_the_bar_goes_to_a_terminal_and_the_lines_to_a_file(monkeypatch, stderr_tty, stdout_tty, shown):
    monkeypatch.setattr("sys.stderr.isatty", lambda: stderr_tty, raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: stdout_tty, raising=False)
    assert display.modes(None) == shown
    assert display.modes(True) == (False, False)


def test_minivae_train_into_a_log_prints_progress_lines(monkeypatch, capsys, tmp_path):
    from test_cli import fashion_or_skip
    fashion_or_skip()
    monkeypatch.setattr(display, "EVERY", 0.0)  # the 30 s interval, shortened for the test
    assert cli.main(["train", "--epochs", "1", "--limit", "96", "--batch-size", "32", "--no-figures",
                     "--out", str(tmp_path / "run")]) == 0
    steps = [line for line in lines_of(capsys) if STEP_LINE.match(line)]
    assert [line.split("  ")[1] for line in steps] == ["step 1/3", "step 2/3"]
