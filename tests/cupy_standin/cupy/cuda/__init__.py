"""The stand-in's cupy.cuda: one pretend device, its stream and memory pool.

Synchronizing does nothing to wait for (NumPy has finished when it returns),
but it is counted in ``cupy._transfers``, so a test can see where code waits.
"""
from .. import _transfers
from . import runtime  # noqa: F401


class Device:
    """The device with id ``device`` (only 0 exists here)."""

    def __init__(self, device=None):
        self.id = 0 if device is None else int(device)
        if self.id != 0:
            raise runtime.CUDARuntimeError(f"cudaErrorInvalidDevice: the stand-in has only device 0, "
                                           f"not {self.id}")

    def __repr__(self):
        return f"<CUDA Device {self.id}>"

    def __int__(self):
        return self.id

    def __eq__(self, other):
        return isinstance(other, Device) and other.id == self.id

    def __hash__(self):
        return self.id

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def use(self):
        pass

    def synchronize(self):
        """Wait for every kernel on the device (counted; nothing to wait for here)."""
        _transfers.record("synchronize")

    @property
    def compute_capability(self):
        return "00"

    @property
    def mem_info(self):
        """(free, total) bytes: the stand-in reports the default pool's use out of 16 GiB."""
        total = 16 << 30
        return total - _default_pools["device"].used_bytes(), total


class Stream:
    """A CUDA stream; ``Stream.null`` is the default one."""

    null = None  # set below

    def __init__(self, null=False, non_blocking=False, ptr=None, priority=None):
        self.ptr = 0 if null else id(self)

    def __repr__(self):
        return f"<Stream {self.ptr} (device 0)>"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def synchronize(self):
        """Wait for every kernel queued on this stream (counted; nothing to wait for here)."""
        _transfers.record("synchronize")

    def use(self):
        return self

    def done(self):
        return True


Stream.null = Stream(null=True)


def get_current_stream(device_id=-1):
    return Stream.null


class MemoryPool:
    """Device memory the arrays came from; the stand-in's arrays are NumPy's, so it holds none."""

    def __init__(self, allocator=None):
        self._limit = 0

    def used_bytes(self):
        return 0

    def total_bytes(self):
        return 0

    def free_bytes(self):
        return 0

    def n_free_blocks(self):
        return 0

    def free_all_blocks(self, stream=None):
        pass

    def set_limit(self, size=None, fraction=None):
        self._limit = size or 0

    def get_limit(self):
        return self._limit


class PinnedMemoryPool(MemoryPool):
    """Page-locked host memory for fast copies; nothing to pin here."""


_default_pools = {"device": MemoryPool(), "pinned": PinnedMemoryPool()}  # cupy.get_default_*_pool()


def is_available():
    return True
