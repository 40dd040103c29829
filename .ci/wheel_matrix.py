#!/usr/bin/env python3
"""minivae as a user gets it from pip: build the sdist and the wheel, install the wheel (not
editable) into clean virtual environments, and run a short train, report, explore and evaluate
from each, in a folder that is not the checkout.

The matrix, from pyenv's Pythons (~/.pyenv/versions) where they are present:
    oldest Python (3.9) x the oldest versions setup.cfg allows (numpy==1.22, Pillow==9.0, ...)
    newest Python       x the newest releases pip finds
(the oldest floors on the newest Python do not exist: NumPy 1.22 has no wheel for 3.13). A
Python that is absent is skipped with a line that says so. Needs the network for pip (PyPI) and
Fashion-MNIST (Debian's dataset-fashion-mnist). Prints one line per cell and a table, writes
benchmarks/out/wheel_matrix.json, exits 1 when a cell failed.

    python3 .ci/wheel_matrix.py            # what .ci/run calls
"""
import configparser
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYENV = os.path.expanduser("~/.pyenv/versions")
LIMIT = "200"  # training and validation images: two optimizer steps, the figures still drawn
# what a pip user types, after `pip install minivae`; RUN is the run folder
COMMANDS = [["--version"],
            ["train", "--epochs", "1", "--limit", LIMIT, "--out", "RUN", "--seed", "0"],
            ["report", "RUN"],
            ["explore", "RUN"],
            ["evaluate", "RUN", "--limit", "50", "--samples", "2"]]


def floors():
    """``name==floor`` for each of setup.cfg's install_requires (``numpy>=1.22`` -> ``numpy==1.22``)."""
    config = configparser.ConfigParser()
    config.read(os.path.join(ROOT, "setup.cfg"))
    pins = []
    for line in config["options"]["install_requires"].split("\n"):
        match = re.fullmatch(r"\s*([A-Za-z0-9_.-]+)\s*>=\s*([0-9.]+)\s*", line)
        if match:
            pins.append(f"{match[1]}=={match[2]}")
    return pins


def pythons():
    """(oldest, newest) CPython 3.x of pyenv that setup.cfg's python_requires (>= 3.9) admits;
    None where pyenv has none."""
    found = []
    for path in glob.glob(os.path.join(PYENV, "3.*", "bin", "python3")):
        version = tuple(int(p) for p in os.path.basename(os.path.dirname(os.path.dirname(path))).split("."))
        if version >= (3, 9):
            found.append((version, path))
    found.sort()
    return (found[0], found[-1]) if found else (None, None)


def run(cmd, cwd, env, log):
    """Run ``cmd``; its output goes to ``log``; return its output, raising on a failure."""
    done = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    log.write(f"$ {' '.join(cmd)}\n{done.stdout}\n")
    if done.returncode:
        tail = "\n".join(done.stdout.splitlines()[-15:])
        raise RuntimeError(f"`{' '.join(cmd)}` exited {done.returncode}:\n{tail}")
    return done.stdout


def build(work, env, log):
    """The sdist, and the wheel built from it (so a file the sdist forgets fails here)."""
    venv = os.path.join(work, "build-venv")
    run([sys.executable, "-m", "venv", venv], work, env, log)
    run([os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q", "build"], work, env, log)
    dist = os.path.join(work, "dist")
    run([os.path.join(venv, "bin", "python"), "-m", "build", "--outdir", dist, ROOT], work, env, log)
    (wheel,) = glob.glob(os.path.join(dist, "*.whl"))
    (sdist,) = glob.glob(os.path.join(dist, "*.tar.gz"))
    return wheel, sdist


def cell(python, pins, wheel, work, env, log):
    """One clean venv: install the wheel (with ``pins``, or the newest releases), then each command."""
    venv = os.path.join(work, "venv")
    run([python, "-m", "venv", venv], work, env, log)
    pip = [os.path.join(venv, "bin", "python"), "-m", "pip", "install", "-q"]
    run(pip + ([wheel] + pins if pins else ["--upgrade", wheel]), work, env, log)
    versions = run([os.path.join(venv, "bin", "python"), "-c",
                    "import sys, numpy, matplotlib, PIL, tqdm; print(sys.version.split()[0], "
                    "numpy.__version__, matplotlib.__version__, PIL.__version__, tqdm.__version__)"],
                   work, env, log).split()
    outputs = []
    for command in COMMANDS:
        outputs.append(run([os.path.join(venv, "bin", "minivae")] +
                           [os.path.join(work, "run") if a == "RUN" else a for a in command],
                           work, env, log))
    run([os.path.join(venv, "bin", "python"), "-c", "from minivae.trained import book_vae; book_vae()"],
        work, env, log)  # the shipped VAE is in the wheel and loads
    if "`minivae train --model fashion-vae`" not in outputs[1]:  # a pip user's hint, not dev.py's
        raise RuntimeError("train's short-run hint does not name `minivae train --model fashion-vae`")
    return dict(zip(["python", "numpy", "matplotlib", "Pillow", "tqdm"], versions))


def main():
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MINIVAE_CUPY_STANDIN", "MINIVAE_BACKEND")}
    env.update(MPLBACKEND="Agg", PIP_DISABLE_PIP_VERSION_CHECK="1")
    oldest, newest = pythons()
    plan = [("oldest Python, oldest versions", oldest, floors()),
            ("newest Python, newest versions", newest, [])]
    results, failed = [], False
    started = time.perf_counter()
    work = tempfile.mkdtemp(prefix="minivae-wheels-")
    try:
        with open(os.path.join(work, "log.txt"), "w") as log:
            wheel, sdist = build(work, env, log)
            print(f"wheel matrix: built {os.path.basename(sdist)} and {os.path.basename(wheel)} from it "
                  f"({time.perf_counter() - started:.0f} s)", flush=True)
            for name, python, pins in plan:
                if python is None:
                    print(f"wheel matrix: {name}: skipped, no Python >= 3.9 under {PYENV}", flush=True)
                    results.append({"cell": name, "status": "skipped"})
                    continue
                cell_started = time.perf_counter()
                folder = os.path.join(work, re.sub(r"\W+", "-", name))
                os.makedirs(folder)
                try:
                    versions = cell(python[1], pins, wheel, folder, env, log)
                    status = "passed"
                except RuntimeError as exc:
                    versions, status, failed = {}, "failed", True
                    print(f"wheel matrix: {name}: {exc}", flush=True)
                seconds = time.perf_counter() - cell_started
                results.append({"cell": name, "status": status, "seconds": round(seconds, 1), **versions})
                print(f"wheel matrix: {name}: {status} in {seconds:.0f} s "
                      f"({', '.join(f'{k} {v}' for k, v in versions.items())})", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = time.perf_counter() - started
    out = os.path.join(ROOT, "benchmarks", "out", "wheel_matrix.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump({"cells": results, "seconds": round(total, 1), "commands": COMMANDS}, f, indent=1)
    print(f"wheel matrix: {sum(r['status'] == 'passed' for r in results)} cells passed, "
          f"{sum(r['status'] == 'failed' for r in results)} failed, "
          f"{sum(r['status'] == 'skipped' for r in results)} skipped, in {total:.0f} s ({out})", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
