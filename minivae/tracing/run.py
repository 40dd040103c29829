"""One training step of a run folder's model, as `minivae trace RUN_DIR` records it.

The step starts from the checkpoint: its weights, its optimizer's state (Adam's moments
included) and its settings. The batch is the first N training images of the run's data
set, in file order, and the sampling noise comes from the run's seed, so the same
command records the same step.
"""
from .. import optim, recipes
from ..data import DataFileError
from ..errors import UserError
from ..run_folder import checkpoint_path, load_run
from ..training import read_checkpoint
from .step import trace


def first_training_images(meta, n, data=None):
    """The first ``n`` training images of the run's data set, in file order, preprocessed as in training."""
    try:
        train_x, _, _, _ = recipes.load_dataset(meta["dataset"], data, meta.get("limit"))
    except (FileNotFoundError, recipes.DatasetNotFound, DataFileError) as exc:
        raise UserError(str(exc)) from None
    if n > len(train_x):
        raise UserError(f"--batch {n}: the run's training set has only {len(train_x)} images")
    return train_x[:n]


def run_optimizer(model, path, meta):
    """The run's optimizer over ``model``'s parameters, its state as the checkpoint saved it."""
    _, state, _ = read_checkpoint(checkpoint_path(path))
    optimizer = optim.get(state.get("type", meta.get("optimizer", "adam")), model.parameters(),
                          lr=meta["lr"])
    optimizer.load_state_dict(state)
    return optimizer


def trace_run(path, batch=32, data=None, rounds=5):
    """(StepTrace, meta): one training step of the run in ``path`` on its first ``batch`` images."""
    model, meta = load_run(path)
    optimizer = run_optimizer(model, path, meta)
    images = first_training_images(meta, batch, data)
    return trace(model, optimizer, images, seed=int(meta.get("seed", 0)), rounds=rounds), meta
