"""A run folder, as `minivae train` leaves it: checkpoint, meta, history and figures.

    runs/fashion-vae/
        checkpoint.npz   the weights, the optimizer's state and ``meta`` (the run's settings)
        history.json     one dict of mean losses per epoch
        *.png, *.gif     the figures; report.html shows them all

This module sits beside the figures (:mod:`minivae.viz`), which never read a run
folder, and below :mod:`minivae.redraw` and :mod:`minivae.commands`, which read a
run through it.
"""
import os

from . import backend, models, recipes
from .data import DataFileError
from .errors import UserError
from .training import CHECKPOINT, HISTORY, read_checkpoint, read_history


def run_dir(path):
    """The run folder of ``path``: the folder itself, or the folder holding a checkpoint file."""
    return path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))


def checkpoint_path(path):
    """The checkpoint file of a run folder (or ``path`` itself when it names the file)."""
    return os.path.join(path, CHECKPOINT) if os.path.isdir(path) else path


def load_run(path):
    """(model, meta) rebuilt from a run folder or checkpoint file, in inference mode.

    The model is built from the name and arguments ``meta`` records, moved to the
    current backend, and given the checkpoint's weights; a checkpoint that is
    missing, corrupt or does not fit its model is a :class:`UserError`.
    """
    path = checkpoint_path(path)
    try:
        state, _, meta = read_checkpoint(path)
    except (FileNotFoundError, ValueError) as exc:
        raise UserError(str(exc)) from None
    try:
        model = models.build(meta["model"], **meta["model_args"])
    except (KeyError, ValueError) as exc:
        raise UserError(f"{path}: {str(exc).strip(chr(34))}") from None
    model.to(backend.current())
    try:
        model.load_state_dict(state)
    except ValueError as exc:
        raise UserError(f"{path} does not fit the {meta['model']} it names: {exc}") from None
    model.eval()
    return model, meta


def load_history(path):
    """The per-epoch records of the run's history.json ([] when it has none)."""
    history_path = os.path.join(run_dir(path), HISTORY)
    return read_history(history_path) if os.path.exists(history_path) else []


def load_validation(meta, data=None):
    """(val_x, val_labels) of the data set the run was trained on, as its ``meta`` names it.

    data: the folder holding the data set's files (default: where minivae finds it).
    """
    try:
        _, val_x, val_labels, _ = recipes.load_dataset(meta["dataset"], data, meta.get("limit"))
    except (FileNotFoundError, recipes.DatasetNotFound, DataFileError) as exc:
        raise UserError(str(exc)) from None
    return val_x, val_labels
