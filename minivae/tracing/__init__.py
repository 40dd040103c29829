"""One training step, inside: the autograd graph a real step builds, recorded and drawn.

In a few lines::

    record = minivae.trace(model, optimizer, x[:32])
    print(record.table())          # where the time and the memory go, per op
    record.write("step.html")      # the graph, node by node; play backward; the loss split

See :func:`trace`, :class:`Recorder` (the context manager underneath) and
`minivae trace RUN_DIR`.
"""
from .page import STEP_PAGE, render, write_page
from .recorder import Recorder, module_names
from .result import StepTrace
from .step import trace

__all__ = ["trace", "Recorder", "StepTrace", "module_names", "render", "write_page", "STEP_PAGE"]
