"""What a tensor and an op say they are: their reprs, and the names a graph drawing gives them."""
import numpy
import pytest

import minivae
import minivae.functional as F
from minivae import viz


def test_a_tensor_says_its_shape_dtype_name_and_the_op_that_made_it(xp):
    x = minivae.Tensor(xp.ones((2, 3), dtype="float32"), requires_grad=True, name="x")
    text = repr(x)
    assert "shape=(2, 3)" in text and "dtype=float32" in text
    assert "requires_grad=True" in text and "name='x'" in text
    y = (x * x).sum()
    assert "grad_fn=Sum" in repr(y) and "shape=()" in repr(y)
    assert "name=" not in repr(y)  # unnamed tensors stay quiet about it


def test_an_op_says_its_name_and_its_input_and_output_shapes(xp):
    x = minivae.Tensor(xp.ones((2, 3), dtype="float32"), requires_grad=True)
    y = x.sum(axis=1)
    assert repr(y.creator) == "<Sum: (2, 3) float32 -> (2,) float32>"
    y.sum().backward()
    assert repr(y.creator) == "<Sum: freed by backward -> (2,) float32>"


def _stride_one_conv(xp, c_in, c_out):
    rng = numpy.random.default_rng(0)
    x = minivae.Tensor(xp.asarray(rng.standard_normal((1, c_in, 5, 5)), dtype="float32"),
                       requires_grad=True, name="x")
    w = minivae.Tensor(xp.asarray(rng.standard_normal((c_out, c_in, 3, 3)), dtype="float32"),
                       requires_grad=True, name="kernel")
    return F.conv2d(x, w, padding=1)


def test_a_stride_one_conv_routed_as_a_transposed_conv_says_what_was_called(xp):
    y = _stride_one_conv(xp, c_in=8, c_out=2)  # fewer output channels: the transposed route
    op = y.creator
    assert type(op).__name__ == "ConvTranspose2d" and op.called_as == "conv2d"
    assert "stride 1" in op.route
    assert repr(op).startswith("<conv2d as ConvTranspose2d: (1, 8, 5, 5) float32")
    dot = viz.to_dot(y)
    assert 'label="conv2d\\n(as ConvTranspose2d)"' in dot and "tooltip=" in dot
    y.sum().backward()
    assert "conv2d as ConvTranspose2d" in repr(op)  # the route outlives the freed graph


def test_a_direct_conv_names_only_its_own_function(xp):
    op = _stride_one_conv(xp, c_in=2, c_out=8).creator
    assert type(op).__name__ == "Conv2d" and op.called_as is None and op.route is None
    routed = F.conv_transpose2d(minivae.Tensor(xp.ones((1, 2, 4, 4), dtype="float32"), requires_grad=True),
                                minivae.Tensor(xp.ones((2, 8, 3, 3), dtype="float32"), requires_grad=True),
                                padding=1)
    assert routed.creator.called_as == "conv_transpose2d" and type(routed.creator).__name__ == "Conv2d"


def test_the_graph_drawing_names_variables_and_ops():
    x = minivae.Tensor(numpy.ones((4, 3), numpy.float32), name="x")
    w = minivae.Tensor(numpy.full((3, 2), 0.5, numpy.float32), requires_grad=True, name="w")
    dot = viz.to_dot(F.sigmoid(x @ w).sum())
    assert 'label="x\\n4x3 float32"' in dot
    assert 'label="w\\n3x2 float32, grad"' in dot
    for op in ("MatMul", "Sigmoid", "Sum"):
        assert f'label="{op}"' in dot


@pytest.mark.parametrize("c_in, c_out", [(8, 2), (2, 8)])
def test_both_routes_give_the_same_convolution(c_in, c_out):
    rng = numpy.random.default_rng(1)
    x = minivae.Tensor(rng.standard_normal((2, c_in, 5, 5)), requires_grad=True)
    w = minivae.Tensor(rng.standard_normal((c_out, c_in, 3, 3)), requires_grad=True)
    assert minivae.gradcheck(lambda a, b: F.conv2d(a, b, padding=1), x, w)
