"""Is a run too short for its figures to mean much? And the one sentence that says so.

A VAE's first optimizer steps learn the mean image: every reconstruction,
sample and grid cell is the same grey blob. Measured on 2 CPU cores
(benchmarks/RESULTS.md, "How short a run still teaches"): the book's VAE
decodes blobs after 100 steps (``--limit 10000``, one epoch), rough shapes after
200-300, and recognisable trousers, boots, bags and pullovers after 600 (one
epoch of the full 60,000 images, about 3 minutes). The other recipes are held to
the same rule, one epoch of their full training set, and the report says so
when a run took fewer steps.
"""
import math

from . import data, recipes
from .installed import minivae_command


def _full_train_images(name):
    """Training images of data set ``name`` when no --limit cuts them (None: unknown, e.g. CelebA's
    depends on the folder), from its record."""
    record = data.DATA_SETS.get(name)
    return None if record is None else record.train_images


def steps_needed(model):
    """Optimizer steps the model's recipe needs before its images mean something (None: unknown)."""
    recipe = recipes.RECIPES.get(model)
    full = None if recipe is None else _full_train_images(recipe.dataset)
    if full is None:
        return None
    return math.ceil(full / recipe.batch_size)


def steps_taken(run, history):
    """Optimizer steps the run (a minivae.run_settings.SavedRun) took: epochs trained x batches
    per epoch (None: unknown)."""
    settings = run.settings
    images = run.train_images
    if images is None:  # a run written before its checkpoint recorded it
        full, limit = _full_train_images(settings.dataset), settings.limit
        images = full if limit is None else (limit if full is None else min(limit, full))
    if images is None or not settings.batch_size:
        return None
    return len(history) * math.ceil(images / settings.batch_size)


def short_run_warning(run, history, figures=True):
    """One plain sentence when the run (a SavedRun) took fewer steps than its recipe needs; None
    otherwise. figures: whether the sentence goes with figures (False: `train --no-figures`)."""
    if run is None:
        return None
    model = run.settings.model
    needed, taken = steps_needed(model), steps_taken(run, history or [])
    if needed is None or taken is None or taken >= needed:
        return None
    fix = minivae_command(f"train --model {model}", main_job=model == recipes.BOOK_MODEL)
    shown = "so these figures show mostly blurry averages" if figures else \
        "so its decoded images would be mostly blurry averages"
    return (f"This run took {taken:,} training steps, and the {model} needs about {needed:,} "
            "(one epoch of the full data set) before its images look like the data, "
            f"{shown}; train longer with `{fix}` (no --limit).")
