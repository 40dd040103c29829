"""Pages of the minivae book made at build time from the code, so they never drift from it.

Every generated source goes under docs/_generated/ (never beside the hand-written pages):

- _generated/exercises/: one page per tutorials/exercises/NN_name.py: its docstring (the
  op), the given forward, what to derive and the hints (backward's docstring), the check
  command, and the worked backward of tutorials/solutions/ folded in a dropdown;
- _generated/trained-model/: a run folder's figures, its report.html and explorer.html.
  The run is $MINIVAE_DOCS_RUN, which `python3 dev.py docs` sets: to runs/fashion-vae
  (what `python3 dev.py train` leaves), trained first where missing, or in a quick build
  to a one-epoch run it trains. Nothing is trained here, inside the build;
- _generated/learning_path.md: the landing page's table, from tutorials/learning_path.json
  (learning_path.py, which also makes tutorials/README.md's table) and the measured times;
- _static/mathjax/: MathJax 3 from the django-static-mathjax wheel, so math renders offline.

Generated sources are written only when their text changes, so that Sphinx re-reads
nothing on a second build.
"""
import ast
import os
import shutil
import textwrap
from pathlib import Path

from sphinx.util import logging

from learning_path import chapters

logger = logging.getLogger(__name__)

DOCS = Path(__file__).resolve().parents[1]
ROOT = DOCS.parent
EXERCISES, SOLUTIONS = ROOT / "tutorials" / "exercises", ROOT / "tutorials" / "solutions"
GENERATED = "_generated"  # under the source folder: every page this extension writes


def write_if_changed(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


# --- exercises -------------------------------------------------------------------------

def _function_class(tree):
    """The exercise's minivae.Function subclass: the class that defines backward."""
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and any(
                isinstance(f, ast.FunctionDef) and f.name == "backward" for f in node.body):
            return node
    raise ValueError("no class with a backward method")


def _method(cls, name):
    return next(f for f in cls.body if isinstance(f, ast.FunctionDef) and f.name == name)


def _source(text, node):
    """The source of one method, dedented, as the file writes it."""
    lines = text.splitlines()[node.lineno - 1:node.end_lineno]
    if node.decorator_list:
        lines = text.splitlines()[node.decorator_list[0].lineno - 1:node.end_lineno]
    return textwrap.dedent("\n".join(lines))


def _check_dict(tree):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "CHECK" for t in node.targets):
            return node.value
    raise ValueError("no CHECK dict")


def _dict_get(node, key):
    for k, v in zip(node.keys, node.values):
        if isinstance(k, ast.Constant) and k.value == key:
            return v
    return None


def _prose(docstring):
    """A plain-text docstring as Markdown: 4-space-indented blocks become code blocks."""
    out, block = [], []

    def flush():
        while block and not block[-1].strip():
            block.pop()
        if block:
            out.extend(["```text", *block, "```", ""])
        block.clear()

    for line in docstring.splitlines():
        if line.startswith("    ") or (block and not line.strip()):
            block.append(line[4:])
            continue
        flush()
        out.append(line)
    flush()
    return "\n".join(out).strip() + "\n"


def _hints(backward_doc):
    """backward's docstring: its first paragraph says what to return, 'Hints:' the rest."""
    what, _, hints = backward_doc.partition("Hints:")
    return " ".join(what.split()), textwrap.dedent(hints).strip()


def _reference_sentence(reference):
    """The library op that the checker compares the forward with, linked to the API when public."""
    if reference.startswith("minivae.exercises."):
        import importlib
        module, _, name = reference.rpartition(".")
        doc = (importlib.import_module(module).__dict__[name].__doc__ or "").strip().splitlines()[0]
        return (f"The checker compares your forward with `{reference}`: {doc.rstrip('.')}.")
    return f"The checker compares your forward with the library's own op, {{py:func}}`{reference}`."


