"""`minivae evaluate`'s inner loop: milliseconds per decoded latent point, by decoder chunk size.

    python benchmarks/bench_evaluate.py                                  # fashion-vae and cvae
    python benchmarks/bench_evaluate.py --models fashion-vae --rows 16 64 500 --rounds 7
    python benchmarks/bench_evaluate.py --device gpu --rows 32 2048            # CuPy (gpu_check.sh)

IWAE_K on N images decodes N * K latent points, one decoder pass each: K = 1000 on
the 10,000 test images is 10^7 passes. This times what one point costs there:
VAELatentModel.log_px_given_z (decode, then log p(x|z) in float64) on 2,048 points,
with the points decoded ``rows`` at a time. Chunk sizes take turns within each
round (the machine is shared and noisy); the table gives the median over rounds,
the arithmetic rate (decoder multiply-adds x 2 / time) and the time that 10^7
points would take at that rate. Untrained weights: the time does not depend on them.
Writes JSON (--json).
"""
import argparse
import datetime
import os
import platform
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE)]  # minivae from this checkout

import numpy  # noqa: E402

from minivae import backend, models  # noqa: E402
from minivae.bench.report import markdown, save_json  # noqa: E402
from minivae.bench.timing import synchronize  # noqa: E402
from minivae.memory import keep_freed_memory  # noqa: E402
from minivae.evaluation.latent_model import latent_model  # noqa: E402
from minivae.nn import Conv2D, Conv2DTranspose, Dense  # noqa: E402
from minivae.nn.summary import leaf_layers  # noqa: E402

POINTS = 2048
DEFAULT_RUN = 10 ** 7  # K = 1000 samples on the 10,000 test images


def decoder_macs(decoder, latent_dim):
    """Multiply-adds of one decoder pass, from each layer's kernel and output shape."""
    macs, shape = 0, (latent_dim,)
    for layer in leaf_layers(decoder):
        if isinstance(layer, Dense):
            macs += layer.kernel.data.size
        elif isinstance(layer, Conv2DTranspose):  # (a subclass of Conv2D: test it first)
            macs += layer.kernel.data.size * int(numpy.prod(shape[1:]))  # per input pixel
        elif isinstance(layer, Conv2D):
            macs += layer.kernel.data.size * int(numpy.prod(layer.output_shape[1:]))  # per output pixel
        shape = tuple(layer.output_shape)
    return macs


def time_rows(lm, x, z, rows):
    """Seconds per point of log_px_given_z on all of z (n, 1, latent), decoded ``rows`` at a time."""
    lm.decode_rows = rows
    xp = backend.get_array_module(z)
    synchronize(xp)
    start = time.perf_counter()
    lm.log_px_given_z(x, z)
    synchronize(xp)  # a GPU's kernels run asynchronously: wait for them before the clock stops
    return (time.perf_counter() - start) / z.shape[0]


def bench(name, rows_list, rounds, points=POINTS, device="cpu"):
    model = models.build(name)
    model.eval()
    rng = numpy.random.default_rng(0)
    x = rng.random((points,) + tuple(model.input_shape), dtype=numpy.float32)
    if name == "cvae":
        x = (x > 0.5).astype(numpy.float32)  # the cvae's Bernoulli wants binary pixels
    model.to(device)
    lm = latent_model(model, x)  # checks the images (on the CPU) and takes the model's device
    x = backend.to_device(x, device)
    z = backend.to_device(rng.standard_normal((points, 1, lm.latent_dim)).astype(numpy.float32),
                          device)  # (points, 1, latent): one point per image
    macs = decoder_macs(model.decoder, lm.latent_dim)
    time_rows(lm, x[:256], z[:256], 64)  # warm-up: allocator, BLAS threads
    times = {rows: [] for rows in rows_list}
    for _ in range(rounds):
        for rows in rows_list:
            times[rows].append(time_rows(lm, x, z, rows))
    out = []
    for rows in rows_list:
        per_point = statistics.median(times[rows])
        out.append({"model": name, "device": device, "rows": rows, "ms_per_point": per_point * 1e3,
                    "ms_per_point_rounds": [t * 1e3 for t in times[rows]],
                    "decoder_macs": macs, "gflops": 2 * macs / per_point / 1e9,
                    "default_run_minutes": per_point * DEFAULT_RUN / 60})
    return out


def table(rows):
    return markdown(rows, ["model", "device", "decoder_macs", "rows", "ms_per_point", "gflops",
                           "default_run_minutes"],
                    {"decoder_macs": "{:,}", "ms_per_point": "{:.3f}", "gflops": "{:.1f}",
                     "default_run_minutes": "{:.0f}"})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="*", default=["fashion-vae", "cvae"])
    parser.add_argument("--rows", nargs="*", type=int, default=[16, 32, 64, 128, 500])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--points", type=int, default=POINTS, help="latent points decoded per round and size")
    parser.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    parser.add_argument("--allocator", choices=("keep", "default"), default="keep",
                        help="keep: minivae.memory.keep_freed_memory() first, as evaluate() does; "
                             "default: glibc's own thresholds (run it in its own process)")
    parser.add_argument("--json", default="benchmarks/out/evaluate.json")
    args = parser.parse_args()
    if args.allocator == "keep":
        keep_freed_memory()
    rows = [r for name in args.models for r in bench(name, args.rows, args.rounds, args.points, args.device)]
    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs",
              "numpy": numpy.__version__, "allocator": args.allocator, "command": " ".join(sys.argv),
              "rounds": args.rounds, "rows": rows}
    save_json(args.json, result)
    print(f"{result['date']}, {result['machine']}, NumPy {numpy.__version__}, median of {args.rounds} rounds, "
          f"allocator: {args.allocator}")
    print(table(rows))


if __name__ == "__main__":
    main()
