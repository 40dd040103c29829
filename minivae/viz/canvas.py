"""Figures without pyplot: a headless Agg canvas, image panels, and saving as PNG.

``matplotlib.pyplot`` keeps global state and picks an interactive backend,
which fails on a server without a display. A ``Figure`` with its own
``FigureCanvasAgg`` draws into memory only, so these figures work anywhere and
never change the backend of a user's notebook.
"""
import os

import numpy
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def new_figure(width, height):
    """A Figure of ``width`` x ``height`` inches on its own Agg canvas."""
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def save(fig, path, dpi=100):
    """Write ``fig`` as a PNG at ``path`` (folders created as needed); return the Figure."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fig.savefig(path, dpi=dpi, format="png", facecolor="white")
    return fig


def displayable(images):
    """(N, C, H, W) network images -> (N, H, W) gray or (N, H, W, 3) colour, in [0, 1].

    Images with negative values are taken to be in [-1, 1] (a Tanh decoder, as
    in the CIFAR-10 source) and mapped back to [0, 1].
    """
    images = numpy.asarray(images, dtype=numpy.float32)
    if images.ndim != 4 or images.shape[1] not in (1, 3):
        raise ValueError(f"expected images of shape (N, 1 or 3, H, W), got {images.shape}; "
                         "channels-last images need images.transpose(0, 3, 1, 2) first.")
    if images.size and images.min() < 0:
        images = (images + 1) / 2
    images = numpy.clip(images, 0, 1)
    if images.shape[1] == 1:
        return images[:, 0]  # (N, H, W)
    return images.transpose(0, 2, 3, 1)  # (N, H, W, 3)


def show_image(ax, image, title=None):
    """Draw one displayable image (H, W) in gray or (H, W, 3) in colour, without axes.

    Gray images use "gray_r" (0 white, 1 black), as the book's ``display`` helper
    does: Fashion-MNIST items come out dark on a white page.
    """
    if image.ndim == 2:
        ax.imshow(image, cmap="gray_r", vmin=0, vmax=1)
    else:
        ax.imshow(image)
    ax.axis("off")
    if title is not None:
        ax.set_title(title, fontsize=8)


def image_rows(rows, path, row_labels=None, col_labels=None, size=1.0, title=None):
    """A figure of image rows: ``rows`` is a list of (N, C, H, W) arrays.

    One panel per image; ``row_labels`` are written left of each row, ``col_labels``
    above the first, ``title`` above all. Saves a PNG at ``path``, returns the Figure.
    """
    n_rows, n_cols = len(rows), max(len(r) for r in rows)
    top_inches = (0.3 if col_labels else 0.05) + (0.35 if title else 0.0)
    fig = new_figure(size * n_cols + (1.2 if row_labels else 0), size * n_rows + top_inches + 0.05)
    axes = fig.subplots(n_rows, n_cols, squeeze=False)
    for i, row in enumerate(rows):
        shown = displayable(row)
        for j in range(n_cols):
            ax = axes[i, j]
            if j < len(shown):
                show_image(ax, shown[j], col_labels[j] if (col_labels and i == 0) else None)
            else:
                ax.remove()
        if row_labels:
            axes[i, 0].text(-0.1, 0.5, row_labels[i], transform=axes[i, 0].transAxes,
                            ha="right", va="center", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.subplots_adjust(left=(1.2 / fig.get_figwidth()) if row_labels else 0.01, right=0.99,
                        bottom=0.05 / fig.get_figheight(), top=1 - top_inches / fig.get_figheight(),
                        wspace=0.05, hspace=0.1)
    return save(fig, path)


def image_grid(images, path, columns=10, size=1.0, suptitle=None):
    """``images`` (N, C, H, W) laid out ``columns`` to a row, ``suptitle`` above; saves a PNG.

    Returns the Figure (one panel per image).
    """
    images = numpy.asarray(images)
    rows = [images[i:i + columns] for i in range(0, len(images), columns)]
    top_inches = 0.35 if suptitle else 0.0
    fig = new_figure(size * columns, size * len(rows) + top_inches)
    axes = fig.subplots(len(rows), columns, squeeze=False)
    for i, row in enumerate(rows):
        shown = displayable(row)
        for j in range(columns):
            if j < len(shown):
                show_image(axes[i, j], shown[j])
            else:
                axes[i, j].remove()
    if suptitle:
        fig.suptitle(suptitle, fontsize=10)
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.99 - top_inches / fig.get_figheight(),
                        wspace=0.05, hspace=0.05)
    return save(fig, path)
