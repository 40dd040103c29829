"""read_idx: round trips through raw and gzipped IDX files, and one clear error per kind of damage."""
import gzip

import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minivae.data import DataFileError, read_idx


def idx_bytes(array, dtype_byte=0x08):
    """The IDX encoding of a uint8 array: 00 00 type ndim, big-endian sizes, data."""
    header = bytes([0, 0, dtype_byte, array.ndim]) + b"".join(int(s).to_bytes(4, "big") for s in array.shape)
    return header + array.astype(numpy.uint8).tobytes()


def write(path, data, gz=False):
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


@pytest.mark.parametrize("gz", [False, True])
def test_images_and_labels_round_trip(tmp_path, gz):
    images = numpy.arange(3 * 28 * 28, dtype=numpy.uint32).reshape(3, 28, 28).astype(numpy.uint8)
    labels = numpy.array([9, 0, 4], dtype=numpy.uint8)
    suffix = ".gz" if gz else ""
    got_images = read_idx(write(tmp_path / f"im{suffix}", idx_bytes(images), gz), expect_ndim=3)
    got_labels = read_idx(write(tmp_path / f"lb{suffix}", idx_bytes(labels), gz), expect_ndim=1)
    assert got_images.dtype == numpy.uint8 and got_images.shape == (3, 28, 28)
    numpy.testing.assert_array_equal(got_images, images)
    numpy.testing.assert_array_equal(got_labels, labels)
    assert got_labels.dtype == numpy.uint8 and got_labels.shape == (3,)
    got_images[0, 0, 0] = 7  # writable, not a read-only view of the file's bytes


def test_gzip_is_recognised_by_content_not_name(tmp_path):
    labels = numpy.array([1, 2, 3], dtype=numpy.uint8)
    path = write(tmp_path / "labels-without-gz-suffix", idx_bytes(labels), gz=True)
    numpy.testing.assert_array_equal(read_idx(path), labels)


@given(shape=st.lists(st.integers(0, 5), min_size=1, max_size=4), seed=st.integers(0, 2**16))
def test_any_shape_round_trips(tmp_path_factory, shape, seed):
    array = numpy.random.default_rng(seed).integers(0, 256, size=shape, dtype=numpy.uint8)
    path = write(tmp_path_factory.mktemp("idx") / "a.gz", idx_bytes(array), gz=True)
    got = read_idx(path)
    assert got.shape == tuple(shape) and got.dtype == numpy.uint8
    numpy.testing.assert_array_equal(got, array)


def _damaged(kind):
    good = idx_bytes(numpy.zeros((2, 3, 3), dtype=numpy.uint8))  # 4 + 12 + 18 = 34 bytes
    return {
        "bad magic": (b"\x1a\x2b" + good[2:], "not an IDX file"),
        "float type": (idx_bytes(numpy.zeros((2, 3, 3), numpy.uint8), dtype_byte=0x0D),
                       "element type byte is 0x0d"),
        "zero dims": (b"\x00\x00\x08\x00", "0 dimensions"),
        "too short": (b"\x00\x00", "too short"),
        "short header": (good[:10], "truncated header"),
        "truncated data": (good[:-5], "truncated: the header promises shape (2, 3, 3), 34 bytes in all, "
                                      "but there are only 29"),
        "too long": (good + b"\x00\x00", "too long: the header promises shape (2, 3, 3), 34 bytes in all, "
                                         "but there are 36 (2 extra)"),
    }[kind]


@pytest.mark.parametrize("kind", ["bad magic", "float type", "zero dims", "too short", "short header",
                                  "truncated data", "too long"])
@pytest.mark.parametrize("gz", [False, True])
def test_damaged_file_names_file_problem_and_remedy(tmp_path, kind, gz):
    data, phrase = _damaged(kind)
    path = write(tmp_path / "train-images-idx3-ubyte", data, gz)
    with pytest.raises(DataFileError) as info:
        read_idx(path)
    message = str(info.value)
    assert str(path) in message
    assert phrase in message
    assert "dataset-fashion-mnist" in message and "download_fashion_mnist()" in message
    assert isinstance(info.value, ValueError)


def test_swapped_files_are_caught_by_expect_ndim(tmp_path):
    path = write(tmp_path / "train-labels-idx1-ubyte", idx_bytes(numpy.zeros(4, numpy.uint8)))
    with pytest.raises(DataFileError, match="0x00000801 means 1 dimension.*expected 3 .0x00000803.*swapped"):
        read_idx(path, expect_ndim=3)


@pytest.mark.parametrize("damage", ["garbage after magic", "cut in half"])
def test_corrupt_gzip_is_a_data_file_error_naming_the_file(tmp_path, damage):
    packed = gzip.compress(idx_bytes(numpy.arange(200, dtype=numpy.uint8)))
    data = b"\x1f\x8b" + b"\xff" * 40 if damage == "garbage after magic" else packed[: len(packed) // 2]
    path = write(tmp_path / "t10k-labels-idx1-ubyte.gz", data)
    with pytest.raises(DataFileError, match="gzip data is corrupt or truncated") as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_idx(tmp_path / "nope.gz")
