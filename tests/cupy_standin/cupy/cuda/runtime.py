"""The stand-in's cupy.cuda.runtime: one device that says it is a stand-in."""
from .. import _transfers

_NAME = b"CuPy stand-in (NumPy on the CPU, not a GPU)"


class CUDARuntimeError(RuntimeError):
    """A CUDA runtime call failed."""


def getDeviceCount():
    return 1


def getDevice():
    return 0


def getDeviceProperties(device):
    if int(device) != 0:
        raise CUDARuntimeError(f"cudaErrorInvalidDevice: the stand-in has only device 0, not {device}")
    return {"name": _NAME, "totalGlobalMem": 16 << 30, "multiProcessorCount": 1,
            "major": 0, "minor": 0, "clockRate": 0, "warpSize": 1}


def deviceSynchronize():
    _transfers.record("synchronize")


def runtimeGetVersion():
    return 0


def driverGetVersion():
    return 0


def memGetInfo():
    return 16 << 30, 16 << 30
