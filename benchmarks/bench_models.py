"""Training-step benchmark, minivae vs PyTorch: each framework in its own process, alternating.

    python benchmarks/bench_models.py                                  # book VAE b100, faces VAE b128
    python benchmarks/bench_models.py --models fashion-vae --batches 32 256 --rounds 5

Method. Every measurement is a fresh worker process that runs one framework on
one backend (``--worker minivae|torch``): it builds the model and one fixed
batch, takes two warm-up steps, then times ``--steps`` training steps
(forward, loss, backward, Adam) and reports their median and its peak resident
memory. Workers run one after the other, alternating A B A B over ``--rounds``
rounds, all with the same thread count (OMP_NUM_THREADS, OPENBLAS_NUM_THREADS
and torch.set_num_threads). Two allocator settings (``--allocators``): "same",
freed memory kept in both (``minivae.memory.keep_freed_memory``, as ``fit()``
does); "shipped", each as it ships (minivae keeps freed memory, PyTorch runs
on glibc's defaults). Each round prints its times and the ratio minivae /
PyTorch; the summary is the median of the per-round ratios.

Why processes: timed in one process, the two libraries' thread pools (OpenBLAS
and PyTorch's OpenMP) keep spinning after their own work and take the cores
from each other, so an in-process ratio measures that interference, not either
library. Alternating rounds spread a noisy machine's slow spells over both.
"""
import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]  # torch_reference, and minivae from this checkout

DEFAULT_CASES = [("fashion-vae", 100), ("faces-vae", 128)]  # the book's batch sizes
ALLOCATORS = {"same": "freed memory kept in both (minivae.memory.keep_freed_memory: mallopt, no mmap)",
              "shipped": "each as it ships (minivae keeps freed memory; PyTorch on glibc's defaults)"}
METHOD = ("each framework in its own process, alternating A B A B; {threads} threads each; "
          "allocator {allocators}; "
          "2 warm-up steps, then the median of {steps} steps "
          "per process; summary = median of the per-round ratios")


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _minivae_step(model_name, batch, device):
    import numpy
    from minivae import backend, models, optim
    from minivae.bench.models import example_batch
    from minivae.bench.timing import synchronize
    backend.manual_seed(0)
    model = models.build(model_name)
    xp = numpy if device == "cpu" else backend.load_cupy()
    model.to("cpu" if device == "cpu" else "gpu")
    optimizer = optim.Adam(model.parameters(), lr=1e-4)
    x = example_batch(model, batch, xp)
    return (lambda: model.train_step(x, optimizer)), (lambda: synchronize(xp))


def _torch_step(model_name, batch, device, threads):
    import torch
    import torch_reference
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    device = "cuda" if device == "gpu" else "cpu"
    model = torch_reference.BUILDERS[model_name]().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)
    x = torch.rand((batch,) + torch_reference.INPUT_SHAPES[model_name], device=device)

    def step():
        optimizer.zero_grad()
        model.loss(x).backward()
        optimizer.step()
    sync = torch.cuda.synchronize if device == "cuda" else (lambda: None)
    return step, sync, torch.__version__


def worker(framework, model_name, batch, steps, device, threads, allocator="same", warmup=2):
    """In a fresh process: time ``steps`` training steps; a dict with the times and the peak RSS."""
    from minivae.memory import keep_freed_memory
    kept = keep_freed_memory() if framework == "minivae" or allocator == "same" else False
    version = None
    if framework == "minivae":
        step, sync = _minivae_step(model_name, batch, device)
    else:
        step, sync, version = _torch_step(model_name, batch, device, threads)
    before = peak_mib()
    for _ in range(warmup):
        step()
    sync()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        sync()
        times.append((time.perf_counter() - t0) * 1e3)
    return {"framework": framework, "model": model_name, "batch": batch, "device": device,
            "threads": threads, "allocator": allocator, "freed_memory_kept": kept, "step_ms": statistics.median(times),
            "times_ms": times, "peak_mib": peak_mib(), "peak_growth_mib": peak_mib() - before,
            "torch": version}


