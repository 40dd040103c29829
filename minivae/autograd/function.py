"""The base class of every differentiable op, and the switch that turns graph building off.

One op = one small subclass with ``forward`` (arrays in, one array out) and
``backward`` (the output's gradient in, one gradient per input out). Calling an
op instance wraps its inputs, runs ``forward`` and, when a gradient will be
needed, remembers the inputs so the engine can walk back through them.
"""
import contextlib

from .. import backend
from . import hooks
from .tensor import Tensor

_grad_enabled = True


@contextlib.contextmanager
def no_grad():
    """Inside this block ops build no graph and save nothing for backward."""
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, False
    try:
        yield
    finally:
        _grad_enabled = previous


def is_grad_enabled():
    """False inside ``with no_grad():``, where ops record no graph."""
    return _grad_enabled


class Function:
    """A node of the computation graph: one op applied to its input tensors."""

    inputs = None
    freed = False
    output = None  # (shape, dtype) of the result, once applied
    called_as = None  # the function the learner called, where it built another op (see route)
    route = None  # why it did, e.g. conv2d at stride 1 computed as a transposed convolution

    @property
    def name(self):
        return type(self).__name__.lower()

    def __repr__(self):
        """``<Mul: (2, 3) float32, (2, 3) float32 -> (2, 3) float32>``, and the route it took."""
        op = type(self).__name__
        if self.called_as:
            op = f"{self.called_as} as {op}"
        if self.freed or self.inputs is None:
            said = "freed by backward" if self.freed else "not applied"
            out = f" -> {self.output[0]} {self.output[1]}" if self.output else ""
            return f"<{op}: {said}{out}>"
        ins = ", ".join(f"{t.shape} {t.dtype}" for t in self.inputs)
        out = f" -> {self.output[0]} {self.output[1]}" if self.output else ""
        route = f" ({self.route})" if self.route else ""
        return f"<{op}: {ins}{out}{route}>"

    def __call__(self, *inputs):
        if hooks.tracer is not None:  # inside minivae.trace: timed and recorded
            return hooks.tracer.apply(self, inputs)
        return self.apply(inputs)

    def apply(self, inputs):
        """Run forward on ``inputs`` and, when a gradient will be needed, join the graph."""
        inputs = _as_tensors(self.name, inputs)
        needs = _grad_enabled and any(t.requires_grad for t in inputs)
        # per input: does the caller want its gradient? ops may skip the others
        self.needs_grad = tuple(needs and t.requires_grad for t in inputs)
        y = self.forward(*(t.data for t in inputs))
        y = backend.get_array_module(y).asarray(y)  # NumPy turns 0-d results into scalars
        out = Tensor._wrap(y, requires_grad=needs)
        if needs:
            out.creator = self
            self.inputs = inputs
            self.output = (tuple(y.shape), y.dtype)
        return out

    def forward(self, *xs):
        raise NotImplementedError

    def backward(self, gy):
        raise NotImplementedError

    def free(self):
        """Drop the inputs and everything forward saved: the graph is used up.

        What it was stays readable: the output's shape and the route it took."""
        kept = {k: v for k, v in vars(self).items() if k in ("output", "called_as", "route")}
        vars(self).clear()
        vars(self).update(kept)
        self.freed = True


def _as_tensors(op, inputs):
    """Tensors for every input; Python numbers take the dtype and device of the tensors."""
    tensors = [x for x in inputs if isinstance(x, Tensor)]
    if not tensors:
        raise TypeError(f"{op}: needs at least one minivae.Tensor input")
    ref = tensors[0]
    for t in tensors[1:]:
        if t.device != ref.device:
            raise ValueError(
                f"{op}: inputs are on different devices: {ref.device} (shape {ref.shape}) and "
                f"{t.device} (shape {t.shape}). Move one with .to('{ref.device}') or "
                f".to('{t.device}') first.")
        if t.dtype != ref.dtype and t.dtype.kind == "f" and ref.dtype.kind == "f":
            raise TypeError(
                f"{op}: inputs have different dtypes: {ref.dtype} (shape {ref.shape}) and "
                f"{t.dtype} (shape {t.shape}). Convert one with .astype('{ref.dtype}').")
    xp = backend.get_array_module(ref.data)
    out = []
    for x in inputs:
        if isinstance(x, Tensor):
            out.append(x)
        elif backend.get_array_module(x) is not xp and not isinstance(x, (int, float)):
            raise ValueError(
                f"{op}: got a {backend.device_of(x)} array beside a {ref.device} tensor "
                f"(shapes {getattr(x, 'shape', ())} and {ref.shape}); wrap it with "
                f"minivae.Tensor(..., device='{ref.device}').")
        elif isinstance(x, (int, float)):  # filled on the device: no copy from the host
            out.append(Tensor._wrap(xp.full((), x, dtype=ref.dtype)))
        else:
            out.append(Tensor._wrap(xp.asarray(x, dtype=ref.dtype)))
    return out
