"""The stand-in's ledger: every copy between host and "device", and every synchronization.

On a real GPU a copy to the host (``.get()``, ``float(x)``, ``x.item()``,
``bool(x)``) waits for every queued kernel: one in a training step's graph
stalls the GPU each step. The stand-in cannot be slow in the same way, so it
counts instead, and tests assert the counts::

    from cupy import _transfers
    with _transfers.counting() as seen:
        model.train_step(batch, optimizer)
    assert seen.device_to_host <= 4, seen.where("device_to_host")
"""
import collections
import contextlib
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
KINDS = ("host_to_device", "device_to_host", "synchronize")


class Transfers:
    """Counts of each kind, and where the last copies were made (file:line of the caller)."""

    def __init__(self):
        self.host_to_device = self.device_to_host = self.synchronize = 0
        self.bytes = {"host_to_device": 0, "device_to_host": 0}
        self.events = collections.deque(maxlen=200)

    def add(self, kind, nbytes, where):
        setattr(self, kind, getattr(self, kind) + 1)
        if kind in self.bytes:
            self.bytes[kind] += nbytes
        self.events.append((kind, nbytes, where))

    def where(self, kind):
        """A readable list of the places that made copies of ``kind`` (for assertion messages)."""
        return "\n".join(f"{n} bytes at {w}" for k, n, w in self.events if k == kind)

    def __repr__(self):
        return (f"Transfers(host_to_device={self.host_to_device}, "
                f"device_to_host={self.device_to_host}, synchronize={self.synchronize})")


total = Transfers()  # since the stand-in was imported
_active = []         # the ledgers of the open counting() blocks


def record(kind, nbytes=0):
    where = _caller()
    total.add(kind, nbytes, where)
    for ledger in _active:
        ledger.add(kind, nbytes, where)


@contextlib.contextmanager
def counting():
    """A fresh ledger for the copies and synchronizations made inside the block."""
    ledger = Transfers()
    _active.append(ledger)
    try:
        yield ledger
    finally:
        _active.remove(ledger)


def _caller():
    """file:line (function) of the first frame outside the stand-in."""
    frame = sys._getframe(2)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(_HERE):
        frame = frame.f_back
    if frame is None:
        return "?"
    return f"{frame.f_code.co_filename}:{frame.f_lineno} ({frame.f_code.co_name})"
