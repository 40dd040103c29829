"""Module: the base of every layer and model, and the bookkeeping of its state.

A module finds its parameters by walking its own attributes: a
:class:`Parameter` is a parameter, a Module (or a list of Modules) is a child
whose parameters are included under its attribute name. Non-trainable state,
such as the moving mean and variance of batch normalization, lives in
*buffers*: plain backend arrays registered with :meth:`register_buffer`. They
are saved and moved with the parameters but no optimizer ever sees them.

The same walk carries everything that concerns the whole tree, so no composite
module does it by hand for its children: :meth:`place` (where weights not yet
built will go), :meth:`to` and :meth:`astype` (moving those that exist),
:meth:`train` and :meth:`eval`, and ``with model.inference():``.
"""
import contextlib
from collections import OrderedDict

import numpy

from .. import backend
from ..autograd import hooks
from ..autograd.function import no_grad
from .parameter import Parameter


class Module:
    """The base of every layer and model: finds its parameters, buffers and children.

    Parameters are the Parameter attributes; children are Module attributes (or lists
    of them); buffers (non-trainable state, such as batch norm's moving statistics)
    are registered with ``register_buffer`` and saved and moved with the parameters.
    """

    training = True
    _build_device = None  # 'cpu' or 'gpu': where lazily built weights go (None: the default backend)
    _dtype = None   # their dtype (None: float32, as in Keras)

    def __init__(self):
        self._buffers = OrderedDict()
        self.training = True

    def forward(self, *inputs):
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *inputs, **kwargs):
        if hooks.tracer is not None:  # inside minivae.trace: the ops inside are this module's
            return hooks.tracer.inside(self, self.forward, *inputs, **kwargs)
        return self.forward(*inputs, **kwargs)

    # ------------------------------------------------------------ buffers
    def register_buffer(self, name, array):
        """Keep ``array`` as non-trainable state, readable as ``self.<name>``."""
        if "_buffers" not in vars(self):
            self._buffers = OrderedDict()
        self._buffers[name] = array

    def __getattr__(self, name):  # only called when normal lookup fails
        buffers = vars(self).get("_buffers")
        if buffers is not None and name in buffers:
            return buffers[name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ------------------------------------------------------------ walking the tree
    def _attributes_of_type(self, kind):
        """(attribute name, value) for each attribute of type ``kind``, lists flattened as name.index."""
        for key, value in vars(self).items():
            if isinstance(value, kind):
                yield key, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, kind):
                        yield f"{key}.{i}", item

    def named_children(self):
        """(attribute name, module) for each direct child, lists flattened as name.index."""
        return self._attributes_of_type(Module)

    def children(self):
        return [m for _, m in self.named_children()]

    def named_modules(self, prefix=""):
        """(dotted name, module) for this module and every module below it, parents first."""
        yield prefix, self
        for key, child in self.named_children():
            yield from child.named_modules(f"{prefix}.{key}" if prefix else key)

    def modules(self):
        return [m for _, m in self.named_modules()]

    def _own_parameters(self):
        return self._attributes_of_type(Parameter)

    def named_parameters(self):
        """(dotted name, Parameter) for every parameter, each shared one listed once."""
        seen = set()
        for prefix, module in self.named_modules():
            for key, p in module._own_parameters():
                if id(p) not in seen:
                    seen.add(id(p))
                    yield (f"{prefix}.{key}" if prefix else key), p

    def parameters(self):
        """The trainable parameters, the list an optimizer is given."""
        return [p for _, p in self.named_parameters()]

    def named_buffers(self):
        for prefix, module in self.named_modules():
            for key, array in vars(module).get("_buffers", {}).items():
                yield (f"{prefix}.{key}" if prefix else key), array

    def buffers(self):
        return [b for _, b in self.named_buffers()]

    # ------------------------------------------------------------ counting
    def count_params(self, trainable=None):
        """Number of weights: all (None, as Keras' summary totals), trainable only (True),
        or non-trainable only (False: the buffers, e.g. batch norm's moving statistics)."""
        n_trainable = sum(p.size for p in self.parameters())
        n_frozen = sum(int(b.size) for b in self.buffers())
        if trainable is None:
            return n_trainable + n_frozen
        return n_trainable if trainable else n_frozen

    # ------------------------------------------------------------ modes and gradients
    def train(self, mode=True):
        """Training mode (batch norm uses and updates batch statistics); returns self."""
        for m in self.modules():
            m.training = bool(mode)
        return self

    def eval(self):
        """Inference mode (batch norm uses its moving statistics); returns self."""
        return self.train(False)

    @contextlib.contextmanager
    def inference(self):
        """``with model.inference():`` inference mode and no graph inside, the mode put back after.

        What every figure, the explorer, ``test_step`` and the evaluation run a model in.
        """
        was_training = self.training
        self.eval()
        try:
            with no_grad():
                yield self
        finally:
            self.train(was_training)

    def zero_grad(self):
        for p in self.parameters():
            p.grad = None

    # ------------------------------------------------------------ devices and dtypes
    def place(self, device, dtype):
        """Build weights on ``device`` in ``dtype`` (None: the default backend, float32), here
        and in every module below: a composite layer's children build where it builds."""
        for m in self.modules():
            m._build_device = None if device is None else backend.device_name(device)
            m._dtype = dtype
        return self

    def to(self, device):
        """Move every parameter and buffer to 'cpu' or 'gpu', in place; returns self.

        The Parameter objects stay the same, so an optimizer made before the
        move keeps updating them (its own state moves with ``optimizer.to``).
        """
        for p in self.parameters():
            p.data = backend.to_device(p.data, device)
            p.grad = None if p.grad is None else backend.to_device(p.grad, device)
        for m in self.modules():
            buffers = vars(m).get("_buffers", {})
            for key, array in buffers.items():
                buffers[key] = backend.to_device(array, device)
            m._build_device = backend.device_name(device)
        return self

    def astype(self, dtype):
        """Convert every parameter and buffer to another float dtype, in place; returns self.

        Gradchecks use ``layer.astype("float64")``: central differences need float64.
        """
        for p in self.parameters():
            p.data = p.data.astype(dtype)
            p.grad = None
        for m in self.modules():
            buffers = vars(m).get("_buffers", {})
            for key, array in buffers.items():
                buffers[key] = array.astype(dtype)
            m._dtype = numpy.dtype(dtype)
        return self

    @property
    def device(self):
        """'cpu' or 'gpu': where the first parameter (or buffer) lives; None if there is none."""
        for _, p in self.named_parameters():
            return p.device
        for _, b in self.named_buffers():
            return backend.device_of(b)
        return None

    @property
    def dtype(self):
        for _, p in self.named_parameters():
            return p.dtype
        return None

    # ------------------------------------------------------------ saving and loading
    def state_dict(self):
        """name -> NumPy array copy, parameters and buffers (batch norm statistics) alike."""
        state = OrderedDict()
        for name, p in self.named_parameters():
            state[name] = backend.to_numpy(p.data).copy()
        for name, b in self.named_buffers():
            state[name] = backend.to_numpy(b).copy()
        return state

    def load_state_dict(self, state):
        """Copy arrays from ``state`` into the parameters and buffers, in place.

        Every entry must be present, expected and of the right shape; otherwise
        one ValueError lists all the missing, unexpected and mis-shaped names.
        """
        targets = OrderedDict((n, p.data) for n, p in self.named_parameters())
        targets.update(self.named_buffers())
        missing = [n for n in targets if n not in state]
        unexpected = [n for n in state if n not in targets]
        misshaped = [f"{n}: expected {tuple(targets[n].shape)}, got {tuple(numpy.shape(state[n]))}"
                     for n in targets if n in state and tuple(numpy.shape(state[n])) != tuple(targets[n].shape)]
        if missing or unexpected or misshaped:
            lines = [f"{type(self).__name__}.load_state_dict: the state does not fit this model."]
            if missing:
                lines.append("  missing: " + ", ".join(missing))
            if unexpected:
                lines.append("  unexpected: " + ", ".join(unexpected))
            if misshaped:
                lines.append("  wrong shape: " + "; ".join(misshaped))
            lines.append("Was it saved from a model built with the same arguments (and input shape)?")
            raise ValueError("\n".join(lines))
        for name, target in targets.items():
            xp = backend.get_array_module(target)
            target[...] = xp.asarray(state[name], dtype=target.dtype)

    # ------------------------------------------------------------ printing
    def extra_repr(self):
        return ""

    def __repr__(self):
        lines = [f"{type(self).__name__}({self.extra_repr()}"]
        for key, child in self.named_children():
            lines.append(f"  ({key}): " + repr(child).replace("\n", "\n  "))
        return lines[0] + ")" if len(lines) == 1 else "\n".join(lines) + "\n)"