def exercise_page(path):
    """The Markdown of one exercise page, from the exercise file and its solution."""
    text = path.read_text(encoding="utf-8")
    tree = ast.parse(text)
    title, _, body = ast.get_docstring(tree).partition("\n")
    cls = _function_class(tree)
    what, hints = _hints(ast.get_docstring(_method(cls, "backward")) or "")
    check = _check_dict(tree)
    reference = _dict_get(check, "reference").value
    cases = ast.literal_eval(_dict_get(check, "cases"))
    solution_path = SOLUTIONS / path.name
    from minivae.exercises.learner import solution_code
    solution_text = solution_code(solution_path.read_text(encoding="utf-8"), str(solution_path))
    solution = _source(solution_text, _method(_function_class(ast.parse(solution_text)), "backward"))
    forward = _source(text, _method(cls, "forward"))
    command = f"minivae exercise check tutorials/exercises/{path.name}"
    shapes = "; ".join(", ".join(f"{k} {tuple(v)}" for k, v in case.items() if k != "kwargs")
                       + (f" with {case['kwargs']}" if case.get("kwargs") else "") for case in cases)
    return "\n".join([
        f"<!-- Generated from tutorials/exercises/{path.name} by docs/_ext/minivae_book.py: "
        "edit the exercise, not this page. -->",
        f"# {title.rstrip('.')}", "",
        _prose(textwrap.dedent(body)),
        _reference_sentence(reference),
        "",
        f"## The op: `{cls.name}`, forward given", "",
        f"{ast.get_docstring(cls) or ''}", "",
        "```python", forward, "```", "",
        "## What to derive", "",
        f"Write `{cls.name}.backward(self, gy)`: {what}", "",
        "## Hints", "",
        hints, "",
        "## Check your answer", "",
        f"Open `tutorials/exercises/{path.name}`, replace the `raise NotImplementedError` in "
        "`backward`, then run:", "",
        "```bash", command, "```", "",
        "It compares the forward with minivae's op, then runs `minivae.gradcheck` in float64 on "
        f"these shapes: {shapes}. It prints `PASS` (exit 0), or what is wrong: not written yet, "
        "which input's gradient, at which element, your value against the central difference.",
        "",
        "## Solution", "",
        ":::{dropdown} The worked backward (try first)",
        f"From `tutorials/solutions/{solution_path.name}`:", "",
        "```python", solution, "```",
        ":::", "",
    ])


def exercise_pages(srcdir):
    files = sorted(EXERCISES.glob("[0-9][0-9]_*.py"))
    names = []
    for path in files:
        write_if_changed(srcdir / GENERATED / "exercises" / f"{path.stem}.md", exercise_page(path))
        names.append(path.stem)
    index = "\n".join([
        "<!-- Generated by docs/_ext/minivae_book.py from tutorials/exercises/. -->",
        "# Gradient exercises", "",
        "One file per op in `tutorials/exercises/`: its `forward` is written, its `backward` is "
        "yours. Each page below gives the op, what to derive, hints, the command that checks "
        "your attempt, and a worked solution folded away. The files are the exercises; these "
        "pages are made from them at every build.", "",
        "```{toctree}", ":maxdepth: 1", "", *names, "```", "",
    ])
    write_if_changed(srcdir / GENERATED / "exercises" / "index.md", index)


# --- the learning path ----------------------------------------------------------------

def _minutes(seconds):
    if seconds is None:
        return "not measured"
    if seconds < 10:
        return f"{seconds:.1f} s"
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def learning_path(srcdir):
    """The landing page's table: tutorials/learning_path.json's line per notebook, with measured times.

    docs/chapter_times.json holds what each notebook took to execute in a docs build on
    2 CPU cores (MyST-NB's "Executed notebook in N seconds"), in full and quick mode.
    """
    import json
    times = json.loads((DOCS / "chapter_times.json").read_text())
    lines = ["| chapter | what it shows | full mode | quick mode |", "| --- | --- | --- | --- |"]
    for name, shows in chapters():
        lines.append(f"| {{doc}}`/tutorials/{name}` | {shows} | "
                     f"{_minutes(times['full'].get(name))} | {_minutes(times['quick'].get(name))} |")
    lines += ["", f"Measured {times['measured']}."]
    write_if_changed(srcdir / GENERATED / "learning_path.md", "\n".join(lines) + "\n")


# --- the trained model -----------------------------------------------------------------

def run_folder():
    """(the run folder to show, how it came) from what `python3 dev.py docs` set.

    MINIVAE_DOCS_RUN names the folder; MINIVAE_DOCS_RUN_HOW says how dev.py found it:
    "given" (by you), "found" (runs/fashion-vae was there), "trained" (dev.py trained it)
    or "quick" (the quick build's one-epoch run).
    """
    given = os.environ.get("MINIVAE_DOCS_RUN")
    if not given:
        raise FileNotFoundError("minivae book: no run folder to show (MINIVAE_DOCS_RUN is not set). "
                                "Build the book with `python3 dev.py docs`, which finds or trains one, "
                                "or set MINIVAE_DOCS_RUN to a folder `minivae train` wrote")
    path = Path(given) if Path(given).is_absolute() else ROOT / given
    if not (path / "history.json").exists():
        raise FileNotFoundError(f"MINIVAE_DOCS_RUN={given}: no history.json there; give the folder "
                                "that `minivae train` wrote (e.g. runs/fashion-vae)")
    return path, os.environ.get("MINIVAE_DOCS_RUN_HOW", "given")


