"""check_exercise(path): try one gradient exercise and tell the learner what is right or wrong.

An exercise file (tutorials/exercises/NN_name.py) defines one op as a
minivae.Function whose ``forward`` is given and whose ``backward`` the learner
writes, and a module-level dict CHECK that says how to try it:

    CHECK = {
        "function": conv2d,                        # what to check: tensors in, one tensor out
        "reference": "minivae.functional.conv2d",  # the library's op, to compare the forward with
        "inputs": {"x": {}, "weight": {}, "bias": {}},  # argument names in call order, each with
                                                   #   "scale": std of its random values (default 1)
                                                   #   "grad": False for a constant (noise, data)
        "cases": [{"x": (2, 3, 6, 6), "weight": (4, 3, 3, 3), "bias": (4,),
                   "kwargs": {"stride": 2, "padding": 1}}, ...],  # shapes, optional keywords
    }

For every case, on random float64 inputs, the checker
1. runs the forward and compares its shape and values with the reference's;
2. runs backward once: NotImplementedError means "not written yet"; an
   exception or a missing gradient is reported with its line in the exercise;
3. runs minivae.gradcheck once per input that takes a gradient, with only that
   input requiring grad, so a failure names the input, the element, and the
   analytic (backward) value against the numeric (central-difference) one.
"""
import importlib
import importlib.util
import re
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from .. import backend
from ..autograd import Tensor, no_grad
from ..autograd.graph import broadcasts_to
from ..gradcheck import GradcheckError, gradcheck

STATUSES = ("pass", "not written", "wrong gradient", "backward error", "wrong forward",
            "forward error", "load error")
MAX_ELEMENTS = 1024  # the exercises' inputs are small: check every element, none by direction
SEED = 0


@dataclass
class Verdict:
    """The result of one check; ``str(verdict)`` is the report a learner reads."""
    path: str
    status: str                                   # one of STATUSES
    summary: str                                  # one line: what is right or wrong
    details: list = field(default_factory=list)   # the case, the values, what to do next
    input: str = None                             # the input whose gradient is wrong or missing
    case: int = None                              # the failing case, counted from 1

    @property
    def passed(self):
        return self.status == "pass"

    def __str__(self):
        head = f"{'PASS' if self.passed else 'FAIL'}  {Path(self.path).name}: {self.summary}"
        return "\n".join([head] + ["  " + line for line in self.details])


class _Failure(Exception):
    """One case went wrong: carries the fields of the Verdict to return."""

    def __init__(self, status, summary, details, input=None):
        super().__init__(summary)
        self.status, self.summary, self.details, self.input = status, summary, details, input


