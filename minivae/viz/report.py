"""The run report: one self-contained report.html per run folder.

The run's settings, the data set and its classes, the model's layer tables, the loss history and every figure,
with the images embedded as base64 ``data:`` URIs, so the single file can be
mailed, copied off a GPU server or opened offline and still show everything.

This module writes the HTML and nothing else: the figures are drawn by
:mod:`.run_figures`, and ``minivae report`` (load a run, redraw it) is
:func:`minivae.redraw.rebuild_report`.
"""
import base64
import html
import json
import math
import os

from ..evaluation import load_evaluation
from ..short_run import short_run_warning
from .evaluation_figures import is_evaluation_figure
from .evaluation_section import evaluation_table_html
from .explorer import EXPLORER

REPORT = "report.html"
MIME = {".png": "image/png", ".gif": "image/gif", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}

STYLE = """
body { font-family: -apple-system, Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ddd; }
table { border-collapse: collapse; font-size: 0.9em; }
td, th { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: right; }
th { background: #f3f3f3; } td.key { text-align: left; font-weight: 600; }
td.value { text-align: left; }
pre { background: #f7f7f7; padding: 0.8em; overflow-x: auto; font-size: 0.8em; }
figure { margin: 1.2em 0; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { font-size: 0.9em; color: #555; margin-top: 0.3em; }
p.short-run { background: #fff4d6; border: 1px solid #e0b84d; padding: 0.7em 1em; }
"""


def data_uri(path):
    """The file's bytes as a ``data:<mime>;base64,...`` URI, for an <img> needing no other file."""
    mime = MIME.get(os.path.splitext(path)[1].lower(), "application/octet-stream")
    with open(path, "rb") as f:
        return f"data:{mime};base64," + base64.b64encode(f.read()).decode("ascii")


def _cell(value):
    if isinstance(value, float):
        return "nan" if math.isnan(value) else f"{value:.6g}"
    if isinstance(value, (list, tuple)):
        return html.escape(json.dumps(value))
    return html.escape(str(value))


def _hyperparameters(run):
    """The run's settings (minivae.run_settings.RunSettings) and how far it went, as a table."""
    if run is None:
        return "<p>(no settings recorded)</p>"
    rows = "".join(f'<tr><td class="key">{html.escape(name)}</td><td class="value">{_cell(value)}</td></tr>'
                   for name, value in run.settings.lines() + run.progress_lines())
    return f'<table class="settings">{rows}</table>'


MONTE_CARLO_KL = (
    "This model's kl_loss is a Monte-Carlo estimate, as its source computes it: log q(z|x) - log p(z) "
    "at one sampled z per image. The true KL is never negative, but one draw can land where p(z) is "
    "larger than q(z|x), so the average over a batch or an epoch can come out slightly below zero.")


def _history(history, model):
    """The per-epoch table; with a note where kl_loss is sampled (the model says how it estimates
    the KL, ``model.kl_estimate``) or came out negative."""
    if not history:
        return "<p>(no epochs recorded)</p>"
    negative = any(v < 0 for r in history for k, v in r.items()
                   if k.endswith("kl_loss") and isinstance(v, (int, float)))
    sampled = getattr(model, "kl_estimate", None) == "one sample"
    note = f"<p>{html.escape(MONTE_CARLO_KL)}</p>" if negative or sampled else ""
    columns = list(dict.fromkeys(k for record in history for k in record))
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_cell(r.get(c, ''))}</td>" for c in columns) + "</tr>"
                   for r in history)
    return f"<table><tr>{head}</tr>{body}</table>{note}"


def _summaries(model):
    """The Keras-style tables of ``model.encoder`` and ``model.decoder``, where they have one."""
    parts = []
    for name in ("encoder", "decoder"):
        part = getattr(model, name, None) if model is not None else None
        if part is None or not callable(getattr(part, "summary", None)):
            continue
        try:
            text = part.summary(print_fn=None)
        except TypeError:  # a summary() without print_fn
            text = part.summary()
        if isinstance(text, str):
            parts.append(f"<pre>{html.escape(text)}</pre>")
    return "".join(parts)


