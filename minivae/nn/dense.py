"""Dense: the fully connected layer, y = activation(x @ kernel + bias)."""
from .. import functional as F
from . import activations, init
from .layer import Layer


class Dense(Layer):
    """``Dense(units, activation=None)``: each of ``units`` outputs is a weighted sum of all inputs.

    kernel has shape (in_features, units), Keras' layout, so y = x @ kernel + bias
    for x of shape (N, in_features). Parameters: in_features * units + units.
    """

    input_spec = (None, "features")

    def __init__(self, units, activation=None, use_bias=True, name=None):
        super().__init__(name)
        self.units = int(units)
        self.use_bias = use_bias
        self.activation_name = activations.name_of(activation)
        self.activation = activations.get(activation)

    def build(self, input_shape):
        (in_features,) = input_shape
        self.add_weight("kernel", (in_features, self.units), init.glorot_uniform(in_features, self.units))
        self.bias = self.add_weight("bias", (self.units,), "zeros") if self.use_bias else None
        self.input_spec = (None, in_features)
        return (self.units,)

    def shape_hint(self, expected, received):
        if len(received) > 2:
            return "Dense takes a batch of vectors: put a Flatten() layer before it."
        return f"This layer was built for {expected[1]} input features."

    def forward(self, x):
        return self.activation(F.linear(x, self.kernel, self.bias))

    def extra_repr(self):
        return f"{self.units}, activation={self.activation_name!r}, name={self.name!r}"
