"""Flatten and Reshape: change how a batch of examples is laid out, keeping every value."""
from .layer import Layer
from .summary import format_shape


class Flatten(Layer):
    """(N, C, H, W) -> (N, C*H*W): each example becomes one vector."""

    def build(self, input_shape):
        size = 1
        for n in input_shape:
            size *= n
        return (size,)

    def forward(self, x):
        return x.reshape(x.shape[0], -1)  # (N, C*H*W)


class Reshape(Layer):
    """``Reshape(target_shape)``: each example to ``target_shape`` (the batch axis stays).

    Keras writes the book's (4, 4, 128) channels-last; here it is (128, 4, 4).
    """

    def __init__(self, target_shape, name=None):
        super().__init__(name)
        self.target_shape = tuple(int(n) for n in target_shape)

    def build(self, input_shape):
        size = target = 1
        for n in input_shape:
            size *= n
        for n in self.target_shape:
            target *= n
        if size != target:
            raise ValueError(
                f"Reshape layer '{self.name}': cannot reshape an example of shape "
                f"{format_shape(tuple(input_shape))} ({size} values) into "
                f"{format_shape(self.target_shape)} ({target} values).")
        self.input_spec = (None,) + tuple(input_shape)
        return self.target_shape

    def forward(self, x):
        return x.reshape((x.shape[0],) + self.target_shape)  # (N, *target_shape)

    def extra_repr(self):
        return f"{self.target_shape}, name={self.name!r}"
