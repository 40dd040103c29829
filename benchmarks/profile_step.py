"""Where a training step's time goes: matrix products, layout copies, element-wise and reduction passes.

    python benchmarks/profile_step.py                           # book VAE b100, faces VAE b128
    python benchmarks/profile_step.py --models faces-vae --batches 128 --steps 5

Method. The step is ``model.train_step`` (forward, loss, backward, Adam), after
two warm-up steps. Every op's forward and backward, the conv helpers inside
them and the optimizer's update are wrapped by a timer that keeps *exclusive*
time (a wrapper's time minus the wrapped calls inside it), so the parts add up
to the step; what no wrapper covers (the engine's walk and its gradient sums,
Python) is "engine". The kinds of pass:

    GEMM             conv and dense matrix products (with the reshape views around them)
    layout           im2col copies and padding; col2im's strided adds
    element-wise     activations, bias adds, arithmetic ops, losses' element-wise parts
    batch norm       its element-wise passes and its per-channel reductions
    reduction        bias-gradient sums, sum and mean ops
    Adam             the optimizer's element-wise update of every parameter

Each wrapper adds about a microsecond per call: nothing next to these passes.
"""
import argparse
import collections
import datetime
import functools
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE)]  # minivae from this checkout

DEFAULT_CASES = [("fashion-vae", 100), ("faces-vae", 128)]
KINDS = ("GEMM", "layout", "element-wise", "batch norm", "reduction", "Adam", "engine")


class ExclusiveTimer:
    """Per kind, the time spent inside wrapped calls, minus the wrapped calls nested in them."""

    def __init__(self):
        self.totals = collections.Counter()
        self._children = [0.0]  # per open call: time spent in its wrapped children

    def wrap(self, fn, kind):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            self._children.append(0.0)
            t0 = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - t0
                children = self._children.pop()
                self.totals[kind] += elapsed - children
                self._children[-1] += elapsed
        return timed


def _kind_of(function_class):
    """The kind of pass an op's own forward and backward make (what its helpers don't)."""
    module = function_class.__module__
    if module.endswith("batchnorm"):
        return "batch norm"
    if module.endswith("reduce"):
        return "reduction"
    if function_class.__name__ == "MatMul":
        return "GEMM"
    return "element-wise"  # activations, arithmetic, unary, shape ops, losses, conv's bias


def instrument(timer):
    """Wrap every op class's forward/backward, the conv helpers and Adam's update."""
    from minivae import models, optim  # noqa: F401 (models: every op class defined)
    from minivae.autograd.function import Function
    from minivae.functional import conv, im2col

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)
    for cls in set(subclasses(Function)):
        for name in ("forward", "backward"):
            if name in vars(cls):
                setattr(cls, name, timer.wrap(vars(cls)[name], _kind_of(cls)))
    for name in ("_image_to_grid", "_grid_to_image", "_weight_grad"):  # the products
        setattr(conv, name, timer.wrap(getattr(conv, name), "GEMM"))
    for name in ("im2col", "col2im", "pad_channels_last"):  # conv.py calls them by these names
        setattr(conv, name, timer.wrap(getattr(im2col, name), "layout"))
    optim.Adam.update = timer.wrap(optim.Adam.update, "Adam")


def profile(timer, model_name, batch, steps):
    """Per kind, the median ms per step over ``steps`` steps; and the step's median ms."""
    import numpy
    from minivae import backend, models, optim
    from minivae.bench.models import example_batch
    from minivae.memory import keep_freed_memory
    keep_freed_memory()
    backend.manual_seed(0)
    model = models.build(model_name)
    optimizer = optim.Adam(model.parameters(), lr=1e-4)
    x = example_batch(model, batch, numpy)
    step = timer.wrap(lambda: model.train_step(x, optimizer), "engine")
    for _ in range(2):
        step()
    per_step = collections.defaultdict(list)
    for _ in range(steps):
        timer.totals.clear()
        step()
        for kind in KINDS:
            per_step[kind].append(timer.totals[kind] * 1e3)
        per_step["step"].append(sum(timer.totals.values()) * 1e3)
    return {kind: statistics.median(v) for kind, v in per_step.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+")
    parser.add_argument("--batches", nargs="+", type=int)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--json", default="benchmarks/out/profile_step.json")
    args = parser.parse_args()
    cases = DEFAULT_CASES if not (args.models or args.batches) else [
        (m, b) for m in (args.models or [c[0] for c in DEFAULT_CASES]) for b in (args.batches or [100])]
    from minivae.bench.report import markdown, save_json
    from threadpoolctl import threadpool_info
    blas = [(i.get("internal_api"), i.get("architecture"), i.get("num_threads")) for i in threadpool_info()]
    print(f"# {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
          f"{os.cpu_count()} CPUs; BLAS {blas}; median of {args.steps} steps per kind", flush=True)
    timer = ExclusiveTimer()
    instrument(timer)
    rows = []
    for model_name, batch in cases:
        ms = profile(timer, model_name, batch, args.steps)
        row = {"model": model_name, "batch": batch, "step_ms": ms["step"]}
        for kind in KINDS:
            row[kind] = f"{ms[kind]:.1f} ({100 * ms[kind] / ms['step']:.0f}%)"
        rows.append(row)
    print(markdown(rows, ["model", "batch", "step_ms", *KINDS], {"step_ms": "{:.1f}"}))
    save_json(args.json, {"date": datetime.date.today().isoformat(), "machine": platform.node(),
                          "steps": args.steps, "rows": rows})
    print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
