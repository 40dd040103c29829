"""CIFAR-10 batches: the real file format loads, and a pickle that would run code is refused."""
import codecs
import io
import os
import pickle
import re
import struct
import subprocess

import numpy
import pytest

from minivae.data import CIFAR10_CLASSES, DataFileError, find_cifar10, load_cifar10, load_cifar_batch


class Python2Pickler(pickle._Pickler):
    """Writes bytes as Python 2 ``str`` opcodes (SHORT_BINSTRING / BINSTRING), as cPickle wrote CIFAR."""
    dispatch = pickle._Pickler.dispatch.copy()

    def save_py2_str(self, obj):
        if len(obj) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_py2_str


def batch_dict(n, first_label=0, name=b"training batch 1 of 5"):
    """A batch of n images whose red, green, blue planes are 10+i, 20+i, 30+i for image i."""
    planes = (numpy.array([10, 20, 30], numpy.uint8)[None, :, None]
              + numpy.arange(n, dtype=numpy.uint8)[:, None, None])  # (n, 3, 1)
    data = numpy.repeat(planes, 1024, axis=2).reshape(n, 3072)  # (n, 3, 1024) -> (n, 3072)
    return {b"batch_label": name, b"labels": [(first_label + i) % 10 for i in range(n)],
            b"data": data, b"filenames": [b"img_%d.png" % i for i in range(n)]}


def py2_pickle(obj, numpy_module="numpy.core.multiarray"):
    """Protocol-2 bytes as the 2009 files have them; ``numpy_module`` spells _reconstruct's module."""
    buf = io.BytesIO()
    Python2Pickler(buf, protocol=2).dump(obj)
    return buf.getvalue().replace(b"cnumpy._core.multiarray\n", f"c{numpy_module}\n".encode())


def write_batches(folder, n=4, writer=py2_pickle):
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(1, 6):
        (folder / f"data_batch_{i}").write_bytes(writer(batch_dict(n, first_label=i)))
    (folder / "test_batch").write_bytes(writer(batch_dict(n, name=b"testing batch 1 of 1")))
    return folder


def test_class_names():
    assert CIFAR10_CLASSES == ("airplane", "automobile", "bird", "cat", "deer",
                               "dog", "frog", "horse", "ship", "truck")


def test_test_file_is_in_the_python2_format():
    raw = py2_pickle(batch_dict(1))
    assert raw.startswith(b"\x80\x02}") and b"U\x04data" in raw
    assert b"cnumpy.core.multiarray\n_reconstruct" in raw
    assert b"_codecs" not in raw


@pytest.mark.parametrize("writer", [
    py2_pickle,
    lambda obj: py2_pickle(obj, "numpy._core.multiarray"),
    lambda obj: pickle.dumps(obj, protocol=2),  # Python 3 at protocol 2: bytes via _codecs.encode
    lambda obj: pickle.dumps({k.decode(): v for k, v in obj.items()}, protocol=4),  # re-saved, str keys
], ids=["python2", "numpy2-name", "py3-protocol2", "py3-str-keys"])
def test_batch_loads_as_nchw_uint8(tmp_path, writer):
    path = tmp_path / "data_batch_1"
    path.write_bytes(writer(batch_dict(3, first_label=8)))
    images, labels = load_cifar_batch(path)
    assert images.shape == (3, 3, 32, 32) and images.dtype == numpy.uint8
    assert labels.dtype == numpy.uint8 and labels.tolist() == [8, 9, 0]
    for i in range(3):  # channel c of image i is constant 10*(c+1) + i: the planes were not mixed
        for c in range(3):
            assert (images[i, c] == 10 * (c + 1) + i).all()


@pytest.mark.parametrize("split,n,first_labels", [("train", 20, [1, 2, 3, 4, 2]), ("test", 4, [0, 1, 2, 3])])
def test_load_cifar10_splits(tmp_path, split, n, first_labels):
    write_batches(tmp_path / "cifar-10-batches-py")
    for path in (tmp_path / "cifar-10-batches-py", tmp_path):  # the folder, or the one holding it
        images, labels = load_cifar10(path, split)
        assert images.shape == (n, 3, 32, 32) and images.dtype == numpy.uint8
        assert labels.shape == (n,) and labels.dtype == numpy.uint8
        assert labels[:len(first_labels)].tolist() == first_labels


