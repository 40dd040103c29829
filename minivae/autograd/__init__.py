"""The autograd engine: Tensor, Function, and the backward walk."""
from .tensor import Tensor
from .function import Function, no_grad, is_grad_enabled

__all__ = ["Tensor", "Function", "no_grad", "is_grad_enabled"]
