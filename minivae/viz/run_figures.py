"""After training: every figure that applies to the model, then the run report.

Which figures apply:

- always: reconstructions, samples of N(0, I), morphing, loss curves
- a 2-D latent space: the scatter coloured by label, the decoded grid, the
  grid over the embeddings (and, for a VAE, the scatter through the CDF)
- a VAE, or any latent space wider than 2: per-dimension histograms vs N(0, 1)
- labels given: latent arithmetic with the vector of class 5 (Fashion-MNIST's "Sandal",
  CIFAR-10's "dog"), or with the attribute the booleans stand for (CelebA's "Smiling")

Class and attribute names come from the data set's record (minivae.data.DATA_SETS).
- per-epoch frames in out_dir/epochs (written by :class:`EpochSamples`): training.gif
"""
import os
import warnings

import numpy

from .. import backend
from ..short_run import short_run_warning
from .epoch_samples import GIF, animate, epoch_frames
from .evaluation_figures import CAPTIONS as EVALUATION_CAPTIONS, evaluation_plan
from .latent_arithmetic import latent_arithmetic
from .latent_grid import latent_grid, latent_grid_over_embeddings
from .latent_histograms import latent_histograms
from .latent_scatter import latent_scatter, latent_scatter_cdf
from .loss_curves import loss_curves
from .morph import morph
from .note import add_note
from .reconstructions import reconstructions
from .report import write_report
from .samples import random_samples

MAX_SCATTER = 5000  # points in scatters and histograms: enough to see the shape, quick to draw
ATTRIBUTE_LABEL = 5  # the class of the arithmetic figure (Fashion-MNIST's "Sandal", as the book)

CAPTIONS = {  # what each figure shows; the source's figure after, for readers who have it
    "reconstructions.png": "Ten test images (top) and what the model makes of them after squeezing "
                           "each through its latent space (bottom): what the few latent numbers keep "
                           "(shape, brightness) and lose (prints, texture). (Book figures 3-6, 3-16.)",
    "samples.png": "New images: random points z drawn from the prior N(0, I), decoded. A VAE's look "
                   "like the data, because its KL term pulled the encodings towards N(0, I); a plain "
                   "autoencoder's often do not. (Book figures 3-8, 3-13, 3-18.)",
    "latent_scatter.png": "Where the encoder puts each test image in the 2-D latent space, coloured by "
                          "its label, which the model never saw: similar items land together. "
                          "(Book figures 3-7, 3-14.)",
    "latent_scatter_cdf.png": "The same points passed through the N(0, 1) cumulative distribution "
                              "function: if the encodings followed the prior, they would fill the "
                              "square evenly. (Book figure 3-14, right.)",
    "latent_grid.png": "The decoder's answer at every point of a regular grid over the latent plane "
                       "(for a VAE, at the N(0, 1) quantiles 0.05 ... 0.95): the map of what lives "
                       "where, and how one kind of item turns into another. (The TensorFlow "
                       "tutorial's manifold figure.)",
    "latent_grid_over_embeddings.png": "A grid of decoded points drawn over the test images' "
                                       "encodings: which picture each region of the latent space "
                                       "stands for. (Book figure 3-9.)",
    "latent_histograms.png": "Each latent dimension's values over the test images against the N(0, 1) "
                             "density the KL term pulls them towards. (Book figure 3-17.)",
    "latent_arithmetic.png": "Adding more and more of an attribute vector (the mean encoding of images "
                             "with the attribute minus that of images without) to one encoding, then "
                             "decoding. (Book figure 3-19.)",
    "morph.png": "Decoding evenly spaced points on the straight line between two test images' "
                 "encodings: one item morphs into the other. (Book figure 3-20.)",
    "loss_curves.png": "Training and validation losses after each epoch: total, reconstruction and "
                       "KL. A validation curve that turns up while training goes on down is "
                       "overfitting.",
    GIF: "The same 16 latent points decoded after each epoch: the images sharpen as training goes "
         "on. (The TensorFlow tutorial's animation.)",
    **EVALUATION_CAPTIONS,  # when the run folder holds evaluation.json (`minivae evaluate`)
}


def _subset(n, size, rng):
    """Sorted indices of at most ``size`` of ``n`` items, chosen by ``rng``."""
    if n <= size:
        return numpy.arange(n)
    return numpy.sort(rng.choice(n, size, replace=False))


def _morph_pair(val_x, val_labels):
    """Two test images to morph between: of different classes when labels say so."""
    if val_labels is not None:
        others = numpy.nonzero(numpy.asarray(val_labels) != val_labels[0])[0]
        if len(others):
            return val_x[0], val_x[int(others[0])]
    return val_x[0], val_x[1]