def test_path_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MINIVAE_CIFAR10", str(write_batches(tmp_path / "c")))
    assert find_cifar10() == tmp_path / "c"
    assert load_cifar10(split="test")[0].shape == (4, 3, 32, 32)


def test_missing_folder_says_how_to_get_it(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        load_cifar10(tmp_path / "nowhere")
    message = str(info.value)
    assert str(tmp_path / "nowhere") in message and "does not exist" in message
    assert "https://www.cs.toronto.edu/~kriz/cifar.html" in message and "cifar-10-python.tar.gz" in message


def test_missing_batch_is_named(tmp_path):
    (write_batches(tmp_path / "c") / "data_batch_3").unlink()
    with pytest.raises(FileNotFoundError, match="no such batch file: .*data_batch_3"):
        load_cifar10(tmp_path / "c")


def test_unknown_split(tmp_path):
    with pytest.raises(ValueError, match="split must be 'train' or 'test', got 'val'"):
        load_cifar10(write_batches(tmp_path / "c"), "val")


class RunsCode:
    """An object whose unpickling calls ``func(*args)``: what a malicious pickle does."""

    def __init__(self, func, *args):
        self.func, self.args = func, args

    def __reduce__(self):
        return self.func, self.args


@pytest.mark.parametrize("func,args", [
    (os.system, ("touch {marker}",)),
    (subprocess.check_call, (["touch", "{marker}"],)),
    (eval, ("open(r'{marker}', 'w')",)),
], ids=["os.system", "subprocess", "eval"])
def test_pickle_that_runs_code_is_refused(tmp_path, func, args):
    marker = tmp_path / "pwned"
    args = tuple([a.format(marker=marker) for a in arg] if isinstance(arg, list)
                 else arg.format(marker=marker) for arg in args)
    path = tmp_path / "data_batch_1"
    path.write_bytes(pickle.dumps({b"data": RunsCode(func, *args)}, protocol=2))
    with pytest.raises(DataFileError) as info:
        load_cifar_batch(path)
    message = str(info.value)
    # protocol 2 writes Python 2 module names (posix, commands, __builtin__): the message shows them as written
    assert re.search(rf"refused to unpickle the global [\w.]+\.{func.__name__}: ", message), message
    assert str(path) in message and "may try to run code" in message
    assert not marker.exists()


def test_codecs_encode_is_only_allowed_for_latin1(tmp_path):
    path = tmp_path / "test_batch"
    path.write_bytes(pickle.dumps(RunsCode(codecs.encode, "abc", "rot13"), protocol=2))
    with pytest.raises(DataFileError, match="not a readable pickle .*'rot13'.* refused"):
        load_cifar_batch(path)


@pytest.mark.parametrize("obj,phrase", [
    ([1, 2, 3], "holds a list, expected a dict"),
    ({b"data": numpy.zeros((2, 3072), numpy.uint8), b"fine_labels": [0, 1]}, "it is CIFAR-100"),
    ({b"data": numpy.zeros((2, 1000), numpy.uint8), b"labels": [0, 1]}, r"'data' should be uint8 \(N, 3072\)"),
    ({b"data": numpy.zeros((2, 3072), numpy.float32), b"labels": [0, 1]}, "got float32"),
    ({b"data": numpy.zeros((2, 3072), numpy.uint8), b"labels": [0]}, "should list 2 labels, got 1"),
    ({b"data": numpy.zeros((2, 3072), numpy.uint8), b"labels": [0, 10]}, "labels range 0..10"),
], ids=["list", "cifar100", "shape", "dtype", "count", "range"])
def test_wrong_content_is_a_data_file_error(tmp_path, obj, phrase):
    path = tmp_path / "data_batch_1"
    path.write_bytes(py2_pickle(obj))
    with pytest.raises(DataFileError, match=phrase) as info:
        load_cifar_batch(path)
    assert str(path) in str(info.value) and "not a CIFAR-10 batch" in str(info.value)


@pytest.mark.parametrize("data", [b"", b"not a pickle at all", py2_pickle(batch_dict(2))[:100]],
                         ids=["empty", "text", "truncated"])
def test_damaged_file_is_a_data_file_error(tmp_path, data):
    path = tmp_path / "data_batch_1"
    path.write_bytes(data)
    with pytest.raises(DataFileError, match="is not a readable pickle") as info:
        load_cifar_batch(path)
    assert str(path) in str(info.value)
