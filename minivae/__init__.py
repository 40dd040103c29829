"""minivae: a from-scratch autograd engine and the VAEs of "Generative Deep Learning", ch. 3.

    import minivae
    import minivae.functional as F

    x = minivae.Tensor([[1.0, 2.0]], requires_grad=True)
    y = F.sigmoid(x @ x.T).sum()
    y.backward()        # x.grad now holds dy/dx
"""
__version__ = "0.1.0"  # setup.cfg reads it from here

from .backend import use, manual_seed, get_array_module, BackendError
from .autograd import Tensor, Function, no_grad, is_grad_enabled
from .ops import (add, sub, mul, div, neg, pow, matmul, exp, log, log1p, sqrt, abs, clip, sum,
                  mean, max, reshape, transpose, permute, flatten, concatenate, stack, split)
from .gradcheck import gradcheck, GradcheckError
from . import functional, nn, optim, models

