"""Where minivae keeps the data it downloads: one per-user cache folder.

Follows the XDG convention the rest of Linux uses, so the files land next to
other programs' caches and are easy to find and delete:
``$XDG_CACHE_HOME/minivae/<name>``, else ``~/.cache/minivae/<name>``.
"""
import os
from pathlib import Path


def cache_dir(name):
    """The per-user cache folder for one data set, e.g. ``cache_dir("fashion-mnist")`` (not created)."""
    root = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(root) / "minivae" / name
