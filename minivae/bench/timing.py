"""Honest timing: warm-up, median of repeats, and the GPU waited for before the clock stops.

GPU kernels run asynchronously: without a synchronize, a timer measures only
how long it took to *queue* the work. ``synchronize`` waits for the device.
"""
import os
import statistics
import time

import numpy

from .. import backend


def synchronize(xp):
    """Wait until every queued GPU kernel has finished (nothing to do on NumPy)."""
    if xp is not numpy:
        xp.cuda.get_current_stream().synchronize()


def measure(fn, xp=numpy, warmup=2, repeat=7, min_seconds=0.0):
    """Median wall time of fn() in seconds, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    synchronize(xp)
    times = []
    started = time.perf_counter()
    while len(times) < repeat or time.perf_counter() - started < min_seconds:
        t0 = time.perf_counter()
        fn()
        synchronize(xp)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def threads():
    """How many threads the CPU math library may use (what the numbers depend on)."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var):
            return int(os.environ[var])
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()


def matmul_peak(xp=numpy, n=1024, dtype="float32"):
    """The machine's float32 matrix-product throughput in GFLOP/s (n x n @ n x n)."""
    a = xp.asarray(numpy.random.default_rng(0).standard_normal((n, n)), dtype=dtype)
    seconds = measure(lambda: a @ a, xp, warmup=2, repeat=9)
    return 2 * n ** 3 / seconds / 1e9


def device_name(xp=numpy):
    if xp is numpy:
        import platform
        return f"CPU {platform.processor() or platform.machine()}, {threads()} threads"
    props = xp.cuda.runtime.getDeviceProperties(0)
    return props["name"].decode()


def backends_present():
    """('numpy', numpy) and, when a GPU is usable, ('cupy', cupy)."""
    out = [("numpy", numpy)]
    if backend.cupy_available():
        out.append(("cupy", backend.load_cupy()))
    return out
