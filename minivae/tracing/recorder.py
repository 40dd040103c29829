"""Recorder: while it is on, every op application, module call and backward step is written down.

For example::

    with Recorder(model) as record:
        losses = model.compute_losses(x)
        losses["total_loss"].backward()
    record.nodes           # one dict per Function application that joined the graph
    record.backward_order  # node ids in the order the backward walk visited them

It plugs into :mod:`minivae.autograd.hooks`, so the engine itself is unchanged:
each op runs exactly as it would, between two clock readings.
"""
import time

import numpy

from .. import backend
from ..autograd import hooks
from ..nn.layer import Layer
from .summary import rough_norm, saved_bytes, summarize


def module_names(model):
    """id(module) -> its dotted path as the book names it: ``encoder.body.conv2d_1``.

    Layers held in a list (a Sequential's) go by their Keras name, not their index."""
    names = {id(model): ""}

    def walk(module, prefix):
        for key, child in module.named_children():
            part = child.name if "." in key and isinstance(child, Layer) else key
            path = f"{prefix}.{part}" if prefix else part
            names.setdefault(id(child), path)
            walk(child, path)

    walk(model, "")
    return names


def _synchronize(xp):
    """GPU kernels run asynchronously: wait for them, so a clock reading means the work is done."""
    if xp is not numpy:
        xp.cuda.get_current_stream().synchronize()


class Recorder:
    """Writes down one step's ops (see the module's docstring); ``detail=False`` keeps only times."""

    def __init__(self, model=None, detail=True):
        self.detail = detail
        self.names = module_names(model) if model is not None else {}
        self.param_names = {}  # id(parameter) -> its path, e.g. encoder.body.conv2d_1.kernel
        for _, module in (model.named_modules() if model is not None else ()):
            for key, p in module._own_parameters():
                prefix = self.names.get(id(module), "")
                self.param_names.setdefault(id(p), f"{prefix}.{key}" if prefix else key)
        self.nodes, self.backward_order = [], []
        self._stack, self._ids, self._functions = [], {}, []
        self._previous = None
        self._xp = None

    # ------------------------------------------------------------ on and off
    def __enter__(self):
        self._previous, hooks.tracer = hooks.tracer, self
        return self

    def __exit__(self, *exc):
        hooks.tracer = self._previous
        return False

    def paused(self):
        """A context in which nothing is recorded (the loss split's extra backward passes)."""
        return _Paused(self)

    # ------------------------------------------------------------ the hooks
    def inside(self, module, forward, *inputs, **kwargs):
        """Run ``module``'s forward with its name on the stack: the ops inside belong to it."""
        self._stack.append(self.names.get(id(module), getattr(module, "name", type(module).__name__)))
        try:
            return forward(*inputs, **kwargs)
        finally:
            self._stack.pop()

    def apply(self, function, inputs):
        started = time.perf_counter()
        out = function.apply(inputs)
        self._sync(out.data)
        ms = (time.perf_counter() - started) * 1e3
        if out.creator is function:  # it joined the graph: one node
            self._add(function, out, ms)
        return out

    def backward(self, function, gy, send):
        inputs = function.inputs  # send() may free the function
        started = time.perf_counter()
        sent = send()
        self._sync(gy)
        ms = (time.perf_counter() - started) * 1e3
        n = self._ids.get(id(function))
        if n is None:  # an op of a graph built before recording began
            return
        node = self.nodes[n]
        node["backward_ms"] = ms
        self.backward_order.append(n)
        if self.detail:
            node["grad"] = summarize(gy)
            node["sent"] = [None if gx is None else {"to": self._source(x), "norm": rough_norm(gx)}
                            for x, gx in zip(inputs, sent)]

    def functions(self):
        """(Function class, the name it was called by) of each kind of node, in first-use order."""
        return list(dict.fromkeys((type(f), f.called_as) for f in self._functions))

    # ------------------------------------------------------------ bookkeeping
    def _sync(self, array):
        if self._xp is None:
            self._xp = backend.get_array_module(array)
        _synchronize(self._xp)

    def _source(self, tensor):
        """A node id (int) for a computed input, else what the leaf is: a parameter's name, 'data'
        or 'constant' (a Python number the op was given)."""
        if tensor.creator is not None and id(tensor.creator) in self._ids:
            return self._ids[id(tensor.creator)]
        if id(tensor) in self.param_names:
            return self.param_names[id(tensor)]
        return "constant" if tensor.ndim == 0 else "data"

    def _add(self, function, out, ms):
        n = len(self.nodes)
        self._ids[id(function)] = n
        self._functions.append(function)  # alive until the recorder goes: ids stay unique
        sources = [self._source(t) for t in function.inputs]
        node = {"id": n, "op": type(function).__name__, "called_as": function.called_as,
                "route": function.route, "module": self._stack[-1] if self._stack else "",
                "inputs": [s for s in sources if isinstance(s, int)],
                "args": [s if not isinstance(s, int) else None for s in sources],
                "in_shapes": [list(t.shape) for t in function.inputs],
                "in_dtypes": [str(t.dtype) for t in function.inputs],
                "shape": list(out.shape), "dtype": str(out.dtype),
                "forward_ms": ms, "backward_ms": 0.0, "saved_bytes": saved_bytes(function)}
        if self.detail:
            node["value"] = summarize(out.data)
        self.nodes.append(node)


class _Paused:
    def __init__(self, recorder):
        self.recorder = recorder

    def __enter__(self):
        self._previous, hooks.tracer = hooks.tracer, None

    def __exit__(self, *exc):
        hooks.tracer = self._previous
        return False
