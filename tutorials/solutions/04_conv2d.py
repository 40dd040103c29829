"""Exercise 4: the backward of a convolution computed as im2col + one matrix product.

    cols = im2col(x)               (N*out_h*out_w, kh*kw*C)   every window as one row
    y    = cols @ W^T + bias       (N*out_h*out_w, C_out)     W is the weight as (C_out, kh*kw*C)

    out_h = (H + 2 * padding - kh) // stride + 1

The forward is written for you (read minivae/functional/im2col.py for im2col and
col2im); write ``Conv2d.backward``, then check it:

    minivae exercise check tutorials/exercises/04_conv2d.py
"""
from minivae import Function
from minivae.functional.im2col import col2im, im2col, pad_channels_last


class Conv2d(Function):
    """x (N, C, H, W), weight (C_out, C, kh, kw), bias (C_out,) -> (N, C_out, out_h, out_w)."""

    def __init__(self, stride, padding):
        self.stride, self.padding = stride, padding

    def forward(self, x, weight, bias):
        s, p = self.stride, self.padding
        n, c, h, w = x.shape
        c_out, _, kh, kw = weight.shape
        out_h, out_w = (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1
        xh = pad_channels_last(x, (p, p, p, p))  # (N, H + 2p, W + 2p, C)
        self.cols = im2col(xh, kh, kw, s, s, out_h, out_w)  # (N*out_h*out_w, kh*kw*C)
        self.w_mat = weight.transpose(0, 2, 3, 1).reshape(c_out, -1)  # (C_out, kh*kw*C)
        self.shapes = x.shape, weight.shape, xh.shape, (out_h, out_w)
        y = self.cols @ self.w_mat.T + bias  # (N*out_h*out_w, C_out)
        return y.reshape(n, out_h, out_w, c_out).transpose(0, 3, 1, 2)  # (N, C_out, out_h, out_w)

    def backward(self, gy):
        """gy (N, C_out, out_h, out_w) is d(loss)/d(y); return the gradients of x, weight, bias.

        Hints:
        - first lay gy out like forward's y before its reshape:
          gy.transpose(0, 2, 3, 1).reshape(-1, C_out) is (N*out_h*out_w, C_out);
        - then it is exercise 3 again: y = cols @ W^T + bias gives the gradients
          of bias (sum over rows), of W (C_out, kh*kw*C) and of cols;
        - reshape W's gradient back the way forward flattened the weight
          (the inverse of transpose(0, 2, 3, 1).reshape(C_out, -1));
        - cols' gradient goes back onto the windows it came from with col2im
          (overlapping windows add up), into the *padded* image of shape
          self.shapes[2]; then crop the padding and return to (N, C, H, W);
        - the gradient of a convolution's input is a transposed convolution:
          this backward is exactly conv_transpose2d's forward (exercise 5).
        """
        # solution; the exercise says: write the backward of conv2d: see the hints in its docstring
        (n, c, h, w), (c_out, _, kh, kw), padded, (out_h, out_w) = self.shapes
        s, p = self.stride, self.padding
        gy_rows = gy.transpose(0, 2, 3, 1).reshape(-1, c_out)  # (N*out_h*out_w, C_out)
        g_bias = gy_rows.sum(axis=0)  # (C_out,)
        g_w_mat = gy_rows.T @ self.cols  # (C_out, kh*kw*C)
        g_weight = g_w_mat.reshape(c_out, kh, kw, c).transpose(0, 3, 1, 2)  # (C_out, C, kh, kw)
        g_cols = gy_rows @ self.w_mat  # (N*out_h*out_w, kh*kw*C)
        g_xh = col2im(g_cols, padded, kh, kw, s, s, out_h, out_w)  # (N, H + 2p, W + 2p, C)
        g_x = g_xh[:, p:p + h, p:p + w, :].transpose(0, 3, 1, 2)  # (N, C, H, W)
        return g_x, g_weight, g_bias
        # end of solution


def conv2d(x, weight, bias, stride=1, padding=0):
    return Conv2d(stride, padding)(x, weight, bias)


# How `minivae exercise check` tries this file (see minivae/exercises/check.py).
CHECK = {
    "function": conv2d,
    "reference": "minivae.functional.conv2d",
    "inputs": {"x": {}, "weight": {}, "bias": {}},
    "cases": [
        {"x": (1, 1, 5, 5), "weight": (1, 1, 3, 3), "bias": (1,)},
        {"x": (2, 3, 6, 6), "weight": (4, 3, 3, 3), "bias": (4,),
         "kwargs": {"stride": 2, "padding": 1}},  # the book's encoder layers: 6x6 -> 3x3
        {"x": (2, 2, 7, 5), "weight": (3, 2, 3, 2), "bias": (3,),
         "kwargs": {"stride": 2}},  # a rectangular image and kernel
    ],
}