def load_exercise(path):
    """Import the exercise file at ``path`` as a module (its name need not be an identifier)."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no exercise file at {path}; the exercises are in tutorials/exercises/")
    name = "minivae_exercise_" + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_exercise(path, device="cpu"):
    """Check the exercise at ``path`` on ``device`` ('cpu' or 'gpu'); returns a :class:`Verdict`.

    Raises FileNotFoundError when there is no such file; every other problem,
    including a file that no longer imports, is reported in the Verdict.
    """
    path = str(path)
    try:
        module = load_exercise(path)
        check = _read_check(module)
        reference = _resolve(check["reference"])
    except FileNotFoundError:
        raise
    except Exception as exc:
        details = [f"{type(exc).__name__}: {exc}", _line_in(exc, path)]
        return Verdict(path, "load error", "the exercise could not be loaded", [d for d in details if d])
    xp = backend.module(device)
    rng = numpy.random.default_rng(SEED)
    names = list(check["inputs"])
    cases = check["cases"]
    for k, case in enumerate(cases, start=1):
        kwargs = dict(case.get("kwargs", {}))
        arrays = [xp.asarray(spec.get("scale", 1.0) * rng.standard_normal(tuple(case[name])))
                  for name, spec in check["inputs"].items()]  # float64
        where = f"case {k} of {len(cases)}: " + _describe_case(names, case, kwargs)
        try:
            _check_case(check, reference, names, arrays, kwargs, rng, path)
        except _Failure as failure:
            return Verdict(path, failure.status, failure.summary,
                           [where] + [d for d in failure.details if d], input=failure.input, case=k)
    checked = [name for name in names if _takes_grad(check, name)]
    return Verdict(path, "pass", f"forward and backward are right ({len(cases)} cases; gradients "
                   f"of {', '.join(checked)} match central differences)")


def _check_case(check, reference, names, arrays, kwargs, rng, path):
    fn = check["function"]
    takes_grad = [_takes_grad(check, name) for name in names]

    # 1. the forward, against the library's
    inputs = _tensors(arrays, takes_grad)
    try:
        out = fn(*inputs, **kwargs)
    except Exception as exc:
        raise _Failure("forward error", f"the forward raised {type(exc).__name__}",
                       [f"{type(exc).__name__}: {exc}", _line_in(exc, path),
                        "The forward comes with the exercise: undo any change to it."]) from None
    if not isinstance(out, Tensor):
        raise _Failure("forward error", f"the function returned a {type(out).__name__}, not a "
                       "minivae.Tensor", ["Call the Function instance: MyOp()(x), not MyOp().forward(x)."])
    with no_grad():
        expected = reference(*_tensors(arrays, [False] * len(arrays)), **kwargs)
    if out.shape != expected.shape:
        raise _Failure("wrong forward", f"the output has shape {out.shape}, but {check['reference']} "
                       f"gives {expected.shape}",
                       ["The forward comes with the exercise: undo any change to it."])
    got, want = out.numpy(), expected.numpy()
    if not numpy.allclose(got, want, rtol=1e-7, atol=1e-9):
        raise _Failure("wrong forward", f"the output differs from {check['reference']} by up to "
                       f"{float(numpy.abs(got - want).max()):.3g}",
                       ["The forward comes with the exercise: undo any change to it."])

    # 2. the op's backward called directly, so a wrong return reads as such, not as an engine error
    upstream = backend.get_array_module(out.data).asarray(rng.standard_normal(out.shape))
    op = out.creator
    direct = op is not None and len(op.inputs) == len(inputs) and all(  # fn is one op on our inputs
        a is b for a, b in zip(op.inputs, inputs))
    try:
        grads = op.backward(upstream) if direct else out.backward(upstream)
    except NotImplementedError as exc:
        raise _Failure("not written", "backward is not written yet",
                       [f"NotImplementedError: {exc}",
                        "Write it (the hints are in its docstring), then run this check again."]) from None
    except Exception as exc:
        raise _Failure("backward error", f"backward raised {type(exc).__name__}",
                       [f"{type(exc).__name__}: {exc}", _line_in(exc, path)]) from None
    if direct:
        _check_returned(grads if isinstance(grads, tuple) else (grads,), names, inputs)

    # 3. gradcheck, one input at a time, so a failure names its input
    for j, name in enumerate(names):
        if not takes_grad[j]:
            continue
        inputs = _tensors(arrays, [i == j for i in range(len(arrays))])
        try:
            gradcheck(lambda *ts: fn(*ts, **kwargs), *inputs, max_elements=MAX_ELEMENTS, seed=SEED)
        except GradcheckError as exc:
            raise _Failure("wrong gradient", f"the gradient of {name} (input {j}) is wrong",
                           [str(exc), f"Element indices are positions in {name}, shape {inputs[j].shape}."],
                           input=name) from None
        except NotImplementedError as exc:
            raise _Failure("not written", "backward is not written yet",
                           [f"NotImplementedError: {exc}"], input=name) from None
        except Exception as exc:
            raise _Failure("backward error", f"backward raised {type(exc).__name__} "
                           f"when only {name} needs a gradient",
                           [f"{type(exc).__name__}: {exc}", _line_in(exc, path)], input=name) from None


# ---------------------------------------------------------------- helpers

def _check_returned(grads, names, inputs):
    """One gradient per input that needs one, each an array of its input's dtype and shape.

    A gradient may have a shape its input broadcasts to (the engine sums it back, see
    sum_to in minivae/autograd/graph.py), so (2, 3, 4) is accepted for an input of shape
    (3, 1). The rule is the engine's own (graph.broadcasts_to): what it refuses, so does this.
    """
    order = f"in forward's order ({', '.join(names)})"
    for j, (name, t) in enumerate(zip(names, inputs)):
        if not t.requires_grad:
            continue
        if j >= len(grads):
            raise _Failure("backward error", f"backward returned {len(grads)} value(s) for the "
                           f"{len(names)} inputs of forward", [f"Return one gradient per input {order}."],
                           input=name)
        g = grads[j]
        if g is None:
            raise _Failure("backward error", f"backward returned None for {name}, which needs a gradient",
                           ["None is only for an input that needs no gradient, such as noise."], input=name)
        if not hasattr(g, "shape") or not hasattr(g, "dtype"):
            raise _Failure("backward error", f"backward returned a {type(g).__name__} for {name}, "
                           "not an array", ["Gradients are arrays (NumPy or CuPy), one per input "
                                            f"{order}; backward gets and returns arrays, not Tensors."],
                           input=name)
        if not broadcasts_to(t.shape, g.shape):
            raise _Failure("backward error", f"backward returned a gradient of shape {tuple(g.shape)} "
                           f"for {name}, which has shape {t.shape}",
                           [f"A gradient has the shape of its input; return them {order}."],
                           input=name)
        if g.dtype != t.dtype:
            raise _Failure("backward error", f"backward returned a {g.dtype} gradient for {name}, "
                           f"which is {t.dtype}",
                           ["New arrays take the dtype of the ones they are made from; make them "
                            "with dtype=gy.dtype, or from gy (xp.zeros_like(gy))."], input=name)


def _takes_grad(check, name):
    return check["inputs"][name].get("grad", True)


def _tensors(arrays, requires_grad):
    """Fresh float64 leaves: gradcheck nudges their data in place, so nothing is shared."""
    return [Tensor(a.copy(), requires_grad=r) for a, r in zip(arrays, requires_grad)]


def _describe_case(names, case, kwargs):
    parts = [f"{name} {tuple(case[name])}" for name in names]
    parts += [f"{k}={v!r}" for k, v in kwargs.items()]
    return ", ".join(parts)


def _line_in(exc, path):
    """Where in the exercise file ``exc`` was raised (the deepest frame there), or None."""
    if isinstance(exc, SyntaxError) and exc.lineno is not None:
        return f"at line {exc.lineno} of {Path(path).name}: {(exc.text or '').strip()}"
    target = Path(path).resolve()
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if Path(f.filename).resolve() == target]
    if not frames:
        return None
    f = frames[-1]
    return f"at line {f.lineno} of {Path(path).name}: {f.line}"


def _resolve(dotted):
    """The object named by a dotted path such as 'minivae.functional.conv2d'."""
    module_name, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module_name), attr)


def _read_check(module):
    """The module's CHECK dict, with its shape checked so that mistakes in it read clearly."""
    check = getattr(module, "CHECK", None)
    if not isinstance(check, dict):
        raise ValueError("the file defines no CHECK dict, which tells the checker how to try the op "
                         "(see minivae/exercises/check.py)")
    missing = [k for k in ("function", "reference", "inputs", "cases") if k not in check]
    if missing:
        raise ValueError(f"CHECK lacks {', '.join(missing)}")
    if not callable(check["function"]):
        raise ValueError(f"CHECK['function'] must be the function to check, got {check['function']!r}")
    if not isinstance(check["inputs"], dict) or not check["inputs"]:
        raise ValueError("CHECK['inputs'] must map each argument name to its options, e.g. {'x': {}}")
    if not check["cases"]:
        raise ValueError("CHECK['cases'] is empty: give at least one case of input shapes")
    for k, case in enumerate(check["cases"], start=1):
        absent = [name for name in check["inputs"] if name not in case]
        if absent:
            raise ValueError(f"CHECK case {k} gives no shape for {', '.join(absent)}")
    return check
