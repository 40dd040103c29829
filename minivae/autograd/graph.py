"""Reverse-mode differentiation: walk the graph backwards, adding up gradients.

The gradient of the output with respect to itself is 1. Every op, visited in
reverse topological order (each one after all the ops that used its output),
turns its output's gradient into its inputs' gradients. A tensor used twice
receives the *sum* of both contributions (the multivariable chain rule).
"""
from ..backend import get_array_module
from . import hooks


def topological_order(root):
    """Tensors of root's graph, each after the tensors it was computed from."""
    order, seen = [], set()
    stack = [(root, False)]
    while stack:  # an iterative depth-first search: deep graphs need no recursion limit
        t, expanded = stack.pop()
        if expanded:
            order.append(t)
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        stack.append((t, True))
        f = t.creator
        if f is not None:
            if f.freed:
                raise RuntimeError(
                    "backward: this graph was already used by an earlier backward() and "
                    "its saved values were freed. Call backward(retain_graph=True) the "
                    "first time if you need to go through it twice.")
            stack.extend((x, False) for x in f.inputs if x.requires_grad)
    return order

def broadcasts_to(shape, grad_shape):
    """True when ``shape`` broadcasts to ``grad_shape``: the only gradients sum_to can undo.

    Lined up from the right, each of ``shape``'s sizes equals ``grad_shape``'s or is 1;
    ``grad_shape`` may have more (leading) axes. (3, 1) broadcasts to (2, 3, 4); (3, 2) does
    not broadcast to (2, 3), even though both hold six numbers.
    """
    shape, grad_shape = tuple(shape), tuple(grad_shape)
    if len(grad_shape) < len(shape):
        return False
    tail = grad_shape[len(grad_shape) - len(shape):]
    return all(n == g or n == 1 for n, g in zip(shape, tail))


def sum_to(grad, shape, op):
    """Undo broadcasting: sum ``grad`` over the axes that broadcasting added or stretched.

    ``op`` is the name of the Function whose backward made ``grad``. A gradient whose
    shape ``shape`` does not broadcast to is a mistake in that backward, never something
    to reshape: it is refused, naming the Function and both shapes.
    """
    shape = tuple(shape)
    if grad.shape == shape:
        return grad
    if not broadcasts_to(shape, grad.shape):
        raise ValueError(
            f"{op}.backward returned a gradient of shape {tuple(grad.shape)} for an input of "
            f"shape {shape}; the input's shape does not broadcast to it, so summing cannot "
            "undo it. A gradient has its input's shape (or a shape the input was broadcast "
            "to): check the backward's transposes and the order of its returned gradients.")
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and grad.shape[lead + i] != 1)
    return grad.sum(axis=axes, keepdims=True).reshape(shape)  # (*shape): drop the lead axes

def backward(root, grad, retain_graph=False):
    """Accumulate d(root)/d(leaf) into ``leaf.grad`` for every leaf that requires grad."""
    tracer = hooks.tracer
    grads = {id(root): grad}
    for t in reversed(topological_order(root)):
        gy = grads.pop(id(t), None)
        f = t.creator
        if f is None:  # a leaf: keep the gradient (a fresh array, never a shared view)
            if gy is not None:
                xp = get_array_module(gy)  # asarray: NumPy turns 0-d results into scalars
                t.grad = xp.array(gy) if t.grad is None else xp.asarray(t.grad + gy)
            continue
        if gy is None:
            continue
        if tracer is not None:  # inside minivae.trace: timed, and what it sends recorded
            tracer.backward(f, gy, lambda: visit(f, gy, grads, retain_graph))
        else:
            visit(f, gy, grads, retain_graph)


def visit(f, gy, grads, retain_graph):
    """One op's turn in the walk: send its gradients on, then free what it saved (unless kept)."""
    sent = send(f, gy, grads)
    if not retain_graph:
        f.free()
    return sent


def send(f, gy, grads):
    """The chain rule at one op: its output's gradient ``gy`` in, one gradient per input out,
    added to what ``grads`` holds for that input. Returns them (None where none is sent)."""
    gxs = f.backward(gy)
    if not isinstance(gxs, tuple):
        gxs = (gxs,)
    sent = []
    for x, gx in zip(f.inputs, gxs):
        if gx is None or not x.requires_grad:
            sent.append(None)
            continue
        gx = sum_to(gx, x.shape, f.name)
        assert gx.shape == x.shape and gx.dtype == x.dtype, (
            f"{f.name}.backward returned a gradient of shape {gx.shape} and dtype "
            f"{gx.dtype} for an input of shape {x.shape} and dtype {x.dtype}")
        grads[id(x)] = gx if id(x) not in grads else grads[id(x)] + gx
        sent.append(gx)
    return sent
