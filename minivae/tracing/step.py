"""trace: one training step of a model, recorded from the inside.

The step is the book's ``train_step``: forward, the losses, backward of the total,
one optimizer update. ``trace`` runs it from the same starting point several times::

    plain      untouched, timed as a whole: ``step_ms`` (the median)
    timed      under a Recorder that only reads the clock: each node's forward and
               backward time, taken from the run of median length (per-node medians
               would each drop a different busy moment and add up to too little)
    recorded   once more with everything: value and gradient summaries, what each
               op sent back, the loss split (one extra backward per loss term), and
               each parameter's update from the optimizer

Between runs the weights, the batch-norm statistics, the optimizer's state and the
random generator (seeded with ``seed``) are put back, so every run is the same step,
and the model is left as that one step leaves it.
"""
import copy
import statistics
import time

import numpy

from .. import backend
from ..autograd.tensor import Tensor
from ..bench.timing import synchronize
from ..memory import keep_freed_memory
from .recorder import Recorder
from .result import StepTrace
from .summary import norm

SAMPLES = 8  # gradient values reported per parameter, at evenly spaced positions
TERMS = ("reconstruction_loss", "kl_loss")  # the loss split, where the model's losses have both


def trace(model, optimizer, batch, seed=0, rounds=5, split=True):
    """Record one training step of ``model`` on ``batch`` (N, C, H, W); return a :class:`StepTrace`.

    seed: the random generator's seed for the step (the VAE's sampling noise).
    rounds: how many plain and timed runs the times are medians of.
    split: also measure each parameter's gradient from each loss term (one backward each).
    """
    if rounds < 1:
        raise ValueError(f"trace: rounds must be at least 1, got {rounds}")
    keep_freed_memory()  # as fit does: the step timed is the step training runs
    x = model.as_batch(batch)
    xp = backend.get_array_module(x.data)
    start = _Start(model, optimizer, seed)
    plain, timed = [], []
    _plain_step(model, optimizer, x, start, xp)  # a warm-up: first calls allocate
    for _ in range(rounds):  # interleaved, so a busy moment of the machine hits both alike
        plain.append(_plain_step(model, optimizer, x, start, xp))
        timed.append(_recorded_step(model, optimizer, x, start, detail=False, split=False))
    recorded = _recorded_step(model, optimizer, x, start, detail=True, split=split)
    nodes = recorded["nodes"]
    for round_ in timed:
        if [n["op"] for n in round_["nodes"]] != [n["op"] for n in nodes]:
            raise RuntimeError("trace: the step applied different ops from one run to the next; "
                               "is the model's forward deterministic in its structure?")
    typical = sorted(timed, key=lambda r: r["step_ms"])[(len(timed) - 1) // 2]  # the median run
    for node, timing in zip(nodes, typical["nodes"]):
        node["forward_ms"], node["backward_ms"] = timing["forward_ms"], timing["backward_ms"]
    return StepTrace(model=model, nodes=nodes, params=recorded["params"],
                     backward_order=recorded["backward_order"], step_ms=statistics.median(plain),
                     optimizer_ms=typical["optimizer_ms"],
                     losses=recorded["losses"], batch=len(x), seed=seed, rounds=rounds,
                     plain_ms=plain, timed_ms=[r["step_ms"] for r in timed],
                     functions=recorded["functions"])


class _Start:
    """The state one step starts from, put back before each run."""

    def __init__(self, model, optimizer, seed):
        self.model, self.optimizer, self.seed = model, optimizer, seed
        self.weights, self.slots = model.state_dict(), optimizer.state_dict()

    def restore(self):
        self.model.load_state_dict(self.weights)
        self.optimizer.load_state_dict(copy.deepcopy(self.slots))  # the optimizer updates slots in place
        self.model.zero_grad()
        backend.manual_seed(self.seed)


def _plain_step(model, optimizer, x, start, xp):
    start.restore()
    synchronize(xp)
    began = time.perf_counter()
    model.train_step(x, optimizer)
    synchronize(xp)
    return (time.perf_counter() - began) * 1e3


def _recorded_step(model, optimizer, x, start, detail, split):
    """train_step's work under a Recorder; with ``split``, one more backward per loss term."""
    start.restore()
    xp = backend.get_array_module(x.data)
    synchronize(xp)
    began = time.perf_counter()
    model.train()
    optimizer.zero_grad()
    with Recorder(model, detail=detail) as record:
        losses = model.compute_losses(x)
        split = split and all(k in losses for k in TERMS)
        losses["total_loss"].backward(retain_graph=split)
        named = list(model.named_parameters())
        total = {n: p.grad for n, p in named}
        parts = _split(model, losses, record) if split else None
        for n, p in named:
            p.grad = total[n]
        before = {n: p.data.copy() for n, p in named} if detail else None
        synchronize(xp)
        updating = time.perf_counter()
        optimizer.step()
        synchronize(xp)
        optimizer_ms = (time.perf_counter() - updating) * 1e3
    step_ms = (time.perf_counter() - began) * 1e3
    result = {"nodes": record.nodes, "backward_order": record.backward_order,
              "optimizer_ms": optimizer_ms, "step_ms": step_ms}
    if detail:
        result["params"] = _params(model, record, total, parts, before)
        result["losses"] = {k: float(v.item() if isinstance(v, Tensor) else v) for k, v in losses.items()}
        result["functions"] = record.functions()
    return result


def _split(model, losses, record):
    """name -> {term: gradient} from one backward per loss term (the graph kept until the last).

    A term that is a plain number (the autoencoder's kl_loss, 0.0) sends no gradient: zeros."""
    parts = {n: {} for n, p in model.named_parameters()}
    terms = [t for t in TERMS if isinstance(losses[t], Tensor) and losses[t].requires_grad]
    with record.paused():
        for term in TERMS:
            model.zero_grad()
            if term in terms:
                losses[term].backward(retain_graph=term != terms[-1])
            for n, p in model.named_parameters():
                xp = backend.get_array_module(p.data)
                parts[n][term] = p.grad if p.grad is not None else xp.zeros_like(p.data)
    return parts


def _sample(array, positions):
    return backend.to_numpy(array.reshape(-1)[positions]).astype(numpy.float64).tolist()  # (SAMPLES,)


def _params(model, record, total, parts, before):
    """One entry per parameter: its gradient (norm, sum, a few values), the loss terms' parts of it,
    and the optimizer's update relative to the weight."""
    out = []
    for key, p in model.named_parameters():
        xp = backend.get_array_module(p.data)
        grad = total[key] if total[key] is not None else xp.zeros_like(p.data)
        positions = xp.asarray(numpy.linspace(0, p.size - 1, min(SAMPLES, p.size)).astype(numpy.int64))
        entry = {"name": record.param_names[id(p)], "key": key, "shape": list(p.shape),
                 "module": record.param_names[id(p)].rsplit(".", 1)[0],
                 "grad_norm": norm(grad), "grad_sum": float(grad.astype(xp.float64).sum()),
                 "grad_sample": _sample(grad, positions), "positions": backend.to_numpy(positions).tolist(),
                 "weight_norm": norm(before[key]),
                 "update_ratio": norm(p.data - before[key]) / max(norm(before[key]), 1e-30)}
        if parts is not None:
            for term in TERMS:
                part = parts[key][term]
                name = term.replace("_loss", "")
                entry[f"{name}_norm"] = norm(part)
                entry[f"{name}_sum"] = float(part.astype(xp.float64).sum())
                entry[f"{name}_sample"] = _sample(part, positions)
        out.append(entry)
    return out
