"""One offline HTML page: a template with its scripts and its data written into it.

explorer.html and step.html are each one file that loads nothing else, so they
open from disk with no network. Their template holds markers where the parts go:

    {{TITLE}}         the page's title
    /*NAME_JS*/       the text of name.js, for each script
    /*DATA_JSON*/     the page's data, as JSON (what window.minivae holds)
"""
import json
import os


def _read(folder, name):
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        return f.read()


def fill(folder, template, title, scripts, data):
    """The HTML text of ``template`` (a file in ``folder``) with its title, each script of
    ``scripts`` (names of .js files in ``folder``, without the .js) and ``data`` written in."""
    text = json.dumps(data, separators=(",", ":")).replace("</", "<\\/")  # no "</script>" inside
    page = _read(folder, template)
    parts = [("{{TITLE}}", title)]
    parts += [(f"/*{name.upper()}_JS*/", _read(folder, f"{name}.js")) for name in scripts]
    parts += [("/*DATA_JSON*/", text)]
    for marker, content in parts:
        page = page.replace(marker, content, 1)
    return page


def write_whole(text, path, default_name):
    """Write ``text`` to ``path`` (a file, or a folder to hold ``default_name``), so that a
    reader never sees half a page (written beside it, then renamed); returns the file's path."""
    if os.path.isdir(path) or not path.endswith(".html"):
        path = os.path.join(path, default_name)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)
    return path
