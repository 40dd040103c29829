"""evaluation.json in a run folder: what `minivae evaluate` writes and the report reads back."""
import json
import os

EVALUATION = "evaluation.json"


def save_evaluation(run_dir, result):
    """Write ``run_dir/evaluation.json`` (an :class:`Evaluation` or its dict); return the path."""
    ev = result.to_json() if hasattr(result, "to_json") else result
    path = os.path.join(run_dir, EVALUATION)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(ev, f, indent=1)
    os.replace(tmp, path)  # a reader never sees half a file
    return path


def load_evaluation(run_dir):
    """The dict of ``run_dir/evaluation.json``, or None when the run was not evaluated."""
    path = os.path.join(run_dir, EVALUATION)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as f:
        return json.load(f)
