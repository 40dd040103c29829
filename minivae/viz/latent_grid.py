"""Decode a regular grid of a 2-D latent plane: the learned manifold (figure 3-9, TF tutorial).

For a VAE the grid sits at the normal quantiles 0.05 ... 0.95 of each axis
(scipy's ``norm.ppf``, here :func:`normal.grid_quantiles`): equal shares of
the prior per cell. An autoencoder has no prior, so its grid spans the range
of real embeddings instead, as the book does for figure 3-9.
"""
import numpy

from . import normal
from .canvas import displayable, new_figure, save
from .inference import decode, encode
from .latent_scatter import plot_embeddings


def grid_axes(vae, n, z=None):
    """The ``n`` coordinates on each axis: normal quantiles for a VAE, else the span of embeddings ``z``."""
    if vae:
        return normal.grid_quantiles(n), normal.grid_quantiles(n)
    if z is None:
        raise ValueError("latent_grid: an autoencoder's latent space has no prior to take quantiles "
                         "of; pass images= so the grid can span their embeddings")
    lo, hi = z.min(axis=0), z.max(axis=0)
    return numpy.linspace(lo[0], hi[0], n), numpy.linspace(lo[1], hi[1], n)


def grid_points(xs, ys):
    """The latent points of the grid, row by row from the top: (len(ys) * len(xs), 2).

    Row 0 holds the largest z[1], so the picture has the orientation of a scatter plot.
    """
    gx, gy = numpy.meshgrid(xs, ys[::-1])  # (rows, columns) each
    return numpy.stack([gx.ravel(), gy.ravel()], axis=1).astype(numpy.float32)


def _check_2d(model):
    dim = model.latent_dim
    if dim != 2:
        raise ValueError(f"latent_grid: needs a 2-D latent space, the model's has {dim} dimensions; "
                         "train with --latent-dim 2 to draw the manifold")


def mosaic(tiles, rows, columns):
    """``rows * columns`` images (H, W[, 3]) joined into one picture (rows*H, columns*W[, 3])."""
    h, w = tiles.shape[1:3]
    grid = tiles.reshape((rows, columns, h, w) + tiles.shape[3:])  # (rows, columns, H, W[, 3])
    grid = numpy.moveaxis(grid, 2, 1)  # (rows, H, columns, W[, 3])
    return grid.reshape((rows * h, columns * w) + tiles.shape[3:])


def latent_grid(model, path, n=15, images=None):
    """Decode an ``n`` x ``n`` grid of the 2-D latent plane into one picture; return the Figure.

    Ticks give the z values of each row and column. ``images`` are needed only
    for an autoencoder, whose grid spans their embeddings.
    """
    _check_2d(model)
    vae = model.is_vae
    z = None if images is None or vae else encode(model, images)  # (N, 2)
    xs, ys = grid_axes(vae, n, z)
    tiles = displayable(decode(model, grid_points(xs, ys)))  # (n * n, H, W[, 3])
    fig = new_figure(8, 8)
    ax = fig.add_subplot(1, 1, 1)
    picture = mosaic(tiles, n, n)
    ax.imshow(picture, cmap="gray_r" if picture.ndim == 2 else None, vmin=0, vmax=1)
    h, w = tiles.shape[1:3]
    ticks = numpy.arange(n)
    ax.set_xticks(ticks * w + w / 2, [f"{round(x, 2) + 0.0:.2f}" for x in xs], rotation=90, fontsize=7)
    ax.set_yticks(ticks * h + h / 2, [f"{round(y, 2) + 0.0:.2f}" for y in ys[::-1]], fontsize=7)
    ax.set_xlabel("z[0]")
    ax.set_ylabel("z[1]")
    kind = "normal quantiles 0.05 ... 0.95" if vae else "span of the embeddings"
    ax.set_title(f"decoded {n} x {n} grid of the latent plane ({kind})")
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.1, top=0.95)
    return save(fig, path)


def _cell_sizes(axis):
    """90% of the gap to the nearer neighbour of each grid position (1.0 for a single one)."""
    if len(axis) < 2:
        return numpy.ones(len(axis))
    gaps = numpy.diff(axis)
    nearer = numpy.minimum(numpy.append(gaps, gaps[-1]), numpy.insert(gaps, 0, gaps[0]))
    return 0.9 * nearer


def latent_grid_over_embeddings(model, images, labels, path, n=15, class_names=None,
                                legend_title=None):
    """The book's figure 3-9: the embeddings' scatter with the decoded grid drawn over it.

    Each decoded image sits at the latent point it came from, so one sees
    which region of the plane turns into which kind of item, and that gaps
    between the classes decode to poorly formed images. class_names: the labels' names, from
    the data set's record (None: numbers). Returns the Figure.
    """
    _check_2d(model)
    z = encode(model, images)  # (N, 2)
    xs, ys = grid_axes(model.is_vae, n, z)
    tiles = displayable(decode(model, grid_points(xs, ys)))  # (n * n, H, W[, 3])
    fig = new_figure(10, 8)
    ax = fig.add_subplot(1, 1, 1)
    plot_embeddings(ax, z, labels, class_names, size=2, alpha=0.5, legend_title=legend_title)
    widths, heights = _cell_sizes(xs), _cell_sizes(ys)  # quantile cells widen towards the edges
    points = grid_points(xs, ys)
    sizes = grid_points(widths, heights)
    for (x, y), (width, height), tile in zip(points, sizes, tiles):
        ax.imshow(tile, cmap="gray_r" if tile.ndim == 2 else None, vmin=0, vmax=1, alpha=0.8,
                  extent=(x - width / 2, x + width / 2, y - height / 2, y + height / 2), zorder=3)
    ax.set_xlim(min(xs[0] - widths[0], z[:, 0].min()), max(xs[-1] + widths[-1], z[:, 0].max()))
    ax.set_ylim(min(ys[0] - heights[0], z[:, 1].min()), max(ys[-1] + heights[-1], z[:, 1].max()))
    ax.set_aspect("auto")  # imshow made it "equal"; the plane's two axes may span different ranges
    ax.set_xlabel("z[0]")
    ax.set_ylabel("z[1]")
    ax.set_title(f"decoded grid over {len(z)} embeddings")
    fig.subplots_adjust(left=0.08, right=0.78, bottom=0.07, top=0.95)
    return save(fig, path)
