"""A run is one record: its settings saved in the checkpoint, printed, shown, and read back whole."""
import dataclasses
import os
import re

import pytest

from minivae import cli, data, run_folder
from minivae.run_settings import RunSettings, SavedRun
from minivae.training import CHECKPOINT, read_checkpoint

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QUICK = ["--limit", "64", "--batch-size", "32", "--quiet", "--no-figures"]


def fashion_or_skip():
    try:
        return data.find_fashion_mnist()
    except FileNotFoundError:
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")


def test_settings_round_trip_through_a_checkpoints_meta():
    settings = RunSettings(model="fashion-vae", dataset="fashion-mnist", optimizer="adam", lr=1e-3,
                           batch_size=32, epochs=2, seed=3, limit=64,
                           model_args={"latent_dim": 2, "beta": 100.0}, data_path="/d", data_hash="ab" * 32)
    run = SavedRun(settings, epoch=1, train_images=64, backend="numpy", history=[{"epoch": 1}])
    again = SavedRun.from_meta(run.to_meta())
    assert again == run and again.settings.beta == 100.0
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.lr = 1.0


def test_a_meta_without_a_model_is_refused_in_words():
    with pytest.raises(ValueError, match="does not say which model"):
        SavedRun.from_meta({"epoch": 1})


def test_train_saves_prints_and_reports_one_record(tmp_path, capsys):
    fashion_or_skip()
    out = str(tmp_path / "run")
    args = ["train", "--model", "fashion-vae", "--beta", "100", "--lr", "0.001", "--epochs", "1",
            "--seed", "3", "--out", out, "--limit", "64", "--batch-size", "32", "--quiet"]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    _, _, meta = read_checkpoint(os.path.join(out, CHECKPOINT))
    settings = SavedRun.from_meta(meta).settings
    assert (settings.model, settings.beta, settings.lr, settings.seed, settings.limit, settings.batch_size) == \
        ("fashion-vae", 100.0, 0.001, 3, 64, 32)
    folder = data.find_fashion_mnist()
    files = [data.fashion_mnist._idx_file(folder, stem) for stem in data.fashion_mnist.FILE_NAMES]
    assert settings.data_hash == data.content_hash(files)  # the four IDX files read
    assert settings.banner() in printed.splitlines()  # printed at the start of training
    _, run = run_folder.load_run(out)
    assert run.settings == settings and run.epoch == 1
    page = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    for name, _ in settings.lines():
        assert re.search(rf'<td class="key">{re.escape(name)}</td><td class="value">', page), name
    assert settings.data_hash in page and ">100<" in page and ">0.001<" in page


def test_no_meta_dict_is_read_outside_the_records_own_loading():
    allowed = {os.path.join("minivae", "run_settings.py"),  # SavedRun.from_meta: the record's loader
               os.path.join("minivae", "training", "checkpoint.py")}  # read_progress: fit's resume
    found = []
    for top in ("minivae", "tutorials", "benchmarks", os.path.join("docs", "_ext")):
        found += _meta_reads(top, allowed)
    assert found == []


def _meta_reads(top, allowed):
    """Each ``meta.get(...)`` / ``meta[...]`` in the .py and .ipynb files under ``top``."""
    found = []
    for folder, _, files in os.walk(os.path.join(ROOT, top)):
        for name in files:
            path = os.path.join(folder, name)
            if not name.endswith((".py", ".ipynb")) or os.path.relpath(path, ROOT) in allowed:
                continue
            text = open(path, encoding="utf-8").read()
            found += [f"{os.path.relpath(path, ROOT)}: {m}" for m in re.findall(r"meta(?:\.get\(|\[)[^)\]]*", text)]
    return found
