"""Image preprocessing as each source does it, and image folders / CelebA attributes read robustly."""
import warnings

import numpy
import pytest

from minivae import backend
from minivae.data import (DataFileError, add_channel_axis, binarize, book_preprocess, flatten_images,
                          load_celeba_attributes, load_image_folder, pad_to_32, scale_to_symmetric,
                          scale_to_unit)

Image = pytest.importorskip("PIL.Image", reason="Pillow is needed to write the test images")


# ---------------------------------------------------------------- preprocess

def pixels(xp, n=2):
    return xp.asarray(numpy.arange(n * 28 * 28).reshape(n, 28, 28) % 256, dtype=xp.uint8)


def test_scale_to_unit(xp):
    x = scale_to_unit(xp.asarray(numpy.array([[0, 51, 255]], numpy.uint8)))
    assert x.dtype == numpy.float32 and backend.get_array_module(x) is xp
    numpy.testing.assert_allclose(backend.to_numpy(x), [[0.0, 0.2, 1.0]], rtol=1e-6)


def test_scale_to_unit_refuses_floats_scaled_twice(xp):
    with pytest.raises(TypeError, match="scale_to_unit: expected uint8 pixels 0-255, got dtype float32"):
        scale_to_unit(xp.zeros((2, 2), dtype=xp.float32))


def test_pad_to_32_adds_two_zero_pixels_each_side(xp):
    x = scale_to_unit(pixels(xp))
    y = pad_to_32(x)
    assert y.shape == (2, 32, 32) and y.dtype == numpy.float32
    y = backend.to_numpy(y)
    numpy.testing.assert_array_equal(y[:, 2:30, 2:30], backend.to_numpy(x))
    assert not y[:, :2].any() and not y[:, 30:].any() and not y[:, :, :2].any() and not y[:, :, 30:].any()
    assert pad_to_32(add_channel_axis(x)).shape == (2, 1, 32, 32)


def test_pad_to_32_checks_the_size(xp):
    with pytest.raises(ValueError, match=r"last two axes are 28x28, got shape \(2, 32, 32\)"):
        pad_to_32(xp.zeros((2, 32, 32), dtype=xp.float32))


def test_binarize_is_strictly_above_the_threshold(xp):
    x = xp.asarray(numpy.array([0.0, 0.49, 0.5, 0.51, 1.0], numpy.float32))
    y = binarize(x)
    assert y.dtype == numpy.float32
    assert backend.to_numpy(y).tolist() == [0.0, 0.0, 0.0, 1.0, 1.0]
    assert backend.to_numpy(binarize(x, threshold=0.2)).tolist() == [0.0, 1.0, 1.0, 1.0, 1.0]
    with pytest.raises(TypeError, match="binarize: expected a float array, got dtype uint8.*scale_to_unit"):
        binarize(pixels(xp))


def test_scale_to_symmetric(xp):
    from_uint8 = scale_to_symmetric(xp.asarray(numpy.array([0, 255], numpy.uint8)))
    from_unit = scale_to_symmetric(xp.asarray(numpy.array([0.0, 0.25, 1.0], numpy.float32)))
    assert from_uint8.dtype == numpy.float32 and from_unit.dtype == numpy.float32
    assert backend.to_numpy(from_uint8).tolist() == [-1.0, 1.0]
    assert backend.to_numpy(from_unit).tolist() == [-1.0, -0.5, 1.0]


def test_book_preprocess_is_nchw_float32_in_unit_range(xp):
    x = book_preprocess(pixels(xp, n=3))
    assert x.shape == (3, 1, 32, 32) and x.dtype == numpy.float32
    x = backend.to_numpy(x)
    assert x.min() == 0.0 and x.max() == 1.0
    numpy.testing.assert_allclose(x[:, 0, 2:30, 2:30] * 255, backend.to_numpy(pixels(xp, n=3)), atol=1e-4)
    with pytest.raises(ValueError, match=r"book_preprocess: expected uint8 images \(N, 28, 28\)"):
        book_preprocess(pixels(xp)[:, None])


def test_flatten_images_for_dense_vaes(xp):
    y = flatten_images(scale_to_unit(pixels(xp, n=4)))
    assert y.shape == (4, 784) and y.dtype == numpy.float32


def test_no_float64_anywhere():
    x = pixels(numpy)
    outputs = [scale_to_unit(x), pad_to_32(scale_to_unit(x)), binarize(scale_to_unit(x)),
               scale_to_symmetric(x), scale_to_symmetric(scale_to_unit(x)), book_preprocess(x),
               flatten_images(scale_to_unit(x)), add_channel_axis(scale_to_unit(x))]
    assert [o.dtype for o in outputs] == [numpy.float32] * len(outputs)


# ---------------------------------------------------------------- image folders

def solid(path, rgb, size=(40, 30), mode="RGB"):
    """Write a one-colour image (any format Pillow infers from the suffix)."""
    img = Image.new("RGB", size, rgb)
    (img.convert(mode) if mode != "RGB" else img).save(path)
    return path


