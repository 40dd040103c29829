"""Training and validation losses per epoch, one panel per loss component (the CIFAR-10 source).

A validation curve that turns up while the training curve goes on down is
overfitting; a KL curve that grows while reconstruction falls is beta at work.
"""
from matplotlib.ticker import MaxNLocator

from .canvas import new_figure, save

NOT_LOSSES = ("epoch", "seconds")


def loss_components(history):
    """The loss names logged in ``history`` (per-epoch dicts), in order, without the val_ prefix.

    A component that is 0 in every epoch (the autoencoder's kl_loss) is left out.
    """
    names = []
    for record in history:
        for key in record:
            name = key[len("val_"):] if key.startswith("val_") else key
            if name not in NOT_LOSSES and name not in names:
                names.append(name)
    return [n for n in names
            if any(r.get(n) or r.get("val_" + n) for r in history)]


def loss_curves(history, path):
    """Plot each loss component's train and (if logged) val_ value against the epoch.

    history: the list of per-epoch dicts of history.json (epoch, total_loss,
    reconstruction_loss, kl_loss, val_..., seconds). Returns the Figure.
    """
    if not history:
        raise ValueError("loss_curves: the history is empty; train at least one epoch first")
    names = loss_components(history)
    if not names:
        raise ValueError(f"loss_curves: no loss values in the history (keys: {', '.join(history[0])})")
    fig = new_figure(4.5 * len(names), 3.6)
    axes = fig.subplots(1, len(names), squeeze=False)[0]
    epochs = [r.get("epoch", i + 1) for i, r in enumerate(history)]
    for ax, name in zip(axes, names):
        for key, label in ((name, "train"), ("val_" + name, "validation")):
            points = [(e, r[key]) for e, r in zip(epochs, history) if r.get(key) is not None]
            if points:
                xs, ys = zip(*points)
                ax.plot(xs, ys, marker="o", markersize=3, label=label)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(min(epochs) - 0.5, max(epochs) + 0.5)  # one epoch: a point at 1, not 0.945...1.05
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    return save(fig, path)