def class_name(data_set, k):
    """Label ``k``'s name in ``data_set``'s record ("class k" when it names none)."""
    names = data_set.class_names if data_set is not None else ()
    return names[k] if k < len(names) else f"class {k}"


def legend_title(data_set):
    """The legend's title: which data the classes are of, when its files stand in for another set."""
    if data_set is None or not data_set.stands_in_for:
        return None
    return f"{data_set.title} (standing in for {data_set.stands_in_for})"


def figure_plan(model, val_x, val_labels, history, seed=0, grid_size=15, data_set=None):
    """(file name, function drawing it into a path) for each figure that applies to this model.

    val_labels: class labels, or booleans for the attribute ``data_set.attribute`` (CelebA's
    Smiling), or None. data_set: the record of the data actually used (minivae.data.DataSet):
    its class names label the figures.
    """
    vae, dim = model.is_vae, model.latent_dim
    rng = numpy.random.default_rng(seed)
    chosen = _subset(len(val_x), MAX_SCATTER, rng)
    x = val_x[chosen]
    labels = None if val_labels is None else numpy.asarray(val_labels)[chosen]
    has_attribute, attribute = None, None
    if labels is not None and labels.dtype == bool:  # an attribute, not classes to colour by
        labels, has_attribute = None, labels
        attribute = data_set.attribute if data_set is not None else None
    elif labels is not None:
        has_attribute, attribute = labels == ATTRIBUTE_LABEL, class_name(data_set, ATTRIBUTE_LABEL)
    names = data_set.class_names if data_set is not None else None
    title = legend_title(data_set)
    plan = [("reconstructions.png", lambda p: reconstructions(model, val_x[:10], p)),
            ("samples.png", lambda p: random_samples(model, 30, p))]
    if dim == 2:
        plan.append(("latent_scatter.png", lambda p: latent_scatter(model, x, labels, p, names, legend_title=title)))
        if vae:
            plan.append(("latent_scatter_cdf.png", lambda p: latent_scatter_cdf(model, x, labels, p, names,
                                                                         legend_title=title)))
        plan.append(("latent_grid.png", lambda p: latent_grid(model, p, n=grid_size, images=x)))
        plan.append(("latent_grid_over_embeddings.png",
                     lambda p: latent_grid_over_embeddings(model, x, labels, p, n=grid_size,
                                                           class_names=names, legend_title=title)))
    if vae or dim > 2:
        plan.append(("latent_histograms.png", lambda p: latent_histograms(model, x, p)))
    if has_attribute is not None and has_attribute.any() and not has_attribute.all():
        plan.append(("latent_arithmetic.png", lambda p: latent_arithmetic(
            model, x, has_attribute, p, attribute_name=attribute or "attribute")))
    if len(val_x) >= 2:
        a, b = _morph_pair(val_x, val_labels)
        plan.append(("morph.png", lambda p: morph(model, a, b, p)))
    if history:
        plan.append(("loss_curves.png", lambda p: loss_curves(history, p)))
    return plan


def run_figures(model, out_dir, run, val_x, val_labels, history, seed=0, grid_size=15, data_set=None):
    """Draw every applicable figure into ``out_dir``, then ``report.html``; return the paths written.

    run: the checkpoint's record (minivae.run_settings.SavedRun), for the report's settings and
    the short-run sentence, or None. val_x: validation images (N, C, H, W); val_labels: their class labels, or
    None (faces); data_set: the record of the data actually used, whose class names the
    figures and the report show. Random draws use ``seed`` and minivae's generator is put back
    as it was afterwards. grid_size: images per side of the decoded latent grids. A figure that
    fails is reported as a warning and skipped, so a finished training run always gets the rest
    of its report.
    """
    os.makedirs(out_dir, exist_ok=True)
    state = backend.rng_state()
    backend.manual_seed(seed)
    written = []
    try:
        plan = figure_plan(model, val_x, val_labels, history, seed, grid_size, data_set)
        frames = epoch_frames(out_dir)  # left by EpochSamples during training, if it was used
        if frames:
            plan.append((GIF, lambda p: animate(frames, p)))
        plan += evaluation_plan(out_dir)
        warning = short_run_warning(run, history)
        for name, draw in plan:
            path = os.path.join(out_dir, name)
            try:
                draw(path)
            except Exception as exc:  # a figure is not worth losing the run's report over
                warnings.warn(f"run_figures: {name} was not drawn: {type(exc).__name__}: {exc}",
                              stacklevel=2)
                continue
            if warning and name.endswith(".png") and name not in EVALUATION_CAPTIONS:
                add_note(path, warning)
            written.append(path)
    finally:
        backend.set_rng_state(state)
    written.append(write_report(out_dir, run, history, model, written, CAPTIONS, data_set))
    return written
