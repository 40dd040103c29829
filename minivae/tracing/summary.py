"""What the trace keeps of an array: a few numbers and a small histogram, never the array itself."""
import numpy

from .. import backend

BINS = 16
SAMPLE = 4096  # the histogram is drawn from about this many values


def summarize(array):
    """mean, std, min, max (over every value, summed in float64) and a BINS-bin histogram of ``array``.

    No flattened copy of the whole array (a transposed result is not contiguous): the std comes
    from the sums of x and x^2, a summary to look at rather than a statistic to compute with,
    and the histogram from evenly spaced items of the batch (``_sample``)."""
    xp = backend.get_array_module(array)
    size = int(array.size)
    if size == 0:
        return None
    mean = float(array.sum(dtype=xp.float64)) / size
    mean_square = float(xp.square(array).sum(dtype=xp.float64)) / size
    low, high = float(array.min()), float(array.max())
    picked = _sample(array)
    width = high - low if high > low else 1.0
    bins = numpy.clip(((picked - low) * (BINS / width)).astype(numpy.int64), 0, BINS - 1)
    counts = numpy.bincount(bins, minlength=BINS)
    return {"mean": mean, "std": max(mean_square - mean * mean, 0.0) ** 0.5, "min": low, "max": high,
            "hist": counts.tolist(), "sampled": int(picked.size), "size": size}


def _sample(array):
    """About SAMPLE values of ``array`` as float64 NumPy: evenly spaced items along its first
    axis (only those are copied), then evenly spaced values of them."""
    if array.ndim == 0:
        return numpy.array([float(array)])
    per_item = array.size // array.shape[0]
    items = array[::max(1, array.shape[0] * per_item // (SAMPLE * 4))]
    flat = backend.to_numpy(items).reshape(-1)  # (items * per_item,)
    return flat[::max(1, flat.size // SAMPLE)].astype(numpy.float64)


def norm(array):
    """The Euclidean norm of every value, in float64 (the parameters' gradients, compared exactly)."""
    xp = backend.get_array_module(array)
    return float(xp.sqrt((array.astype(xp.float64) ** 2).sum()))


def rough_norm(array):
    """The Euclidean norm in the array's own dtype (one BLAS pass): for showing, not for checking."""
    xp = backend.get_array_module(array)
    return float(xp.linalg.norm(array.reshape(-1)))


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
