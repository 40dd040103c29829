"""minivae: a from-scratch autograd engine and the VAEs of "Generative Deep Learning", ch. 3.

    import minivae
    import minivae.functional as F

    x = minivae.Tensor([[1.0, 2.0]], requires_grad=True)
    y = F.sigmoid(x @ x.T).sum()
    y.backward()        # x.grad now holds dy/dx

    minivae.trace(model, optimizer, batch)   # one training step, recorded op by op
"""
__version__ = "0.1.0"  # setup.cfg reads it from here
import os

# OpenBLAS's idle threads spin for about a tenth of a second after each matrix product before
# they sleep, on the very cores that minivae.parallel's threads want next; 4, its smallest
# timeout, puts them to sleep at once, so the two take turns (a faces VAE step: 689-700 ms with
# the spin, 637-643 ms without; benchmarks/RESULTS.md). OpenBLAS reads it once, when NumPy loads
# it: it counts where minivae is imported before numpy (the minivae command, the benchmarks).
os.environ.setdefault("OPENBLAS_THREAD_TIMEOUT", "4")

from .backend import use, manual_seed, get_array_module, BackendError
from .autograd import Tensor, Function, no_grad, is_grad_enabled
from .ops import (add, sub, mul, div, neg, pow, matmul, exp, log, log1p, sqrt, abs, clip, sum,
                  mean, max, reshape, transpose, permute, flatten, concatenate, stack, split)
from .gradcheck import gradcheck, GradcheckError
from . import functional, nn, optim, models
from .tracing import trace