@pytest.fixture
def folder(tmp_path):
    """img_align_celeba/ with 3 good images, 2 broken ones and a stray text file."""
    d = tmp_path / "celeba" / "img_align_celeba"
    d.mkdir(parents=True)
    solid(d / "000001.png", (255, 0, 0))
    solid(d / "000002.jpg", (0, 0, 255), size=(178, 218))  # CelebA's own size
    solid(d / "000003.png", (128, 128, 128), mode="L")  # grey: converted to RGB
    (d / "000004.jpg").write_bytes(b"this is not a jpeg")
    good_png = (d / "000001.png").read_bytes()
    (d / "000005.png").write_bytes(good_png[: len(good_png) // 2])  # truncated
    (d / "list.txt").write_text("not an image")
    return tmp_path / "celeba"


def test_folder_loads_rgb_float32_nchw_and_skips_broken_files(folder):
    with pytest.warns(UserWarning) as record:
        images, files, skipped = load_image_folder(folder, image_size=32)
    assert len(record) == 1
    assert "skipped 2 unreadable file(s)" in str(record[0].message)
    assert "000004.jpg" in str(record[0].message) and "000005.png" in str(record[0].message)
    assert images.shape == (3, 3, 32, 32) and images.dtype == numpy.float32
    assert files == ["000001.png", "000002.jpg", "000003.png"]
    assert [name for name, _ in skipped] == ["000004.jpg", "000005.png"]
    assert "cannot identify image file" in skipped[0][1]
    numpy.testing.assert_allclose(images[0].mean(axis=(1, 2)), [1.0, 0.0, 0.0], atol=1e-6)
    numpy.testing.assert_allclose(images[1].mean(axis=(1, 2)), [0.0, 0.0, 1.0], atol=0.02)  # JPEG is lossy
    numpy.testing.assert_allclose(images[2], 128 / 255, atol=1e-6)
    assert 0.0 <= images.min() and images.max() <= 1.0


def test_image_size_64_and_limit(folder):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the first two files are fine: nothing to warn about
        images, files, skipped = load_image_folder(folder, image_size=64, limit=2)
    assert images.shape == (2, 3, 64, 64) and files == ["000001.png", "000002.jpg"] and skipped == []


def test_limit_counts_kept_images_not_files(folder):
    d = folder / "img_align_celeba"
    solid(d / "000006.png", (0, 255, 0))
    images, files, _ = load_image_folder(d, limit=4, warn=False)
    assert files == ["000001.png", "000002.jpg", "000003.png", "000006.png"]


def test_resize_is_bilinear_without_crop(tmp_path):
    """A left-half black / right-half white 64x32 image squeezed to 32x32 keeps both halves."""
    img = numpy.zeros((32, 64, 3), numpy.uint8)  # (H, W, 3)
    img[:, 32:] = 255
    Image.fromarray(img).save(tmp_path / "a.png")
    images = load_image_folder(tmp_path).images
    assert (images[0, :, :, :15] == 0).all() and (images[0, :, :, 17:] == 1).all()
    assert 0 < images[0, 0, 0, 16] < 1 or 0 < images[0, 0, 0, 15] < 1  # interpolated at the seam


def test_kaggle_nested_folder(tmp_path):
    d = tmp_path / "celeba-dataset" / "img_align_celeba" / "img_align_celeba"
    d.mkdir(parents=True)
    solid(d / "1.png", (0, 0, 0))
    assert load_image_folder(tmp_path / "celeba-dataset").files == ["1.png"]


def test_folder_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such folder.*jessicali9530/celeba-dataset"):
        load_image_folder(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no image files"):
        load_image_folder(tmp_path / "empty")
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.jpg").write_bytes(b"junk")
    with pytest.raises(DataFileError, match="none of the 1 image files .* could be read; first error: x.jpg"):
        load_image_folder(tmp_path / "bad")
    with pytest.raises(ValueError, match="image_size must be a positive int"):
        load_image_folder(tmp_path / "bad", image_size=0)


# ---------------------------------------------------------------- CelebA attributes

def test_celeba_attributes(tmp_path):
    path = tmp_path / "list_attr_celeba.csv"
    path.write_text("image_id,5_o_Clock_Shadow,Smiling,Young\n"
                    "000001.jpg,-1,1,1\n000002.jpg,-1,-1,1\n000003.jpg,1,1,-1\n")
    ids, names, values = load_celeba_attributes(path)
    assert ids == ["000001.jpg", "000002.jpg", "000003.jpg"]
    assert names == ["5_o_Clock_Shadow", "Smiling", "Young"]
    assert values.dtype == numpy.int8 and values.shape == (3, 3)
    assert values[:, names.index("Smiling")].tolist() == [1, -1, 1]


@pytest.mark.parametrize("text,phrase", [
    ("id,Smiling\n1.jpg,1\n", "first line should be 'image_id,<attribute names>'"),
    ("image_id,Smiling,Young\n1.jpg,1\n", "line 2: 2 fields, the header has 3"),
    ("image_id,Smiling\n1.jpg,1\n2.jpg,0\n", "line 3: attribute values must be -1 or 1, got '0'"),
    ("image_id,Smiling\n1.jpg,yes\n", "line 2: attribute values must be -1 or 1, got 'yes'"),
])
def test_celeba_attribute_errors(tmp_path, text, phrase):
    path = tmp_path / "list_attr_celeba.csv"
    path.write_text(text)
    with pytest.raises(DataFileError, match=phrase):
        load_celeba_attributes(path)
    with pytest.raises(FileNotFoundError, match="no such file"):
        load_celeba_attributes(tmp_path / "nope.csv")
