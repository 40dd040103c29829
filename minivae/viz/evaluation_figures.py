"""The figures of `minivae evaluate`: KL per latent dimension, and IWAE_K against K.

Both draw from the dict of a run's evaluation.json, so `minivae report` can redraw
them without evaluating again.
"""
import os

import numpy

from ..evaluation import load_evaluation
from .canvas import new_figure, save

KL_FIGURE = "evaluation_kl_per_dim.png"
IWAE_FIGURE = "evaluation_iwae.png"
CAPTIONS = {
    KL_FIGURE: "KL(q(z_d|x) || N(0, 1)) of each latent dimension, mean over the test images (top), "
               "and the active-unit criterion Var over images of E_q[z_d] (bottom, log scale): a "
               "dimension above the dashed threshold is active (Burda et al. 2016).",
    IWAE_FIGURE: "The importance-weighted bound IWAE_K on log p(x) against K (error bars: one "
                 "standard error over images), and the ELBO as a line: the bound rises towards "
                 "log p(x) as K grows.",
}


def kl_per_dimension_chart(evaluation, path, max_dims=200):
    """Bars of the mean KL of each latent dimension, active ones coloured; below them, the
    variance of each dimension's posterior mean with the threshold drawn. Returns the Figure."""
    kl = numpy.asarray(evaluation["kl_per_dim"][:max_dims])
    variance = numpy.asarray(evaluation["posterior_mean_variance"][:max_dims])
    threshold = evaluation["active_threshold"]
    active = variance > threshold
    dims = numpy.arange(len(kl))
    fig = new_figure(min(max(6.0, 0.12 * len(kl) + 2), 14), 5.0)
    top, bottom = fig.subplots(2, 1, sharex=True)
    colours = numpy.where(active, "tab:blue", "lightgray")
    top.bar(dims, kl, color=colours)
    top.set_ylabel("KL (nats)")
    top.set_title(f"{evaluation['active_units']} of {len(evaluation['kl_per_dim'])} dimensions "
                  f"active (blue), KL {evaluation['kl']:.2f} nats in all", fontsize=10)
    bottom.bar(dims, numpy.maximum(variance, 1e-12), color=colours)
    bottom.axhline(threshold, color="black", linestyle="--", linewidth=1,
                   label=f"active: Var_x E_q[z_d] > {threshold:g}")
    bottom.set_yscale("log")
    bottom.set_ylabel("Var_x E_q[z_d]")
    bottom.set_xlabel("latent dimension d")
    bottom.legend(fontsize=8)
    if len(kl) <= 20:
        bottom.set_xticks(dims)
    fig.tight_layout()
    return save(fig, path)


def iwae_curve(evaluation, path):
    """IWAE_K (mean +- SE over images) against K on a log axis, the ELBO as a horizontal line."""
    ks = sorted(evaluation["log_likelihood"], key=int)
    k = numpy.array([int(v) for v in ks])
    mean = numpy.array([evaluation["log_likelihood"][v]["mean"] for v in ks])
    se = numpy.nan_to_num([evaluation["log_likelihood"][v]["se"] for v in ks])
    fig = new_figure(6.0, 4.0)
    ax = fig.subplots()
    ax.errorbar(k, mean, yerr=se, marker="o", capsize=3, label="IWAE_K")
    ax.axhline(evaluation["elbo"], color="tab:red", linestyle="--",
               label=f"ELBO (closed-form KL) {evaluation['elbo']:.2f}")
    ax.set_xscale("log")
    ax.set_xlim(0.7, max(k) * 1.4)
    ax.set_xlabel("K, samples from q(z|x) per image")
    ax.set_ylabel("nats per image")
    ax.set_title(f"{evaluation['images']} images", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return save(fig, path)


def evaluation_plan(out_dir):
    """(file name, draw(path)) for each evaluation figure, when out_dir holds evaluation.json."""
    evaluation = load_evaluation(out_dir)
    if evaluation is None:
        return []
    return [(KL_FIGURE, lambda p: kl_per_dimension_chart(evaluation, p)),
            (IWAE_FIGURE, lambda p: iwae_curve(evaluation, p))]


def is_evaluation_figure(path):
    return os.path.basename(path) in CAPTIONS
