"""conv2d: the im2col forward against a naive loop, the gradients against central differences.

The reference below is written from the definition (a loop over every output pixel, in
float64) and computes "same" padding with TensorFlow's own formula, not the library's.
"""
import math

import numpy
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import minivae.functional as F
from minivae import Tensor, gradcheck
from minivae.backend import to_numpy


def tensor(xp, array, requires_grad=True):
    return Tensor(xp.asarray(array), requires_grad=requires_grad)


def reference_pads(padding, h, w, kh, kw, sh, sw):
    """(top, bottom, left, right). "same" as tf.nn.conv2d computes it: the total pad is
    max(k - s, 0) when s divides the size, else max(k - size % s, 0); the odd one goes after."""
    if padding == "valid":
        return 0, 0, 0, 0
    if padding == "same":
        def split(size, k, s):
            total = max(k - s, 0) if size % s == 0 else max(k - size % s, 0)
            return total // 2, total - total // 2
        return split(h, kh, sh) + split(w, kw, sw)
    ph, pw = (padding, padding) if isinstance(padding, int) else padding
    return ph, ph, pw, pw


def reference_conv2d(x, weight, bias, stride, pads):
    """Cross-correlation by a loop over every output pixel, in float64."""
    sh, sw = stride
    top, bottom, left, right = pads
    x = numpy.pad(x, ((0, 0), (0, 0), (top, bottom), (left, right)))
    n, _, hp, wp = x.shape
    c_out, _, kh, kw = weight.shape
    out = numpy.zeros((n, c_out, (hp - kh) // sh + 1, (wp - kw) // sw + 1))
    for b in range(n):
        for c in range(c_out):
            for i in range(out.shape[2]):
                for j in range(out.shape[3]):
                    window = x[b, :, i * sh:i * sh + kh, j * sw:j * sw + kw]
                    out[b, c, i, j] = (window * weight[c]).sum() + (0 if bias is None else bias[c])
    return out


strides = st.one_of(st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3)))
paddings = st.one_of(st.integers(0, 2), st.tuples(st.integers(0, 2), st.integers(0, 2)),
                     st.sampled_from(["valid", "same"]))


@st.composite
def conv_cases(draw):
    """Random geometry where the kernel fits the padded input, and random float64 data."""
    n, c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, padding = draw(strides), draw(paddings)
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    pads = reference_pads(padding, h, w, kh, kw, sh, sw)
    assume(h + pads[0] + pads[1] >= kh and w + pads[2] + pads[3] >= kw)
    rng = numpy.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return dict(x=rng.standard_normal((n, c_in, h, w)),
                weight=rng.standard_normal((c_out, c_in, kh, kw)), bias=rng.standard_normal(c_out),
                stride=stride, padding=padding, pads=pads, sh=sh, sw=sw)


@given(case=conv_cases(), with_bias=st.booleans())
def test_conv2d_forward_equals_naive_loop(xp, case, with_bias):
    bias = case["bias"] if with_bias else None
    y = F.conv2d(tensor(xp, case["x"], False), tensor(xp, case["weight"], False),
                 None if bias is None else tensor(xp, bias, False),
                 stride=case["stride"], padding=case["padding"])
    expected = reference_conv2d(case["x"], case["weight"], bias, (case["sh"], case["sw"]), case["pads"])
    assert y.dtype == numpy.float64
    assert y.shape == expected.shape
    numpy.testing.assert_allclose(y.numpy(), expected, rtol=1e-10, atol=1e-12)


@given(case=conv_cases())
def test_conv2d_same_output_is_ceil_of_size_over_stride(xp, case):
    y = F.conv2d(tensor(xp, case["x"], False), tensor(xp, case["weight"], False),
                 stride=case["stride"], padding="same")
    h, w = case["x"].shape[2:]
    assert y.shape[2:] == (math.ceil(h / case["sh"]), math.ceil(w / case["sw"]))


def test_conv2d_same_puts_the_odd_pad_at_the_bottom_right(xp):
    # a 2x2 kernel of ones, stride 1, on a 3x3 image: total pad 1, all of it after
    x = numpy.arange(9.0).reshape(1, 1, 3, 3)
    y = F.conv2d(tensor(xp, x, False), tensor(xp, numpy.ones((1, 1, 2, 2)), False), padding="same")
    expected = numpy.array([[0 + 1 + 3 + 4, 1 + 2 + 4 + 5, 2 + 5],
                            [3 + 4 + 6 + 7, 4 + 5 + 7 + 8, 5 + 8],
                            [6 + 7, 7 + 8, 8]], dtype=float)
    numpy.testing.assert_array_equal(y.numpy()[0, 0], expected)


@given(case=conv_cases())
def test_conv2d_gradcheck_x_weight_bias(xp, case):
    x, weight, bias = (tensor(xp, case[k]) for k in ("x", "weight", "bias"))
    fn = lambda x, weight, bias: F.conv2d(x, weight, bias, stride=case["stride"],
                                          padding=case["padding"])
    assert gradcheck(fn, x, weight, bias)


