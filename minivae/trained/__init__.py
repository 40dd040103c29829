"""A trained model shipped with minivae: the book's Fashion-MNIST VAE after one epoch.

The book's chapters that look at a trained model (the latent space, the
evaluation) use it whenever the learner has no full run of their own
(``runs/fashion-vae``), quick mode included: its decoded images look like
clothes, where a run of a few steps decodes grey blobs. One epoch is the
shortest run that does (600 steps; ``minivae/short_run.py``).

How it was made, recorded in the file's meta under "shipped" (command, date,
validation loss), and again by::

    python3 dev.py train --epochs 1 --out /tmp/book-vae    # the book's recipe, one epoch
    python3 -m minivae.trained.pack /tmp/book-vae           # float16 weights, no optimizer

tests/test_trained.py checks that it loads and scores the validation loss it states.
"""
import os

from ..run_folder import load_run
from ..training import read_checkpoint

BOOK_VAE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fashion-vae.npz")


def book_vae():
    """(model, shipped): the shipped fashion-vae, in inference mode on the current backend, and
    the record of how it was made and what it scores (command, date, steps, scores)."""
    model, _ = load_run(BOOK_VAE)
    return model, shipped_record()


def shipped_record():
    """How the shipped VAE was made: the "shipped" entry of its checkpoint's meta."""
    return read_checkpoint(BOOK_VAE)[2]["shipped"]
