"""The differentiable ops: each one a small Function with forward and backward."""
from .arithmetic import add, sub, mul, div, neg, pow, matmul
from .unary import exp, log, log1p, sqrt, abs, clip
from .reduce import sum, mean, max
from .shape import reshape, transpose, permute, flatten, getitem
from .join import concatenate, stack, split

__all__ = ["add", "sub", "mul", "div", "neg", "pow", "matmul", "exp", "log", "log1p", "sqrt",
           "abs", "clip", "sum", "mean", "max", "reshape", "transpose", "permute", "flatten",
           "getitem", "concatenate", "stack", "split"]
