"""How an epoch shows its progress: tqdm's bar on a terminal; off one, plain lines.

A log file, ``tee`` or a notebook's subprocess shows no bar, so there fit
prints a line about every ``every`` seconds (Keras's ``verbose=2`` habit: a
line per epoch, and here one more now and then, so that a long epoch is not
minutes of silence).
"""
import sys
import time

from tqdm import tqdm

EVERY = 30.0  # seconds between two progress lines off a terminal


class EpochDisplay:
    """One epoch's progress: ``update(means)`` after each step, ``close()`` at the end.

    bar: draw tqdm's bar (on stderr). lines: print a line to stdout about every
    ``every`` seconds: the step, the running means and the time left in the epoch.
    """

    def __init__(self, steps, epoch, epochs, bar, lines, every=EVERY):
        self.steps, self.epoch, self.epochs, self.lines, self.every = steps, epoch, epochs, lines, every
        self.bar = tqdm(total=steps, desc=f"epoch {epoch}/{epochs}", disable=not bar, leave=False)
        self.step = 0
        self.started = self.last_line = time.perf_counter()

    def update(self, means):
        self.step += 1
        self.bar.update(1)
        self.bar.set_postfix({k: f"{v:.4f}" for k, v in means.items()}, refresh=False)
        now = time.perf_counter()
        if self.lines and now - self.last_line >= self.every and self.step < self.steps:
            self.last_line = now
            spent = now - self.started
            left = spent / self.step * (self.steps - self.step)
            losses = "  ".join(f"{k} {v:.4f}" for k, v in means.items())
            print(f"epoch {self.epoch}/{self.epochs}  step {self.step}/{self.steps}  {losses}  "
                  f"({spent:.0f} s, about {left:.0f} s left in this epoch)", flush=True)

    def close(self):
        self.bar.close()


def modes(quiet):
    """(bar, lines) for fit's ``quiet``: None chooses by the terminal (the bar where stderr is
    one, the lines where stdout is not); True shows neither; False always the bar."""
    if quiet is None:
        return sys.stderr.isatty(), not sys.stdout.isatty()
    return not quiet, False
