"""Layer: a Module that creates its weights when it first learns its input shape.

As in Keras, ``Conv2D(32, 3)`` does not yet know how many input channels it
will see, so it has no kernel. ``build(input_shape)`` creates the weights and
returns the output shape; it runs once, either when a :class:`Sequential` with
an ``input_shape`` is made, or at the first call. Shapes here leave out the
batch axis, as Keras' ``Input(shape=...)`` does, and are channels-first:
a 32x32 grey image is ``(1, 32, 32)``.
"""
import re

import numpy

from .. import backend
from ..autograd import hooks
from ..autograd.tensor import Tensor
from . import init
from .module import Module
from .parameter import Parameter
from .summary import format_shape, summary


def snake_case(name):
    """Keras' default layer names: Conv2DTranspose -> conv2d_transpose."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


class Layer(Module):
    """A Module that creates its weights once it knows its input shape, as Keras does.

    ``build(input_shape)`` (channels-first, without the batch axis) makes the weights
    and returns the output shape; it runs when a Sequential with an ``input_shape``
    is made, or at the first call.
    """

    def __init__(self, name=None):
        super().__init__()
        self.base_name = snake_case(type(self).__name__)
        self.name = name or self.base_name
        self.named = name is not None  # False: a Sequential may number it (conv2d_1, ...)
        self.built = False
        self.input_shape = None   # without the batch axis
        self.output_shape = None  # without the batch axis

    # ------------------------------------------------------------ building
    def build(self, input_shape):
        """Create the weights for inputs of this shape (no batch axis); return the output shape."""
        return tuple(input_shape)

    def ensure_built(self, input_shape):
        """Build once; later calls only return the output shape found then."""
        if not self.built:
            self.check_rank(input_shape)
            self.output_shape = self.build(input_shape)
            self.input_shape = input_shape
            self.built = True
        return self.output_shape

    def add_weight(self, name, shape, initializer="zeros", trainable=True):
        """Create a weight (Keras' name for it) on this layer's device, float32 unless converted.

        Trainable weights become Parameters; non-trainable ones become buffers.
        """
        xp = backend.module(self._build_device) if self._build_device else backend.default_module()
        dtype = self._dtype or numpy.float32
        array = init.get(initializer)(shape, dtype, xp)
        if trainable:
            setattr(self, name, Parameter(array))
        else:
            self.register_buffer(name, array)
        return getattr(self, name)

    # ------------------------------------------------------------ calling
    def __call__(self, *inputs):
        if not self.built:
            ref = inputs[0]
            if isinstance(ref, Tensor) and ref.dtype.kind == "f":
                self.place(ref.device, ref.dtype)  # weights go where the first input lives, in its dtype
            self.ensure_built(self._shape_of(inputs))
        self.check_input(inputs)
        if hooks.tracer is not None:  # inside minivae.trace: the ops inside are this layer's
            return hooks.tracer.inside(self, self.forward, *inputs)
        return self.forward(*inputs)

    @staticmethod
    def _shape_of(inputs):
        shapes = [tuple(x.shape[1:]) for x in inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    # ------------------------------------------------------------ checking inputs
    # ``input_spec`` is a template of the expected input, batch axis included:
    # None or a letter matches anything, an int must match exactly.
    # Layers set it in __init__ (rank only) and refine it in build().
    input_spec = None

    def check_rank(self, input_shape):
        """Before building: is the rank right? (input_shape has no batch axis)."""
        spec = self.input_spec
        if spec is not None and len(input_shape) + 1 != len(spec):
            self.shape_error(spec, (None,) + tuple(input_shape))

    def check_input(self, inputs):
        spec = self.input_spec
        if spec is None:
            return
        shape = tuple(inputs[0].shape)
        if len(shape) != len(spec) or any(
                isinstance(n, int) and n != m for n, m in zip(spec, shape)):
            self.shape_error(spec, shape)

    def shape_error(self, expected, received):
        hint = self.shape_hint(expected, received)
        raise ValueError(
            f"{type(self).__name__} layer '{self.name}': expected input of shape "
            f"{format_shape(expected)}, received {format_shape(received)}." + (" " + hint if hint else ""))

    def shape_hint(self, expected, received):
        """A sentence on what to do, for the layer's most common mistake."""
        return ""

    # ------------------------------------------------------------ printing
    def summary(self, print_fn=print):
        """Print the Keras table of layers, output shapes and parameter counts (print_fn=None:
        return it as a string instead)."""
        return summary(self, print_fn=print_fn)

    def extra_repr(self):
        return f"name={self.name!r}"