def _model_name(run):
    """The model a run folder holds, from its checkpoint's record (minivae.run_settings)."""
    from minivae.run_settings import SavedRun
    from minivae.training import read_checkpoint
    try:
        return SavedRun.from_meta(read_checkpoint(run / "checkpoint.npz")[2]).settings.model
    except (OSError, ValueError):
        return "fashion-vae"


def trained_model_page(srcdir, run, how):
    import json
    from minivae.viz.run_figures import CAPTIONS  # the run report's own captions, in its order
    history = json.loads((run / "history.json").read_text())  # one record per epoch
    figures = srcdir / GENERATED / "trained-model"
    figures.mkdir(parents=True, exist_ok=True)
    shown = []
    for name, caption in CAPTIONS.items():
        if name.endswith((".png", ".gif")) and (run / name).exists():
            if not (figures / name).exists() or (figures / name).read_bytes() != (run / name).read_bytes():
                shutil.copyfile(run / name, figures / name)
            shown += [f"```{{figure}} {name}", ":width: 100%", "", caption, "```", ""]
    model = _model_name(run)
    where = {"given": f"the run folder given to the build (`MINIVAE_DOCS_RUN`: `{run.name}`)",
             "found": "`runs/fashion-vae`, the run that `python3 dev.py train` leaves",
             "trained": "`runs/fashion-vae`, trained by this build with the book's recipe",
             "quick": ("the VAE that minivae ships (`minivae.trained.book_vae()`: the book's recipe "
                       "for **one** epoch, 600 steps, so its figures are a little rough); a full "
                       "build shows the book's 5-epoch run")}[how]
    last = history[-1] if history else {}
    numbers = ", ".join(f"{k} {v:.2f}" for k, v in last.items() if isinstance(v, (int, float))
                        and k not in ("epoch", "seconds"))
    links = []
    if (run / "explorer.html").exists():
        links.append('<a href="explorer.html">Open the latent explorer</a> (explorer.html: the '
                     "latent space to move through; the image under the pointer is decoded in your "
                     "browser)")
    if (run / "report.html").exists():
        links.append('<a href="report.html">The run report</a> (report.html: hyperparameters, '
                     "layer tables, loss history, every figure)")
    text = "\n".join([
        "<!-- Generated by docs/_ext/minivae_book.py from a run folder. -->",
        "# A trained model", "",
        f"`minivae train --model {model}`, as {where}. Every figure below is the one "
        "`minivae train` wrote into the run folder, with the run report's caption.", "",
        f"After epoch {last.get('epoch', len(history))}: {numbers}." if numbers else "", "",
        *(["```{raw} html", '<p class="minivae-run-links">' + " &middot; ".join(links) + "</p>", "```", ""]
          if links else []),
        "Make your own with `python3 dev.py train`: it leaves `runs/fashion-vae/` with these "
        "figures, `report.html` and `explorer.html`.", "",
        *shown,
    ])
    write_if_changed(figures / "index.md", text)


# --- Sphinx hooks ------------------------------------------------------------------------

def builder_inited(app):
    srcdir = Path(app.srcdir)
    exercise_pages(srcdir)
    learning_path(srcdir)
    logger.info("minivae book: %d exercise pages from tutorials/exercises/",
                len(list(EXERCISES.glob("[0-9][0-9]_*.py"))))
    run, how = run_folder()
    app.env.minivae_run = str(run)
    trained_model_page(srcdir, run, how)
    logger.info("minivae book: the trained-model page shows %s (%s)", run, how)


def build_finished(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    import mathjax  # the django-static-mathjax wheel: MathJax 3's es5 bundle as files
    source = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    shutil.copytree(source, out / "_static" / "mathjax", dirs_exist_ok=True)
    run = Path(app.env.minivae_run)
    for name in ("explorer.html", "report.html"):
        if (run / name).exists():
            shutil.copyfile(run / name, out / GENERATED / "trained-model" / name)
    logger.info("minivae book: MathJax copied to _static/mathjax, explorer.html and report.html "
                "to %s/trained-model/", GENERATED)


def setup(app):
    app.add_config_value("minivae_quick", False, "env")
    app.connect("builder-inited", builder_inited)
    app.connect("build-finished", build_finished)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