def run_worker(framework, model_name, batch, steps, device, threads, allocator):
    """One measurement in its own process; None (with the reason printed) if it failed."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", framework,
                          "--device", device, "--models", model_name, "--batches", str(batch),
                          "--steps", str(steps), "--threads", str(threads), "--allocators", allocator],
                         capture_output=True, text=True, env=env, check=False)
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["no output"])[-1]
        print(f"  {framework} {device} worker failed: {last}", flush=True)
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def torch_installed():
    try:
        import importlib.util
        return importlib.util.find_spec("torch") is not None
    except (ImportError, ValueError):
        return False


def compare(model_name, batch, rounds, steps, device, threads, with_torch, allocator="same"):
    """Rounds of minivae, PyTorch (A B, A B, ...); the per-round rows and a summary row."""
    print(f"\n{model_name}, batch {batch}, {device}, {threads} threads, allocator {allocator}:", flush=True)
    per_round = []
    for r in range(1, rounds + 1):
        ours = run_worker("minivae", model_name, batch, steps, device, threads, allocator)
        theirs = (run_worker("torch", model_name, batch, steps, device, threads, allocator)
                  if with_torch else None)
        row = {"model": model_name, "batch": batch, "device": device, "threads": threads,
               "allocator": allocator, "round": r,
               "minivae_ms": ours and ours["step_ms"], "torch_ms": theirs and theirs["step_ms"],
               "minivae_peak_mib": ours and ours["peak_mib"], "torch_peak_mib": theirs and theirs["peak_mib"],
               "minivae_growth_mib": ours and ours["peak_growth_mib"],
               "torch_growth_mib": theirs and theirs["peak_growth_mib"],
               "torch_version": theirs and theirs["torch"]}
        row["ratio"] = row["minivae_ms"] / row["torch_ms"] if ours and theirs else None
        per_round.append(row)
        ratio = "" if row["ratio"] is None else f", ratio {row['ratio']:.2f}"
        print(f"  round {r}: minivae {_fmt(row['minivae_ms'])} ms, PyTorch {_fmt(row['torch_ms'])} ms"
              f"{ratio}", flush=True)
    summary = {"model": model_name, "batch": batch, "device": device, "threads": threads,
               "allocator": allocator, "rounds": rounds}
    for key in ("minivae_ms", "torch_ms", "ratio", "minivae_peak_mib", "torch_peak_mib",
                "minivae_growth_mib", "torch_growth_mib"):
        values = [row[key] for row in per_round if row[key] is not None]
        summary[key] = statistics.median(values) if values else None
    ratios = [row["ratio"] for row in per_round if row["ratio"] is not None]
    summary["ratio_range"] = f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else None
    summary["minivae_ms_per_image"] = summary["minivae_ms"] and summary["minivae_ms"] / batch
    summary["torch_ms_per_image"] = summary["torch_ms"] and summary["torch_ms"] / batch
    if ratios:
        print(f"  median ratio {summary['ratio']:.2f} (rounds {summary['ratio_range']})", flush=True)
    return per_round, summary


def _fmt(v):
    return "—" if v is None else f"{v:.1f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", help="default: fashion-vae at batch 100, faces-vae at 128")
    parser.add_argument("--batches", nargs="+", type=int)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--steps", type=int, default=10, help="timed steps per process")
    parser.add_argument("--threads", type=int, nargs="+", default=[2])
    parser.add_argument("--allocators", nargs="+", choices=sorted(ALLOCATORS), default=["same", "shipped"])
    parser.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    parser.add_argument("--no-torch", action="store_true")
    parser.add_argument("--json", default="benchmarks/out/models.json")
    parser.add_argument("--worker", choices=("minivae", "torch"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:  # one measurement, in this (fresh) process
        print(json.dumps(worker(args.worker, args.models[0], args.batches[0], args.steps,
                                args.device, args.threads[0], args.allocators[0])))
        return
    if args.models or args.batches:
        cases = [(m, b) for m in (args.models or [c[0] for c in DEFAULT_CASES])
                 for b in (args.batches or [100])]
    else:
        cases = DEFAULT_CASES
    with_torch = not args.no_torch and torch_installed()
    method = METHOD.format(threads="/".join(map(str, args.threads)), steps=args.steps,
                           allocators="; ".join(f"{a}: {ALLOCATORS[a]}" for a in args.allocators))
    print(f"# {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.node()}, "
          f"{os.cpu_count()} CPUs\n# method: {method}"
          + ("" if with_torch else "\n# PyTorch not installed (or --no-torch): minivae only"), flush=True)
    rounds, summaries = [], []
    for model_name, batch in cases:
        for threads in args.threads:
            for allocator in args.allocators:
                per_round, summary = compare(model_name, batch, args.rounds, args.steps, args.device,
                                             threads, with_torch, allocator)
                rounds += per_round
                summaries.append(summary)

    from minivae.bench.report import markdown, save_json
    print()
    print(markdown(summaries, ["model", "batch", "threads", "allocator", "rounds", "minivae_ms", "torch_ms", "ratio",
                               "ratio_range", "minivae_ms_per_image", "minivae_growth_mib", "torch_growth_mib",
                               "minivae_peak_mib", "torch_peak_mib"],
                   {"minivae_ms": "{:.1f}", "torch_ms": "{:.1f}", "ratio": "{:.2f}",
                    "minivae_ms_per_image": "{:.3f}", "minivae_growth_mib": "{:.0f}",
                    "torch_growth_mib": "{:.0f}", "minivae_peak_mib": "{:.0f}",
                    "torch_peak_mib": "{:.0f}"}))
    save_json(args.json, {"date": datetime.date.today().isoformat(), "machine": platform.node(),
                          "method": method, "threads": args.threads, "rounds": rounds,
                          "summary": summaries})
    print(f"\nwritten: {args.json}")


if __name__ == "__main__":
    main()
