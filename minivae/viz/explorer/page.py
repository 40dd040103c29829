"""explorer.html: one self-contained page, the encoder and decoder running in the browser.

The page is explorer.html (the layout) with its scripts written into it, and the JSON
of :func:`explorer_data` in a ``<script type="application/json">`` block. It loads
nothing else, so it works opened from disk, offline. The scripts, one job each:

    engine.js    the kernels (linear, conv2d, conv_transpose2d, ...) and a network of steps
    vae.js       the model: encode, sample, decode and the loss, as Python describes them
    worker.js    the Web Worker the model runs in, started from a blob URL of the three
    client.js    the page's side of that worker: its requests, newest first
    plot.js      canvases and the plane of embeddings
    input.js     your image, made as the data set's loader makes it
    explorer.js  the state of the page, and the wiring of its controls
"""
import os

from ..offline_page import fill, write_whole
from .contents import explorer_data

EXPLORER = "explorer.html"
HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = ("engine", "vae", "worker", "client", "plot", "input", "explorer")  # each <name>.js, in page order


def render(data):
    """The page's HTML text for the JSON object ``data``."""
    return fill(HERE, EXPLORER, f"minivae latent explorer: {data['model']}", SCRIPTS, data)


def write_explorer(model, path, val_x, val_labels=None, run=None, seed=0, history=None, data_set=None):
    """Write the latent explorer of ``model`` to ``path`` (a file, or a folder to hold explorer.html).

    run: the checkpoint's record (minivae.run_settings.SavedRun) or None;
    val_x: test images (N, C, H, W) whose z_mean the scatter shows (up to 5,000);
    val_labels: their class labels, booleans for the data set's attribute, or None;
    history: the run's per-epoch records, so that a run too short to teach says so (None: not known);
    data_set: the record of the data actually used (minivae.data.DataSet), whose classes the page names.
    Returns the file's path.
    """
    if len(val_x) == 0:
        raise ValueError("write_explorer: no test images were given; the scatter needs at least one")
    page = render(explorer_data(model, val_x, val_labels, run, seed, history, data_set))
    return write_whole(page, path, EXPLORER)