@given(case=conv_cases())
def test_conv2d_gradcheck_without_bias(xp, case):
    x, weight = tensor(xp, case["x"]), tensor(xp, case["weight"])
    fn = lambda x, weight: F.conv2d(x, weight, stride=case["stride"], padding=case["padding"])
    assert gradcheck(fn, x, weight)


def test_conv2d_bias_gradient_is_the_sum_of_the_output_gradient(xp):
    rng = numpy.random.default_rng(1)
    x, weight, bias = (tensor(xp, rng.standard_normal(s)) for s in ((2, 3, 5, 4), (2, 3, 3, 2), (2,)))
    y = F.conv2d(x, weight, bias, stride=(2, 1), padding=1)
    g = rng.standard_normal(y.shape)
    y.backward(xp.asarray(g))
    numpy.testing.assert_allclose(to_numpy(bias.grad), g.sum(axis=(0, 2, 3)), rtol=1e-12)


@pytest.mark.parametrize("shapes, kwargs, words", [
    (((1, 1, 2, 2), (1, 1, 3, 3)), {}, ["smaller than the kernel"]),
    (((1, 2, 5, 5), (1, 3, 3, 3)), {}, ["2 channels", "expects 3"]),
    (((2, 5, 5), (1, 2, 3, 3)), {}, ["(2, 5, 5)"]),
    (((1, 1, 5, 5), (1, 1, 3, 3)), {"padding": (1, 2, 3)}, ["padding", "(1, 2, 3)"]),
    (((1, 1, 5, 5), (1, 1, 3, 3)), {"stride": 1.5}, ["stride", "1.5"]),
])
def test_conv2d_errors_name_the_problem(xp, shapes, kwargs, words):
    x, weight = (tensor(xp, numpy.zeros(s), False) for s in shapes)
    with pytest.raises(ValueError, match="conv2d") as info:
        F.conv2d(x, weight, **kwargs)
    for word in words:
        assert word in str(info.value)


def test_conv2d_wrong_bias_shape_raises(xp):
    x = tensor(xp, numpy.zeros((1, 1, 4, 4)), False)
    weight = tensor(xp, numpy.zeros((2, 1, 3, 3)), False)
    with pytest.raises(ValueError, match=r"bias has shape \(3,\), expected \(2,\)"):
        F.conv2d(x, weight, tensor(xp, numpy.zeros(3), False))


@pytest.mark.parametrize("stride, padding", [(1, 0), (2, 1), ((2, 1), (0, 2)), (1, "same"), (2, "same"),
                                             ((3, 2), "same")])
def test_conv2d_matches_torch(stride, padding):
    torch = pytest.importorskip("torch")
    rng = numpy.random.default_rng(3)
    x, weight, bias = (rng.standard_normal(s) for s in ((2, 3, 7, 6), (4, 3, 2, 3), (4,)))
    y = F.conv2d(Tensor(x), Tensor(weight), Tensor(bias), stride=stride, padding=padding)
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    top, bottom, left, right = reference_pads(padding, 7, 6, 2, 3, sh, sw)
    tx = torch.nn.functional.pad(torch.from_numpy(x), (left, right, top, bottom))  # explicit pads
    expected = torch.nn.functional.conv2d(tx, torch.from_numpy(weight), torch.from_numpy(bias),
                                          stride=stride)
    numpy.testing.assert_allclose(y.numpy(), expected.numpy(), rtol=1e-10, atol=1e-12)


@given(h=st.integers(1, 9), w=st.integers(1, 9), k=st.integers(1, 4), s=st.integers(1, 3),
       padding=st.sampled_from(["valid", "same", 0, 1, 2]))
def test_conv_geometry_is_one_geometry_seen_from_both_ends(h, w, k, s, padding):
    """conv_transpose2d's geometry on conv2d's grid, with the output_padding that gives back the
    rows the floor dropped, is conv2d's geometry: the same windows, image and grid."""
    from minivae.functional.conv_geometry import conv_geometry
    assume(min(h, w) + 2 * (padding if isinstance(padding, int) else 0) >= k or padding == "same")
    g = F.conv2d(Tensor(numpy.zeros((1, 1, h, w), numpy.float32)),
                 Tensor(numpy.zeros((1, 1, k, k), numpy.float32)), stride=s, padding=padding)
    conv = conv_geometry((h, w), (k, k), s, padding)
    assert tuple(g.shape[2:]) == conv.grid_hw  # what the op gives is what the geometry says
    if padding == "same":
        back = conv_geometry(conv.grid_hw, (k, k), s, "same", transposed=True)
        assert back.grid_hw == conv.grid_hw and back.image_hw[0] >= h and back.image_hw[1] >= w
        return
    top, bottom, left, right = conv.pads
    dropped = ((h + top + bottom - k) % s, (w + left + right - k) % s)
    assert conv_geometry(conv.grid_hw, (k, k), s, padding, transposed=True, output_padding=dropped) == conv
