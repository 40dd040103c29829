"""minivae.exercises: check a learner's hand-written backward against central differences.

    minivae exercise check tutorials/exercises/01_sigmoid.py

or, from Python,

    from minivae.exercises import check_exercise
    verdict = check_exercise("tutorials/exercises/01_sigmoid.py")
    print(verdict)          # PASS, or which input, which element, analytic vs numeric
    verdict.passed          # True or False
"""
from .check import STATUSES, Verdict, check_exercise, load_exercise

__all__ = ["STATUSES", "Verdict", "check_exercise", "load_exercise"]
