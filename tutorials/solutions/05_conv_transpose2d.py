"""Exercise 5: the backward of a transposed convolution, which is a convolution.

A transposed convolution spreads every input pixel over a kh x kw window of
the output, scaled by the kernel; overlapping windows add up (col2im):

    cols  = rows @ W            (N*H*W, kh*kw*C_out)     rows: the input pixels, W (C_in, kh*kw*C_out)
    image = col2im(cols)        then crop the padding and add the bias

    out_h = (H - 1) * stride - 2 * padding + kh

It is the gradient of conv2d with respect to its input (exercise 4), and its
own gradient is conv2d again. The forward is written for you; write
``ConvTranspose2d.backward``, then check it:

    minivae exercise check tutorials/exercises/05_conv_transpose2d.py
"""
from minivae import Function
from minivae.functional.im2col import col2im, im2col, pad_channels_last


class ConvTranspose2d(Function):
    """x (N, C_in, H, W), weight (C_in, C_out, kh, kw), bias (C_out,) -> (N, C_out, out_h, out_w)."""

    def __init__(self, stride, padding):
        self.stride, self.padding = stride, padding

    def forward(self, x, weight, bias):
        s, p = self.stride, self.padding
        n, c_in, h, w = x.shape
        _, c_out, kh, kw = weight.shape
        out_h, out_w = (h - 1) * s - 2 * p + kh, (w - 1) * s - 2 * p + kw
        self.rows = x.transpose(0, 2, 3, 1).reshape(-1, c_in)  # (N*H*W, C_in)
        self.w_mat = weight.transpose(0, 2, 3, 1).reshape(c_in, -1)  # (C_in, kh*kw*C_out)
        cols = self.rows @ self.w_mat  # (N*H*W, kh*kw*C_out): each input pixel's window
        padded = (n, out_h + 2 * p, out_w + 2 * p, c_out)
        image = col2im(cols, padded, kh, kw, s, s, h, w)  # (N, out_h + 2p, out_w + 2p, C_out)
        self.shapes = x.shape, weight.shape
        y = image[:, p:p + out_h, p:p + out_w, :] + bias  # (N, out_h, out_w, C_out): crop the padding
        return y.transpose(0, 3, 1, 2)  # (N, C_out, out_h, out_w)

    def backward(self, gy):
        """gy (N, C_out, out_h, out_w) is d(loss)/d(y); return the gradients of x, weight, bias.

        Hints:
        - undo the crop first: pad gy back by `padding` on every side, channels last,
          with pad_channels_last(gy, (p, p, p, p)) -> (N, out_h + 2p, out_w + 2p, C_out);
        - the adjoint of col2im (scatter-add windows) is im2col (gather windows):
          im2col(that, kh, kw, s, s, H, W) is the gradient of forward's cols,
          (N*H*W, kh*kw*C_out), one row per input pixel;
        - then cols = rows @ W is exercise 3: gradients of rows and of W;
          reshape them back the way forward flattened x and the weight;
        - the bias was added to every output pixel: sum gy over N, H and W.
        """
        # solution; the exercise says: write the backward of conv_transpose2d: see the hints in its docstring
        (n, c_in, h, w), (_, c_out, kh, kw) = self.shapes
        s, p = self.stride, self.padding
        gy_h = pad_channels_last(gy, (p, p, p, p))  # (N, out_h + 2p, out_w + 2p, C_out)
        g_cols = im2col(gy_h, kh, kw, s, s, h, w)  # (N*H*W, kh*kw*C_out): a convolution of gy
        g_rows = g_cols @ self.w_mat.T  # (N*H*W, C_in)
        g_x = g_rows.reshape(n, h, w, c_in).transpose(0, 3, 1, 2)  # (N, C_in, H, W)
        g_w_mat = self.rows.T @ g_cols  # (C_in, kh*kw*C_out)
        g_weight = g_w_mat.reshape(c_in, kh, kw, c_out).transpose(0, 3, 1, 2)  # (C_in, C_out, kh, kw)
        g_bias = gy.sum(axis=(0, 2, 3))  # (C_out,)
        return g_x, g_weight, g_bias
        # end of solution


def conv_transpose2d(x, weight, bias, stride=1, padding=0):
    return ConvTranspose2d(stride, padding)(x, weight, bias)


# How `minivae exercise check` tries this file (see minivae/exercises/check.py).
CHECK = {
    "function": conv_transpose2d,
    "reference": "minivae.functional.conv_transpose2d",
    "inputs": {"x": {}, "weight": {}, "bias": {}},
    "cases": [
        {"x": (1, 1, 3, 3), "weight": (1, 1, 3, 3), "bias": (1,)},
        {"x": (2, 3, 4, 4), "weight": (3, 2, 3, 3), "bias": (2,),
         "kwargs": {"stride": 2, "padding": 1}},  # 4x4 -> 7x7: the decoder's upsampling
        {"x": (2, 2, 3, 2), "weight": (2, 3, 2, 3), "bias": (3,),
         "kwargs": {"stride": 2}},  # a rectangular image and kernel
    ],
}
