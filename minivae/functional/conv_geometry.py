"""Where a convolution's windows sit: the padding and the sizes of image and grid.

A convolution maps an *image* (H, W) to a *grid* (out_h, out_w); its transpose
maps the grid back to the image. Both are one geometry seen from its two ends,
so one function computes it for both, and everyone asks it: ``conv2d`` and
``conv_transpose2d``, and the layers ``Conv2D`` and ``Conv2DTranspose`` for the
output shape they report before any data is seen.

    conv2d            out = floor((H + pad_top + pad_bottom - k) / s) + 1
    conv_transpose2d  H   = (out - 1) * s - pad_top - pad_bottom + k + output_padding
    "same" (TensorFlow's): out = ceil(H / s); an odd total pad puts the extra row/column
                           at the bottom/right; the transpose gives H = out * s
"""
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Geometry:
    """Where the kernel's windows sit: kernel, stride, padding, image and grid sizes."""
    kh: int
    kw: int
    sh: int
    sw: int
    pads: tuple        # (top, bottom, left, right) around the image
    image_hw: tuple    # unpadded image (H, W)
    grid_hw: tuple     # (out_h, out_w) of the convolution

    def padded_shape(self, n, c):
        top, bottom, left, right = self.pads
        return (n, self.image_hw[0] + top + bottom, self.image_hw[1] + left + right, c)


def conv_output_size(size, kernel, stride, pad_before, pad_after):
    """out = floor((size + pads - kernel) / stride) + 1."""
    return (size + pad_before + pad_after - kernel) // stride + 1


def same_padding(size, kernel, stride):
    """TensorFlow's "same": output ceil(size / stride); an odd total pad puts the extra at the end."""
    out = math.ceil(size / stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


def pair(v, what, op):
    """An int or a pair of ints as a pair: stride=2 means (2, 2)."""
    if isinstance(v, int):
        return v, v
    if isinstance(v, (tuple, list)) and len(v) == 2 and all(isinstance(i, int) for i in v):
        return tuple(v)
    raise ValueError(f"{op}: {what} must be an int or a pair of ints, got {v!r}")


def _explicit_pads(padding, op):
    if padding == "valid":
        return 0, 0, 0, 0
    ph, pw = pair(padding, "padding", op)
    return ph, ph, pw, pw


def conv_geometry(input_hw, kernel_hw, stride, padding, transposed=False, output_padding=0):
    """The Geometry of conv2d on an image of ``input_hw``, or (transposed=True) of
    conv_transpose2d on a grid of ``input_hw``; its output size is ``grid_hw`` or ``image_hw``.

    padding: an int, a pair, "valid" (0) or "same"; output_padding (transposed only,
    smaller than the stride): rows/columns added at the bottom/right of the image.
    """
    op = "conv_transpose2d" if transposed else "conv2d"
    (kh, kw), (sh, sw) = tuple(kernel_hw), pair(stride, "stride", op)
    if not transposed:
        h, w = input_hw
        if padding == "same":
            pads = same_padding(h, kh, sh) + same_padding(w, kw, sw)
        else:
            pads = _explicit_pads(padding, op)
        grid_hw = (conv_output_size(h, kh, sh, *pads[:2]), conv_output_size(w, kw, sw, *pads[2:]))
        if min(grid_hw) < 1:
            raise ValueError(f"conv2d: an input of (H, W) = {tuple(input_hw)} is smaller than the kernel "
                             f"{(kh, kw)} even after padding {pads}")
        return Geometry(kh, kw, sh, sw, pads, tuple(input_hw), grid_hw)
    oph, opw = pair(output_padding, "output_padding", op)
    if oph >= sh or opw >= sw:
        raise ValueError(f"conv_transpose2d: output_padding {(oph, opw)} must be smaller than "
                         f"the stride {(sh, sw)}")
    grid_hw = tuple(input_hw)
    if padding == "same":
        image_hw = (grid_hw[0] * sh, grid_hw[1] * sw)
        pads = same_padding(image_hw[0], kh, sh) + same_padding(image_hw[1], kw, sw)
    else:
        pads = _explicit_pads(padding, op)
        image_hw = ((grid_hw[0] - 1) * sh + kh - pads[0] - pads[1] + oph,
                    (grid_hw[1] - 1) * sw + kw - pads[2] - pads[3] + opw)
    if min(image_hw) < 1:
        raise ValueError(f"conv_transpose2d: padding {padding} leaves no output for input "
                         f"(H, W) = {tuple(input_hw)} and kernel {(kh, kw)}")
    return Geometry(kh, kw, sh, sw, pads, image_hw, grid_hw)
