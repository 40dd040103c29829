"""`minivae bench`: the quick set. Per-op table and the book VAE's training step, every backend."""
import datetime
import platform

from ..memory import keep_freed_memory
from . import models as model_bench
from . import ops as op_bench
from .report import markdown, save_json
from .timing import backends_present, device_name, matmul_peak, threads


def main(json_path="benchmarks/out/quick.json", batch=100, repeat=5):
    keep_freed_memory()  # as fit() does: time the steps a training run takes
    payload = {"date": datetime.date.today().isoformat(), "machine": platform.node(),
               "threads": threads(), "backends": {}}
    for name, xp in backends_present():
        peak = matmul_peak(xp)
        print(f"\n## {name}: {device_name(xp)}; float32 matmul peak {peak:.0f} GFLOP/s\n")
        ops = op_bench.run(xp, n=batch, repeat=repeat)
        for r in ops:
            r["peak_fraction"] = None if r["gflops"] is None else r["gflops"] / peak
        print(markdown(ops, ["op", "forward_ms", "forward_backward_ms", "gflops", "peak_fraction"],
                       {"forward_ms": "{:.2f}", "forward_backward_ms": "{:.2f}", "gflops": "{:.1f}",
                        "peak_fraction": "{:.0%}"}))
        steps = model_bench.run(["fashion-vae"], [batch], [(name, xp)], repeat=repeat)
        print()
        print(markdown(steps, ["model", "backend", "batch", "step_ms", "ms_per_image"],
                       {"step_ms": "{:.1f}", "ms_per_image": "{:.3f}"}))
        payload["backends"][name] = {"device": device_name(xp), "matmul_peak_gflops": peak,
                                     "ops": ops, "steps": steps}
    print(f"\nwritten: {save_json(json_path, payload)}")
    return payload
