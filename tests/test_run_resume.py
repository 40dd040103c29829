"""--resume continues one run with its saved settings; a run folder is never trained over by accident;
an interrupted run says how to go on; another model's checkpoint is refused before any work."""
import json
import os
import shlex

import numpy
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from minivae import cli, models, recipes
from minivae.training import CHECKPOINT, HISTORY, read_checkpoint, read_progress
from test_cli import fashion_or_skip
from test_cli_refuses import snapshot

# a non-default run: beta, lr, seed, limit and batch size all differ from the recipe's
SAVED = {"--beta": "100", "--lr": "0.001", "--seed": "3", "--limit": "64", "--batch-size": "32"}
RUN = ["--model", "fashion-vae"] + [a for pair in SAVED.items() for a in pair]
QUIET = ["--quiet", "--no-figures"]


def history(folder):
    """The run's history without the timings (which differ between runs)."""
    with open(os.path.join(folder, HISTORY)) as f:
        return [{k: v for k, v in r.items() if k != "seconds"} for r in json.load(f)]


@pytest.fixture(scope="module")
def saved_run(tmp_path_factory):
    """A non-default run of one epoch, trained once for the module."""
    fashion_or_skip()
    out = str(tmp_path_factory.mktemp("resume") / "run")
    assert cli.main(["train", "--epochs", "1", "--out", out] + RUN + QUIET) == 0
    return out


def test_resume_without_flags_continues_with_the_saved_settings_bit_exact(saved_run, tmp_path, capsys):
    resumed = str(tmp_path / "resumed")
    os.makedirs(resumed)
    for name in os.listdir(saved_run):
        with open(os.path.join(saved_run, name), "rb") as f, open(os.path.join(resumed, name), "wb") as g:
            g.write(f.read())
    capsys.readouterr()
    assert cli.main(["train", "--resume", "--epochs", "2", "--out", resumed] + QUIET) == 0
    printed = capsys.readouterr().out
    assert "adam lr 0.001" in printed and "beta 100" in printed and "seed 3" in printed
    assert "64 training and 64 validation images" in printed  # --limit was remembered
    whole = str(tmp_path / "whole")
    assert cli.main(["train", "--epochs", "2", "--out", whole] + RUN + QUIET) == 0
    assert history(resumed) == history(whole)  # bit-exact on the CPU
    assert [r["epoch"] for r in history(resumed)] == [1, 2]
    _, _, meta = read_checkpoint(os.path.join(resumed, CHECKPOINT))
    assert meta["epochs"] == 2 and read_progress(meta).epoch == 2  # --epochs N: the new total


def _flag_values():
    """One differing value per setting flag (against SAVED and the fashion-vae recipe)."""
    return {
        "--beta": st.floats(0, 1e4, allow_nan=False).filter(lambda v: v != 100).map(lambda v: f"{v:g}"),
        "--lr": st.floats(1e-6, 1.0).filter(lambda v: v != 0.001).map(lambda v: f"{v:g}"),
        "--batch-size": st.integers(1, 256).filter(lambda v: v != 32).map(str),
        "--limit": st.integers(1, 10_000).filter(lambda v: v != 64).map(str),
        "--seed": st.integers(0, 2**31).filter(lambda v: v != 3).map(str),
        "--data": st.sampled_from(["/tmp/other-data", "elsewhere", "/usr/share"]),
        "--model": st.sampled_from([m for m in models.MODELS if m != "fashion-vae"]),
        "--dataset": st.sampled_from([d for d in recipes.DATASETS if d != "fashion-mnist"]),
    }


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_resume_with_differing_flags_is_refused_in_one_line_before_any_work(saved_run, capsys, data):
    strategies = _flag_values()
    flags = data.draw(st.lists(st.sampled_from(sorted(strategies)), min_size=1, max_size=4, unique=True))
    argv = ["train", "--resume", "--out", saved_run]
    for flag in flags:
        argv += [flag, data.draw(strategies[flag])]
    if data.draw(st.booleans()):
        argv += ["--epochs", "3"]  # --epochs is the one flag --resume takes
    before = snapshot(saved_run)
    capsys.readouterr()
    assert cli.main(argv) == 2, argv
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1, (argv, out, err)  # no banner, nothing loaded
    for flag in flags:
        assert f"{flag} " in err, (flag, err)
    assert err.count("(saved: ") == len(flags), err  # both values of each
    assert "another --out" in err and "--epochs" not in err
    assert snapshot(saved_run) == before


def test_training_into_a_run_folder_is_refused_and_leaves_it_unchanged(saved_run, capsys):
    before = snapshot(saved_run)
    capsys.readouterr()
    for argv in (RUN, ["--model", "cvae"], []):
        assert cli.main(["train", "--out", saved_run] + argv + QUIET) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1
        assert "holds a run of the fashion-vae" in err
        assert "--resume" in err and "another --out" in err and "--overwrite" in err
    assert snapshot(saved_run) == before


