"""conv2d and conv_transpose2d, each written as the other's backward.

A convolution maps a large *image* to a small *grid* of outputs (stride s
skips positions). Its transpose maps a grid back to an image: every grid
value is spread over its kh x kw window, overlapping windows add up.

    conv2d            image -> grid    im2col, then cols @ weight
    conv_transpose2d  grid -> image    grid @ weight, then col2im

The gradient of conv2d with respect to its image is conv_transpose2d of the
grid's gradient with the *same* weight, and the other way round. So the two
Functions below share the two helpers `_image_to_grid` and `_grid_to_image`.
Both use a weight of shape (C_grid, C_image, kh, kw): that is (C_out, C_in,
kh, kw) for conv2d and (C_in, C_out, kh, kw) for conv_transpose2d, exactly
as torch.nn.functional lays them out.
"""
from .. import parallel
from ..autograd.function import Function
from ..backend import get_array_module
from .conv_geometry import Geometry, conv_geometry
from .im2col import col2im, im2col, pad_channels_last


def _image_to_grid(image, weight, g):
    """conv: image (N, C_image, H, W) -> grid (N, C_grid, out_h, out_w), plus the im2col rows."""
    n, c_grid = image.shape[0], weight.shape[0]
    cols = im2col(pad_channels_last(image, g.pads), g.kh, g.kw, g.sh, g.sw, *g.grid_hw)
    w_mat = weight.transpose(0, 2, 3, 1).reshape(c_grid, -1)  # (C_grid, kh*kw*C_image)
    grid = cols @ w_mat.T  # (N*out_h*out_w, C_grid): the one matrix product
    grid = grid.reshape(n, *g.grid_hw, c_grid).transpose(0, 3, 1, 2)  # (N, C_grid, out_h, out_w)
    return grid, cols


def _grid_to_image(grid, weight, g, bias=None):
    """transposed conv: grid (N, C_grid, out_h, out_w) -> image (N, C_image, H, W), plus grid rows.

    bias (C_image,), if given, is where every pixel starts before col2im adds onto it."""
    n, c_grid, c_image = grid.shape[0], weight.shape[0], weight.shape[1]
    rows = grid.transpose(0, 2, 3, 1).reshape(-1, c_grid)  # (N*out_h*out_w, C_grid)
    w_mat = weight.transpose(0, 2, 3, 1).reshape(c_grid, -1)  # (C_grid, kh*kw*C_image)
    cols = rows @ w_mat  # (N*out_h*out_w, kh*kw*C_image): the one matrix product
    image = col2im(cols, g.padded_shape(n, c_image), g.kh, g.kw, g.sh, g.sw, *g.grid_hw, start=bias)
    top, _, left, _ = g.pads
    h, w = g.image_hw
    image = image[:, top:top + h, left:left + w, :]  # (N, H, W, C_image): crop the padding
    return image.transpose(0, 3, 1, 2), rows  # (N, C_image, H, W)


def _swapped(g):
    """At stride 1, the geometry of the same map seen from the other side (or None).

    A stride-1 convolution is a transposed convolution with the kernel flipped
    and its two channel axes swapped, and the other way round: image and grid
    trade places and the padding p becomes k - 1 - p (the "full" correlation).
    Both Functions above keep intermediates of kh*kw*C_image columns, so the
    cheaper side is the one whose *image* has fewer channels. None where the
    stride is not 1 or the padding is k or more.
    """
    top, bottom, left, right = g.pads
    pads = (g.kh - 1 - top, g.kh - 1 - bottom, g.kw - 1 - left, g.kw - 1 - right)
    if (g.sh, g.sw) != (1, 1) or min(pads) < 0:
        return None
    return Geometry(g.kh, g.kw, 1, 1, pads, g.grid_hw, g.image_hw)


def _flip(weight):
    """(A, B, kh, kw) -> (B, A, kh, kw) rotated by 180 degrees, through differentiable ops."""
    return weight[:, :, ::-1, ::-1].transpose(1, 0, 2, 3)


def _weight_grad(grid_rows, image_cols, weight_shape):
    """d(loss)/d(weight) = grid rows^T @ image windows, laid out as (C_grid, C_image, kh, kw)."""
    c_grid, c_image, kh, kw = weight_shape
    g = grid_rows.T @ image_cols  # (C_grid, kh*kw*C_image)
    return g.reshape(c_grid, kh, kw, c_image).transpose(0, 3, 1, 2).copy()  # (C_grid, C_image, kh, kw)


def _add_bias(y, bias):
    xp, b = get_array_module(y), bias.reshape(1, -1, 1, 1)  # (1, C, 1, 1)
    parallel.map_chunks(lambda y: xp.add(y, b, out=y), y)  # y is fresh memory: in place is safe
    return y


