"""A run folder, as `minivae train` leaves it: checkpoint, history and figures.

    runs/fashion-vae/
        checkpoint.npz   the weights, the optimizer's state and the run's record (SavedRun: its
                         settings and how far it went, minivae.run_settings)
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
from .run_settings import SavedRun
from .training import CHECKPOINT, HISTORY, read_checkpoint, read_history


def run_dir(path):
    """The run folder of ``path``: the folder itself, or the folder holding a checkpoint file."""
    return path if os.path.isdir(path) else os.path.dirname(os.path.abspath(path))


def checkpoint_path(path):
    """The checkpoint file of a run folder (or ``path`` itself when it names the file)."""
    return os.path.join(path, CHECKPOINT) if os.path.isdir(path) else path


def load_run(path):
    """(model, run) rebuilt from a run folder or checkpoint file, in inference mode.

    run is the checkpoint's record (:class:`minivae.run_settings.SavedRun`). The model is
    built from the name and arguments its settings record, moved to the current backend,
    and given the checkpoint's weights; a checkpoint that is missing, corrupt or does not
    fit its model is a :class:`UserError`.
    """
    path = checkpoint_path(path)
    try:
        state, _, meta = read_checkpoint(path)
        run = SavedRun.from_meta(meta, where=path)
    except (FileNotFoundError, ValueError) as exc:
        raise UserError(str(exc)) from None
    settings = run.settings
    try:
        model = models.build(settings.model, **settings.model_args)
    except (KeyError, ValueError) as exc:
        raise UserError(f"{path}: {str(exc).strip(chr(34))}") from None
    model.to(backend.current())
    try:
        model.load_state_dict(state)
    except ValueError as exc:
        raise UserError(f"{path} does not fit the {settings.model} it names: {exc}") from None
    model.eval()
    return model, run


def load_history(path):
    """The per-epoch records of the run's history.json ([] when it has none)."""
    history_path = os.path.join(run_dir(path), HISTORY)
    return read_history(history_path) if os.path.exists(history_path) else []


def load_validation(run, data=None):
    """(val_x, val_labels, data_set) of the data set the run (a SavedRun) was trained on;
    data_set is the record of the data actually read (a stand-in says so).

    data: the folder holding the data set's files (default: the --data the run was trained
    with, else where minivae finds it).
    """
    settings = run.settings
    try:
        loaded = recipes.load_dataset(settings.dataset, data or settings.data_path, settings.limit)
    except (FileNotFoundError, recipes.DatasetNotFound, DataFileError) as exc:
        raise UserError(str(exc)) from None
    return loaded.validation, loaded.labels, loaded.data_set


def recipe_differences(run):
    """How the run's (a SavedRun's) settings differ from its model's recipe (the source's): [] when
    it followed it."""
    settings, recipe = run.settings, run.settings.recipe
    if recipe is None:
        return [f"its model {settings.model!r} has no recipe"]
    differences = []
    if run.epoch < recipe.epochs:
        differences.append(f"{run.epoch} of the recipe's {recipe.epochs} epochs")
    if settings.limit is not None:
        differences.append(f"only {settings.limit:,} images (--limit)")
    for key, value in recipe.model_args.items():
        if settings.model_args.get(key) != value:
            differences.append(f"{key} {settings.model_args.get(key)} (recipe: {value})")
    for key, value in (("batch_size", recipe.batch_size), ("lr", recipe.lr)):
        if getattr(settings, key) != value:
            differences.append(f"{key} {getattr(settings, key)} (recipe: {value})")
    return differences


def load_recipe_run(model, folders):
    """(model, run) of the first run folder in ``folders`` trained with ``model``'s full recipe,
    or (None, a sentence saying why none was used): a 1-epoch demo is not the book's model."""
    said = []
    for folder in folders:
        path = os.path.join(folder, "checkpoint.npz")
        if not os.path.exists(path):
            continue
        try:
            built, run = load_run(path)
        except UserError as exc:
            said.append(f"{path}: {exc}")
            continue
        differences = recipe_differences(run) if run.settings.model == model else [
            f"it holds a {run.settings.model}"]
        if not differences:
            return built, run
        said.append(f"{folder} was not trained with the {model}'s full recipe "
                    f"({'; '.join(differences)})")
    return None, ("; ".join(said) if said else f"no run of the {model} found in "
                  + " or ".join(str(f) for f in folders))
