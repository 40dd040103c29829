"""conv_transpose2d: its output size, its forward as conv2d's adjoint and as a naive scatter
loop, and its gradients against central differences."""
import numpy
import pytest
from hypothesis import given
from hypothesis import strategies as st

import minivae.functional as F
from minivae import Tensor, gradcheck


def tensor(xp, array, requires_grad=True):
    return Tensor(xp.asarray(array), requires_grad=requires_grad)


def crop_start(padding, kh, kw, sh, sw):
    """Rows/columns cut from the top/left of the scattered image. "same" (Keras): the image is
    H * s, the conv that maps it back pads max(k - s, 0) in total, the smaller half before."""
    if padding == "same":
        return max(kh - sh, 0) // 2, max(kw - sw, 0) // 2
    return (padding, padding) if isinstance(padding, int) else padding


def expected_hw(h, w, kh, kw, sh, sw, padding, output_padding):
    if padding == "same":
        return h * sh, w * sw
    ph, pw = crop_start(padding, kh, kw, sh, sw)
    oph, opw = output_padding
    return (h - 1) * sh - 2 * ph + kh + oph, (w - 1) * sw - 2 * pw + kw + opw


def reference_conv_transpose2d(x, weight, bias, stride, padding, output_padding):
    """Scatter: every input pixel adds x * kernel onto its window of a large image, then crop."""
    sh, sw = stride
    n, c_in, h, w = x.shape
    _, c_out, kh, kw = weight.shape
    full = numpy.zeros((n, c_out, (h - 1) * sh + kh + sh, (w - 1) * sw + kw + sw))  # room to crop from
    for b in range(n):
        for c in range(c_in):
            for i in range(h):
                for j in range(w):
                    full[b, :, i * sh:i * sh + kh, j * sw:j * sw + kw] += x[b, c, i, j] * weight[c]
    top, left = crop_start(padding, kh, kw, sh, sw)
    out_h, out_w = expected_hw(h, w, kh, kw, sh, sw, padding, output_padding)
    out = full[:, :, top:top + out_h, left:left + out_w]
    return out if bias is None else out + bias.reshape(1, -1, 1, 1)


@st.composite
def transpose_cases(draw):
    """Random geometry whose output is non-empty, and random float64 data."""
    n, c_in, c_out = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    sh, sw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride = sh if sh == sw and draw(st.booleans()) else (sh, sw)
    padding = draw(st.one_of(st.just("same"), st.integers(0, 1),
                             st.tuples(st.integers(0, 1), st.integers(0, 1))))
    oph, opw = draw(st.integers(0, sh - 1)), draw(st.integers(0, sw - 1))
    output_padding = oph if oph == opw else (oph, opw)
    if padding == "same":
        oph = opw = output_padding = 0
    out_h, out_w = expected_hw(h, w, kh, kw, sh, sw, padding, (oph, opw))
    if min(out_h, out_w) < 1:  # padding ate the whole output: make it zero
        padding = 0
    rng = numpy.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return dict(x=rng.standard_normal((n, c_in, h, w)),
                weight=rng.standard_normal((c_in, c_out, kh, kw)), bias=rng.standard_normal(c_out),
                stride=stride, padding=padding, output_padding=output_padding,
                sh=sh, sw=sw, op=(oph, opw))


def call(xp, case, x=None, requires_grad=False, bias=True):
    x = case["x"] if x is None else x
    return F.conv_transpose2d(tensor(xp, x, requires_grad), tensor(xp, case["weight"], requires_grad),
                              tensor(xp, case["bias"], requires_grad) if bias else None,
                              stride=case["stride"], padding=case["padding"],
                              output_padding=case["output_padding"])


@given(case=transpose_cases())
def test_output_shape_formula(xp, case):
    n, _, h, w = case["x"].shape
    _, c_out, kh, kw = case["weight"].shape
    y = call(xp, case)
    hw = expected_hw(h, w, kh, kw, case["sh"], case["sw"], case["padding"], case["op"])
    assert y.shape == (n, c_out) + hw
    if case["padding"] == "same":
        assert y.shape[2:] == (h * case["sh"], w * case["sw"])


@pytest.mark.parametrize("h, k, s, p, op, out", [
    (7, 3, 2, 1, 1, 14),   # the book's decoder: 7 -> 14
    (14, 3, 2, 1, 1, 28),
    (5, 4, 1, 0, 0, 8),
    (4, 2, 3, 0, 2, 13),
    (3, 3, 1, 1, 0, 3),
])
def test_output_size_examples(xp, h, k, s, p, op, out):
    x, weight = tensor(xp, numpy.ones((1, 1, h, h)), False), tensor(xp, numpy.ones((1, 2, k, k)), False)
    y = F.conv_transpose2d(x, weight, stride=s, padding=p, output_padding=op)
    assert y.shape == (1, 2, out, out)


@given(case=transpose_cases(), with_bias=st.booleans())
def test_forward_equals_naive_scatter_loop(xp, case, with_bias):
    y = call(xp, case, bias=with_bias)
    expected = reference_conv_transpose2d(case["x"], case["weight"], case["bias"] if with_bias else None,
                                          (case["sh"], case["sw"]), case["padding"], case["op"])
    assert y.dtype == numpy.float64
    numpy.testing.assert_allclose(y.numpy(), expected, rtol=1e-10, atol=1e-12)


