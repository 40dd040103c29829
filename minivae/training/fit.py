"""fit: the training loop of the book's ``model.fit``, with checkpoints and resume.

Each epoch runs ``model.train_step`` over shuffled mini-batches and
``model.test_step`` over the validation set, records true epoch means, then
saves ``checkpoint.npz`` and ``history.json`` in the run folder. A resumed run
restores weights, optimizer state and the random generator, and replays the
same batch order (it depends only on seed and epoch), so it reproduces the
uninterrupted run's losses on the CPU.
"""
import os
import time

from .. import backend
from ..data.loader import DataLoader
from ..memory import keep_freed_memory
from .checkpoint import CHECKPOINT, read_checkpoint, read_progress, save_checkpoint
from . import display
from .history import EpochMeans, is_finite, write_history

HISTORY = "history.json"


class TrainingDiverged(RuntimeError):
    """A loss became NaN or infinite; the last good checkpoint is kept."""


class CheckpointMismatch(ValueError):
    """--resume found a checkpoint saved for another model or optimizer."""


def fit(model, train, epochs, batch_size, optimizer, validation=None, seed=0, out_dir=None,
        resume=False, quiet=None, meta=None, on_epoch_end=None, progress_every=None):
    """Train ``model`` on ``train`` (array (N, ...)) for ``epochs`` epochs; return the history.

    validation: an array like ``train``, evaluated with ``test_step`` after each epoch.
    out_dir: where checkpoint.npz and history.json go (nothing is saved if None).
    resume: continue from out_dir's checkpoint. quiet: True, no progress bar; None (default), the
    bar where stderr is a terminal, and where stdout is not (a log file, tee) a line about every
    ``progress_every`` seconds (unset: display.EVERY, 30); a line per epoch always.
    meta: extra JSON-able facts stored in the checkpoint.
    on_epoch_end(epoch, record): called after each epoch's checkpoint is written.
    Freed memory is kept for the next step (see ``minivae/memory.py``).
    """
    keep_freed_memory()
    show = display.modes(quiet)
    history, start = [], 1
    if resume:
        history, start = _restore(model, optimizer, out_dir)
    loader = DataLoader(train, batch_size=batch_size, shuffle=True, seed=seed)
    for epoch in range(start, epochs + 1):
        started = time.perf_counter()
        loader.epoch = epoch
        shown = display.EpochDisplay(len(loader), epoch, epochs, *show,
                                     every=display.EVERY if progress_every is None else progress_every)
        train_means = _train_epoch(model, optimizer, loader, epoch, shown, history)
        record = {"epoch": epoch, **train_means}
        if validation is not None:
            record.update(validation_losses(model, validation, batch_size, prefix="val_"))
        record["seconds"] = round(time.perf_counter() - started, 3)
        history.append(record)
        if out_dir is not None:
            state = {"epoch": epoch, "seed": seed, "history": history, "rng": backend.rng_state()}
            save_checkpoint(os.path.join(out_dir, CHECKPOINT), model, optimizer,
                            dict(meta or {}, **state))
            write_history(os.path.join(out_dir, HISTORY), history)
        _print_epoch(record, epochs)
        if on_epoch_end is not None:
            on_epoch_end(epoch, record)
    return history


def _train_epoch(model, optimizer, loader, epoch, shown, history):
    means = EpochMeans()
    last_finite = None
    try:
        for step, (x,) in enumerate(loader, start=1):
            losses = model.train_step(x, optimizer)
            if not is_finite(losses):
                kept = f"the checkpoint of epoch {history[-1]['epoch']} is kept" if history else \
                    "no checkpoint was written yet"
                raise TrainingDiverged(
                    f"training stopped: loss became {losses['total_loss']} at epoch {epoch}, step "
                    f"{step}; last finite total_loss was {last_finite} ({kept}). Try a smaller "
                    "learning rate or beta.")
            last_finite = losses["total_loss"]
            means.add(losses, len(x))
            shown.update(means.means())
    finally:
        shown.close()
    return means.means()


def validation_losses(model, data, batch_size, prefix=""):
    """Mean test_step losses over ``data`` (in order, last partial batch included): the ``val_`` columns
    of the history. (How good the model is as a density model is minivae.evaluation.evaluate.)"""
    means = EpochMeans()
    for (x,) in DataLoader(data, batch_size=min(batch_size, len(data)), shuffle=False):
        means.add(model.test_step(x), len(x))
    return means.means(prefix)


def _restore(model, optimizer, out_dir):
    path = os.path.join(out_dir or ".", CHECKPOINT)
    if not os.path.exists(path):
        raise FileNotFoundError(f"--resume: no checkpoint at {path}; start without --resume")
    model_state, optim_state, meta = read_checkpoint(path)
    progress = read_progress(meta)
    try:
        model.load_state_dict(model_state)
        optimizer.load_state_dict(optim_state)
    except ValueError as exc:
        raise CheckpointMismatch(
            f"--resume: {path} was saved by another model ({progress.model}) and does not fit "
            f"this one. {exc}") from None
    backend.set_rng_state(progress.rng)
    print(f"resuming after epoch {progress.epoch} from {path}", flush=True)
    return progress.history, progress.epoch + 1


def _print_epoch(record, epochs):
    parts = [f"{k} {v:.4f}" for k, v in record.items() if k not in ("epoch", "seconds")]
    print(f"epoch {record['epoch']}/{epochs}  " + "  ".join(parts) + f"  ({record['seconds']:.1f} s)",
          flush=True)
