"""`minivae report RUN_DIR`: a run's figures and report.html drawn again from its folder.

Load the checkpoint (the model and the run's settings), the validation data the
run was trained on and its history, then draw as training did at its end. It
sits above both what it reads (:mod:`minivae.run_folder`) and what it draws
(:mod:`minivae.viz`), so neither of them imports the other.
"""
from . import run_folder
from .viz import run_figures


def rebuild_report(run_dir, data=None, grid_size=15):
    """Redraw every figure and report.html of a run folder (or its checkpoint.npz) and history.json.

    data: the folder holding the data set (default: where minivae finds it).
    Returns the paths written, as :func:`minivae.viz.run_figures` does.
    """
    model, run = run_folder.load_run(run_dir)
    val_x, val_labels, data_set = run_folder.load_validation(run, data)
    return run_figures(model, run_folder.run_dir(run_dir), run, val_x, val_labels,
                       run_folder.load_history(run_dir), grid_size=grid_size, data_set=data_set)
