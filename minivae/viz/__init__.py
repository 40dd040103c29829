"""minivae.viz: the figures of the sources, drawn from a model and its data, and the run report.

    from minivae import viz
    viz.reconstructions(model, test_images, "reconstructions.png")   # figs 3-6, 3-16
    viz.latent_scatter(model, test_images, labels, "scatter.png")    # figs 3-7, 3-14
    viz.latent_grid(model, "grid.png")                               # the 2-D manifold
    viz.random_samples(model, 30, "samples.png")                     # figs 3-8, 3-13, 3-18
    viz.run_figures(model, "runs/fashion-vae", run, val_x, val_labels, history)

Every figure function saves a PNG and returns its matplotlib ``Figure``. They
draw on an Agg canvas of their own, never through pyplot, so they work on a
server without a display and leave a notebook's backend alone. Models run in
inference mode, without a graph, in batches (:mod:`minivae.viz.inference`).
"""
from .inference import decode, encode, reconstruct
from .reconstructions import reconstructions
from .latent_scatter import latent_scatter, latent_scatter_cdf
from .latent_grid import latent_grid, latent_grid_over_embeddings
from .samples import random_samples
from .latent_histograms import latent_histograms
from .latent_arithmetic import attribute_vector, latent_arithmetic
from .morph import morph
from .loss_curves import loss_curves
from .epoch_samples import EpochSamples, animate, epoch_samples
from .computation_graph import computation_graph, to_dot
from .report import write_report
from .run_figures import run_figures

__all__ = ["decode", "encode", "reconstruct", "reconstructions",
           "latent_scatter", "latent_scatter_cdf", "latent_grid", "latent_grid_over_embeddings",
           "random_samples", "latent_histograms", "attribute_vector", "latent_arithmetic", "morph",
           "loss_curves", "EpochSamples", "animate", "epoch_samples", "computation_graph", "to_dot",
           "write_report", "run_figures"]
