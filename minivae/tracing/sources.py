"""Where each op's code is: its forward and backward source, and its page in the book's API reference."""
import inspect
import os
import re

PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _snake(name):
    """ConvTranspose2d -> conv_transpose2d, BatchNorm -> batch_norm, LeakyReLU -> leaky_relu."""
    name = re.sub(r"ReLU", "Relu", name)
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def api_page(function_type, called_as=None):
    """The op's entry in the book's API reference, relative to the book's root: the public function
    that builds it (``api/functional.html#minivae.functional.conv2d``), else the Function class."""
    from .. import functional, ops
    for name in filter(None, (called_as, _snake(function_type.__name__), function_type.__name__.lower())):
        if function_type.__module__.startswith("minivae.ops") and callable(getattr(ops, name, None)):
            return f"api/engine.html#minivae.{name}"
        if callable(getattr(functional, name, None)) and name in functional.__all__:
            return f"api/functional.html#minivae.functional.{name}"
    return "api/engine.html#minivae.Function"


def _code(method):
    """(source text, file relative to the package's parent, first line) of the code that ran."""
    lines, first = inspect.getsourcelines(method)
    path = os.path.relpath(inspect.getsourcefile(method), os.path.dirname(PACKAGE))
    return "".join(lines), path, first


def op_sources(functions):
    """op class name -> its forward and backward source, file and line, and API page, for each
    type in ``functions`` (Function classes, or (class, called_as) pairs)."""
    found = {}
    for entry in functions:
        kind, called = entry if isinstance(entry, tuple) else (entry, None)
        key = f"{called} as {kind.__name__}" if called else kind.__name__
        if key in found:
            continue
        forward, path, forward_line = _code(kind.forward)
        backward, _, backward_line = _code(kind.backward)
        found[key] = {"forward": forward, "backward": backward, "file": path,
                      "forward_line": forward_line, "backward_line": backward_line,
                      "api": api_page(kind, called)}
    return found
