"""The evaluation as a table: one row per estimate, in nats per image and bits per dimension.

Both the printed table of `minivae evaluate` and the report's Evaluation section
are made from :func:`table_rows`, so they always agree.
"""
import math


def _json(result):
    return result.to_json() if hasattr(result, "to_json") else result


def table_rows(result):
    """[(estimate, nats per image, standard error, bits per dimension, gain)] of an evaluation
    (an :class:`Evaluation` or its JSON dict). ``gain``: how many nats tighter the IWAE bound
    got than at the previous K (None on the first rows), so a learner sees whether a larger K
    would still matter."""
    ev = _json(result)
    bits = 1.0 / (ev["dimensions"] * math.log(2))
    rows = [("ELBO (closed-form KL)", ev["elbo"], ev["elbo_se"], -ev["elbo"] * bits, None),
            ("ELBO (1-sample Monte Carlo)", ev["elbo_mc"], ev["elbo_mc_se"], -ev["elbo_mc"] * bits,
             None)]
    previous = None
    for k, entry in ev["log_likelihood"].items():
        gain = None if previous is None else entry["mean"] - previous
        rows.append((f"IWAE_{k} (log p(x) >=)", entry["mean"], entry["se"], entry["bits_per_dim"], gain))
        previous = entry["mean"]
    return rows


GAIN_NOTE = ("gain: how much higher (tighter) the bound is than at the previous K; "
             "when it is small against +- SE, more samples would change little")


def gain_text(gain):
    """A row's gain as the table prints it: "+0.630", or "" where there is no previous K."""
    return "" if gain is None else f"{gain:+.3f}"


def format_table(result):
    """The evaluation as text: the likelihood's sentence, the estimates, KL and active units."""
    ev = _json(result)
    name = ev.get("model", "model")
    lines = [f"{name}: {ev['images']} images, K = {ev['samples']} samples from q(z|x) per image, "
             f"D = {ev['dimensions']} numbers per image",
             f"p(x|z): {ev['likelihood']}",
             "",
             f"{'estimate':<30}{'nats/image':>14}{'+- SE':>10}{'bits/dim':>11}{'gain':>10}"]
    for label, nats, se, bpd, gain in table_rows(ev):
        lines.append(f"{label:<30}{nats:>14.3f}{se:>10.3f}{bpd:>11.4f}{gain_text(gain):>10}")
    lines.append(GAIN_NOTE)
    kl_dims = ev["kl_per_dim"]
    shown = ", ".join(f"{v:.3g}" for v in kl_dims[:10]) + (", ..." if len(kl_dims) > 10 else "")
    lines += ["",
              f"KL(q(z|x) || p(z)): {ev['kl']:.3f} nats closed form, {ev['kl_mc']:.3f} Monte Carlo",
              f"KL per dimension: {shown}",
              f"active units: {ev['active_units']} of {len(kl_dims)} "
              f"(Var over images of E_q[z_d] > {ev['active_threshold']:g})"]
    if "seconds" in ev:
        lines.append(f"time: {ev['seconds']:.1f} s")
    return "\n".join(lines)
