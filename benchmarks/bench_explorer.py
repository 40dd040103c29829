"""The latent explorer in headless Chromium: page size, and the time to decode and to encode.

    python benchmarks/bench_explorer.py --runs runs/fashion-vae           # pages of trained runs
    python benchmarks/bench_explorer.py --fresh fashion-vae faces-vae     # untrained models, random test images

A run folder's explorer.html is written by `minivae train` (or `minivae explore`);
--fresh builds the model and writes its page for 5,000 random test images, which
gives the same page size and decode time as a trained one (weights are weights).
Timing, in the page as a learner's pointer meets it: ``await window.minivae.decode(zs)``
from the main thread, the worker's pass and both messages included, one latent vector
at a time (the pointer) and ten at once (the morphing strip), and
``await window.minivae.encode([image])`` for one image (your drawing): ten warm-up
calls (the page has just started its worker and compiled nothing yet), then the median
of --repeat (at least 20). Prints a markdown table and writes
JSON (--json).
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [os.path.dirname(HERE)]  # minivae from this checkout

import numpy  # noqa: E402

from minivae import models  # noqa: E402
from minivae.viz.explorer import EXPLORER, write_explorer  # noqa: E402
from minivae.viz.explorer.contents import MAX_POINTS  # noqa: E402

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"]

# (what, n, repeat) -> ms per image of each timed call, after ten warm-up calls
TIME = """
const [what, n, repeat, done] = arguments;
const [dim, shape] = [window.minivae.latentDim, window.minivae.imageShape];
const size = shape.reduce((a, b) => a * b, 1);
(async () => {
  const times = [];
  for (let r = 0; r < repeat + 10; r++) {
    const inputs = what === "decode"
      ? Array.from({length: n}, () => Array.from({length: dim}, () => 2 * Math.random() - 1))
      : Array.from({length: n}, () => Array.from({length: size}, () => Math.random()));
    const start = performance.now();
    await window.minivae[what](inputs);
    if (r >= 10) times.push((performance.now() - start) / n);
  }
  return times;
})().then(done, (error) => done(String(error)));
"""


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    profile = tempfile.mkdtemp(prefix="minivae-bench-")
    options = webdriver.ChromeOptions()
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    options.binary_location = CHROMIUM
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_script_timeout(600)
    return driver, profile


def fresh_page(name, folder):
    model = models.build(name)
    x = numpy.random.default_rng(0).random((MAX_POINTS,) + tuple(model.input_shape), dtype=numpy.float32)
    labels = numpy.arange(MAX_POINTS) % 10 if name != "faces-vae" else numpy.arange(MAX_POINTS) % 2 == 0
    return write_explorer(model, os.path.join(folder, name), x, labels)  # the recipe's data set


def measure(driver, path, repeat):
    start = time.perf_counter()
    driver.get("file://" + os.path.abspath(path))
    load = time.perf_counter() - start
    info = driver.execute_script("return [window.minivae.model, window.minivae.latentDim, "
                                 "JSON.parse(document.getElementById('explorer-data').textContent).parameters]")
    times = {}
    for key, what, n in (("decode", "decode", 1), ("decode10", "decode", 10), ("encode", "encode", 1)):
        times[key] = driver.execute_async_script(TIME, what, n, repeat)
        if isinstance(times[key], str):
            raise RuntimeError(f"{path}: {what} failed in the page: {times[key]}")
    return {"page": path, "model": info[0], "latent_dim": info[1], "decoder_parameters": info[2],
            "page_bytes": os.path.getsize(path), "load_s": load, "repeat": repeat,
            "decode_ms_per_image": statistics.median(times["decode"]),
            "decode_ms_per_image_batch10": statistics.median(times["decode10"]),
            "encode_ms_per_image": statistics.median(times["encode"]), "times_ms": times}


def table(rows):
    lines = ["| model | page of | latent | decoder weights | page | load | decode, 1 point "
             "| decode, 10 at once (per point) | encode, 1 image |", "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['model']} | {r['kind']} | {r['latent_dim']} | {r['decoder_parameters']:,} | "
                     f"{r['page_bytes'] / 1e6:.2f} MB | {r['load_s']:.2f} s | {r['decode_ms_per_image']:.1f} ms | "
                     f"{r['decode_ms_per_image_batch10']:.1f} ms | {r['encode_ms_per_image']:.1f} ms |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", nargs="*", default=[], help="run folders holding explorer.html")
    parser.add_argument("--fresh", nargs="*", default=[], help="models to build untrained: " + ", ".join(models.MODELS))
    parser.add_argument("--repeat", type=int, default=30, help="timed calls per median (at least 20)")
    parser.add_argument("--json", default="benchmarks/out/explorer.json")
    args = parser.parse_args()
    if args.repeat < 20:
        parser.error("--repeat: the medians take at least 20 calls")
    work = tempfile.mkdtemp(prefix="minivae-pages-")
    pages = [os.path.join(r, EXPLORER) for r in args.runs] + [fresh_page(n, work) for n in args.fresh]
    driver, profile = browser()
    try:
        version = driver.capabilities.get("browserVersion")
        rows = [measure(driver, p, args.repeat) for p in pages]
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    for r, kind in zip(rows, ["a run"] * len(args.runs) + ["fresh"] * len(args.fresh)):
        r["kind"] = kind  # a trained run's page, or an untrained model's with random test images
    result = {"date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs",
              "chromium": version, "command": " ".join(sys.argv), "rows": rows}
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
    print(f"{result['date']}, {result['machine']}, headless Chromium {version}")
    print(table(rows))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
