"""The trained model minivae ships (minivae/trained): it loads, says how it was made, and still
scores the validation loss it states."""
import os

import pytest

from minivae import trained
from minivae.short_run import steps_needed
from minivae.trained import pack


def test_the_shipped_vae_is_small_and_says_how_it_was_made():
    assert os.path.getsize(trained.BOOK_VAE) < 1_000_000  # bytes: it ships inside the wheel
    model, shipped = trained.book_vae()
    assert model.name == "fashion-vae" and model.config == {"latent_dim": 2, "beta": 500}
    assert shipped["command"].startswith("python3 dev.py train") and shipped["date"].startswith("20")
    assert shipped["steps"] >= steps_needed("fashion-vae")  # long enough to decode clothes


def test_the_shipped_vae_scores_its_stated_validation_loss():
    from test_cli import fashion_or_skip
    fashion_or_skip()
    model, shipped = trained.book_vae()
    stated = shipped["scores"]
    scored = pack.score(model)
    for name in ("val_total_loss", "val_reconstruction_loss", "val_kl_loss"):
        assert scored[name] == pytest.approx(stated[name], abs=0.05), name
    assert stated["val_total_loss"] < 145  # the book's one-epoch loss is about 137; blobs score ~ 250+
