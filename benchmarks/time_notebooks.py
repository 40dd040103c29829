"""How long each tutorial notebook takes to run in full mode: the times the notebooks state.

    python3 benchmarks/time_notebooks.py [04 05 07 ...] [--quick] [--json benchmarks/out/notebooks.json]

Each notebook runs top to bottom in a fresh python3 kernel (nbclient), from
tutorials/ as JupyterLab runs it (so notebooks 05 and 07 find ../runs/fashion-vae
when `python3 dev.py train` made it). Prints a table and writes JSON; outputs are
not saved back.
"""
import argparse
import json
import os
import platform
import time
from pathlib import Path

import nbclient
import nbformat

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "tutorials"


def run(path, quick):
    env_quick = os.environ.get("MINIVAE_QUICK")
    os.environ["MINIVAE_QUICK"] = "1" if quick else "0"
    os.environ.setdefault("MPLBACKEND", "Agg")
    try:
        nb = nbformat.read(path, as_version=4)
        started = time.perf_counter()
        nbclient.NotebookClient(nb, timeout=3600, kernel_name="python3",
                                resources={"metadata": {"path": str(TUTORIALS)}}).execute()
        return time.perf_counter() - started
    finally:
        if env_quick is None:
            os.environ.pop("MINIVAE_QUICK")
        else:
            os.environ["MINIVAE_QUICK"] = env_quick


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("which", nargs="*", help="notebook numbers, e.g. 04 05 (default: all)")
    parser.add_argument("--quick", action="store_true", help="MINIVAE_QUICK=1, as the tests run them")
    parser.add_argument("--json", default="benchmarks/out/notebooks.json")
    args = parser.parse_args()
    paths = sorted(TUTORIALS.glob("[0-9][0-9]_*.ipynb"))
    if args.which:
        paths = [p for p in paths if p.name[:2] in args.which]
    runs_present = (ROOT / "runs" / "fashion-vae" / "checkpoint.npz").exists()
    rows = []
    print(f"{'notebook':<34}{'mode':>7}{'seconds':>10}", flush=True)
    for path in paths:
        seconds = run(path, args.quick)
        rows.append({"notebook": path.stem, "seconds": round(seconds, 1)})
        print(f"{path.stem:<34}{'quick' if args.quick else 'full':>7}{seconds:>10.1f}", flush=True)
    out = {"date": time.strftime("%Y-%m-%d"), "machine": platform.processor() or platform.machine(),
           "cpus": os.cpu_count(), "mode": "quick" if args.quick else "full",
           "runs/fashion-vae present": runs_present, "notebooks": rows}
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(out, f, indent=1)
    print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
