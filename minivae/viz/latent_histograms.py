"""Is each latent dimension standard normal? One histogram per dimension (figure 3-17).

The KL term pulls every dimension of z towards N(0, 1). A dimension whose
histogram strays far from the curve means the reconstruction term won: the
book's advice is then to lower beta. Only then does decoding z ~ N(0, I) give
images like the training data.
"""
import math

import numpy

from . import normal
from .canvas import new_figure, save
from .inference import encode


def latent_histograms(model, images, path, dims=50, which="z", bins=30):
    """Encode ``images`` and draw a density histogram of each of the first ``dims`` dimensions.

    The N(0, 1) density is drawn over each. which: "z" (samples, as the book
    plots them) or "z_mean". A 2-D latent space gives 2 panels. Returns the Figure.
    """
    z = encode(model, images, which)  # (N, latent_dim)
    dims = min(dims, z.shape[1])
    columns = min(10, dims)
    rows = math.ceil(dims / columns)
    fig = new_figure(max(1.6 * columns + 0.4, 6), 1.3 * rows + 0.6)
    axes = fig.subplots(rows, columns, squeeze=False)
    x = numpy.linspace(-3, 3, 121)
    for i, ax in enumerate(axes.ravel()):
        if i >= dims:
            ax.remove()
            continue
        ax.hist(z[:, i], bins=bins, range=(-3, 3), density=True, color="tab:blue", alpha=0.7)
        ax.plot(x, normal.pdf(x), color="black", linewidth=1)
        ax.set_title(f"z[{i}]", fontsize=7)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.suptitle(f"{which}[0:{dims}] of {len(z)} images vs the N(0, 1) density", fontsize=10)
    fig.subplots_adjust(left=0.02, right=0.98, bottom=0.02, top=1 - 0.5 / fig.get_figheight(),
                        wspace=0.1, hspace=0.4)
    return save(fig, path)
