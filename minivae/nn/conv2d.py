"""Conv2D: a learned filter bank slid over the image, channels-first (NCHW)."""
from .. import functional as F
from ..functional.conv_geometry import conv_geometry
from . import activations, init
from .layer import Layer


def int_pair(v):
    """A layer argument as a pair of Python ints: 3 -> (3, 3), (3, 5) -> (3, 5). The functional
    ops check theirs with conv_geometry.pair, which names the op and the argument."""
    return (int(v), int(v)) if isinstance(v, int) else tuple(int(n) for n in v)


def check_padding(padding, layer):
    """Keras' "valid" or "same", or PyTorch's int (or pair): that many zeros on each side."""
    if isinstance(padding, (int, tuple, list)) and not isinstance(padding, bool):
        pads = int_pair(padding)
        if len(pads) != 2 or min(pads) < 0:
            raise ValueError(f"{layer}: an explicit padding is an int >= 0 or a pair of them, "
                             f"got {padding!r}.")
        return pads
    padding = str(padding).lower()
    if padding not in ("valid", "same"):
        raise ValueError(f"{layer}: padding must be 'valid' or 'same' (Keras' choices) or an int "
                         f"(PyTorch's), got {padding!r}.")
    return padding


def channels_first_hint(expected, received):
    """The classic slip: a Keras (H, W, C) image given to a channels-first layer."""
    if len(received) == 4 and isinstance(expected[1], int) and received[-1] == expected[1]:
        return ("minivae is channels-first (N, C, H, W): move the channel axis with "
                "x.transpose(0, 3, 1, 2), and write Keras' input shape (H, W, C) as (C, H, W).")
    if len(received) != 4:
        return "Conv layers take a batch of images (N, C, H, W); add a Reshape or a batch axis."
    return f"This layer was built for {expected[1]} input channels."


class Conv2D(Layer):
    """``Conv2D(filters, kernel_size, strides=1, padding="valid", activation=None)``.

    Output size per spatial axis, for input size H, kernel k and stride s:
    "valid": floor((H - k) / s) + 1;  "same": ceil(H / s) (zeros padded around);
    an int p (PyTorch's padding=p): floor((H + 2p - k) / s) + 1.
    kernel has shape (filters, C_in, kh, kw); parameters: filters * C_in * kh * kw + filters.
    """

    input_spec = (None, "C", "H", "W")

    def __init__(self, filters, kernel_size, strides=1, padding="valid", activation=None,
                 use_bias=True, name=None):
        super().__init__(name)
        self.filters = int(filters)
        self.kernel_size = int_pair(kernel_size)
        self.strides = int_pair(strides)
        self.padding = check_padding(padding, type(self).__name__)
        self.use_bias = use_bias
        self.activation_name = activations.name_of(activation)
        self.activation = activations.get(activation)

    def kernel_shape(self, c_in):
        """(filters, C_in, kh, kw): one (C_in, kh, kw) filter per output channel."""
        return (self.filters, c_in) + self.kernel_size

    def build(self, input_shape):
        c_in, h, w = input_shape
        shape = self.kernel_shape(c_in)
        window = shape[2] * shape[3]
        fan_in, fan_out = shape[1] * window, shape[0] * window  # Keras' Glorot fans
        self.add_weight("kernel", shape, init.glorot_uniform(fan_in, fan_out))
        self.bias = self.add_weight("bias", (self.filters,), "zeros") if self.use_bias else None
        self.input_spec = (None, c_in, "H", "W")
        return (self.filters,) + self.output_hw((h, w))

    def output_hw(self, input_hw):
        """(out_h, out_w) for an input of (H, W): the grid of F.conv2d's geometry."""
        return conv_geometry(input_hw, self.kernel_size, self.strides, self.padding).grid_hw

    def shape_hint(self, expected, received):
        return channels_first_hint(expected, received)

    def forward(self, x):
        y = F.conv2d(x, self.kernel, self.bias, stride=self.strides, padding=self.padding)
        return self.activation(y)

    def extra_repr(self):
        return (f"{self.filters}, kernel_size={self.kernel_size}, strides={self.strides}, "
                f"padding={self.padding!r}, activation={self.activation_name!r}, name={self.name!r}")
