"""minivae.data's records: one per data set, read by every loader, figure and page."""
import ast
import os

import numpy
import pytest

from minivae import data, recipes
from minivae.data import DATA_SETS, FASHION_MNIST, MNIST, data_set

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_every_recipe_names_a_recorded_data_set():
    assert tuple(DATA_SETS) == recipes.DATASETS
    assert {r.dataset for r in recipes.RECIPES.values()} <= set(DATA_SETS)


def test_the_class_names_are_the_data_sets_own():
    assert DATA_SETS["fashion-mnist"].class_names == data.CLASS_NAMES
    assert DATA_SETS["mnist"].class_names == tuple("0123456789")
    assert DATA_SETS["mnist-binarized"].class_names == tuple("0123456789")
    assert DATA_SETS["cifar10"].class_names[5] == "dog"
    assert DATA_SETS["celeba"].class_names == () and DATA_SETS["celeba"].attribute == "Smiling"


def test_a_stand_in_names_the_classes_of_the_files_used_and_says_what_it_replaces():
    used = data_set("mnist-binarized", stand_in="fashion-mnist")
    assert used.class_names == FASHION_MNIST.class_names and used.stands_in_for == "MNIST"
    assert used.pipeline == ("scale_to_unit", "binarize")  # the preprocessing stays MNIST's
    assert "Fashion-MNIST stands in for MNIST" in used.stand_in_note
    assert data_set("mnist") is MNIST and MNIST.stand_in_note == ""


@pytest.mark.parametrize("name", [n for n in DATA_SETS if DATA_SETS[n].stored_size])
def test_prepare_gives_float32_nchw_in_the_records_range(name):
    record = DATA_SETS[name]
    shape = (3, record.channels, record.stored_size, record.stored_size) if record.channels == 3 \
        else (3, record.stored_size, record.stored_size)
    x = record.prepare(numpy.random.default_rng(0).integers(0, 256, shape, dtype=numpy.uint8))
    assert x.dtype == numpy.float32 and x.ndim == 4 and x.shape[1] == record.channels
    low, high = record.input_range
    assert x.min() >= low and x.max() <= high


def test_content_hash_changes_with_the_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"one")
    b.write_bytes(b"two")
    first = data.content_hash([a, b])
    assert first == data.content_hash([a, b]) and len(first) == 64
    b.write_bytes(b"three")
    assert data.content_hash([a, b]) != first


def _defaults(path):
    """The names each function of a module uses as a default argument value."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for default in node.args.defaults + node.args.kw_defaults:
                if isinstance(default, ast.Name):
                    yield node.name, default.id


def test_no_function_defaults_to_one_data_sets_class_names():
    found = []
    for folder, _, files in os.walk(os.path.join(ROOT, "minivae")):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                found += [(path, f, d) for f, d in _defaults(path) if "CLASS" in d]
    assert found == []
