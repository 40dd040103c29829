"""What tracing costs: one training step plain, under the timing-only recorder, and fully recorded.

    python benchmarks/bench_trace.py                                   # fashion-vae and faces-vae, batch 32
    python benchmarks/bench_trace.py --models fashion-vae --batch 100 --rounds 15

Each round runs, from the same weights, optimizer state and seed (minivae.tracing.step puts
them back): the plain ``train_step``; the step under a Recorder that only reads the clock
(how ``minivae.trace`` gets its per-node times); and the step fully recorded (value and
gradient summaries of every node, what each node sends back, one extra backward per loss
term for the loss split, the update ratios), which ``minivae.trace`` runs once. The three
are interleaved, so a busy moment of the machine hits all alike; the table gives the
medians over rounds and the median of the per-round ratios. Prints a markdown table and
writes JSON (--json). The target of issue 24: fully recorded at most 3x plain.

    python benchmarks/bench_trace.py --engine .            # what an untraced engine pays for the hooks:
    python benchmarks/bench_trace.py --engine ../main      # a tiny graph, this checkout against another

--engine PATH times ``((a * b + a).sum()).backward()`` on 4-element tensors with the minivae
found in PATH, nothing traced: 2,000 iterations, the minimum of 25 repeats (the least
disturbed; the quantity is the fixed Python cost per op, which only grows under load).
"""
import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if "--engine" in sys.argv:  # --engine PATH: a tiny graph on the minivae of another checkout
    sys.path[:0] = [sys.argv[sys.argv.index("--engine") + 1]]
else:
    sys.path[:0] = [os.path.dirname(HERE)]  # minivae from this checkout

import numpy  # noqa: E402

from minivae import backend, models, optim  # noqa: E402
from minivae.memory import keep_freed_memory  # noqa: E402
from minivae.tracing.step import _plain_step, _recorded_step, _Start  # noqa: E402


def measure(name, batch, rounds, seed=0):
    backend.manual_seed(seed)
    model = models.build(name)
    optimizer = optim.Adam(model.parameters(), lr=5e-4)
    x = model.as_batch(numpy.random.default_rng(seed).random((batch,) + tuple(model.input_shape),
                                                              dtype=numpy.float32))
    start = _Start(model, optimizer, seed)
    xp = backend.get_array_module(x.data)

    def recorded(detail):
        began = time.perf_counter()
        _recorded_step(model, optimizer, x, start, detail=detail, split=detail)
        return (time.perf_counter() - began) * 1e3

    plain, timed, full = [], [], []
    _plain_step(model, optimizer, x, start, xp), recorded(True)  # warm-up
    for _ in range(rounds):
        plain.append(_plain_step(model, optimizer, x, start, xp))
        timed.append(recorded(False))
        full.append(recorded(True))
    return {"model": name, "batch": batch, "rounds": rounds,
            "plain_ms": statistics.median(plain), "timed_ms": statistics.median(timed),
            "recorded_ms": statistics.median(full),
            "timed_ratio": statistics.median(t / p for t, p in zip(timed, plain)),
            "recorded_ratio": statistics.median(f / p for f, p in zip(full, plain)),
            "all": {"plain": plain, "timed": timed, "recorded": full}}


def tiny_graph_us(repeats=25, n=2000):
    """Microseconds per ``((a * b + a).sum()).backward()`` on 4-element tensors: the min of repeats."""
    import minivae
    a = minivae.Tensor(numpy.ones(4, numpy.float32), requires_grad=True)
    b = minivae.Tensor(numpy.ones(4, numpy.float32), requires_grad=True)

    def run(count):
        began = time.perf_counter()
        for _ in range(count):
            ((a * b + a).sum()).backward()
        return (time.perf_counter() - began) / count * 1e6

    run(300)
    return min(run(n) for _ in range(repeats))


def main():
    if "--engine" in sys.argv:
        import minivae
        print(f"{os.path.dirname(os.path.dirname(os.path.abspath(minivae.__file__)))}: "
              f"{tiny_graph_us():.2f} us per tiny forward + backward (4 ops, nothing traced)")
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", nargs="+", default=["fashion-vae", "faces-vae"])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--json", default=os.path.join(HERE, "out", "trace.json"))
    args = parser.parse_args()
    keep_freed_memory()
    rows = [measure(name, args.batch, args.rounds) for name in args.models]
    threads = os.environ.get("OPENBLAS_NUM_THREADS", "default")
    print(f"{datetime.date.today()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores, NumPy {numpy.__version__}, OPENBLAS_NUM_THREADS={threads}")
    print("| model | batch | plain step ms | timing only ms | fully recorded ms | timing / plain | recorded / plain |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['model']} | {r['batch']} | {r['plain_ms']:.1f} | {r['timed_ms']:.1f} | "
              f"{r['recorded_ms']:.1f} | {r['timed_ratio']:.2f}x | {r['recorded_ratio']:.2f}x |")
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump({"date": str(datetime.date.today()), "machine": platform.platform(),
                   "cores": os.cpu_count(), "numpy": numpy.__version__, "openblas_threads": threads,
                   "command": " ".join(sys.argv), "results": rows}, f, indent=1)
    print(f"written: {args.json}")


if __name__ == "__main__":
    main()
