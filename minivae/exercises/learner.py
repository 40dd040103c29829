"""The learner's exercise file, made from the one source that holds its solution.

Each ``tutorials/solutions/NN_op.py`` is the source of its exercise. It marks its solution,
the body of ``backward``, between two comment lines::

        # solution; the exercise says: write the backward of sigmoid: see the hints in its docstring
        return gy * self.y * (1 - self.y)
        # end of solution

``tutorials/exercises/NN_op.py``, the file a learner opens, is the same file with that
block replaced by the line that says what to do::

        raise NotImplementedError("write the backward of sigmoid: see the hints in its docstring")

Nothing else differs. ``python3 dev.py exercises`` (or ``python -m minivae.exercises.learner``)
writes every learner's file from its source; tests/test_exercises.py checks they are in sync.
"""
import json
import re
import sys
from pathlib import Path

BEGIN = re.compile(r"^(?P<indent>[ ]*)# solution; the exercise says: (?P<prompt>.+)$")
END = re.compile(r"^[ ]*# end of solution$")


def _marked_block(lines, where):
    """(first line, last line, indent, prompt) of the one marked solution in ``lines``."""
    begins = [i for i, line in enumerate(lines) if BEGIN.match(line)]
    ends = [i for i, line in enumerate(lines) if END.match(line)]
    if len(begins) != 1 or len(ends) != 1 or ends[0] <= begins[0] + 1:
        raise ValueError(f"{where}: the source of an exercise marks exactly one solution, a line "
                         "'# solution; the exercise says: ...' then its code then '# end of solution'; "
                         f"found {len(begins)} start(s) and {len(ends)} end(s)")
    match = BEGIN.match(lines[begins[0]])
    return begins[0], ends[0], match["indent"], match["prompt"]


def learner_text(source, where="exercise source"):
    """The learner's file: ``source`` with its marked solution replaced by a NotImplementedError."""
    lines = source.splitlines(keepends=True)
    first, last, indent, prompt = _marked_block([line.rstrip("\n") for line in lines], where)
    blank = f"{indent}raise NotImplementedError({json.dumps(prompt)})\n"
    return "".join(lines[:first] + [blank] + lines[last + 1:])


def solution_code(source, where="exercise source"):
    """``source`` without the two marker lines: the worked solution as a reader sees it."""
    lines = source.splitlines(keepends=True)
    first, last, _, _ = _marked_block([line.rstrip("\n") for line in lines], where)
    return "".join(lines[:first] + lines[first + 1:last] + lines[last + 1:])


def write_learner_files(solutions, exercises):
    """Write exercises/NN_op.py for every solutions/NN_op.py; returns the paths that changed."""
    changed = []
    for source in sorted(Path(solutions).glob("[0-9][0-9]_*.py")):
        target = Path(exercises) / source.name
        text = learner_text(source.read_text(encoding="utf-8"), str(source))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            changed.append(target)
    return changed


if __name__ == "__main__":  # python -m minivae.exercises.learner SOLUTIONS EXERCISES
    if len(sys.argv) != 3:
        sys.exit("usage: python -m minivae.exercises.learner SOLUTIONS_DIR EXERCISES_DIR")
    for path in write_learner_files(*sys.argv[1:]):
        print(f"wrote {path}")
