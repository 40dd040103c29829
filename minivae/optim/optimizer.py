"""Optimizer: the base of SGD, Adam and RMSprop.

An optimizer holds the parameters and, per parameter, a few *slots*: arrays of
the parameter's shape, dtype and device (momentum, moving averages). ``step()``
changes each parameter's array in place from its ``grad``; parameters without a
gradient are skipped. Everything stays in the parameter's dtype: the
hyperparameters are Python floats, which never upcast a float32 array.
"""
import numpy

from .. import backend
from ..autograd.tensor import Tensor


class Optimizer:
    """The base of SGD, Adam and RMSprop: ``step()`` updates each parameter in place.

    Per parameter it keeps a few slots (momentum, moving averages) of the parameter's
    shape, dtype and device; parameters without a gradient are skipped.
    """

    hyperparameters = ()  # the names saved by state_dict, besides the slots

    def __init__(self, params):
        self.params = list(params.parameters() if hasattr(params, "parameters") else params)
        if not self.params:
            raise ValueError(f"{type(self).__name__}: got no parameters to optimize; pass "
                             "model.parameters() of a built model.")
        for i, p in enumerate(self.params):
            if not isinstance(p, Tensor) or not p.requires_grad:
                raise TypeError(f"{type(self).__name__}: parameter {i} is not a tensor that "
                                "requires grad; pass model.parameters().")
        self.slots = [{} for _ in self.params]
        self.iterations = 0  # Keras' name for the number of steps taken

    def zero_grad(self):
        """Forget the gradients: backward() adds to .grad, so call this before each one."""
        for p in self.params:
            p.grad = None

    def step(self):
        """Update every parameter that has a gradient, in place."""
        self.iterations += 1
        for p, slots in zip(self.params, self.slots):
            if p.grad is not None:
                self.update(p.data, p.grad, slots)

    def update(self, param, grad, slots):
        """Change the array ``param`` in place from ``grad``; ``slots`` is this parameter's state."""
        raise NotImplementedError

    @staticmethod
    def slot(slots, name, like):
        """The slot ``name``, created as zeros shaped, typed and placed like ``like``."""
        if name not in slots:
            xp = backend.get_array_module(like)
            slots[name] = xp.zeros_like(like)
        return slots[name]

    # ------------------------------------------------------------ saving and loading
    def state_dict(self):
        """The step count, hyperparameters and slots as NumPy arrays: a checkpoint resumes exactly."""
        return {
            "type": type(self).__name__,
            "iterations": self.iterations,
            "hyperparameters": {name: getattr(self, name) for name in self.hyperparameters},
            "slots": [{k: backend.to_numpy(v).copy() for k, v in s.items()} for s in self.slots],
        }

    def load_state_dict(self, state):
        name = type(self).__name__
        if state.get("type", name) != name:
            raise ValueError(f"{name}.load_state_dict: the state was saved by {state['type']}.")
        if len(state["slots"]) != len(self.params):
            raise ValueError(f"{name}.load_state_dict: the state holds {len(state['slots'])} "
                             f"parameters but this optimizer has {len(self.params)}; was it saved "
                             "for the same model?")
        slots = []
        for i, (p, saved) in enumerate(zip(self.params, state["slots"])):
            xp = backend.get_array_module(p.data)
            restored = {}
            for k, v in saved.items():
                if tuple(numpy.shape(v)) != p.shape:
                    raise ValueError(f"{name}.load_state_dict: slot {k!r} of parameter {i} has "
                                     f"shape {tuple(numpy.shape(v))}, the parameter {p.shape}.")
                restored[k] = xp.asarray(v, dtype=p.dtype)
            slots.append(restored)
        self.slots = slots
        self.iterations = int(state["iterations"])
        for k, v in state.get("hyperparameters", {}).items():
            setattr(self, k, v)

    def to(self, device):
        """Move the slots to 'cpu' or 'gpu' (after moving the model with model.to)."""
        self.slots = [{k: backend.to_device(v, device) for k, v in s.items()} for s in self.slots]
        return self

    def __repr__(self):
        hyper = ", ".join(f"{k}={getattr(self, k)}" for k in self.hyperparameters)
        return f"{type(self).__name__}({len(self.params)} parameters, {hyper})"
