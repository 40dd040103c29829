"""Conv2DTranspose: the convolution run backwards, which grows a small grid into an image."""
from .. import functional as F
from . import init
from .conv2d import Conv2D


class Conv2DTranspose(Conv2D):
    """``Conv2DTranspose(filters, kernel_size, strides=1, padding="valid", activation=None)``.

    Each input pixel spreads a (kh, kw) window of weights over the output; with
    stride s the windows are s apart, so the output is about s times larger.
    Output size per axis (Keras, output_padding=None), input size H, kernel k:
    "same": H * s;  "valid": H * s + max(k - s, 0);
    an int p (PyTorch's padding=p, output_padding=0): (H - 1) * s + k - 2p.
    kernel has shape (C_in, filters, kh, kw); parameters: C_in * filters * kh * kw + filters.
    The arguments, activation and error hints are Conv2D's.
    """

    def build(self, input_shape):
        c_in, h, w = input_shape
        kh, kw = self.kernel_size
        # Keras stores this kernel as (kh, kw, filters, C_in) and reads fan_in from the
        # filters axis: fan_in = filters * kh * kw, fan_out = C_in * kh * kw. Glorot's
        # limit only uses their sum, so the swap does not change the draw's range.
        fan_in, fan_out = self.filters * kh * kw, c_in * kh * kw
        self.add_weight("kernel", (c_in, self.filters, kh, kw), init.glorot_uniform(fan_in, fan_out))
        self.bias = self.add_weight("bias", (self.filters,), "zeros") if self.use_bias else None
        self.input_spec = (None, c_in, "H", "W")
        return (self.filters, self.output_size(h, 0), self.output_size(w, 1))

    def output_size(self, n, axis):
        k, s = self.kernel_size[axis], self.strides[axis]
        if self.padding == "same":
            return n * s
        if self.padding == "valid":
            return n * s + max(k - s, 0)
        return (n - 1) * s + k - 2 * self.padding[axis]

    def forward(self, x):
        # "valid" with k < s: Keras still gives H * s (the last s - k rows only get the bias)
        extra = (0, 0) if self.padding != "valid" else tuple(
            max(s - k, 0) for s, k in zip(self.strides, self.kernel_size))
        y = F.conv_transpose2d(x, self.kernel, self.bias, stride=self.strides, padding=self.padding,
                               output_padding=extra)
        return self.activation(y)

