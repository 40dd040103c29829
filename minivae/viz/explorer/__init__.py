"""The latent explorer: explorer.html, a page where the trained decoder runs in the browser.

    from minivae.viz.explorer import write_explorer
    write_explorer(model, "runs/fashion-vae", val_x, val_labels, meta)   # runs/fashion-vae/explorer.html

`minivae explore RUN_DIR` writes it for a run folder; `minivae train` writes it
next to report.html. The page defines ``window.minivae = {latentDim, imageShape,
decode(zs)}``; tests/test_explorer_browser.py checks it in headless Chromium.
"""
from .contents import explorer_data
from .page import EXPLORER, render, write_explorer
from .steps import decoder_steps

__all__ = ["EXPLORER", "decoder_steps", "explorer_data", "render", "write_explorer"]