@given(case=transpose_cases(), seed=st.integers(0, 2**32 - 1))
def test_adjoint_of_conv2d(xp, case, seed):
    """<conv2d(a, w), g> == <a, conv_transpose2d(g, w)>: conv_transpose2d is conv2d's input gradient."""
    g = case["x"]  # the grid
    image_shape = call(xp, case, bias=False).shape
    a = numpy.random.default_rng(seed).standard_normal(image_shape)
    conv_a = F.conv2d(tensor(xp, a, False), tensor(xp, case["weight"], False),
                      stride=case["stride"], padding=case["padding"])
    assert conv_a.shape == g.shape
    transposed_g = call(xp, case, x=g, bias=False)
    lhs = float((conv_a.numpy() * g).sum())
    rhs = float((a * transposed_g.numpy()).sum())
    assert lhs == pytest.approx(rhs, rel=1e-10, abs=1e-10)


@given(case=transpose_cases())
def test_gradcheck_x_weight_bias(xp, case):
    x, weight, bias = (tensor(xp, case[k]) for k in ("x", "weight", "bias"))
    fn = lambda x, weight, bias: F.conv_transpose2d(x, weight, bias, stride=case["stride"],
                                                    padding=case["padding"],
                                                    output_padding=case["output_padding"])
    assert gradcheck(fn, x, weight, bias)


@pytest.mark.parametrize("x_shape, k, stride, padding, output_padding", [
    ((2, 2, 3, 3), (3, 3), 2, 1, 1),           # stride 2 with output_padding
    ((1, 3, 5, 4), (3, 2), (2, 3), (1, 0), (1, 2)),
    ((2, 1, 3, 5), (2, 2), 1, "same", 0),      # total pad 1: the extra one at the bottom/right
    ((1, 2, 3, 3), (4, 3), (1, 2), "same", 0),  # pads 3 (1 + 2) and 1 (0 + 1)
    ((2, 2, 3, 3), (3, 3), 2, "same", 0),      # pads 1 (0 + 1)
    ((1, 2, 5, 3), (1, 1), 3, 0, 2),           # kernel smaller than the stride: gaps
])
def test_gradcheck_named_geometries(xp, x_shape, k, stride, padding, output_padding):
    rng = numpy.random.default_rng(5)
    x, weight, bias = (tensor(xp, rng.standard_normal(s)) for s in (x_shape, (x_shape[1], 3) + k, (3,)))
    fn = lambda x, weight, bias: F.conv_transpose2d(x, weight, bias, stride=stride, padding=padding,
                                                    output_padding=output_padding)
    assert gradcheck(fn, x, weight, bias)
    fn_no_bias = lambda x, weight: F.conv_transpose2d(x, weight, stride=stride, padding=padding,
                                                      output_padding=output_padding)
    assert gradcheck(fn_no_bias, x, weight)


def test_same_crops_the_extra_column_at_the_bottom_right(xp):
    # 1x1 input, 2x2 kernel, stride 1, "same": the 2x2 scatter keeps its top-left pixel
    weight = numpy.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    y = F.conv_transpose2d(tensor(xp, numpy.ones((1, 1, 1, 1)), False), tensor(xp, weight, False),
                           padding="same")
    numpy.testing.assert_array_equal(y.numpy(), [[[[1.0]]]])


@pytest.mark.parametrize("kwargs, words", [
    ({"stride": 2, "output_padding": 2}, ["output_padding (2, 2)", "stride (2, 2)"]),
    ({"padding": 3}, ["no output"]),
    ({"padding": "full"}, ["padding", "'full'"]),
])
def test_errors_name_the_problem(xp, kwargs, words):
    x = tensor(xp, numpy.zeros((1, 2, 2, 2)), False)
    weight = tensor(xp, numpy.zeros((2, 1, 3, 3)), False)
    with pytest.raises(ValueError, match="conv_transpose2d") as info:
        F.conv_transpose2d(x, weight, **kwargs)
    for word in words:
        assert word in str(info.value)


def test_weight_is_laid_out_c_in_first(xp):
    x = tensor(xp, numpy.zeros((1, 2, 3, 3)), False)
    weight = tensor(xp, numpy.zeros((3, 2, 3, 3)), False)
    with pytest.raises(ValueError, match=r"2 channels.*expects 3"):
        F.conv_transpose2d(x, weight)


@pytest.mark.parametrize("stride, padding, output_padding", [
    (1, 0, 0), (2, 1, 1), ((2, 3), (1, 0), (1, 2)), (2, 0, 1)])
def test_matches_torch(stride, padding, output_padding):
    torch = pytest.importorskip("torch")
    rng = numpy.random.default_rng(4)
    x, weight, bias = (rng.standard_normal(s) for s in ((2, 3, 4, 5), (3, 2, 3, 2), (2,)))
    y = F.conv_transpose2d(Tensor(x), Tensor(weight), Tensor(bias), stride=stride, padding=padding,
                           output_padding=output_padding)
    expected = torch.nn.functional.conv_transpose2d(
        torch.from_numpy(x), torch.from_numpy(weight), torch.from_numpy(bias), stride=stride,
        padding=padding, output_padding=output_padding)
    numpy.testing.assert_allclose(y.numpy(), expected.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("stride", [1, 2, (2, 1)])
def test_same_matches_torch_after_cropping(stride):
    """torch has no "same" for the transpose: take padding 0 and crop as Keras does."""
    torch = pytest.importorskip("torch")
    rng = numpy.random.default_rng(6)
    x, weight = rng.standard_normal((1, 2, 3, 4)), rng.standard_normal((2, 3, 4, 3))
    y = F.conv_transpose2d(Tensor(x), Tensor(weight), stride=stride, padding="same")
    sh, sw = (stride, stride) if isinstance(stride, int) else stride
    full = torch.nn.functional.conv_transpose2d(torch.from_numpy(x), torch.from_numpy(weight),
                                                stride=stride, output_padding=(sh - 1, sw - 1)).numpy()
    top, left = crop_start("same", 4, 3, sh, sw)
    expected = full[:, :, top:top + 3 * sh, left:left + 4 * sw]
    numpy.testing.assert_allclose(y.numpy(), expected, rtol=1e-10)
