"""Finding and loading Fashion-MNIST (and MNIST, or Fashion-MNIST in its place).

Small fake data sets in the real file format stand in for the real one; one
test reads the installed files, if there are any.
"""
import gzip
import warnings

import numpy
import pytest

from minivae.data import (CLASS_NAMES, DataFileError, MNISTData, find_fashion_mnist,
                          load_fashion_mnist, load_mnist)
from minivae.data import fashion_mnist

REAL_DIR = fashion_mnist.SYSTEM_DIR


def idx_bytes(array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(s).to_bytes(4, "big") for s in array.shape)
    return header + array.tobytes()


def make_dataset(folder, n_train=5, n_test=3, gz=True, offset=0):
    """Write the four IDX files; image i is filled with the value i + offset, its label is i % 10."""
    folder.mkdir(parents=True, exist_ok=True)
    for split, n in (("train", n_train), ("test", n_test)):
        values = numpy.arange(n, dtype=numpy.uint8) + offset
        images = numpy.broadcast_to(values[:, None, None], (n, 28, 28)).copy()  # (n, 28, 28)
        labels = (numpy.arange(n) % 10).astype(numpy.uint8)
        for stem, array in zip(fashion_mnist.SPLITS[split], (images, labels)):
            data = idx_bytes(array)
            if gz:
                (folder / (stem + ".gz")).write_bytes(gzip.compress(data))
            else:
                (folder / stem).write_bytes(data)
    return folder


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No real data, no env, an empty cache: the search sees only what a test puts there."""
    monkeypatch.setattr(fashion_mnist, "SYSTEM_DIR", tmp_path / "system")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("MINIVAE_DATA", raising=False)
    monkeypatch.delenv("MINIVAE_MNIST", raising=False)
    return tmp_path


def test_class_names():
    assert CLASS_NAMES == ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")


@pytest.mark.parametrize("place", ["path", "path/fashion-mnist", "env", "system", "cache"])
def test_found_in_each_place(isolated, monkeypatch, place):
    target = {"path": isolated / "mine", "path/fashion-mnist": isolated / "mine" / "fashion-mnist",
              "env": isolated / "env", "system": isolated / "system",
              "cache": isolated / "xdg" / "minivae" / "fashion-mnist"}[place]
    make_dataset(target)
    if place == "env":
        monkeypatch.setenv("MINIVAE_DATA", str(target))
    path = isolated / "mine" if place.startswith("path") else None
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # finding it where asked warns about nothing
        assert find_fashion_mnist(path) == target


def test_search_order_path_env_system_cache(isolated, monkeypatch):
    for name in ("mine", "env", "system", "xdg/minivae/fashion-mnist"):
        make_dataset(isolated / name)
    monkeypatch.setenv("MINIVAE_DATA", str(isolated / "env"))
    assert find_fashion_mnist(isolated / "mine") == isolated / "mine"
    assert find_fashion_mnist() == isolated / "env"
    monkeypatch.delenv("MINIVAE_DATA")
    assert find_fashion_mnist() == isolated / "system"
    fashion_mnist.SYSTEM_DIR = isolated / "gone"  # monkeypatch restores it
    assert find_fashion_mnist() == isolated / "xdg" / "minivae" / "fashion-mnist"


def test_a_wrong_path_warns_then_the_search_goes_on(isolated):
    make_dataset(isolated / "system")
    with pytest.warns(UserWarning, match=r"no Fashion-MNIST in .*typo \(path argument\); using .*system"):
        assert find_fashion_mnist(isolated / "typo") == isolated / "system"


def test_nothing_found_lists_every_place_and_every_remedy(isolated, monkeypatch):
    monkeypatch.setenv("MINIVAE_DATA", str(isolated / "env"))
    (isolated / "half").mkdir()
    make_dataset(isolated / "half")
    (isolated / "half" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError) as info:
        find_fashion_mnist(isolated / "half")
    message = str(info.value)
    for place in ("half", "env", "system", "xdg/minivae/fashion-mnist"):
        assert str(isolated / place) in message
    assert "missing t10k-labels-idx1-ubyte" in message and "no such folder" in message
    assert "apt-get install dataset-fashion-mnist" in message and "root" in message
    assert "--data PATH" in message and "MINIVAE_DATA" in message
    assert "download_fashion_mnist()" in message


@pytest.mark.parametrize("gz", [True, False])
def test_load_returns_uint8_images_and_labels(isolated, gz):
    folder = make_dataset(isolated / "d", n_train=12, n_test=3, gz=gz)
    images, labels = load_fashion_mnist(folder)
    assert images.shape == (12, 28, 28) and images.dtype == numpy.uint8
    assert labels.shape == (12,) and labels.dtype == numpy.uint8
    numpy.testing.assert_array_equal(images[:, 5, 7], numpy.arange(12))
    numpy.testing.assert_array_equal(labels, numpy.arange(12) % 10)
    test_images, test_labels = load_fashion_mnist(folder, split="test")
    assert test_images.shape == (3, 28, 28) and test_labels.tolist() == [0, 1, 2]


def test_unknown_split(isolated):
    with pytest.raises(ValueError, match="split must be 'train' or 'test', got 'validation'"):
        load_fashion_mnist(make_dataset(isolated / "d"), split="validation")


def test_image_and_label_counts_must_match(isolated):
    folder = make_dataset(isolated / "d")
    labels = numpy.zeros(4, numpy.uint8)
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(labels)))
    with pytest.raises(DataFileError, match="holds 5 images but .*train-labels-idx1-ubyte.gz holds 4 labels"):
        load_fashion_mnist(folder)


def test_labels_out_of_range(isolated):
    folder = make_dataset(isolated / "d")
    bad = numpy.array([0, 1, 2, 3, 12], numpy.uint8)
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(bad)))
    with pytest.raises(DataFileError, match="label 12 found, labels must be 0-9"):
        load_fashion_mnist(folder)


def test_load_mnist_from_path_is_mnist(isolated):
    folder = make_dataset(isolated / "mnist", offset=100)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = load_mnist(folder)
    images, labels, name = result
    assert isinstance(result, MNISTData) and name == "mnist" and result.name == "mnist"
    assert images[0, 0, 0] == 100 and images.shape == (5, 28, 28)


def test_load_mnist_from_env(isolated, monkeypatch):
    monkeypatch.setenv("MINIVAE_MNIST", str(make_dataset(isolated / "mnist", offset=100)))
    assert load_mnist(split="test").name == "mnist"


def test_load_mnist_falls_back_to_fashion_mnist_and_says_so(isolated, monkeypatch):
    make_dataset(isolated / "system", offset=50)
    with pytest.warns(UserWarning, match=r"MNIST not found .*nowhere \(path argument\): no such folder.*"
                                         r"using Fashion-MNIST instead"):
        images, labels, name = load_mnist(isolated / "nowhere")
    assert name == "fashion-mnist" and images[0, 0, 0] == 50
    with pytest.warns(UserWarning, match="MINIVAE_MNIST is not set"):
        assert load_mnist().name == "fashion-mnist"


@pytest.fixture(scope="module")
def real():
    """The installed Fashion-MNIST, read once for the module."""
    if not all((REAL_DIR / (s + ".gz")).is_file() for s in fashion_mnist.FILE_NAMES):
        pytest.skip(f"real Fashion-MNIST not installed in {REAL_DIR} (apt-get install dataset-fashion-mnist)")
    return {split: load_fashion_mnist(REAL_DIR, split) for split in ("train", "test")}


@pytest.mark.parametrize("split,n", [("train", 60000), ("test", 10000)])
def test_real_fashion_mnist(real, split, n):
    images, labels = real[split]
    assert images.shape == (n, 28, 28) and images.dtype == numpy.uint8
    assert labels.shape == (n,) and labels.dtype == numpy.uint8
    assert images.max() == 255 and images.min() == 0
    assert labels.min() == 0 and labels.max() == 9
    numpy.testing.assert_array_equal(numpy.bincount(labels, minlength=10), [n // 10] * 10)  # balanced classes
