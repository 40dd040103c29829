"""How this minivae was installed, so that a hint names a command that works here.

A checkout (``git clone``, then ``python3 dev.py ...``) has dev.py beside the
package folder; a wheel from pip has not. MINIVAE_INSTALLED=checkout or =pip
overrides the guess (the tests use it to read both kinds of hint).
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def checkout():
    """The checkout's folder when minivae runs from one (an editable install), else None."""
    told = os.environ.get("MINIVAE_INSTALLED")
    if told in ("checkout", "pip"):
        return ROOT if told == "checkout" else None
    return ROOT if os.path.isfile(os.path.join(ROOT, "dev.py")) else None


def minivae_command(arguments, main_job=False):
    """``minivae ARGUMENTS`` as this install runs it: through dev.py in a checkout (its .venv
    holds minivae), the installed ``minivae`` otherwise. main_job: ARGUMENTS train the book's
    main job, which a checkout runs as ``python3 dev.py train``."""
    if checkout() is None:
        return f"minivae {arguments}"
    return "python3 dev.py train" if main_job else f"python3 dev.py minivae {arguments}"


def gpu_install_hint():
    """How to add CuPy to this install."""
    if checkout() is None:
        return "`pip install cupy-cuda13x` (pick cupy-cuda12x for a CUDA 12 driver)"
    return ("`.venv/bin/pip install -e '.[gpu]'` in the checkout (the cupy-cuda13x wheel; "
            "pick cupy-cuda12x for a CUDA 12 driver)")
