#!/usr/bin/env python3
"""The project's entry points, runnable on a fresh machine that has only Python.

    python3 dev.py train        # make .venv, install minivae, train the book's Fashion-MNIST VAE
    python3 dev.py test         # make .venv, install minivae[dev], run the test suite
    python3 dev.py minivae ...  # any `minivae` command, run from .venv (e.g. minivae --help)
    python3 dev.py notebooks    # install JupyterLab into .venv and open the tutorials
    python3 dev.py docs         # install minivae[docs] into .venv, build the book in docs/_build/html
    python3 dev.py exercises    # write tutorials/exercises/ from their sources in tutorials/solutions/

Extra arguments go to `minivae train`, pytest, `minivae`, `jupyter lab` or sphinx-build
(e.g. -W --keep-going). MINIVAE_QUICK=1 python3 dev.py docs builds the quick book (the
notebooks on small subsets, one epoch).
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


def installed(program):
    """True when .venv already has ``program`` (a second run skips pip)."""
    return os.path.exists(os.path.join(BIN, program))


def pytest_arguments(rest):
    """pytest's arguments: ``rest`` less a lone -q, which setup.cfg's addopts already gives (a
    second one, -qq, would hide pytest's closing count of passed, failed and skipped tests)."""
    return [a for a in rest if a != "-q"]


def docs_run(quick):
    """(run folder, how) for the book's trained-model page, trained here when there is none.

    MINIVAE_DOCS_RUN if set ("given"); else runs/fashion-vae, what `python3 dev.py train`
    leaves ("found"); else a full build trains it there with the book's recipe ("trained")
    and a quick build shows the VAE minivae ships (minivae/trained: the book's recipe for one
    epoch), its figures drawn into docs/_build/shipped-run ("quick"). Training happens here,
    before sphinx-build, never inside the build.
    """
    given = os.environ.get("MINIVAE_DOCS_RUN")
    if given:
        return given, "given"
    main_run = os.path.join(ROOT, "runs", "fashion-vae")
    if all(os.path.exists(os.path.join(main_run, f)) for f in ("history.json", "explorer.html")):
        return main_run, "found"
    if quick:
        shipped = os.path.join(ROOT, "docs", "_build", "shipped-run")
        if not os.path.exists(os.path.join(shipped, "report.html")):
            print(f"The quick book's trained-model page: the shipped VAE, drawn in {shipped}.", flush=True)
            run(os.path.join(BIN, "python"), "-m", "minivae.trained.pack", "--unpack", shipped)
            for command in ("explore", "report"):  # the explorer first, so that the report links to it
                run(os.path.join(BIN, "minivae"), command, shipped)
        return shipped, "quick"
    if not os.path.exists(os.path.join(main_run, "explorer.html")):
        print(f"No run folder for the book's trained-model page: training one in {main_run}.", flush=True)
        # --overwrite: a run there without its explorer.html (stopped, or --no-figures) is replaced
        run(os.path.join(BIN, "minivae"), "train", "--model", "fashion-vae", "--out", main_run, "--overwrite")
    return main_run, "trained"


def docs(rest):
    """Build the book: MyST-NB executes the notebooks through its cache, one cache per mode."""
    install("docs")
    quick = os.environ.get("MINIVAE_QUICK") == "1"
    mode = "quick" if quick else "full"
    print(f"Building the minivae book, {mode} mode"
          + (" (MINIVAE_QUICK=1: notebooks on small subsets, one epoch)." if mode == "quick" else
             " (the notebooks with the book's settings, see README for how long;"
             " MINIVAE_QUICK=1 for the quick version)."), flush=True)
    print("A notebook runs again only when it changed (cache: docs/_build/.jupyter_cache-" + mode + ").",
          flush=True)
    fashion_mnist()
    os.environ.setdefault("MPLBACKEND", "Agg")
    os.environ["MINIVAE_DOCS_RUN"], os.environ["MINIVAE_DOCS_RUN_HOW"] = docs_run(quick)
    run(os.path.join(BIN, "sphinx-build"), "-b", "html", "-d", os.path.join("docs", "_build", "doctrees-" + mode),
        "docs", os.path.join("docs", "_build", "html"), *rest)
    index = os.path.join(ROOT, "docs", "_build", "html", "index.html")
    print(f"\nThe book is built. Open it in a browser (it needs no network):\n    file://{index}", flush=True)


def main(argv):
    commands = ("train", "test", "minivae", "notebooks", "docs", "exercises")
    if not argv or argv[0] not in commands:
        sys.exit(__doc__)
    what, rest = argv[0], argv[1:]
    if what == "test":
        install("dev")
        print(HOW_TO_RUN, flush=True)  # before pytest: its count of passed and failed ends the output
        run(os.path.join(BIN, "python"), "-m", "pytest", *pytest_arguments(rest))
    elif what == "train":
        install("")
        fashion_mnist()
        run(os.path.join(BIN, "minivae"), "train", "--model", "fashion-vae", *rest)
        print(HOW_TO_RUN, flush=True)
    elif what == "docs":
        docs(rest)
    elif what == "exercises":  # each learner's file, its solution's source with the solution cut out
        if not installed("minivae"):
            install("")
        run(os.path.join(BIN, "python"), "-m", "minivae.exercises.learner",
            os.path.join("tutorials", "solutions"), os.path.join("tutorials", "exercises"))
    elif what == "minivae":
        if not installed("minivae"):
            install("")
        sys.exit(subprocess.run([os.path.join(BIN, "minivae"), *rest], cwd=os.getcwd()).returncode)
    else:
        if not installed("jupyter-lab"):
            install("notebooks")
        fashion_mnist()
        as_root = ["--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
        run(os.path.join(BIN, "jupyter"), "lab", os.path.join(ROOT, "tutorials"), *as_root, *rest)


if __name__ == "__main__":
    main(sys.argv[1:])
