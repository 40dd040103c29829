"""Load a folder of face photos (CelebA) and CelebA's attribute table.

The book reads ``img_align_celeba`` with Keras' ``image_dataset_from_directory``:
no labels, RGB, resized with bilinear interpolation to a square (no crop,
so the 178x218 photos are squeezed), then scaled to [0, 1]. Its example
3-15 says 64x64, but its faces VAE (tables 3-5 and 3-6) takes 32x32 input,
so 32 is the default here and 64 is one argument away.

A photo collection always has a few broken files. They are skipped, listed
and summarized in one warning: one bad JPEG must not end a long run.
"""
import csv
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy

from .errors import DataFileError

EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp")
_HOW_TO_GET = ("Get CelebA as the book does (Kaggle data set jessicali9530/celeba-dataset: "
               "bash scripts/download_kaggle_data.sh jessicali9530 celeba-dataset) and pass the folder "
               "holding img_align_celeba/.")


class ImageFolder(NamedTuple):
    """What :func:`load_image_folder` returns: unpack as ``images, files, skipped = ...``."""
    images: numpy.ndarray  # float32 (N, 3, S, S) in [0, 1]
    files: list            # the N file names kept, in the order of ``images``
    skipped: list          # (file name, reason) for each file that could not be read


class CelebAAttributes(NamedTuple):
    """What :func:`load_celeba_attributes` returns.

    ``values[i, j]`` is 1 if image ``image_ids[i]`` has attribute ``names[j]``, else -1.
    """
    image_ids: list
    names: list
    values: numpy.ndarray  # int8 (N, 40), entries -1 or 1


def _image_dir(path):
    """``path`` itself, or the img_align_celeba folder inside it (Kaggle's copy nests it twice)."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise FileNotFoundError(f"load_image_folder: no such folder: {folder}. {_HOW_TO_GET}")
    for _ in range(2):
        if (folder / "img_align_celeba").is_dir():
            folder = folder / "img_align_celeba"
    return folder


def _read_image(path, image_size):
    """One image file -> float32 (3, S, S) in [0, 1]; Pillow's errors pass through to the caller."""
    from PIL import Image  # Pillow is only needed here, so the rest of minivae.data works without it
    with Image.open(path) as img:
        img.load()  # decode now, so a truncated file fails here and not later
        img = img.convert("RGB").resize((image_size, image_size), Image.BILINEAR)
    pixels = numpy.asarray(img, dtype=numpy.uint8)  # (S, S, 3)
    return pixels.transpose(2, 0, 1).astype(numpy.float32) / numpy.float32(255)  # (3, S, S)


def load_image_folder(path, image_size=32, limit=None, extensions=EXTENSIONS, warn=True):
    """Images of a folder (or of its ``img_align_celeba/``) as an :class:`ImageFolder`.

    Files are read in sorted name order until ``limit`` images are kept (all if None).
    Each is converted to RGB and resized to ``image_size`` x ``image_size`` with Pillow's
    bilinear filter (which, unlike ``tf.image.resize``, averages the whole source area
    when shrinking). ``images`` is float32 (N, 3, S, S) in [0, 1]: the full CelebA
    (202,599 photos) is 2.5 GB at 32x32 and 10 GB at 64x64, so pass a ``limit`` to try things.
    """
    if not isinstance(image_size, int) or image_size < 1:
        raise ValueError(f"load_image_folder: image_size must be a positive int (32 or 64), "
                         f"got {image_size!r}")
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ValueError(f"load_image_folder: limit must be a positive int or None, got {limit!r}")
    folder = _image_dir(path)
    suffixes = {e.lower() for e in extensions}
    paths = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in suffixes)
    if not paths:
        raise FileNotFoundError(f"load_image_folder: no image files ({', '.join(sorted(suffixes))}) "
                                f"in {folder}. {_HOW_TO_GET}")
    capacity = len(paths) if limit is None else min(limit, len(paths))
    images = numpy.empty((capacity, 3, image_size, image_size), dtype=numpy.float32)
    files, skipped = [], []
    for p in paths:
        if len(files) == capacity:
            break
        try:
            images[len(files)] = _read_image(p, image_size)
        except Exception as exc:  # Pillow raises OSError, SyntaxError, ValueError... on bad files
            skipped.append((p.name, f"{type(exc).__name__}: {exc}"))
            continue
        files.append(p.name)
    if not files:
        raise DataFileError(f"load_image_folder: none of the {len(paths)} image files in {folder} "
                            f"could be read; first error: {skipped[0][0]}: {skipped[0][1]}")
    if skipped and warn:
        shown = "; ".join(f"{name} ({reason})" for name, reason in skipped[:5])
        more = f"; and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        warnings.warn(f"load_image_folder: skipped {len(skipped)} unreadable file(s) in {folder}: "
                      f"{shown}{more}", stacklevel=2)
    return ImageFolder(images[:len(files)], files, skipped)


def load_celeba_attributes(csv_path):
    """Read ``list_attr_celeba.csv`` (header ``image_id,5_o_Clock_Shadow,...``, values -1/1).

    Returns :class:`CelebAAttributes`; the book averages ``z`` over images with and
    without an attribute (e.g. ``Smiling``) to get an attribute vector.
    """
    csv_path = Path(csv_path).expanduser()
    if not csv_path.is_file():
        raise FileNotFoundError(f"load_celeba_attributes: no such file: {csv_path}. "
                                "It comes with the Kaggle CelebA data set, next to img_align_celeba/.")
    with open(csv_path, newline="") as f:
        rows = csv.reader(f)
        header = next(rows, None)
        if not header or header[0].strip() != "image_id" or len(header) < 2:
            raise DataFileError(f"load_celeba_attributes: {csv_path}: the first line should be "
                                f"'image_id,<attribute names>', got {','.join(header or [])[:80]!r}")
        names = [h.strip() for h in header[1:]]
        image_ids, values = [], []
        for line, row in enumerate(rows, start=2):
            if not row:
                continue
            if len(row) != len(header):
                raise DataFileError(f"load_celeba_attributes: {csv_path}, line {line}: {len(row)} fields, "
                                    f"the header has {len(header)}")
            try:
                entries = [int(v) for v in row[1:]]
            except ValueError:
                entries = None
            if entries is None or any(v not in (-1, 1) for v in entries):
                raise DataFileError(f"load_celeba_attributes: {csv_path}, line {line}: attribute values "
                                    f"must be -1 or 1, got {','.join(row[1:])[:80]!r}")
            image_ids.append(row[0].strip())
            values.append(entries)
    table = numpy.array(values, dtype=numpy.int8).reshape(len(values), len(names))  # (N, attributes)
    return CelebAAttributes(image_ids, names, table)
