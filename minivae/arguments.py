"""The command line's value checks: a bad number is refused while the arguments are read.

Each function is an ``argparse`` ``type=``: it turns the text into a number or
raises ``argparse.ArgumentTypeError`` with a sentence that says what was
expected, so `minivae train --epochs 0` stops before anything is loaded,
trained or written.
"""
import argparse
import math


def _number(text, kind, what):
    try:
        return kind(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None


def positive_int(text):
    """A whole number >= 1 (epochs, images, batch size, samples)."""
    value = _number(text, int, "a whole number of at least 1")
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value}")
    return value


def seed(text):
    """A random seed: a whole number >= 0 (NumPy's generators take no negative seed)."""
    value = _number(text, int, "a whole number of at least 0")
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 0, got {value}")
    return value


def positive_float(text):
    """A finite number > 0 (a learning rate)."""
    value = _number(text, float, "a number greater than 0")
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"expected a finite number greater than 0, got {text}")
    return value


def non_negative_float(text):
    """A finite number >= 0 (beta: 0 leaves only the KL term)."""
    value = _number(text, float, "a number of at least 0")
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a finite number of at least 0, got {text}")
    return value
