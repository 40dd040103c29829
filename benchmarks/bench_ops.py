"""Per-op benchmark at the book VAE's shapes, forward and backward, on every backend.

    python benchmarks/bench_ops.py [--batch 100] [--json benchmarks/out/ops.json]

The GFLOP/s column is next to the machine's measured float32 matmul peak.
"""
import argparse
import sys

from minivae.bench import quick


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", default="benchmarks/out/ops.json")
    args = parser.parse_args()
    quick.main(args.json, batch=args.batch, repeat=args.repeat)


if __name__ == "__main__":
    sys.exit(main())
