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
    """(val_x, val_labels, data_set) of the data set the run was trained on, as its ``meta`` names
    it; data_set is the record of the data actually read (a stand-in says so).

    data: the folder holding the data set's files (default: where minivae finds it).
    """
    try:
        loaded = recipes.load_dataset(meta["dataset"], data, meta.get("limit"))
    except (FileNotFoundError, recipes.DatasetNotFound, DataFileError) as exc:
        raise UserError(str(exc)) from None
    return loaded.validation, loaded.labels, loaded.data_set


def recipe_differences(meta):
    """How the run's settings differ from its model's recipe (the source's): [] when it followed it."""
    recipe = recipes.RECIPES.get(meta.get("model"))
    if recipe is None:
        return [f"its model {meta.get('model')!r} has no recipe"]
    differences = []
    if meta.get("epoch", meta.get("epochs", 0)) < recipe.epochs:
        differences.append(f"{meta.get('epoch', '?')} of the recipe's {recipe.epochs} epochs")
    if meta.get("limit") is not None:
        differences.append(f"only {meta['limit']:,} images (--limit)")
    for key, value in recipe.model_args.items():
        if meta.get("model_args", {}).get(key) != value:
            differences.append(f"{key} {meta.get('model_args', {}).get(key)} (recipe: {value})")
    for key, value in (("batch_size", recipe.batch_size), ("lr", recipe.lr)):
        if meta.get(key) not in (None, value):
            differences.append(f"{key} {meta[key]} (recipe: {value})")
    return differences


def load_recipe_run(model, folders):
    """(model, meta) of the first run folder in ``folders`` trained with ``model``'s full recipe,
    or (None, a sentence saying why none was used): a 1-epoch demo is not the book's model."""
    said = []
    for folder in folders:
        path = os.path.join(folder, "checkpoint.npz")
        if not os.path.exists(path):
            continue
        try:
            built, meta = load_run(path)
        except UserError as exc:
            said.append(f"{path}: {exc}")
            continue
        differences = recipe_differences(meta) if meta.get("model") == model else [
            f"it holds a {meta.get('model')}"]
        if not differences:
            return built, meta
        said.append(f"{folder} was not trained with the {model}'s full recipe "
                    f"({'; '.join(differences)})")
    return None, ("; ".join(said) if said else f"no run of the {model} found in "
                  + " or ".join(str(f) for f in folders))
