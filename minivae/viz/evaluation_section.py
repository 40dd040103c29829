"""The report's "Evaluation" section: the table of `minivae evaluate` as HTML."""
import html

from ..evaluation.table import GAIN_NOTE, gain_text, table_rows


def evaluation_table_html(evaluation):
    """The likelihood's sentence, the estimates in nats and bits/dim, KL and active units."""
    rows = "".join(f'<tr><td class="key">{html.escape(label)}</td><td>{nats:.3f}</td>'
                   f"<td>{se:.3f}</td><td>{bits:.4f}</td>"
                   f"<td>{gain_text(gain)}</td></tr>"
                   for label, nats, se, bits, gain in table_rows(evaluation))
    ev = evaluation
    return (f"<p>{ev['images']} images, K = {ev['samples']} samples from q(z|x) per image, "
            f"D = {ev['dimensions']}. p(x|z): {html.escape(ev['likelihood'])}</p>"
            f"<table><tr><th>estimate</th><th>nats/image</th><th>&plusmn; SE</th><th>bits/dim</th><th>gain</th></tr>"
            f"{rows}</table><p>{html.escape(GAIN_NOTE)}.</p>"
            f"<p>KL(q(z|x) || p(z)): {ev['kl']:.3f} nats (closed form), {ev['kl_mc']:.3f} (Monte "
            f"Carlo). Active units: {ev['active_units']} of {len(ev['kl_per_dim'])} "
            f"(Var over images of E_q[z_d] &gt; {ev['active_threshold']:g}).</p>")
