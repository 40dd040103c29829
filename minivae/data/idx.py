"""Read IDX files, the format of MNIST and Fashion-MNIST.

An IDX file is a tiny header followed by raw bytes::

    bytes 0-1   0x00 0x00
    byte  2     element type: 0x08 = unsigned byte (the only one MNIST uses)
    byte  3     number of dimensions d (3 for images, 1 for labels)
    then d big-endian uint32 sizes, e.g. 60000, 28, 28
    then prod(sizes) bytes of data, row-major

So the magic number of an image file is 0x00000803 and of a label file
0x00000801. The file's length must be exactly ``4 + 4*d + prod(sizes)``:
checking it catches a truncated download before it becomes a silent
reshape error three modules later.
"""
import gzip
import zlib
from pathlib import Path

import numpy

from .errors import DataFileError

UNSIGNED_BYTE = 0x08
_GZIP_MAGIC = b"\x1f\x8b"

_REMEDY = ("Replace the file: re-install the package (as root: apt-get install --reinstall "
           "dataset-fashion-mnist), or download it again with minivae.data.download_fashion_mnist().")


def _fail(path, problem):
    raise DataFileError(f"read_idx: {path}: {problem}. {_REMEDY}")


def _read_bytes(path):
    """The file's bytes, gunzipped when it starts with the gzip magic (whatever its name)."""
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] != _GZIP_MAGIC:
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        _fail(path, f"the gzip data is corrupt or truncated ({type(exc).__name__}: {exc})")


def read_idx(path, expect_ndim=None):
    """Read an IDX file (raw or ``.gz``) into a writable NumPy uint8 array of the sizes in its header.

    ``expect_ndim`` (3 for images, 1 for labels) turns a swapped file name into a clear error.
    Raises :class:`FileNotFoundError` if the file is missing and
    :class:`DataFileError` if it is not a valid unsigned-byte IDX file.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"read_idx: no such file: {path}")
    data = _read_bytes(path)
    if len(data) < 4:
        _fail(path, f"only {len(data)} bytes, too short for the 4-byte IDX magic number")
    if data[0] != 0 or data[1] != 0:
        _fail(path, f"not an IDX file: it starts with bytes {data[:4].hex()}, "
                    "an IDX file starts with 0000 (e.g. 00000803 for images, 00000801 for labels)")
    if data[2] != UNSIGNED_BYTE:
        _fail(path, f"element type byte is 0x{data[2]:02x}, only 0x08 (unsigned byte) is supported")
    ndim = data[3]
    if ndim == 0:
        _fail(path, "the header says the array has 0 dimensions")
    if expect_ndim is not None and ndim != expect_ndim:
        _fail(path, f"magic number 0x{int.from_bytes(data[:4], 'big'):08x} means {ndim} dimension(s), "
                    f"expected {expect_ndim} (0x{0x800 + expect_ndim:08x}); "
                    "are the image and label files swapped?")
    header = 4 + 4 * ndim
    if len(data) < header:
        _fail(path, f"truncated header: {len(data)} bytes, a {ndim}-d IDX header needs {header}")
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    expected = header + int(numpy.prod(shape, dtype=numpy.int64))
    if len(data) < expected:
        _fail(path, f"file is truncated: the header promises shape {shape}, {expected} bytes in all, "
                    f"but there are only {len(data)}")
    if len(data) > expected:
        _fail(path, f"file is too long: the header promises shape {shape}, {expected} bytes in all, "
                    f"but there are {len(data)} ({len(data) - expected} extra)")
    # .copy(): frombuffer over bytes is read-only, and learners do write into their arrays.
    return numpy.frombuffer(data, dtype=numpy.uint8, offset=header).reshape(shape).copy()  # shape from header
