"""step.html: one self-contained page, the traced step's graph drawn and played in the browser.

step.html (the layout and style) gets step.js (drawing, details, play backward, loss split)
and the JSON of :meth:`StepTrace.to_dict` written into it. It loads nothing else, so it
works opened from disk, offline; the data is ``window.minivae.step``.
"""
import json
import os

STEP_PAGE = "step.html"
HERE = os.path.dirname(os.path.abspath(__file__))


def _read(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read()


def render(data):
    """The page's HTML text for the JSON object ``data``."""
    text = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")  # no "</script>" inside
    page = _read("step.html")
    for marker, content in (("{{TITLE}}", f"one training step of {data['model']}"),
                            ("/*STEP_JS*/", _read("step.js")), ("/*DATA_JSON*/", text)):
        page = page.replace(marker, content, 1)
    return page


def write_page(data, path):
    """Write the page for ``data`` to ``path`` (a file, or a folder to hold step.html); return the path."""
    if os.path.isdir(path) or not path.endswith(".html"):
        path = os.path.join(path, STEP_PAGE)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(render(data))
    os.replace(tmp, path)
    return path
