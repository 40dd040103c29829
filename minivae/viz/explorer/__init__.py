"""The latent explorer: explorer.html, a page where the trained encoder and decoder run in the browser.

    from minivae.viz.explorer import write_explorer
    write_explorer(model, "runs/fashion-vae", val_x, val_labels, run)    # runs/fashion-vae/explorer.html

`minivae explore RUN_DIR` writes it for a run folder; `minivae train` writes it
next to report.html. The page defines ``window.minivae = {latentDim, imageShape,
decode(zs), encode(images), loss(image, eps)}`` (each returns a Promise: the model runs in
a Web Worker); tests/test_explorer_browser.py checks them in headless Chromium.
"""
from .contents import explorer_data
from .page import EXPLORER, render, write_explorer
from .steps import decoder_steps, network_steps

__all__ = ["EXPLORER", "decoder_steps", "network_steps", "explorer_data", "render", "write_explorer"]
