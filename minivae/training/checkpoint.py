"""Checkpoints: everything a run needs to continue exactly, in one .npz file.

Arrays are stored under prefixes (``model/…``, ``optimizer/…``); everything else
(epoch, model config, RNG state, history) is one JSON text stored as a 0-d
string array, so the file loads with ``allow_pickle=False``: opening a
checkpoint can never run code.

A checkpoint is written to a temporary file beside the target and renamed over
it, so a crash or Ctrl-C while writing leaves the previous checkpoint whole.
"""
import json
import os
import tempfile
from typing import NamedTuple, Optional

import numpy

from .. import backend

FORMAT = "minivae-checkpoint-1"
CHECKPOINT = "checkpoint.npz"  # its name in a run folder


def save_checkpoint(path, model, optimizer=None, meta=None):
    """Write model weights, optimizer state and ``meta`` (a JSON-able dict) atomically."""
    arrays = {f"model/{k}": backend.to_numpy(v) for k, v in model.state_dict().items()}
    scalars = {}
    if optimizer is not None:
        for k, v in _flatten(optimizer.state_dict()).items():
            if _is_plain(v):
                scalars[k] = v
            else:
                arrays[f"optimizer/{k}"] = backend.to_numpy(v)
    meta = dict(meta or {}, format=FORMAT, optimizer_scalars=scalars)
    arrays["meta"] = numpy.array(json.dumps(meta))
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".checkpoint-", suffix=".npz", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            numpy.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        if os.path.exists(tmp):
            os.remove(tmp)
        if isinstance(exc, OSError) and not isinstance(exc.filename, str):  # a write on the open
            raise OSError(exc.errno, exc.strerror, path) from exc  # file: name the checkpoint
        raise


def read_checkpoint(path):
    """(model_state, optimizer_state, meta) as NumPy arrays and plain Python values."""
    try:
        with numpy.load(path, allow_pickle=False) as z:
            files = {k: z[k] for k in z.files}
    except FileNotFoundError:
        raise FileNotFoundError(f"no checkpoint at {path}: train first (minivae train --out FOLDER), "
                                "or name a run folder that holds checkpoint.npz") from None
    except IsADirectoryError:
        raise ValueError(f"{path} is a folder with no {CHECKPOINT} in it: "
                         "name a run folder that `minivae train` wrote") from None
    except Exception as exc:  # not an .npz archive, or one holding pickled objects
        raise ValueError(f"{path} is not a minivae checkpoint (the checkpoint.npz that "
                         f"`minivae train` writes): {_why_unreadable(path, exc)}") from None
    if "meta" not in files:
        raise ValueError(f"{path} is not a minivae checkpoint: it has no 'meta' entry")
    meta = json.loads(str(files.pop("meta")))
    model_state = {k[len("model/"):]: v for k, v in files.items() if k.startswith("model/")}
    optim = {k[len("optimizer/"):]: v for k, v in files.items() if k.startswith("optimizer/")}
    optim.update(meta.pop("optimizer_scalars", {}))
    return model_state, _unflatten(optim), meta


class Progress(NamedTuple):
    """How far a checkpointed run went, as ``fit`` saves it beside the run's own settings."""
    epoch: int
    history: list
    rng: Optional[dict]
    model: str  # its name, or "?" when the checkpoint does not say


def read_progress(meta):
    """The :class:`Progress` a checkpoint's ``meta`` records (what --resume restores)."""
    history = list(meta.get("history") or [])
    return Progress(meta.get("epoch", len(history)), history, meta.get("rng"), meta.get("model", "?"))


def _why_unreadable(path, exc):
    """What is wrong with a file numpy.load refused, in words rather than NumPy's advice."""
    with open(path, "rb") as f:
        head = f.read(4)
    if head != b"PK\x03\x04":  # every .npz is a zip archive
        return "it is not an .npz archive"
    if "pickle" in str(exc):
        return "it holds Python objects, which minivae never loads"
    return f"the archive is damaged ({type(exc).__name__})"


def _is_plain(v):
    """A JSON value: Python numbers, strings, None, and tuples/lists of them (Adam's betas)."""
    if isinstance(v, (tuple, list)):
        return all(_is_plain(i) for i in v)
    return isinstance(v, (int, float, bool, str)) or v is None


def _flatten(d, prefix=""):
    """{'a': {'b': x}} -> {'a/b': x}; lists become 'a/0', 'a/1', ... (marked to rebuild them)."""
    out = {}
    items = enumerate(d) if isinstance(d, list) else d.items()
    for k, v in items:
        key = f"{prefix}{k}" if not isinstance(d, list) else f"{prefix}#{k}"
        if isinstance(v, dict) or (isinstance(v, list) and not _is_plain(v)):
            out.update(_flatten(v, key + "/"))
        else:
            out[key] = v
    return out


def _unflatten(flat):
    root = {}
    for key, v in flat.items():
        parts = key.split("/")
        node = root
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = v
    return _lists(root)


def _lists(node):
    if not isinstance(node, dict):
        return node
    node = {k: _lists(v) for k, v in node.items()}
    if node and all(k.startswith("#") for k in node):
        return [node[k] for k in sorted(node, key=lambda k: int(k[1:]))]
    return node
