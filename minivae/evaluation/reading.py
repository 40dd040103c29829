"""How to read `minivae evaluate`'s table beside the training loss, and how long it will take.

The ELBO and training's ``total_loss`` measure the same thing on two scales.
The book's VAE trains on beta x (BCE averaged over the D pixels) + KL; the ELBO
is log p(x|z) *summed* over the pixels, unweighted, minus KL:

    -ELBO = D x mean BCE + KL = (D / beta) x reconstruction_loss + kl_loss

so the book's val_total_loss of about 137 (beta 500, D = 1024) is an ELBO of
about -276. For an MSE model, whose p(x|z) is the Gaussian of variance
sigma^2 = D / (2 beta), -ELBO = total_loss + (D / 2) log(2 pi sigma^2).
"""
import math
import time

from .. import backend
from .iwae import draw_log_weights

BITS_PER_DIM = ("bits/dim: -log p(x) / (D ln 2), the bits per pixel that a code built on this "
                "model would need (lower is better; it compares images of different sizes)")
NATS = ("nats/image: the log-density of one whole image, summed over its D numbers, in nats "
        "(higher is better); every row is a lower bound on log p(x), IWAE_K tighter as K grows")


def training_scale(model, dimensions, history):
    """Lines that tie the ELBO to training's loss for ``model`` (None: a model whose loss says
    nothing simple about its ELBO). ``history``: the run's epochs, for its last validation loss."""
    beta, kind = getattr(model, "beta", None), getattr(model, "reconstruction", None)
    last = history[-1] if history else {}
    if getattr(model, "is_vae", False) and kind == "bce" and beta:
        lines = [f"training's total_loss is another scale: beta x (BCE averaged over the pixels) + KL, "
                 f"beta = {beta:g}; -ELBO = (BCE summed over the D = {dimensions} pixels) + KL "
                 f"= D/beta x reconstruction_loss + kl_loss"]
        if "val_reconstruction_loss" in last and "val_kl_loss" in last:
            rec, kl = last["val_reconstruction_loss"], last["val_kl_loss"]
            lines.append(f"this run's last epoch: val_total_loss {rec + kl:.2f} = {rec:.2f} + {kl:.2f}, "
                         f"so ELBO about -({dimensions}/{beta:g} x {rec:.2f} + {kl:.2f}) = "
                         f"{-(dimensions / beta * rec + kl):.2f} on its validation images "
                         "(one draw of z per image; the table's on the images evaluated here)")
        return lines
    if getattr(model, "is_vae", False) and kind == "mse" and beta:
        constant = dimensions / 2 * math.log(2 * math.pi * dimensions / (2 * beta))
        return [f"training's total_loss is beta x (MSE averaged over the pixels) + KL, beta = {beta:g}; "
                f"-ELBO = total_loss + D/2 log(2 pi sigma^2) = total_loss {constant:+.2f} "
                f"(sigma^2 = D / (2 beta), D = {dimensions})"]
    if "val_total_loss" in last and type(model).__name__ == "CVAE":
        return [f"training's total_loss is -ELBO itself (one draw of z): this run's last "
                f"val_total_loss {last['val_total_loss']:.2f} is an ELBO of {-last['val_total_loss']:.2f}"]
    return None


def explanation(model, dimensions, history):
    """The lines printed under the table."""
    return [NATS, BITS_PER_DIM] + (training_scale(model, dimensions, history) or [])


def estimate_seconds(lm, images, samples, batch_size):
    """About how many seconds evaluate(lm, images, samples, batch_size) will take, from one
    timed encoder pass and one draw per image (K = 1) on the first batch; the random generator
    is put back, so the evaluation draws what it would have drawn without the estimate."""
    n = min(batch_size, len(images), 100)
    x = backend.to_device(images[:n], lm.device)
    state = backend.rng_state()
    try:
        started = time.perf_counter()
        z_mean, z_log_var = lm.encode(x)
        encoded = time.perf_counter()
        draw_log_weights(lm, x, z_mean, z_log_var, 1, max_rows=batch_size)
        drawn = time.perf_counter()
    finally:
        backend.set_rng_state(state)
    return len(images) / n * ((encoded - started) + samples * (drawn - encoded))


def duration(seconds):
    """``seconds`` as a person says it: "40 s", "3 min", "1.5 h"."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    if seconds < 90 * 60:
        return f"{round(seconds / 60)} min"
    return f"{seconds / 3600:.1f} h"
