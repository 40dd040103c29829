"""Keep freed memory for the next training step instead of handing it back to the OS.

Every training step allocates the same large arrays again: im2col rows,
activations, gradients, many of them megabytes. glibc's malloc returns big
freed blocks to the operating system (blocks above its mmap threshold, and the
top of the heap above its trim threshold), so the next step gets *fresh* pages:
a page fault and a zero-fill for every 4 KiB of them. On the book's VAE at
batch 100 that was about a third of a CPU training step (117 ms -> 80 ms
measured, benchmarks/RESULTS.md). Raising the two thresholds with mallopt makes
freed blocks stay mapped and get reused, the job a caching allocator does in
PyTorch. Linux with glibc only; elsewhere this does nothing.

glibc caps the mmap threshold at 32 MiB, so blocks above it (the faces VAE's
(128, 128, 32, 32) float32 activations are 64 MiB) would still be mapped fresh
and page-faulted on every step; M_MMAP_MAX = 0 serves them from the heap too,
where the trim threshold keeps them (faces VAE step at batch 128: 1479 ms and
1.2 s of kernel time per 5 steps -> 1350 ms and none, benchmarks/RESULTS.md).
"""
import ctypes
import ctypes.util

M_TRIM_THRESHOLD = -1   # mallopt parameter numbers, from glibc's <malloc.h>
M_MMAP_THRESHOLD = -3
M_MMAP_MAX = -4         # how many blocks may be mmapped at once; 0: none, all from the heap
MMAP_THRESHOLD_MAX = 32 << 20  # glibc's ceiling on 64-bit machines

_done = False


def keep_freed_memory(trim_threshold=1 << 30):
    """Ask glibc to keep up to ``trim_threshold`` bytes of freed memory; True if it could."""
    global _done
    if _done:
        return True
    name = ctypes.util.find_library("c")
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError, TypeError):  # not glibc: nothing to tune
        return False
    _done = all(mallopt(param, value) for param, value in (
        (M_TRIM_THRESHOLD, trim_threshold), (M_MMAP_THRESHOLD, MMAP_THRESHOLD_MAX), (M_MMAP_MAX, 0)))
    return _done
