"""The evaluation's one kind of mistake: a model or data it cannot evaluate."""


class EvaluationError(ValueError):
    """The model has no q(z|x), the data does not fit it, or a setting is out of range."""