def _bias_grad(gy):
    """d(loss)/d(bias): gy summed over the batch and the pixels."""
    return parallel.sum_chunks(lambda gy: gy.sum(axis=(0, 2, 3)), gy)


class Conv2d(Function):
    def __init__(self, geometry):
        self.g = geometry

    def forward(self, x, weight, bias=None):
        self.weight = weight
        y, self.cols = _image_to_grid(x, weight, self.g)
        return y if bias is None else _add_bias(y, bias)

    def backward(self, gy):
        gx = None
        if self.needs_grad[0]:  # (not for the first layer, whose input is data)
            gx, _ = _grid_to_image(gy, self.weight, self.g)  # the transposed conv of gy
        grid_rows = gy.transpose(0, 2, 3, 1).reshape(-1, gy.shape[1])  # (N*out_h*out_w, C_out)
        gw = _weight_grad(grid_rows, self.cols, self.weight.shape)
        gb = _bias_grad(gy) if len(self.needs_grad) == 3 else None
        return gx, gw, gb


class ConvTranspose2d(Function):
    def __init__(self, geometry):
        self.g = geometry

    def forward(self, x, weight, bias=None):
        self.weight = weight
        y, self.rows = _grid_to_image(x, weight, self.g, bias)  # the bias is col2im's start
        return y

    def backward(self, gy):
        gx, image_cols = _image_to_grid(gy, self.weight, self.g)  # the conv of gy
        gx = gx if self.needs_grad[0] else None
        gw = _weight_grad(self.rows, image_cols, self.weight.shape)
        gb = _bias_grad(gy) if len(self.needs_grad) == 3 else None
        return gx, gw, gb


# ---------------------------------------------------------------- argument handling

def _routed(op, called):
    """``op`` marked as standing for ``called``, so graphs, traces and reprs show what was called."""
    op.called_as = called
    op.route = (f"stride 1: {called} computed as {type(op).__name__} with the kernel flipped, "
                "its channel axes swapped: the cheaper side")
    return op


def _check_shapes(op, x, weight, bias, image_channels_axis):
    if x.ndim != 4 or weight.ndim != 4:
        raise ValueError(f"{op}: expected input (N, C, H, W) and a 4-D weight, got input shape "
                         f"{x.shape} and weight shape {weight.shape}")
    expected = weight.shape[image_channels_axis]
    if x.shape[1] != expected:
        raise ValueError(f"{op}: input has {x.shape[1]} channels (shape {x.shape}) but the weight "
                         f"(shape {weight.shape}) expects {expected}")
    out_channels = weight.shape[1 - image_channels_axis]
    if bias is not None and bias.shape != (out_channels,):
        raise ValueError(f"{op}: bias has shape {bias.shape}, expected ({out_channels},) for "
                         f"weight shape {weight.shape}")


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """2-D convolution (cross-correlation, as in every framework), NCHW.

    x (N, C_in, H, W), weight (C_out, C_in, kh, kw), bias (C_out,).
    padding: an int, a pair, "valid" (0) or "same" (TensorFlow's: output ceil(H / stride),
    an odd total padding puts the extra row/column at the bottom/right).
    Output size: out = floor((H + pad_top + pad_bottom - kh) / stride) + 1.
    """
    _check_shapes("conv2d", x, weight, bias, image_channels_axis=1)
    g = conv_geometry(x.shape[2:], weight.shape[2:], stride, padding)
    inputs = (x, weight) if bias is None else (x, weight, bias)
    swapped = _swapped(g)
    if swapped is not None and weight.shape[0] < weight.shape[1]:  # C_out < C_in: go the other way
        return _routed(ConvTranspose2d(swapped), "conv2d")(x, _flip(weight), *inputs[2:])
    return Conv2d(g)(*inputs)


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    """Transposed 2-D convolution (the gradient of conv2d with respect to its input), NCHW.

    x (N, C_in, H, W), weight (C_in, C_out, kh, kw), bias (C_out,).
    Output size: (H - 1) * stride - pad_top - pad_bottom + kh + output_padding.
    padding="same" gives H * stride exactly as Keras's Conv2DTranspose: the gradient of a
    "same" conv2d, whose extra padding row/column at the bottom/right is cropped.
    """
    _check_shapes("conv_transpose2d", x, weight, bias, image_channels_axis=0)
    g = conv_geometry(x.shape[2:], weight.shape[2:], stride, padding, transposed=True,
                      output_padding=output_padding)
    inputs = (x, weight) if bias is None else (x, weight, bias)
    swapped = _swapped(g)
    if swapped is not None and weight.shape[0] < weight.shape[1]:  # C_in < C_out: go the other way
        return _routed(Conv2d(swapped), "conv_transpose2d")(x, _flip(weight), *inputs[2:])
    return ConvTranspose2d(g)(*inputs)
