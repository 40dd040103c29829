"""Training-step benchmark of the sources' models: one train_step (forward, backward, Adam)."""
import numpy

from .. import backend, models, optim
from .timing import measure


def example_batch(model, n, xp, seed=0):
    """A batch of n images in [0, 1] shaped like the model's input, on the backend of xp."""
    shape = (n,) + tuple(model.input_shape)
    data = numpy.random.default_rng(seed).uniform(0, 1, shape).astype(numpy.float32)
    return xp.asarray(data)


def step_seconds(name, batch_size, xp, repeat=5, warmup=2):
    """Median seconds of one train_step of model ``name`` at ``batch_size`` on the backend of xp."""
    backend.manual_seed(0)
    model = models.build(name)
    model.to("cpu" if xp is numpy else "gpu")
    optimizer = optim.Adam(model.parameters(), lr=1e-4)
    x = example_batch(model, batch_size, xp)
    return measure(lambda: model.train_step(x, optimizer), xp, warmup=warmup, repeat=repeat)


def run(names, batch_sizes, backends, repeat=5):
    """Rows: model, backend, batch, step ms, ms per image."""
    rows = []
    for backend_name, xp in backends:
        for name in names:
            for n in batch_sizes:
                s = step_seconds(name, n, xp, repeat=repeat)
                rows.append({"model": name, "backend": backend_name, "batch": n,
                             "step_ms": s * 1e3, "ms_per_image": s * 1e3 / n})
    return rows
