"""computation_graph: the autograd graph of an expression as Graphviz DOT (and PNG with `dot`)."""
import shutil

import numpy
import pytest
from PIL import Image

import minivae
import minivae.functional as F
from minivae import viz


def small_expression():
    """y = sum(sigmoid(x @ w + b) * x2): a matmul, an add, an activation, a product, a sum."""
    x = minivae.Tensor(numpy.ones((2, 3), numpy.float32))
    w = minivae.Tensor(numpy.full((3, 4), 0.1, numpy.float32), requires_grad=True)
    b = minivae.Tensor(numpy.zeros(4, numpy.float32), requires_grad=True)
    h = F.sigmoid(x @ w + b)
    return (h * h).sum(), w


def test_dot_names_every_op_and_shape():
    y, _ = small_expression()
    dot = viz.to_dot(y)
    assert dot.startswith("digraph")
    for op in ("MatMul", "Add", "Sigmoid", "Mul", "Sum"):
        assert f'label="{op}"' in dot, op
    assert "3x4 float32, grad" in dot  # the weight: its shape, dtype and that it wants a gradient
    assert "2x3 float32" in dot
    assert dot.count("-> f") >= 6  # h is used twice by Mul: two arrows into it


def test_computation_graph_writes_dot_and_png_when_graphviz_is_there(tmp_path):
    y, _ = small_expression()
    paths = viz.computation_graph(y, str(tmp_path / "graph"))
    assert paths[0] == str(tmp_path / "graph.dot")
    assert "Sigmoid" in (tmp_path / "graph.dot").read_text()
    if shutil.which("dot") is None:
        assert len(paths) == 1
        pytest.skip("Graphviz `dot` is not installed: only the .dot file was written")
    assert paths[1] == str(tmp_path / "graph.png")
    with Image.open(paths[1]) as im:
        assert im.format == "PNG" and im.size[0] > 0
        assert numpy.asarray(im.convert("L")).std() > 0


def test_a_graph_freed_by_backward_cannot_be_drawn(tmp_path):
    y, w = small_expression()
    y.backward()
    assert w.grad is not None
    with pytest.raises(RuntimeError, match="before calling backward"):
        viz.to_dot(y)


def test_retain_graph_keeps_it_drawable():
    y, _ = small_expression()
    y.backward(retain_graph=True)
    assert 'label="MatMul"' in viz.to_dot(y)


def test_chapter_ones_graph_fits_the_books_page_at_full_size(tmp_path):
    """The book's text column is about 680 px wide: a wider picture is shrunk until its labels
    cannot be read (chapter 1's dense-sigmoid graph, drawn left to right, was 1480 px)."""
    if shutil.which("dot") is None:
        pytest.skip("Graphviz `dot` is not installed")
    x = minivae.Tensor(numpy.ones((4, 3), dtype="float32"))
    w = minivae.Tensor(numpy.full((3, 2), 0.5, dtype="float32"), requires_grad=True)
    b = minivae.Tensor(numpy.zeros(2, dtype="float32"), requires_grad=True)
    loss = F.sigmoid(x @ w + b).sum()
    png = viz.computation_graph(loss, str(tmp_path / "dense_sigmoid"))[-1]
    assert Image.open(png).width <= 680
