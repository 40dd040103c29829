"""Peak memory of training steps, minivae vs PyTorch, each in a fresh process.

    python benchmarks/peak_memory.py [--model fashion-vae] [--batch 100] [--steps 30]

Each framework runs in its own subprocess: it imports, builds the model and a
batch, notes its peak resident memory, trains ``--steps`` steps, and reports
how much the peak grew (ru_maxrss): the memory the training itself needed.
The steps are the epoch's steps on one repeated batch, so the number is the
peak of an epoch without the data set itself.
"""
import argparse
import json
import os
import resource
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]  # torch_reference, and minivae from this checkout


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def child(framework, model, batch, steps):
    if framework == "minivae":
        from minivae import backend, models, optim
        from minivae.bench.models import example_batch
        from minivae.memory import keep_freed_memory
        import numpy
        keep_freed_memory()
        backend.manual_seed(0)
        m = models.build(model)
        opt = optim.Adam(m.parameters(), lr=1e-4)
        x = example_batch(m, batch, numpy)
        before = peak_mib()
        for _ in range(steps):
            m.train_step(x, opt)
    else:
        import torch
        import torch_reference
        from minivae.memory import keep_freed_memory
        keep_freed_memory()
        m = torch_reference.BUILDERS[model]()
        opt = torch.optim.Adam(m.parameters(), lr=1e-4)
        x = torch.rand((batch,) + torch_reference.INPUT_SHAPES[model])
        before = peak_mib()
        for _ in range(steps):
            opt.zero_grad()
            m.loss(x).backward()
            opt.step()
    print(json.dumps({"framework": framework, "model": model, "batch": batch,
                      "peak_growth_mib": peak_mib() - before, "peak_mib": peak_mib()}))


def measure(framework, model, batch, steps):
    out = subprocess.run([sys.executable, __file__, "--child", framework, "--model", model,
                          "--batch", str(batch), "--steps", str(steps)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        return {"framework": framework, "model": model, "error": out.stderr.strip().splitlines()[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="fashion-vae")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--child", choices=("minivae", "torch"))
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.model, args.batch, args.steps)
    for framework in ("minivae", "torch"):
        r = measure(framework, args.model, args.batch, args.steps)
        if "error" in r:
            print(f"{framework}: skipped ({r['error']})")
        else:
            print(f"{framework} {args.model} batch {args.batch}: peak grew {r['peak_growth_mib']:.0f} MiB "
                  f"during {args.steps} steps (process peak {r['peak_mib']:.0f} MiB)")


if __name__ == "__main__":
    main()
