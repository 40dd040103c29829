"""im2col and col2im: a convolution turned into one matrix product.

Every output pixel of a convolution is a dot product between the kernel and
the kh x kw x C window of input under it. im2col lays every window out as one
row of a matrix, so that the whole convolution is a single matrix product:

    cols (N*out_h*out_w, kh*kw*C) @ weight (kh*kw*C, C_out) -> (N*out_h*out_w, C_out)

The windows are read through a strided *view* of the input (no Python loop
over output pixels); the only copy is the one that makes the rows contiguous.
col2im goes the other way: it adds each row back onto the window it came from.
Windows overlap when the stride is smaller than the kernel, so col2im *sums*,
one strided slice per kernel offset (kh * kw slices, not one per pixel).

Internally images are channels-last (N, H, W, C): a window is then kh*kw runs
of C contiguous numbers, which copy fast. The public ops stay NCHW; the
transposes between the two are views, not copies.
"""
from .. import parallel
from ..backend import get_array_module


def pad_channels_last(x, pads):
    """x (N, C, H, W) -> zero-padded channels-last (N, H + top + bottom, W + left + right, C)."""
    xp = get_array_module(x)
    top, bottom, left, right = pads
    xh = x.transpose(0, 2, 3, 1)  # (N, H, W, C), a view
    if not any(pads):
        return xh
    n, h, w, c = xh.shape
    out = xp.empty((n, h + top + bottom, w + left + right, c), dtype=x.dtype)

    def pad(xh, out):  # one piece of the batch: zeros, then the image inside the border
        out.fill(0)
        out[:, top:top + h, left:left + w, :] = xh
    parallel.map_chunks(pad, xh, out)
    return out


def im2col(xh, kh, kw, sh, sw, out_h, out_w):
    """Windows of a channels-last padded image as rows: (N*out_h*out_w, kh*kw*C)."""
    xp = get_array_module(xh)
    n, _, _, c = xh.shape
    s_n, s_h, s_w, s_c = xh.strides
    windows = xp.lib.stride_tricks.as_strided(
        xh, shape=(n, out_h, out_w, kh, kw, c),
        strides=(s_n, s_h * sh, s_w * sw, s_h, s_w, s_c))  # (N, out_h, out_w, kh, kw, C), a view
    cols = xp.empty(windows.shape, dtype=xh.dtype)
    parallel.map_chunks(lambda windows, cols: xp.copyto(cols, windows), windows, cols)  # the copy
    return cols.reshape(n * out_h * out_w, kh * kw * c)  # (N*out_h*out_w, kh*kw*C)


def col2im(cols, padded_shape, kh, kw, sh, sw, out_h, out_w, start=None):
    """Add rows (N*out_h*out_w, kh*kw*C) back onto their windows of a (N, Hp, Wp, C) image.

    The image starts at zero, or at ``start`` (C,) in every pixel: a transposed
    convolution's bias, added this way for free instead of in one more pass.

    Kernel row i = sh * q + r of grid row a lands on image row sh * (a + q) + r. For one q,
    the sh offsets r = 0..sh-1 land on sh *adjacent* rows, and different a never meet:
    so one strided add per block (q_h, q_w) places sh * sw kernel offsets at once
    (4 adds instead of 9 for a 3x3 kernel at stride 2; the same kh * kw at stride 1).
    """
    xp = get_array_module(cols)
    n, hp, wp, c = padded_shape
    cols = cols.reshape(n, out_h, out_w, kh, kw, c)  # (N, out_h, out_w, kh, kw, C)
    blocks_h, blocks_w = -(-kh // sh), -(-kw // sw)  # ceil(k / s) blocks of offsets per axis
    rows, columns = max(hp, sh * (out_h + blocks_h - 1)), max(wp, sw * (out_w + blocks_w - 1))
    image = xp.empty((n, rows, columns, c), dtype=cols.dtype)  # room for the last block

    def add_blocks(cols, image):  # one piece of the batch, n images
        n = image.shape[0]
        image[...] = 0 if start is None else start  # start (C,) broadcast: channels last
        for qh in range(blocks_h):
            rh = min(sh, kh - sh * qh)  # kernel offsets in this block (the last may have fewer)
            for qw in range(blocks_w):
                rw = min(sw, kw - sw * qw)
                target = image[:, sh * qh:sh * (qh + out_h), sw * qw:sw * (qw + out_w), :]
                target = target.reshape(n, out_h, sh, out_w, sw, c)[:, :, :rh, :, :rw, :]  # a view
                block = cols[:, :, :, sh * qh:sh * qh + rh, sw * qw:sw * qw + rw, :]
                target += block.transpose(0, 1, 3, 2, 4, 5)  # (n, out_h, rh, out_w, rw, C)
    parallel.map_chunks(add_blocks, cols, image)
    return image[:, :hp, :wp, :]
