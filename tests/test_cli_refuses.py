"""Every command refuses bad input in one line, with exit status 2, before doing any work.

Hypothesis generates the bad values (numbers that are zero, negative, not finite or
not numbers at all; paths that are not the data set or not a checkpoint) and each
example checks: exit 2, one line on stderr, no traceback, nothing printed on stdout
(no banner: nothing was loaded or trained), and the run folder byte for byte as it was.
The system's own refusals while a run is written (a full disk) end in one line too,
with the last checkpoint whole and resumable.
"""
import errno
import hashlib
import os

import numpy
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from minivae import cli
from minivae.training import CHECKPOINT, read_checkpoint
from minivae.training import checkpoint as checkpoint_module
from test_cli import fashion_or_skip
from test_data_fashion import idx_bytes

RUN_ARGS = ["--model", "fashion-vae", "--epochs", "1", "--limit", "64", "--batch-size", "32",
            "--quiet", "--no-figures"]


@pytest.fixture(scope="module")
def places(tmp_path_factory):
    """A small trained run folder, and paths that are not what the commands need."""
    fashion_or_skip()
    root = tmp_path_factory.mktemp("refuse")
    run = root / "run"
    assert cli.main(["train", "--out", str(run)] + RUN_ARGS) == 0
    text = root / "notdata.txt"
    text.write_text("these are not images\n")
    empty = root / "empty"
    empty.mkdir()
    wrong = root / "wrong-shape"  # MNIST's four files, but 20x20 images
    wrong.mkdir()
    for stem, array in (("train-images-idx3-ubyte", numpy.zeros((4, 20, 20), numpy.uint8)),
                        ("t10k-images-idx3-ubyte", numpy.zeros((4, 20, 20), numpy.uint8)),
                        ("train-labels-idx1-ubyte", numpy.zeros(4, numpy.uint8)),
                        ("t10k-labels-idx1-ubyte", numpy.zeros(4, numpy.uint8))):
        (wrong / stem).write_bytes(idx_bytes(array))
    npy = root / "flat.npy"  # images of the wrong shape for the model
    numpy.save(npy, numpy.zeros((3, 7), numpy.float32))
    return {"run": run, "bad_data": [str(text), str(empty), str(wrong), str(root / "nowhere")],
            "bad_checkpoint": [str(run / "history.json"), str(text), str(empty),
                               str(root / "nowhere"), str(npy)],
            "bad_npy": str(npy)}


