"""Parameter: a Tensor that a Module owns and an optimizer updates."""
from ..autograd.tensor import Tensor


class Parameter(Tensor):
    """A leaf tensor with ``requires_grad=True`` that modules find and optimizers update.

    Optimizers change ``data`` in place, so a model, its optimizer and any code
    holding the parameter all see the same array.
    """

    def __init__(self, data, requires_grad=True):
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self):
        return "Parameter" + super().__repr__()[len("Tensor"):]
