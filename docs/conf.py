"""Sphinx configuration of the minivae book: tutorials, exercises, API and a trained model.

Build it with `python3 dev.py docs` (full mode) or `MINIVAE_QUICK=1 python3 dev.py docs`.
The notebooks are executed by MyST-NB at build time, through its cache: a second build
re-runs only the notebooks that changed. The exercise pages, the trained-model page and
the learning path are generated into _generated/ by _ext/minivae_book.py, from
tutorials/exercises/, the run folder dev.py gives it and tutorials/learning_path.json.
"""
import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT))  # autodoc imports this checkout's minivae
sys.path.insert(0, str(DOCS / "_ext"))

import minivae  # noqa: E402

QUICK = os.environ.get("MINIVAE_QUICK", "0") == "1"

project = "minivae"
author = "the minivae authors"
copyright = "the minivae authors, MIT licence"
release = version = minivae.__version__
html_title = "The minivae book" + (" (quick build)" if QUICK else "")

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "sphinx_design",
    "minivae_book",
]

exclude_patterns = ["_build", "_generated/learning_path.md", "**/.ipynb_checkpoints", "tutorials/README.md",
                    "tutorials/runs", "tutorials/exercises", "tutorials/solutions", "Thumbs.db", ".DS_Store"]
nitpicky = True  # every cross-reference in the API pages must resolve (CI builds with -W)
nitpick_ignore_regex = [
    ("py:class", r"(numpy|cupy)\..*"),  # no network, so no intersphinx inventories
    ("py:class", r"(int|float|str|bool|dict|list|tuple|object|Exception|ValueError|RuntimeError)"),
]

# MyST and the notebooks. Cache mode: each notebook runs once per content, in tutorials/
# (its own folder), so it finds runs/ and writes its figures where a learner's run would.
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
nb_execution_mode = os.environ.get("MINIVAE_DOCS_EXECUTE", "cache")
nb_execution_cache_path = str(DOCS / "_build" / (".jupyter_cache-quick" if QUICK else ".jupyter_cache-full"))
nb_execution_timeout = 600 if QUICK else 7200  # seconds per cell: full mode trains for minutes
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_merge_streams = True

# API reference: autodoc reads the docstrings; nothing is imported from the network.
autodoc_default_options = {"members": True, "undoc-members": True, "member-order": "bysource"}
autodoc_member_order = "bysource"
autosummary_generate = False
add_module_names = False

# Offline: MathJax from the django-static-mathjax wheel, copied into _static/ by
# minivae_book (SVG output: no web fonts to load); search is Sphinx's own searchindex.js.
mathjax_path = "mathjax/tex-svg.js"
mathjax3_config = {"svg": {"fontCache": "global"}}

html_theme = "sphinx_book_theme"
html_static_path = ["_static"]
html_css_files = ["minivae.css"]
html_last_updated_fmt = None
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": False,
    "navigation_with_keys": False,
    "show_toc_level": 2,
}
html_context = {"default_mode": "light"}  # else the theme logs a console error on a browser's first page
html_show_sourcelink = False
html_copy_source = False
minivae_quick = QUICK
