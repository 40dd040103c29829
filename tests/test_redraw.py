"""minivae.redraw.rebuild_report: a run folder's figures and report drawn again from its checkpoint."""
import html
import importlib
import os

import numpy

from minivae import models, recipes
from minivae.data import FASHION_MNIST, LoadedData
from minivae.redraw import rebuild_report
from minivae.training import save_checkpoint, write_history

N = 30
HISTORY = [{"epoch": e, "total_loss": 100.0 + e, "reconstruction_loss": 90.0 + e, "kl_loss": 10.0,
            "val_total_loss": 101.5 + e, "val_reconstruction_loss": 91.5 + e, "val_kl_loss": 10.0,
            "seconds": 2.0} for e in (1, 2)]


def test_rebuild_report_from_a_checkpoint(tmp_path, monkeypatch):
    model = models.build("fashion-vae", latent_dim=2, beta=500)
    meta = {"model": "fashion-vae", "model_args": {"latent_dim": 2, "beta": 500},
            "dataset": "fashion-mnist", "epochs": 2, "lr": 0.0005, "limit": N}
    save_checkpoint(str(tmp_path / "checkpoint.npz"), model, meta=meta)
    write_history(str(tmp_path / "history.json"), HISTORY)
    rng = numpy.random.default_rng(0)
    x, labels = rng.random((N, 1, 32, 32), dtype=numpy.float32), numpy.arange(N) % 10
    asked = []

    def load_dataset(name, path=None, limit=None):
        asked.append((name, path, limit))
        return LoadedData(x, x, labels, FASHION_MNIST, "random stand-ins", ())

    monkeypatch.setattr(recipes, "load_dataset", load_dataset)
    paths = rebuild_report(str(tmp_path), grid_size=3)
    assert asked == [("fashion-mnist", None, N)]
    written = sorted(os.path.basename(p) for p in paths)
    assert "report.html" in written and "latent_grid.png" in written
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert f"{HISTORY[1]['total_loss']:.6g}" in page
    captions = importlib.import_module("minivae.viz.run_figures").CAPTIONS
    assert html.escape(captions["reconstructions.png"]) in page  # run_figures' captions, not file names
