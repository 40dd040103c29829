"""Draw the autograd graph behind a tensor, as Graphviz DOT (DeZero's and micrograd's draw_dot).

Tensors are ellipses labelled with their name where they have one
(``Tensor(..., name="x")``), their shape and dtype; ops are boxes named by their
Function's class (``Mul``, ``Conv2d``, ...), and by the function the learner called
where that built another op (``conv2d`` at stride 1 may run as a ``ConvTranspose2d``). Arrows run the way forward ran,
from inputs through the op to its output; backward walks them in reverse.

Draw *before* calling ``backward()``: backward frees each op's saved inputs
as it goes (unless ``backward(retain_graph=True)``), and a freed graph cannot
be walked any more.
"""
import os
import shutil
import subprocess


def _tensor_label(t):
    shape = "x".join(str(n) for n in t.shape) or "scalar"
    grad = ", grad" if t.requires_grad else ""
    name = f"{t.name}\\n" if t.name else ""
    return f"{name}{shape} {t.dtype}{grad}"


def op_label(f):
    """The Function's class, or "conv2d (as ConvTranspose2d)" where the call took another route."""
    op = type(f).__name__
    return f"{f.called_as}\\n(as {op})" if f.called_as else op


def to_dot(tensor):
    """The DOT source of the graph that produced ``tensor`` (a str)."""
    # top to bottom: a chain of ops stays narrow enough to show at full size on a page
    lines = ["digraph autograd {", "  rankdir=TB;", '  node [fontname="Helvetica", fontsize=10];']
    seen, stack = set(), [tensor]
    lines.append(f'  t{id(tensor)} [label="{_tensor_label(tensor)}", shape=ellipse, '
                 'style=filled, fillcolor="#ffd591", penwidth=2];')
    seen.add(id(tensor))
    while stack:
        t = stack.pop()
        f = t.creator
        if f is None:
            continue
        if getattr(f, "freed", False) or f.inputs is None:
            raise RuntimeError(
                "computation_graph: this graph was freed by backward(); draw it before calling "
                "backward(), or call backward(retain_graph=True).")
        tip = f', tooltip="{f.route}"' if f.route else ""
        lines.append(f'  f{id(f)} [label="{op_label(f)}", shape=box, style=filled, '
                     f'fillcolor="#bae7ff"{tip}];')
        lines.append(f"  f{id(f)} -> t{id(t)};")
        for x in f.inputs:
            if id(x) not in seen:
                seen.add(id(x))
                colour = ("#ffd591" if x.creator is not None      # computed
                          else "#d9f7be" if x.requires_grad          # a parameter
                          else "#f0f0f0")                            # a constant
                lines.append(f'  t{id(x)} [label="{_tensor_label(x)}", shape=ellipse, '
                             f'style=filled, fillcolor="{colour}"];')
                stack.append(x)
            lines.append(f"  t{id(x)} -> f{id(f)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def computation_graph(tensor, path_without_ext):
    """Write ``<path>.dot`` and, when Graphviz's ``dot`` is installed, ``<path>.png``.

    Returns the paths written. Leaves that require grad (parameters) are green,
    constants grey, computed tensors orange. Call it before ``backward()``.
    """
    dot_path = path_without_ext + ".dot"
    os.makedirs(os.path.dirname(os.path.abspath(dot_path)), exist_ok=True)
    with open(dot_path, "w") as f:
        f.write(to_dot(tensor))
    written = [dot_path]
    dot = shutil.which("dot")
    if dot is not None:
        png_path = path_without_ext + ".png"
        subprocess.run([dot, "-Tpng", dot_path, "-o", png_path], check=True, timeout=60,
                       capture_output=True)
        written.append(png_path)
    return written
