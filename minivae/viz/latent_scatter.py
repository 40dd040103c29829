"""The test set's embeddings in a 2-D latent space, coloured by label (figures 3-7 and 3-14).

The labels are never seen in training; that the classes still gather in
regions of the plane is what the encoder learned on its own.
"""
import matplotlib
import numpy

from . import normal
from .canvas import new_figure, save
from .inference import encode


def plot_embeddings(ax, points, labels=None, class_names=None, size=3, alpha=0.6, legend_title=None):
    """Scatter ``points`` (N, 2) on ``ax``: black, or one colour per label with a legend.

    class_names: label k's name, from the data set's record (minivae.data.DATA_SETS); None
    shows the labels as numbers. legend_title: e.g. that the data stands in for another set.
    """
    if labels is None:
        ax.scatter(points[:, 0], points[:, 1], c="black", s=size, alpha=alpha)
        return
    labels = numpy.asarray(labels)
    if len(labels) != len(points):
        raise ValueError(f"latent scatter: {len(points)} images but {len(labels)} labels; "
                         "pass one label per image")
    cmap = matplotlib.colormaps["tab10"]
    for k in numpy.unique(labels):
        chosen = labels == k
        named = class_names is not None and int(k) < len(class_names)
        ax.scatter(points[chosen, 0], points[chosen, 1], s=size, alpha=alpha, color=cmap(int(k) % 10),
                   label=f"{int(k)} {class_names[int(k)]}" if named else str(int(k)))
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), markerscale=4, fontsize=8, frameon=False,
              title=legend_title, title_fontsize=8)


def _figure(points, labels, class_names, path, title, limits=None, legend_title=None):
    fig = new_figure(8, 6.5)
    ax = fig.add_subplot(1, 1, 1)
    plot_embeddings(ax, points, labels, class_names, legend_title=legend_title)
    ax.set_xlabel("z[0]")
    ax.set_ylabel("z[1]")
    ax.set_title(title)
    if limits is not None:
        ax.set_xlim(*limits)
        ax.set_ylim(*limits)
        ax.set_aspect("equal")
    fig.subplots_adjust(left=0.1, right=0.75, bottom=0.08, top=0.93)
    return save(fig, path)


def _first_two(model, images, which):
    z = encode(model, images, which)  # (N, latent_dim)
    if z.shape[1] < 2:
        raise ValueError(f"latent scatter: needs at least 2 latent dimensions, the model has {z.shape[1]}")
    return z[:, :2]  # (N, 2): the plane of the first two dimensions


def latent_scatter(model, images, labels, path, class_names=None, which="z_mean", legend_title=None):
    """Encode ``images`` and plot their first two latent coordinates, coloured by ``labels``.

    labels: one integer per image (or None for the book's all-black figure 3-2); class_names:
    their names, from the data set's record (None: numbers).
    For a VAE the points are ``z_mean``, as in the book. Returns the Figure.
    """
    points = _first_two(model, images, which)
    return _figure(points, labels, class_names, path, f"latent space ({which}), {len(points)} images",
                   legend_title=legend_title)


def latent_scatter_cdf(model, images, labels, path, class_names=None, which="z_mean", legend_title=None):
    """The same embeddings through the standard normal CDF: the p-value view of figure 3-14.

    If the encodings follow N(0, 1) in each dimension, cdf(z) is uniform on the
    unit square; a class that takes more or less than its share of the prior
    shows up as a large or small patch. Returns the Figure.
    """
    points = normal.cdf(_first_two(model, images, which))
    return _figure(points, labels, class_names, path,
                   f"latent space through the N(0, 1) CDF (p-values), {len(points)} images",
                   limits=(0, 1), legend_title=legend_title)
