"""Per-op benchmark at the book VAE's shapes, forward and backward, on every backend.

    python benchmarks/bench_ops.py [--batch 100] [--json benchmarks/out/ops.json]

The GFLOP/s column is next to the machine's measured float32 matmul peak.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # this checkout

from minivae.bench import quick  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", default="benchmarks/out/ops.json")
    args = parser.parse_args()
    quick.main(args.json, batch=args.batch, repeat=args.repeat)


if __name__ == "__main__":
    sys.exit(main())
