#!/usr/bin/env python3
"""The project's entry points, runnable on a fresh machine that has only Python.

    python3 dev.py train        # make .venv, install minivae, train the book's Fashion-MNIST VAE
    python3 dev.py test         # make .venv, install minivae[dev], run the test suite
    python3 dev.py minivae ...  # any `minivae` command, run from .venv (e.g. minivae --help)
    python3 dev.py notebooks    # install JupyterLab into .venv and open the tutorials

Extra arguments go to `minivae train`, pytest, `minivae` or `jupyter lab`.
"""
import os
import subprocess
import sys
import venv

ROOT = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(ROOT, ".venv")
BIN = os.path.join(VENV, "Scripts" if os.name == "nt" else "bin")
FASHION = "/usr/share/datasets/fashion-mnist"


def run(*cmd):
    """Run ``cmd`` in the repository; stop with its exit status when it fails (no traceback)."""
    print("+", " ".join(cmd), flush=True)
    code = subprocess.run(cmd, cwd=ROOT).returncode
    if code:
        sys.exit(code)


def install(extras):
    if not os.path.exists(os.path.join(BIN, "python")):
        venv.create(VENV, with_pip=True)
    run(os.path.join(BIN, "python"), "-m", "pip", "install", "-q", "--upgrade", "pip")
    run(os.path.join(BIN, "python"), "-m", "pip", "install", "-q", "-e", f".[{extras}]" if extras else ".")


def fashion_mnist():
    """Install Debian's dataset-fashion-mnist when we are root and it is missing."""
    if os.path.isdir(FASHION) or os.environ.get("MINIVAE_DATA"):
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and os.path.exists("/usr/bin/apt-get"):
        run("apt-get", "update", "-qq")
        run("apt-get", "install", "-y", "-qq", "dataset-fashion-mnist")
    else:
        print("Fashion-MNIST not found: as root run `apt-get install dataset-fashion-mnist`, "
              "or set MINIVAE_DATA to a folder holding the four .gz files.", flush=True)


HOW_TO_RUN = ("minivae is installed in .venv: run it as `python3 dev.py minivae COMMAND` "
              "(e.g. `python3 dev.py minivae --help`), or `source .venv/bin/activate` first "
              "and then `minivae COMMAND`")


def installed(extras):
    """True when .venv already has minivae with ``extras`` (a second run skips pip)."""
    if not os.path.exists(os.path.join(BIN, "minivae")):
        return False
    if extras != "notebooks":
        return True
    return os.path.exists(os.path.join(BIN, "jupyter-lab"))


def main(argv):
    commands = ("train", "test", "minivae", "notebooks")
    if not argv or argv[0] not in commands:
        sys.exit(__doc__)
    what, rest = argv[0], argv[1:]
    if what == "test":
        install("dev")
        run(os.path.join(BIN, "python"), "-m", "pytest", *rest)
        print(HOW_TO_RUN, flush=True)
    elif what == "train":
        install("")
        fashion_mnist()
        run(os.path.join(BIN, "minivae"), "train", "--model", "fashion-vae", *rest)
        print(HOW_TO_RUN, flush=True)
    elif what == "minivae":
        if not installed(""):
            install("")
        sys.exit(subprocess.run([os.path.join(BIN, "minivae"), *rest], cwd=os.getcwd()).returncode)
    else:
        if not installed("notebooks"):
            install("notebooks")
        fashion_mnist()
        as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        run(os.path.join(BIN, "jupyter"), "lab", os.path.join(ROOT, "tutorials"), *as_root, *rest)


if __name__ == "__main__":
    main(sys.argv[1:])
