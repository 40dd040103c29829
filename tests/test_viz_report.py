"""run_figures and the run report: the right figures per model, one self-contained report.html."""
import base64
import html
import importlib
import os
import re
import subprocess

import numpy
import pytest
from PIL import Image

from minivae import models, viz
from minivae.run_settings import SavedRun

N = 30
HISTORY = [{"epoch": e, "total_loss": 100.0 + e, "reconstruction_loss": 90.0 + e, "kl_loss": 10.0,
            "val_total_loss": 101.5 + e, "val_reconstruction_loss": 91.5 + e, "val_kl_loss": 10.0,
            "seconds": 2.0} for e in (1, 2)]

ALWAYS = ["reconstructions.png", "samples.png", "morph.png", "loss_curves.png"]
PLANE = ["latent_scatter.png", "latent_grid.png", "latent_grid_over_embeddings.png"]


def fashion_data():
    rng = numpy.random.default_rng(0)
    return rng.random((N, 1, 32, 32), dtype=numpy.float32), numpy.arange(N) % 10


def names(paths):
    return sorted(os.path.basename(p) for p in paths)


@pytest.fixture(scope="module")
def vae_run(tmp_path_factory):
    """A tiny untrained Fashion-MNIST VAE's figures and report, drawn once for the module."""
    out = tmp_path_factory.mktemp("fashion-vae")
    model = models.build("fashion-vae", latent_dim=2, beta=500)
    x, labels = fashion_data()
    run = SavedRun.from_meta({"model": "fashion-vae", "model_args": {"latent_dim": 2, "beta": 500},
                              "dataset": "fashion-mnist", "epochs": 2, "lr": 0.0005, "limit": N})
    paths = viz.run_figures(model, str(out), run, x, labels, HISTORY, grid_size=4)
    return out, model, run, paths


def test_a_2d_vae_gets_every_figure_and_the_report(vae_run):
    out, _, _, paths = vae_run
    assert names(paths) == sorted(ALWAYS + PLANE + ["latent_scatter_cdf.png", "latent_histograms.png",
                                                    "latent_arithmetic.png", "report.html"])
    assert paths[-1] == str(out / "report.html")
    for p in paths[:-1]:
        with Image.open(p) as im:
            assert im.format == "PNG" and numpy.asarray(im.convert("L")).std() > 0


def test_an_autoencoder_has_no_prior_figures(tmp_path):
    model = models.build("fashion-autoencoder", latent_dim=2)
    x, labels = fashion_data()
    run = SavedRun.from_meta({"model": "fashion-autoencoder"})
    paths = viz.run_figures(model, str(tmp_path), run, x, labels, HISTORY, grid_size=4)
    assert names(paths) == sorted(ALWAYS + PLANE + ["latent_arithmetic.png", "report.html"])


def test_faces_without_labels_get_histograms_but_no_plane(tmp_path):
    model = models.build("faces-vae", latent_dim=8, beta=2000)
    x = numpy.random.default_rng(1).random((12, 3, 32, 32), dtype=numpy.float32)
    paths = viz.run_figures(model, str(tmp_path), SavedRun.from_meta({"model": "faces-vae"}), x, None,
                            HISTORY)
    assert names(paths) == sorted(ALWAYS + ["latent_histograms.png", "report.html"])


def test_report_embeds_every_figure_as_a_data_uri(vae_run):
    out, _, _, paths = vae_run
    page = (out / "report.html").read_text(encoding="utf-8")
    uris = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(uris) == len(paths) - 1
    for uri, path in zip(uris, paths):
        with open(path, "rb") as f:
            assert base64.b64decode(uri) == f.read()
    assert 'src="' + "file:" not in page and "<img src=\"/" not in page  # nothing outside the page