def snapshot(folder):
    """{file: sha256} of everything under ``folder``."""
    out = {}
    for dirpath, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(dirpath, name)
            with open(path, "rb") as f:
                out[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return out


def refused(argv, capsys, run):
    """Run ``minivae argv``; check it was refused in one line and the run folder is unchanged."""
    before = snapshot(run)
    capsys.readouterr()
    code = cli.main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (argv, code, err)
    assert err.endswith("\n") and err.count("\n") == 1, (argv, err)
    assert "Traceback" not in err and out == "", (argv, out, err)
    assert err.startswith(f"minivae {argv[0]}"), err
    assert snapshot(run) == before, argv


not_a_number = st.sampled_from(["", "x", "1.5.2", "one", "1e", "0x10"])
bad_count = st.one_of(st.integers(max_value=0).map(str), not_a_number,
                      st.floats(0.01, 1000, exclude_min=False).filter(lambda v: v != int(v)).map(str))
bad_rate = st.one_of(st.floats(max_value=0, allow_infinity=False).map(repr),
                     st.sampled_from(["nan", "inf", "1e999"]), not_a_number)
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(flag=st.sampled_from(["--epochs", "--limit", "--batch-size", "--latent-dim"]), value=bad_count)
def test_train_refuses_a_count_below_one(places, capsys, flag, value):
    refused(["train", "--out", str(places["run"]), flag, value], capsys, places["run"])


@SETTINGS
@given(flag=st.sampled_from(["--lr", "--beta"]), value=bad_rate)
def test_train_refuses_a_rate_that_is_not_a_positive_number(places, capsys, flag, value):
    if flag == "--beta" and value in ("0.0", "-0.0"):
        value = "-1"  # beta 0 is allowed: the KL-only model of the intuition article
    refused(["train", "--out", str(places["run"]), flag, value], capsys, places["run"])


@SETTINGS
@given(index=st.integers(0, 3), resume=st.booleans())
def test_train_refuses_data_that_is_not_fashion_mnist(places, capsys, index, resume):
    argv = ["train", "--out", str(places["run"]), "--data", places["bad_data"][index]]
    refused(argv + (["--resume"] if resume else []), capsys, places["run"])


@SETTINGS
@given(command=st.sampled_from(["reconstruct", "generate"]), index=st.integers(0, 4))
def test_use_commands_refuse_a_path_that_is_not_a_checkpoint(places, capsys, command, index):
    refused([command, "--checkpoint", places["bad_checkpoint"][index]], capsys, places["run"])


@SETTINGS
@given(command=st.sampled_from(["reconstruct", "generate"]), value=bad_count)
def test_use_commands_refuse_a_bad_count(places, capsys, command, value):
    refused([command, "--checkpoint", str(places["run"]), "--n", value], capsys, places["run"])


@SETTINGS
@given(command=st.sampled_from(["report", "evaluate", "explore"]), index=st.integers(0, 4))
def test_run_commands_refuse_a_folder_that_is_not_a_run(places, capsys, command, index):
    refused([command, places["bad_checkpoint"][index]], capsys, places["run"])


@SETTINGS
@given(command=st.sampled_from(["reconstruct", "report", "evaluate", "explore"]),
       index=st.integers(0, 3))
def test_commands_refuse_data_that_is_not_the_runs_data_set(places, capsys, command, index):
    run = str(places["run"])
    head = [command, "--checkpoint", run] if command == "reconstruct" else [command, run]
    refused(head + ["--data", places["bad_data"][index]], capsys, places["run"])


def test_evaluate_refuses_images_of_the_wrong_shape(places, capsys):
    refused(["evaluate", str(places["run"]), "--data", places["bad_npy"]], capsys, places["run"])


@SETTINGS
@given(flag=st.sampled_from(["--samples", "--limit", "--batch-size"]), value=bad_count)
def test_evaluate_refuses_a_bad_count(places, capsys, flag, value):
    refused(["evaluate", str(places["run"]), flag, value], capsys, places["run"])


@SETTINGS
@given(value=bad_count)
def test_bench_refuses_a_bad_batch_size(places, capsys, value):
    refused(["bench", "--batch-size", value], capsys, places["run"])


def test_generate_never_overwrites_a_run_figure(places, capsys, tmp_path):
    run = tmp_path / "run"
    run.mkdir()
    for name in os.listdir(places["run"]):
        (run / name).write_bytes((places["run"] / name).read_bytes())
    (run / "samples.png").write_bytes(b"the run's own figure")
    refused(["generate", "--checkpoint", str(run), "--out", str(run / "samples.png")], capsys, run)
    assert cli.main(["generate", "--checkpoint", str(run), "--n", "4"]) == 0
    said = capsys.readouterr().out
    assert "generated.png: 4 points z ~ N(0, I) drawn with seed 0" in said
    assert (run / "samples.png").read_bytes() == b"the run's own figure"


def test_a_full_disk_ends_in_one_line_and_the_last_checkpoint_resumes(places, capsys, tmp_path,
                                                                    monkeypatch):
    run = str(tmp_path / "run")
    argv = ["train", "--out", run, "--model", "fashion-vae", "--limit", "64", "--batch-size", "32",
            "--quiet", "--no-figures"]
    real_savez, calls = numpy.savez, []

    def savez_then_disk_full(f, **arrays):
        calls.append(1)
        if len(calls) == 2:  # epoch 2's checkpoint: a few bytes, then the disk is full
            f.write(b"PK\x03\x04 half a checkpoint")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), f.name)
        return real_savez(f, **arrays)

    monkeypatch.setattr(checkpoint_module.numpy, "savez", savez_then_disk_full)
    assert cli.main(argv + ["--epochs", "3"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "No space left on device" in err and run in err, err
    assert f"continue with: minivae train --resume --out {run}" in err and "Traceback" not in err
    _, _, meta = read_checkpoint(os.path.join(run, CHECKPOINT))
    assert meta["epoch"] == 1
    assert not [n for n in os.listdir(run) if n.startswith(".checkpoint-")]  # no half file left
    monkeypatch.setattr(checkpoint_module.numpy, "savez", real_savez)
    assert cli.main(argv + ["--epochs", "2", "--resume"]) == 0
    assert read_checkpoint(os.path.join(run, CHECKPOINT))[2]["epoch"] == 2


def test_a_run_folder_that_cannot_be_made_is_one_line_before_training(places, capsys, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    code = cli.main(["train", "--out", str(blocker / "run")] + RUN_ARGS)
    out, err = capsys.readouterr()
    assert code == 1 and err.count("\n") == 1 and str(blocker) in err and "Traceback" not in err
    assert "epoch" not in out  # refused before the first step
