"""Conv2DTranspose: the convolution run backwards, which grows a small grid into an image."""
from .. import functional as F
from ..functional.conv_geometry import conv_geometry
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

    def kernel_shape(self, c_in):
        """(C_in, filters, kh, kw), as F.conv_transpose2d takes it. Keras stores it as
        (kh, kw, filters, C_in) and reads fan_in from the filters axis; Conv2D.build reads
        axis 1 (here: filters) as fan_in too, so the Glorot range is Keras' own."""
        return (c_in, self.filters) + self.kernel_size

    @property
    def output_padding(self):
        """What F.conv_transpose2d gets as output_padding: Keras' output_padding=None.

        "valid" with k < s still gives H * s: the last s - k rows and columns get only the bias.
        """
        if self.padding != "valid":
            return (0, 0)
        return tuple(max(s - k, 0) for s, k in zip(self.strides, self.kernel_size))

    def output_hw(self, input_hw):
        """(H, W) of the image for an input grid of (h, w): the image of F.conv_transpose2d's geometry."""
        return conv_geometry(input_hw, self.kernel_size, self.strides, self.padding, transposed=True,
                             output_padding=self.output_padding).image_hw

    def forward(self, x):
        y = F.conv_transpose2d(x, self.kernel, self.bias, stride=self.strides, padding=self.padding,
                               output_padding=self.output_padding)
        return self.activation(y)
