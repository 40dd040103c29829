"""What the trace keeps of an array: a few numbers and a small histogram, never the array itself."""
import numpy

from .. import backend

BINS = 16
SAMPLE = 20_000  # the histogram is drawn from at most this many evenly spaced values


def summarize(array):
    """mean, std, min, max (over every value, in float64) and a BINS-bin histogram of ``array``."""
    xp = backend.get_array_module(array)
    flat = array.reshape(-1)  # (size,)
    if flat.size == 0:
        return None
    wide = flat.astype(xp.float64)
    low, high = float(wide.min()), float(wide.max())
    picked = backend.to_numpy(flat[::max(1, flat.size // SAMPLE)]).astype(numpy.float64)
    counts, _ = numpy.histogram(picked, bins=BINS, range=(low, high) if high > low else (low - 0.5, low + 0.5))
    return {"mean": float(wide.mean()), "std": float(wide.std()), "min": low, "max": high,
            "hist": counts.tolist(), "sampled": int(picked.size), "size": int(flat.size)}


def norm(array):
    """The Euclidean norm of every value, in float64."""
    xp = backend.get_array_module(array)
    return float(xp.sqrt((array.astype(xp.float64) ** 2).sum()))


def saved_bytes(function):
    """Bytes of the arrays ``function`` keeps for backward, beyond the inputs it holds anyway."""
    inputs = {id(t.data) for t in function.inputs or ()}
    total, seen = 0, set()

    def count(value):
        nonlocal total
        if isinstance(value, (tuple, list)):
            for item in value:
                count(item)
        elif hasattr(value, "nbytes") and hasattr(value, "shape") and id(value) not in seen:
            seen.add(id(value))
            if id(value) not in inputs and id(getattr(value, "base", None)) not in inputs:
                total += int(value.nbytes)

    for key, value in vars(function).items():
        if key not in ("inputs", "needs_grad", "output"):
            count(value)
    return total
