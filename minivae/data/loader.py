"""Mini-batches: shuffle once per epoch, slice, move to the device.

The order of epoch ``e`` is drawn from ``numpy.random.default_rng([seed, e])``:
it depends only on the seed and the epoch number, so a run resumed at epoch 7
sees exactly the batches the uninterrupted run saw, with no generator state to
save. The permutation is always drawn on the CPU with NumPy, so the order is
the same whether batches go to NumPy or CuPy.
"""
import math

import numpy

from .. import backend


def _check(arrays, batch_size, where):
    """The common length of ``arrays``, after checking them and ``batch_size``."""
    if not arrays:
        raise ValueError(f"{where}: give at least one array, e.g. {where}(images, labels, batch_size=128)")
    lengths = [len(a) for a in arrays]
    if len(set(lengths)) > 1:
        raise ValueError(f"{where}: the arrays must have the same length (one row per sample), "
                         f"got lengths {', '.join(map(str, lengths))}")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, numpy.integer)) or batch_size < 1:
        raise ValueError(f"{where}: batch_size must be a positive int, got {batch_size!r}")
    n = lengths[0]
    if batch_size > n:
        raise ValueError(f"{where}: batch_size={batch_size} is larger than the data ({n} samples); "
                         f"use a batch_size of at most {n}")
    return n


def epoch_order(n, shuffle, seed, epoch):
    """The sample order of one epoch: ``arange(n)``, or a permutation fixed by (seed, epoch).

    With ``seed=None`` the permutation is fresh entropy every call (not reproducible).
    """
    if not shuffle:
        return numpy.arange(n)
    rng = numpy.random.default_rng(None if seed is None else [seed, epoch])
    return rng.permutation(n)


def batches(*arrays, batch_size, shuffle=True, seed=None, epoch=0, drop_last=False, device=None):
    """One epoch of mini-batches: an iterator of tuples with a slice of each array, on ``device``.

    ``device`` is 'cpu'/'numpy' or 'gpu'/'cupy' (default: ``backend.current()``). The last
    partial batch is kept, or dropped with ``drop_last=True``. Bad arguments fail here,
    at the call, not at the first batch.
    """
    n = _check(arrays, batch_size, "batches")
    order = epoch_order(n, shuffle, seed, epoch)
    device = device or backend.current()
    return _generate(arrays, order if shuffle else None, n, batch_size, drop_last, device)


def _generate(arrays, order, n, batch_size, drop_last, device):
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        if order is None:  # in order: plain slices, no copy until the device move
            parts = (a[start:start + batch_size] for a in arrays)
        else:
            idx = order[start:start + batch_size]
            parts = (a[backend.get_array_module(a).asarray(idx)] for a in arrays)
        yield tuple(backend.to_device(p, device) for p in parts)


class DataLoader:
    """Iterable mini-batches over a few arrays; each ``for`` loop over it is one epoch.

    ``epoch`` counts the passes started; set it (or pass ``epoch=``) when resuming
    a run to replay that epoch's order. ``len(loader)`` is the number of batches.
    """

    def __init__(self, *arrays, batch_size, shuffle=True, seed=None, drop_last=False,
                 device=None, epoch=0):
        self.n = _check(arrays, batch_size, "DataLoader")
        self.arrays = arrays
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.drop_last = drop_last
        self.device = device
        self.epoch = epoch

    def __len__(self):
        if self.drop_last:
            return self.n // self.batch_size
        return math.ceil(self.n / self.batch_size)

    def __iter__(self):
        epoch, self.epoch = self.epoch, self.epoch + 1
        return batches(*self.arrays, batch_size=self.batch_size, shuffle=self.shuffle, seed=self.seed,
                       epoch=epoch, drop_last=self.drop_last, device=self.device)
