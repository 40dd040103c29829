"""Big memory-bound passes on every core: one pass split into pieces along the first axis.

A training step is matrix products, which OpenBLAS already runs on every core,
and passes over whole activations (ReLU, batch norm, col2im's adds), which
NumPy runs on one. Those passes are limited by memory bandwidth, and one core
does not reach all of it. NumPy lets go of the GIL inside a ufunc or a copy,
so two Python threads each given half of the array run truly at once:

    map_chunks(lambda x, y: xp.maximum(x, 0, out=y), x, y)     # y = max(x, 0) on every core

The pieces are also small (about ``PIECE_BYTES``), so a piece's temporaries
stay in the caches between the ufuncs of one expression: ``gy * (y > 0)`` then
reads main memory once, not three times.

Nothing happens differently on CuPy (the GPU already runs every element at
once) or for arrays under ``MIN_BYTES`` (where handing work to a thread would cost
more than it saves): ``fn`` is then called once on the whole arrays.

How many threads: ``MINIVAE_THREADS``, else ``OMP_NUM_THREADS`` (what limits
the BLAS library too), else every core this process may use; ``set_threads(1)``
turns the splitting off (the tests compare both).
"""
import concurrent.futures
import os

import numpy

from .backend import get_array_module

MIN_BYTES = 1 << 20    # not tuned on its own: an array under one piece's size would be one piece
PIECE_BYTES = 1 << 20  # 1 MiB pieces: fewer Python calls than 256 KiB, still in cache (RESULTS.md)

_threads = None
_pool = None


def threads():
    """How many threads a big pass is split over."""
    global _threads
    if _threads is None:
        default = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        _threads = int(os.environ.get("MINIVAE_THREADS") or os.environ.get("OMP_NUM_THREADS") or default)
    return _threads


def set_threads(n):
    """Split big passes over ``n`` threads from now on (1: no splitting); returns the old count."""
    global _threads, _pool
    if int(n) < 1:
        raise ValueError(f"parallel.set_threads: need at least 1 thread, got {n}")
    previous = threads()
    if int(n) != previous and _pool is not None:
        _pool.shutdown()
        _pool = None
    _threads = int(n)
    return previous


def _workers():
    """The persistent pool (threads() - 1 workers: the calling thread takes a share too)."""
    global _pool
    if _pool is None:
        _pool = concurrent.futures.ThreadPoolExecutor(threads() - 1, thread_name_prefix="minivae")
    return _pool


def map_chunks(fn, *arrays):
    """Call ``fn(*pieces)`` on pieces of ``arrays`` cut along their first axis, on every thread.

    Every array must have the same first-axis length; ``fn`` writes its results
    into one of them (``out=``), since the pieces are views. Returns what ``fn``
    returned, one value per piece, in the pieces' order. The pieces depend on
    the arrays' size only, not on the thread count: one thread runs the same
    pieces one after the other, so the results do not depend on it.
    """
    first = arrays[0]
    if any(a.shape[:1] != first.shape[:1] for a in arrays):
        raise ValueError(f"parallel.map_chunks: the arrays must share their first axis to be cut "
                         f"into pieces, got shapes {[a.shape for a in arrays]}")
    if get_array_module(*arrays) is not numpy or first.nbytes < MIN_BYTES:
        return [fn(*arrays)]
    rows = first.shape[0]
    step = max(1, rows * PIECE_BYTES // first.nbytes)  # rows per piece
    starts = range(0, rows, step)
    results = [None] * len(starts)

    def run(pieces):
        for i in pieces:
            results[i] = fn(*(a[starts[i]:starts[i] + step] for a in arrays))
    count = threads()
    shares = [range(t, len(starts), count) for t in range(count)]  # interleaved: equal work
    pending = [_workers().submit(run, share) for share in shares[1:] if share]
    run(shares[0])
    for p in pending:
        p.result()  # re-raises a worker's error here
    return results


def elementwise(fn, *arrays):
    """A new array shaped and laid out like ``arrays[0]``: ``fn(*pieces, out=piece)`` on every thread.

    ``relu = elementwise(lambda x, out: xp.maximum(x, 0, out=out), x)``
    """
    out = get_array_module(*arrays).empty_like(arrays[0])
    map_chunks(lambda *pieces: fn(*pieces[:-1], out=pieces[-1]), *arrays, out)
    return out


def sum_chunks(fn, *arrays):
    """The sum over pieces of ``fn(*pieces)``, with the pieces cut as in :func:`map_chunks`.

    For reductions over the first axis: ``sum_chunks(lambda g: g.sum(axis=(0, 2, 3)), gy)``.
    The partial sums are added in the pieces' order, so the result is the same on every run
    and every thread count; against one whole-array sum it differs within float rounding.
    """
    partials = map_chunks(fn, *arrays)
    total = partials[0]
    for p in partials[1:]:
        total = total + p
    return total
