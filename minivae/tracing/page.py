"""step.html: one self-contained page, the traced step's graph drawn and played in the browser.

step.html (the layout and style) gets step.js (drawing, details, play backward, loss split)
and the JSON of :meth:`StepTrace.to_dict` written into it. It loads nothing else, so it
works opened from disk, offline; the data is ``window.minivae.step``.
"""
import os

from ..viz.offline_page import fill, write_whole

STEP_PAGE = "step.html"
HERE = os.path.dirname(os.path.abspath(__file__))


def render(data):
    """The page's HTML text for the JSON object ``data``."""
    return fill(HERE, STEP_PAGE, f"one training step of {data['model']}", ["step"], data)


def write_page(data, path):
    """Write the page for ``data`` to ``path`` (a file, or a folder to hold step.html); return the path."""
    return write_whole(render(data), path, STEP_PAGE)
