"""Per-epoch loss means, and the history.json that records them."""
import json
import math
import os

KEYS = ("total_loss", "reconstruction_loss", "kl_loss")


class EpochMeans:
    """True means over an epoch: each batch's mean loss weighted by its batch size.

    (A running average of batch averages would over-weight a short last batch.)
    """

    def __init__(self):
        self.sums, self.count = {}, 0

    def add(self, losses, batch_size):
        for k, v in losses.items():
            self.sums[k] = self.sums.get(k, 0.0) + v * batch_size
        self.count += batch_size

    def means(self, prefix=""):
        return {prefix + k: v / self.count for k, v in self.sums.items()}


def write_history(path, history):
    """history: a list of per-epoch dicts; written atomically as pretty JSON."""
    tmp = path + ".tmp"
    try:
        with open(tmp, "w") as f:
            json.dump(history, f, indent=1, allow_nan=True)
        os.replace(tmp, path)
    except OSError as exc:  # a full disk: keep the last whole history.json, name it
        if os.path.exists(tmp):
            os.remove(tmp)
        raise OSError(exc.errno, exc.strerror, path) from exc


def read_history(path):
    with open(path) as f:
        return json.load(f)


def is_finite(losses):
    return all(math.isfinite(v) for v in losses.values())
