"""The `minivae` command end to end, on a small subset of the real Fashion-MNIST."""
import json
import os

import pytest

from minivae import cli, data
from minivae.training import CHECKPOINT, HISTORY, read_checkpoint


def fashion_or_skip():
    try:
        return data.find_fashion_mnist()
    except FileNotFoundError:
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")


QUICK = ["--limit", "64", "--batch-size", "32", "--quiet", "--no-figures"]


def test_train_writes_history_and_checkpoint_and_resumes(tmp_path, capsys):
    fashion_or_skip()
    out = str(tmp_path / "run")
    assert cli.main(["train", "--model", "fashion-vae", "--epochs", "1", "--out", out] + QUICK) == 0
    history = json.load(open(os.path.join(out, HISTORY)))
    assert [h["epoch"] for h in history] == [1]
    assert cli.main(["train", "--model", "fashion-vae", "--epochs", "2", "--out", out, "--resume"]
                    + QUICK) == 0
    history = json.load(open(os.path.join(out, HISTORY)))
    assert [h["epoch"] for h in history] == [1, 2]
    _, _, meta = read_checkpoint(os.path.join(out, CHECKPOINT))
    assert meta["model"] == "fashion-vae" and meta["model_args"]["beta"] == 500
    printed = capsys.readouterr().out
    assert "resuming after epoch 1" in printed and "val_total_loss" in printed


def test_same_seed_same_printed_losses(tmp_path, capsys):
    fashion_or_skip()
    lines = []
    for name in ("a", "b"):
        cli.main(["train", "--model", "fashion-autoencoder", "--epochs", "1", "--seed", "4",
                  "--out", str(tmp_path / name)] + QUICK)
        printed = capsys.readouterr().out
        lines.append([line.split("(")[0] for line in printed.splitlines() if line.startswith("epoch")])
    assert lines[0] == lines[1] and lines[0]


def test_unknown_model_lists_the_choices(capsys):
    assert cli.main(["train", "--model", "gan"]) == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'gan'" in err and "fashion-vae" in err


def test_unknown_dataset_lists_the_choices(capsys, tmp_path):
    assert cli.main(["train", "--dataset", "imagenet", "--out", str(tmp_path)] + QUICK) == 2
    assert "fashion-mnist" in capsys.readouterr().err


def test_batch_size_larger_than_the_data(capsys, tmp_path):
    fashion_or_skip()
    assert cli.main(["train", "--limit", "10", "--batch-size", "32", "--out", str(tmp_path)]) == 2
    assert "larger than the 10 training images" in capsys.readouterr().err


def test_missing_data_says_how_to_get_it(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(data.fashion_mnist, "SYSTEM_DIR", tmp_path / "nowhere")
    monkeypatch.setenv("MINIVAE_DATA", str(tmp_path / "nothing-here"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    code = cli.main(["train", "--data", str(tmp_path / "empty"), "--out", str(tmp_path)] + QUICK)
    if code == 0:
        pytest.skip("the system copy of Fashion-MNIST is found whatever the paths say")
    assert code == 2
    assert "dataset-fashion-mnist" in capsys.readouterr().err


def test_resume_without_checkpoint_is_a_clear_error(capsys, tmp_path):
    fashion_or_skip()
    assert cli.main(["train", "--resume", "--out", str(tmp_path / "new")] + QUICK) == 2
    assert "no checkpoint" in capsys.readouterr().err


def test_info_prints_backend_and_data(capsys):
    assert cli.main(["info"]) == 0
    printed = capsys.readouterr().out
    assert "default backend: numpy" in printed and "Fashion-MNIST" in printed and "CuPy" in printed


def test_train_with_figures_writes_the_report_and_gif_and_report_rebuilds(tmp_path):
    fashion_or_skip()
    out = str(tmp_path / "run")
    args = ["train", "--model", "fashion-vae", "--epochs", "2", "--limit", "64", "--batch-size",
            "32", "--quiet", "--out", out]
    assert cli.main(args) == 0
    written = set(os.listdir(out))
    assert {"report.html", "training.gif", "reconstructions.png", "loss_curves.png"} <= written
    os.remove(os.path.join(out, "report.html"))
    assert cli.main(["report", out]) == 0
    assert os.path.getsize(os.path.join(out, "report.html")) > 10_000


def test_beta_is_refused_for_a_model_without_one(capsys, tmp_path):
    assert cli.main(["train", "--model", "fashion-autoencoder", "--beta", "3", "--out",
                     str(tmp_path)] + QUICK) == 2
    assert "takes no beta" in capsys.readouterr().err


def test_ctrl_c_exits_cleanly_and_keeps_the_last_checkpoint(tmp_path, capsys, monkeypatch):
    fashion_or_skip()
    from minivae import models
    real_build = models.build

    def build_interrupted(name, **kwargs):
        model = real_build(name, **kwargs)
        step, calls = model.train_step, []

        def train_step(x, optimizer):
            calls.append(1)
            if len(calls) == 3:  # 64 images, batch 32: the first step of epoch 2
                raise KeyboardInterrupt
            return step(x, optimizer)

        model.train_step = train_step
        return model

    monkeypatch.setattr(models, "build", build_interrupted)
    out = str(tmp_path / "run")
    assert cli.main(["train", "--epochs", "3", "--out", out] + QUICK) == 130
    assert f"continue with: minivae train --resume --out {out}" in capsys.readouterr().err
    _, _, meta = read_checkpoint(os.path.join(out, CHECKPOINT))
    assert meta["epoch"] == 1


def test_resume_from_another_models_checkpoint_is_refused_in_one_line_before_the_banner(tmp_path, capsys):
    fashion_or_skip()
    out = str(tmp_path / "run")
    assert cli.main(["train", "--model", "fashion-vae", "--epochs", "1", "--out", out] + QUICK) == 0
    capsys.readouterr()
    assert cli.main(["train", "--model", "fashion-autoencoder", "--epochs", "2", "--out", out,
                     "--resume"] + QUICK) == 2
    printed, err = capsys.readouterr()
    assert printed == "" and err.count("\n") == 1  # no banner, no data read, one line
    assert "--model fashion-autoencoder (saved: fashion-vae)" in err