def test_report_has_the_hyperparameters_summaries_and_history(vae_run):
    out, _, _, _ = vae_run
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "beta: weight of the reconstruction loss" in page and ">500<" in page
    assert 'Model: "encoder"' in html.unescape(page)
    assert "Total params: 100,868" in page  # the book's table 3-4
    rows = re.findall(r"<tr><td>(\d+)</td>", page)
    assert rows == ["1", "2"]
    for record in HISTORY:
        assert f"{record['val_total_loss']:.6g}" in page


def test_epoch_samples_callback_frames_become_the_reports_gif(tmp_path):
    model = models.build("fashion-vae", latent_dim=2, beta=500)
    sampler = viz.EpochSamples(model, str(tmp_path), n=4)
    again = viz.EpochSamples(model, str(tmp_path), n=4)
    numpy.testing.assert_array_equal(sampler.z_fixed, again.z_fixed)  # the same points after a resume
    for epoch, record in enumerate(HISTORY, 1):
        sampler(epoch, record)  # what fit(..., on_epoch_end=sampler) does
    assert sorted(os.listdir(tmp_path / "epochs")) == ["epoch_001.png", "epoch_002.png"]
    x, labels = fashion_data()
    paths = viz.run_figures(model, str(tmp_path), None, x[:4], labels[:4], HISTORY, grid_size=3)
    assert str(tmp_path / "training.gif") in paths
    with Image.open(tmp_path / "training.gif") as im:
        assert im.n_frames == len(HISTORY)
    assert "data:image/gif;base64," in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_a_failing_figure_is_a_warning_not_a_lost_report(tmp_path, monkeypatch):
    module = importlib.import_module("minivae.viz.run_figures")  # the function of that name hides it

    def broken(*args, **kwargs):
        raise RuntimeError("out of ink")

    monkeypatch.setattr(module, "morph", broken)
    model = models.build("fashion-autoencoder", latent_dim=2)
    x, labels = fashion_data()
    with pytest.warns(UserWarning, match="morph.png was not drawn: RuntimeError: out of ink"):
        paths = viz.run_figures(model, str(tmp_path), None, x[:6], labels[:6], HISTORY, grid_size=3)
    assert "morph.png" not in names(paths) and "report.html" in names(paths)


@pytest.mark.parametrize("name, noted", [("cvae", True), ("fashion-vae", False)])
def test_the_history_notes_a_sampled_kl_as_the_model_says_it(tmp_path, name, noted):
    """The note asks model.kl_estimate: a CVAE's one-sample KL, not a run named 'cvae'."""
    page = open(viz.write_report(str(tmp_path), None, HISTORY, models.build(name), []),
                encoding="utf-8").read()
    assert ("kl_loss is a Monte-Carlo estimate" in page) == noted
    negative = [{**HISTORY[0], "kl_loss": -0.5}]
    page = open(viz.write_report(str(tmp_path), None, negative, None, []), encoding="utf-8").read()
    assert "kl_loss is a Monte-Carlo estimate" in page  # a negative KL is explained whoever made it


def test_write_report_without_a_model_or_figures(tmp_path):
    path = viz.write_report(str(tmp_path), None, [], None, [])
    page = open(path, encoding="utf-8").read()
    assert "(no epochs recorded)" in page and "<img" not in page


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no /usr/bin/chromium for the headless check "
                    "(apt-get install chromium)")
def test_the_report_renders_in_a_headless_browser(vae_run, tmp_path):
    out, _, _, _ = vae_run
    shot = tmp_path / "shot.png"
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
           "--disable-background-networking", "--disable-component-update", "--disable-sync",
           f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
           "--window-size=1200,2000", "file://" + str(out / "report.html")]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert shot.exists(), f"chromium wrote no screenshot (exit {result.returncode}): {result.stderr[-2000:]}"
    with Image.open(shot) as im:
        assert im.size == (1200, 2000)
        pixels = numpy.asarray(im.convert("RGB"), dtype=numpy.float32)
    assert pixels.std() > 0, "the screenshot is blank"
    assert (pixels.min(axis=2) < 128).mean() > 0.001, "no dark pixels: no text or figures were drawn"