def _figures(figures, captions):
    out = []
    for path in figures:
        if os.path.splitext(path)[1].lower() not in MIME or not os.path.exists(path):
            continue
        name = os.path.basename(path)
        caption = captions.get(name, name)
        out.append(f'<figure><img src="{data_uri(path)}" alt="{html.escape(name)}">'
                   f"<figcaption>{html.escape(caption)}</figcaption></figure>")
    return "".join(out)


def evaluation_figures(figures):
    """The paths among ``figures`` that belong in the Evaluation section, not under Figures."""
    return [p for p in figures if is_evaluation_figure(p)]


def _evaluation(out_dir, figures, captions):
    """The "Evaluation" section when out_dir holds evaluation.json (from `minivae evaluate`)."""
    evaluation = load_evaluation(out_dir)
    if evaluation is None:
        return ""
    shown = _figures(evaluation_figures(figures), captions)
    return f"<h2>Evaluation</h2>{evaluation_table_html(evaluation)}{shown}"
def _explorer_link(out_dir):
    """A link to the run's explorer.html, when there is one next to the report."""
    if not os.path.exists(os.path.join(out_dir, EXPLORER)):
        return ""
    return (f'<p><a href="{EXPLORER}">Open the latent explorer</a>: move through the latent space '
            "and watch the decoder, which runs in that page, answer.</p>")


def _short_run(run, history):
    """The one-sentence warning of a run too short for its figures to mean much."""
    warning = short_run_warning(run, history)
    return f'<p class="short-run">{html.escape(warning)}</p>' if warning else ""


def _data_set(data_set):
    """The data set the run used: its name and preprocessing, its classes, and whether it stands in."""
    if data_set is None:
        return ""
    classes = ", ".join(f"{k} {name}" for k, name in enumerate(data_set.class_names))
    return (f'<p class="data-set">{html.escape(data_set.described)}.</p>'
            + (f'<p class="stand-in">{html.escape(data_set.stand_in_note)}</p>'
               if data_set.stands_in_for else "")
            + (f'<p>Classes: <span class="class-names">{html.escape(classes)}</span></p>'
               if classes else "")
            + (f"<p>Attribute of the latent arithmetic: {html.escape(data_set.attribute)}</p>"
               if data_set.attribute else ""))


def write_report(out_dir, run, history, model, figures, captions=None, data_set=None):
    """Write ``out_dir/report.html`` and return its path.

    run: the checkpoint's record (minivae.run_settings.SavedRun: the settings, epochs trained),
    or None; history:
    the per-epoch dicts of history.json; model: for its layer tables (None to
    skip); figures: image paths, embedded in order; captions: file name -> text (a figure
    without one is captioned with its file name; run_figures gives its CAPTIONS); data_set:
    the record of the data actually used (its name, classes, and whether it stands in).
    """
    captions = captions or {}
    title = f"minivae run: {run.settings.model if run is not None else os.path.basename(os.path.abspath(out_dir))}"
    summaries = _summaries(model)
    evaluation = _evaluation(out_dir, figures, captions)
    figures = [p for p in figures if p not in evaluation_figures(figures)]
    page = (
        f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        + _short_run(run, history)
        + _explorer_link(out_dir)
        + (f"<h2>Data set</h2>{_data_set(data_set)}" if data_set is not None else "")
        + f"<h2>Figures</h2>{_figures(figures, captions)}"
        + evaluation
        + f"<h2>Settings</h2>{_hyperparameters(run)}"
        + f"<h2>History</h2>{_history(history, model)}"
        + (f"<h2>Model</h2>{summaries}" if summaries else "")
        + "</body></html>\n")
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, REPORT)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(page)
    os.replace(tmp, path)
    return path
