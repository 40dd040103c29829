"""StepTrace: what ``minivae.trace`` found in one training step, as data, a table and a page."""
import html

from .recorder import module_names
from .sources import op_sources
from .table import format_table


class StepTrace:
    """One recorded training step.

    ``nodes``: one dict per Function application in the step's graph (id, op, module, inputs,
    shapes, forward_ms, backward_ms, saved_bytes, value and grad summaries). ``params``: one
    dict per parameter (gradient norm, reconstruction and KL parts, update ratio).
    ``backward_order``: node ids in the order the backward walk visited them. ``step_ms``: the
    step's own time, measured without tracing (median).
    """

    def __init__(self, model, nodes, params, backward_order, step_ms, optimizer_ms, losses, batch,
                 seed, rounds, plain_ms, timed_ms, functions):
        self.nodes, self.params, self.backward_order = nodes, params, backward_order
        self.step_ms, self.optimizer_ms, self.losses = step_ms, optimizer_ms, losses
        self.batch, self.seed, self.rounds = batch, seed, rounds
        self.plain_ms, self.timed_ms = plain_ms, timed_ms
        self.model_name = getattr(model, "name", type(model).__name__)
        self.beta = getattr(model, "beta", None)
        self.modules = _modules(model)
        self.sources = op_sources(functions)

    def __len__(self):
        return len(self.nodes)

    def __repr__(self):
        return (f"<StepTrace of {self.model_name}: {len(self.nodes)} ops, batch {self.batch}, "
                f"step {self.step_ms:.1f} ms>")

    def table(self):
        """The per-op table: op, calls, forward and backward ms, % of the step, bytes kept."""
        return format_table(self.nodes, self.step_ms, self.optimizer_ms)

    def to_dict(self, book=None):
        """What the page shows, as JSON-able data (the page's ``window.minivae.step``).

        book: the URL or path of the book's root, for the API links (None: shown as text)."""
        return {"model": self.model_name, "beta": self.beta, "batch": self.batch, "seed": self.seed,
                "rounds": self.rounds, "step_ms": self.step_ms, "optimizer_ms": self.optimizer_ms,
                "plain_ms": self.plain_ms, "timed_ms": self.timed_ms, "losses": self.losses,
                "nodes": self.nodes, "params": self.params, "backward_order": self.backward_order,
                "modules": self.modules, "sources": self.sources, "book": book}

    def html(self, book=None):
        """The page: one offline HTML file, ``step.html``, as :func:`render` makes it."""
        from .page import render
        return render(self.to_dict(book))

    def write(self, path, book=None):
        """Write the page to ``path``; returns the path."""
        from .page import write_page
        return write_page(self.to_dict(book), path)

    def _repr_html_(self):
        """In a notebook: the page itself, in a frame."""
        return (f'<iframe title="one training step of {html.escape(self.model_name)}" '
                f'style="width: 100%; height: 760px; border: 1px solid #ccc" '
                f'srcdoc="{html.escape(self.html(), quote=True)}"></iframe>')


def _modules(model):
    """Every named module: its path, its class and whether it is a layer (a module without children)."""
    names = module_names(model)
    return [{"path": names[id(m)], "kind": type(m).__name__, "layer": not m.children()}
            for _, m in model.named_modules() if names.get(id(m))]
