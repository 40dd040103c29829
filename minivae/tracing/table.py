"""The per-op table printed by `minivae trace`, as torch.profiler's ``key_averages().table()``."""
from collections import OrderedDict


def op_rows(nodes, step_ms):
    """One row per op (its called name where it took another route), sorted by total time."""
    rows = OrderedDict()
    for node in nodes:
        op = f"{node['called_as']} as {node['op']}" if node.get("called_as") else node["op"]
        row = rows.setdefault(op, {"op": op, "calls": 0, "forward_ms": 0.0, "backward_ms": 0.0,
                                   "saved_bytes": 0})
        row["calls"] += 1
        row["forward_ms"] += node["forward_ms"]
        row["backward_ms"] += node["backward_ms"]
        row["saved_bytes"] += node["saved_bytes"]
    for row in rows.values():
        row["percent"] = 100.0 * (row["forward_ms"] + row["backward_ms"]) / step_ms if step_ms else 0.0
    return sorted(rows.values(), key=lambda r: -(r["forward_ms"] + r["backward_ms"]))


def _bytes(n):
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024


def format_table(nodes, step_ms, optimizer_ms=None):
    """The table as text, with a last line that says how much of the step the ops account for."""
    head = f"{'op':<34}{'calls':>6}{'forward ms':>12}{'backward ms':>13}{'% of step':>11}{'kept for backward':>19}"
    lines = [head, "-" * len(head)]
    for r in op_rows(nodes, step_ms):
        lines.append(f"{r['op']:<34}{r['calls']:>6}{r['forward_ms']:>12.2f}{r['backward_ms']:>13.2f}"
                     f"{r['percent']:>10.1f}%{_bytes(r['saved_bytes']):>19}")
    ops_ms = sum(n["forward_ms"] + n["backward_ms"] for n in nodes)
    kept = sum(n["saved_bytes"] for n in nodes)
    lines.append("-" * len(head))
    lines.append(f"{'all ops':<34}{len(nodes):>6}{sum(n['forward_ms'] for n in nodes):>12.2f}"
                 f"{sum(n['backward_ms'] for n in nodes):>13.2f}"
                 f"{100.0 * ops_ms / step_ms if step_ms else 0.0:>10.1f}%{_bytes(kept):>19}")
    tail = f"the step on its own: {step_ms:.2f} ms (median)"
    if optimizer_ms is not None:
        tail += f"; the optimizer's update: {optimizer_ms:.2f} ms"
    lines.append(tail)
    return "\n".join(lines)
