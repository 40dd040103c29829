"""minivae.evaluation: how good is a trained VAE as a model of its data?

In code::

    from minivae.evaluation import evaluate, format_table
    result = evaluate(model, test_images, samples=1000)   # ELBO, IWAE_1 ... IWAE_1000, active units
    print(format_table(result))

- ``likelihood.py``: which p(x | z) each model's log p(x) uses, and its sentence;
- ``iwae.py``: the importance-weighted bound, batched, log-sum-exp in float64;
- ``units.py``: KL per latent dimension and active units;
- ``linear_gaussian.py``: a model whose log p(x) is known exactly, to check them;
- ``reading.py``: how the table's ELBO relates to training's loss, bits/dim, the time estimate.
"""
from .errors import EvaluationError
from .iwae import iwae, log_mean_exp, sample_ladder
from .units import ACTIVE_THRESHOLD, active_units, kl_per_dimension
from .latent_model import LatentModel, VAELatentModel, latent_model
from .linear_gaussian import LinearGaussian
from .evaluate import Evaluation, evaluate, standard_error
from .table import format_table, table_rows
from .store import EVALUATION, load_evaluation, save_evaluation

__all__ = ["EvaluationError", "iwae", "log_mean_exp", "sample_ladder",
           "ACTIVE_THRESHOLD", "active_units", "kl_per_dimension", "LatentModel", "VAELatentModel", "latent_model",
           "LinearGaussian", "Evaluation", "evaluate", "standard_error", "format_table",
           "table_rows", "EVALUATION", "load_evaluation", "save_evaluation"]
