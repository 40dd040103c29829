"""explorer.html: one self-contained page, the decoder running in the browser.

The page is explorer.html (the layout) with decoder.js (the encoder's and decoder's
forward passes), worker.js (the Web Worker they run in, started from a blob URL of the
two) and explorer.js (your image, q(z|x), the scatter, sliders and morphing) written
into it, and the JSON
of :func:`explorer_data` in a ``<script type="application/json">`` block. It
loads nothing else, so it works opened from disk, offline.
"""
import json
import os

from .contents import explorer_data

EXPLORER = "explorer.html"
HERE = os.path.dirname(os.path.abspath(__file__))


def _read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read()


def render(data):
    """The page's HTML text for the JSON object ``data``."""
    text = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")  # no "</script>" inside
    page = _read("explorer.html")
    for marker, content in (("{{TITLE}}", f"minivae latent explorer: {data['model']}"),
                            ("/*DECODER_JS*/", _read("decoder.js")), ("/*WORKER_JS*/", _read("worker.js")),
                            ("/*EXPLORER_JS*/", _read("explorer.js")), ("/*DATA_JSON*/", text)):
        page = page.replace(marker, content, 1)
    return page


def write_explorer(model, path, val_x, val_labels=None, meta=None, seed=0, history=None, data_set=None):
    """Write the latent explorer of ``model`` to ``path`` (a file, or a folder to hold explorer.html).

    val_x: test images (N, C, H, W) whose z_mean the scatter shows (up to 5,000);
    val_labels: their class labels, booleans for the data set's attribute, or None;
    history: the run's per-epoch records, so that a run too short to teach says so (None: not known);
    data_set: the record of the data actually used (minivae.data.DataSet), whose classes the page names.
    Returns the file's path.
    """
    if len(val_x) == 0:
        raise ValueError("write_explorer: no test images were given; the scatter needs at least one")
    if os.path.isdir(path) or not path.endswith(".html"):
        path = os.path.join(path, EXPLORER)
    page = render(explorer_data(model, val_x, val_labels, meta, seed, history, data_set))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(tmp, path)
    return path
