"""One training step of a run folder's model, as `minivae trace RUN_DIR` records it.

The step starts from the checkpoint: its weights, its optimizer's state (Adam's moments
included) and its settings (the run's :class:`~minivae.run_settings.RunSettings`). The
batch is the first N training images of the run's data set, in file order, read as
training read them, and the sampling noise comes from the run's seed, so the same
command records the same step.
"""
from .. import optim, recipes
from ..data import DataFileError
from ..errors import UserError
from ..run_folder import checkpoint_path, load_run
from ..training import read_checkpoint
from .step import trace


def first_training_images(settings, n, data=None):
    """The first ``n`` training images of the run's data set (its RunSettings), in file order,
    preprocessed as in training (the same --data and --limit)."""
    try:
        loaded = recipes.load_dataset(settings.dataset, data or settings.data_path, settings.limit)
    except (FileNotFoundError, recipes.DatasetNotFound, DataFileError) as exc:
        raise UserError(str(exc)) from None
    if n > len(loaded.train):
        raise UserError(f"--batch {n}: the run's training set has only {len(loaded.train)} images")
    return loaded.train[:n]


def run_optimizer(model, path, settings):
    """The run's optimizer over ``model``'s parameters, its state as the checkpoint saved it."""
    _, state, _ = read_checkpoint(checkpoint_path(path))
    optimizer = optim.get(settings.optimizer, model.parameters(), lr=settings.lr)
    optimizer.load_state_dict(state)
    return optimizer


def trace_run(path, batch=32, data=None, rounds=5):
    """(StepTrace, SavedRun): one training step of the run in ``path`` on its first ``batch`` images."""
    model, run = load_run(path)
    optimizer = run_optimizer(model, path, run.settings)
    images = first_training_images(run.settings, batch, data)
    return trace(model, optimizer, images, seed=run.settings.seed, rounds=rounds), run
