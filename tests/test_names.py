"""Names that say one thing each: no two homes for one name, no name for what it is not (issue 26)."""
import ast
import importlib.util
from pathlib import Path

import numpy
import pytest

import minivae
from minivae import backend, evaluation, nn, optim, recipes, training
from minivae.evaluation.iwae import log_normal
from minivae.viz import explorer

PACKAGE = Path(minivae.__file__).parent


def _functions_named(name):
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(PACKAGE)}:{node.lineno}" for node in ast.walk(tree)
                  if isinstance(node, ast.FunctionDef) and node.name == name]
    return found


def test_training_has_validation_losses_and_evaluation_evaluates():
    assert not hasattr(training, "evaluate"), "training.evaluate beside evaluation.evaluate"
    assert callable(training.validation_losses) and callable(evaluation.evaluate)


def test_one_likelihood_module_the_models():
    assert importlib.util.find_spec("minivae.models.likelihood") is not None
    assert importlib.util.find_spec("minivae.evaluation.likelihood") is None
    assert importlib.util.find_spec("minivae.evaluation.densities") is not None


def test_the_explorer_names_its_step_walker_for_what_it_walks():
    assert not hasattr(explorer, "encoder_steps") and callable(explorer.network_steps)


def test_one_function_is_named_pair():
    assert [place.split(":")[0] for place in _functions_named("pair")] == ["functional/conv_geometry.py"]


def test_every_recipes_optimizer_is_one_of_optims_own():
    for recipe in recipes.RECIPES.values():
        assert recipe.optimizer in optim.OPTIMIZERS
    train = (PACKAGE / "train_command.py").read_text(encoding="utf-8")
    assert "optim.Adam" not in train and "optim.get(" in train  # no second table of them


@pytest.mark.parametrize("said", ["numpy", "cpu", "NumPy"])
def test_where_a_layer_builds_is_one_device_name_however_it_was_said(said):
    layer = nn.Dense(3)
    layer.to(said)
    assert layer._build_device == "cpu"
    layer.place(said, None)
    assert layer._build_device == "cpu"
    layer(minivae.Tensor(numpy.ones((2, 4), numpy.float32)))  # built now, where it was told
    assert layer.device == "cpu" == backend.device_name(said)


def test_the_evaluations_log_normal_is_the_training_losss_log_normal_pdf():
    rng = numpy.random.default_rng(0)
    z, mean, log_var = rng.normal(size=(3, 4, 5)), rng.normal(size=(3, 1, 5)), rng.normal(size=(3, 1, 5))
    expected = -0.5 * ((z - mean) ** 2 * numpy.exp(-log_var) + log_var + numpy.log(2 * numpy.pi)).sum(-1)
    numpy.testing.assert_allclose(log_normal(z, mean, log_var), expected, rtol=1e-12)
    prior = -0.5 * (z * z + numpy.log(2 * numpy.pi)).sum(-1)
    numpy.testing.assert_allclose(log_normal(z, 0.0, 0.0), prior, rtol=1e-12)
    source = (PACKAGE / "evaluation" / "iwae.py").read_text(encoding="utf-8")
    assert "F.log_normal_pdf(" in source and "LOG_2PI" not in source
