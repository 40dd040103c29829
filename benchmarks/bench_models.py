"""Training-step benchmark: the sources' models on every backend, PyTorch alongside.

    python benchmarks/bench_models.py                       # all models, batch 100
    python benchmarks/bench_models.py --batches 32 64 100 128 256 --models fashion-vae

Prints a markdown table, writes JSON (--json) and a plot (--plot). Timing: two
warm-up steps, then the median of --repeat steps; GPU steps are synchronized.
PyTorch (CPU, and CUDA where present) is timed in the same run when installed,
with the same thread count as NumPy's BLAS and the same allocator setting
(minivae.memory.keep_freed_memory, which fit() uses too).
"""
import argparse
import datetime
import os
import platform
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]  # torch_reference, and minivae from this checkout

from minivae.bench import models as model_bench  # noqa: E402
from minivae.bench.report import markdown, save_json  # noqa: E402
from minivae.bench.timing import backends_present, device_name, matmul_peak, threads  # noqa: E402
from minivae.memory import keep_freed_memory  # noqa: E402

DEFAULT_MODELS = ["fashion-autoencoder", "fashion-vae", "faces-vae"]


def torch_rows(names, batches, repeat):
    try:
        import torch
        import torch_reference
    except ImportError:
        print("PyTorch not installed: the comparison is skipped", flush=True)
        return []
    torch.set_num_threads(threads())
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    rows = []
    for device in devices:
        for name in names:
            if name not in torch_reference.BUILDERS:
                continue
            for n in batches:
                s = torch_reference.step_seconds(name, n, device, repeat=repeat)
                rows.append({"model": name, "backend": f"torch-{device}", "batch": n,
                             "step_ms": s * 1e3, "ms_per_image": s * 1e3 / n})
                print(f"torch {device} {name} batch {n}: {s * 1e3:.1f} ms", flush=True)
    return rows, torch.__version__


def plot(rows, path):
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    fig = Figure(figsize=(8, 4.5))
    ax = fig.add_subplot()
    labels = sorted({(r["model"], r["batch"]) for r in rows})
    backends = sorted({r["backend"] for r in rows})
    width = 0.8 / len(backends)
    for i, b in enumerate(backends):
        values = [next((r["step_ms"] for r in rows if r["backend"] == b and (r["model"], r["batch"]) == lab),
                       0) for lab in labels]
        ax.bar([j + i * width for j in range(len(labels))], values, width, label=b)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(labels))])
    ax.set_xticklabels([f"{m}\nbatch {n}" for m, n in labels], fontsize=7)
    ax.set_ylabel("training step (ms, lower is better)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=DEFAULT_MODELS)
    parser.add_argument("--batches", nargs="+", type=int, default=[100])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", default="benchmarks/out/models.json")
    parser.add_argument("--plot", default="benchmarks/out/models.png")
    parser.add_argument("--no-torch", action="store_true")
    args = parser.parse_args()

    kept = keep_freed_memory()  # for both frameworks alike: they share this process
    print(f"{datetime.date.today()} {platform.node()}: {threads()} threads, freed memory kept: {kept}",
          flush=True)
    rows, devices = [], {}
    for name, xp in backends_present():
        devices[name] = {"device": device_name(xp), "matmul_peak_gflops": matmul_peak(xp)}
        print(f"{name}: {devices[name]['device']}, matmul peak "
              f"{devices[name]['matmul_peak_gflops']:.0f} GFLOP/s", flush=True)
        for r in model_bench.run(args.models, args.batches, [(name, xp)], repeat=args.repeat):
            rows.append(r)
            print(f"minivae {name} {r['model']} batch {r['batch']}: {r['step_ms']:.1f} ms", flush=True)
    torch_version = None
    if not args.no_torch:
        result = torch_rows(args.models, args.batches, args.repeat)
        if result:
            more, torch_version = result
            rows += more
    print()
    print(markdown(rows, ["model", "backend", "batch", "step_ms", "ms_per_image"],
                   {"step_ms": "{:.1f}", "ms_per_image": "{:.3f}"}))
    save_json(args.json, {"date": datetime.date.today().isoformat(), "machine": platform.node(),
                          "threads": threads(), "devices": devices, "torch": torch_version,
                          "rows": rows})
    print(f"\nwritten: {args.json}, {plot(rows, args.plot)}")


if __name__ == "__main__":
    main()
