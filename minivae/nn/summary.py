"""summary: Keras' table of a model's layers, output shapes and parameter counts.

    Model: "encoder"
    ____________________________________________________________
     Layer (type)                Output Shape          Param #
    ============================================================
     encoder_input (InputLayer)  (None, 1, 32, 32)     0
     conv2d (Conv2D)             (None, 32, 16, 16)    320
    ...
    Total params: 96,770
    Trainable params: 96,770
    Non-trainable params: 0

Output shapes are channels-first, (None, C, H, W), where the book's Keras
prints (None, H, W, C); the counts are the same.

The table reads what every built Layer has (name, output_shape, built, count_params)
and imports no layer itself: ``Layer.summary`` calls it, so it sits below layer.py.
"""


def format_shape(shape):
    """(None, 16, 16, 32)-style text: the batch axis is None, free axes keep their letter."""
    return "(" + ", ".join(str(n) for n in shape) + ("," if len(shape) == 1 else "") + ")"


def leaf_layers(module):
    """The layers that hold no other layers, in the order the module defines them."""
    return [m for _, m in module.named_modules() if not m.children()]


def summary(module, print_fn=print):
    """Print the table with ``print_fn`` and return None, as Keras' summary does (so a notebook
    shows it once); with ``print_fn=None``, print nothing and return the table as a string."""
    rows = []
    input_shape = getattr(module, "input_shape", None)
    name = getattr(module, "name", type(module).__name__.lower())
    if input_shape is not None:
        rows.append((f"{name}_input (InputLayer)", format_shape((None,) + tuple(input_shape)), "0"))
    for layer in leaf_layers(module):
        shape = "?" if layer.output_shape is None else format_shape((None,) + tuple(layer.output_shape))
        count = f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"
        rows.append((f"{layer.name} ({type(layer).__name__})", shape, count))

    header = ("Layer (type)", "Output Shape", "Param #")
    widths = [max(len(r[i]) for r in rows + [header]) + 4 for i in range(3)]
    width = sum(widths) + 1

    def line(cells):
        return (" " + "".join(c.ljust(w) for c, w in zip(cells, widths))).rstrip()

    out = [f'Model: "{name}"', "_" * width, line(header), "=" * width]
    for i, row in enumerate(rows):
        out.append(line(row))
        out.append("_" * width if i < len(rows) - 1 else "=" * width)
    out += [f"Total params: {module.count_params():,}",
            f"Trainable params: {module.count_params(trainable=True):,}",
            f"Non-trainable params: {module.count_params(trainable=False):,}",
            "_" * width]
    text = "\n".join(out)
    if print_fn is None:
        return text
    print_fn(text)
    return None