def test_overwrite_removes_only_the_old_runs_files(tmp_path, capsys):
    fashion_or_skip()
    out = tmp_path / "run"
    assert cli.main(["train", "--epochs", "2", "--out", str(out)] + RUN + QUIET) == 0
    old = {"report.html": b"old report", "explorer.html": b"old explorer",
           "latent_scatter.png": b"old figure", "training.gif": b"old gif",
           "evaluation.json": b"{}", "generated.png": b"old sample"}
    for name, content in old.items():
        (out / name).write_bytes(content)
    (out / "epochs").mkdir()
    (out / "epochs" / "epoch_001.png").write_bytes(b"old frame")
    (out / "notes.txt").write_text("mine")  # not the run's: stays
    capsys.readouterr()
    assert cli.main(["train", "--epochs", "1", "--overwrite", "--out", str(out)] + RUN + QUIET) == 0
    printed = capsys.readouterr().out
    assert sorted(os.listdir(out)) == sorted([CHECKPOINT, HISTORY, "notes.txt"])
    assert [r["epoch"] for r in history(str(out))] == [1]  # the new run's, not the old one's
    last = printed.strip().splitlines()[-3:]
    named = [w.strip(",`") for line in last for w in line.split() if str(out) in w]
    assert named and all(os.path.exists(p) for p in named if not p.endswith(str(out)))
    assert not any("figure" in line or "report.html" in line for line in last)  # --no-figures


def test_resume_and_overwrite_do_not_go_together(tmp_path, capsys):
    assert cli.main(["train", "--resume", "--overwrite", "--out", str(tmp_path)]) == 2
    assert "not allowed with" in capsys.readouterr().err


def test_another_models_checkpoint_is_refused_before_the_data_is_read(saved_run, capsys, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the data set was read")

    monkeypatch.setattr(recipes, "load_dataset", never)
    capsys.readouterr()
    for flags in (["--model", "cvae"], ["--dataset", "mnist"]):
        assert cli.main(["train", "--resume", "--out", saved_run] + flags) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and "(saved: fashion" in err


def _interrupt_at_step(monkeypatch, n, how):
    """Make the n-th training step of any model built from now on raise, or return a NaN loss."""
    real_build, calls = models.build, []

    def build(name, **kwargs):
        model = real_build(name, **kwargs)
        step = model.train_step

        def train_step(x, optimizer):
            calls.append(1)
            if len(calls) == n:
                if how == "nan":
                    losses = step(x, optimizer)
                    return dict(losses, total_loss=float("nan"))
                raise KeyboardInterrupt
            return step(x, optimizer)

        model.train_step = train_step
        return model

    monkeypatch.setattr(models, "build", build)
    return real_build


@pytest.mark.parametrize("how, code", [("ctrl-c", 130), ("nan", 2)])
def test_an_interrupted_run_prints_the_exact_command_that_resumes_it(tmp_path, capsys, monkeypatch, how, code):
    fashion_or_skip()
    out = str(tmp_path / "run")
    real_build = _interrupt_at_step(monkeypatch, 3, how)  # 64 images, batch 32: epoch 2's first step
    assert cli.main(["train", "--epochs", "3", "--out", out] + RUN + QUIET) == code
    err = capsys.readouterr().err
    command = f"minivae train --resume --out {shlex.quote(out)}"
    assert command in err and "Traceback" not in err
    assert read_progress(read_checkpoint(os.path.join(out, CHECKPOINT))[2]).epoch == 1
    monkeypatch.setattr(models, "build", real_build)
    assert cli.main(shlex.split(command)[1:] + QUIET) == 0  # the command, as printed, goes on
    assert [r["epoch"] for r in history(out)] == [1, 2, 3]


def test_an_interruption_before_the_first_epoch_says_nothing_was_saved(tmp_path, capsys, monkeypatch):
    fashion_or_skip()
    out = str(tmp_path / "run")
    _interrupt_at_step(monkeypatch, 1, "ctrl-c")
    assert cli.main(["train", "--epochs", "1", "--out", out] + RUN + QUIET) == 130
    err = capsys.readouterr().err
    assert "nothing was saved" in err and "--resume" not in err
    assert not os.path.exists(os.path.join(out, CHECKPOINT))


def test_a_resumed_run_must_read_the_same_files(tmp_path, capsys):
    from test_data_fashion import make_dataset
    data = tmp_path / "data"
    make_dataset(data, n_train=64, n_test=8)
    out = str(tmp_path / "run")
    argv = ["train", "--model", "fashion-vae", "--data", str(data), "--batch-size", "32", "--out", out] + QUIET
    assert cli.main(argv + ["--epochs", "1"]) == 0
    make_dataset(data, n_train=64, n_test=8, offset=1)  # other pixels, same names
    capsys.readouterr()
    assert cli.main(["train", "--resume", "--epochs", "2", "--out", out] + QUIET) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "data files differ" in err
    assert [r["epoch"] for r in history(out)] == [1]
    assert numpy.isfinite(history(out)[0]["total_loss"])
