"""IWAE_K against the truth: a linear Gaussian model, whose log p(x) is known in closed form.

p(z) = N(0, I), p(x | z) = N(W z + b, s^2 I) gives p(x) = N(b, W W^T + s^2 I). With the
exact posterior as encoder every importance weight is p(x), so IWAE_K = log p(x) for
every K; with a perturbed encoder the bound climbs to log p(x) as K grows.
"""
import math

import numpy
import pytest

from minivae import backend
from minivae.evaluation import LinearGaussian, evaluate, standard_error

SHIFTS = {"mean_shift": 0.2, "log_var_shift": 0.5}


def _gap(model, x, result, k):
    """log p(x) - IWAE_k per image, as NumPy, with its standard error over images."""
    gap = backend.to_numpy(model.log_px(x)) - result.per_image[str(k)]
    return gap.mean(), standard_error(gap)


def test_closed_form_log_px_matches_a_direct_density():
    model = LinearGaussian.random(3, 2, noise_std=0.7)
    x = model.sample(4)
    cov = model.W @ model.W.T + model.noise_variance * numpy.eye(3)  # (3, 3)
    for row, expected in zip(x, model.log_px(x)):
        diff = row - model.b
        direct = -0.5 * (diff @ numpy.linalg.inv(cov) @ diff + math.log(numpy.linalg.det(2 * math.pi * cov)))
        assert expected == pytest.approx(direct, rel=1e-10)


def test_exact_posterior_gives_log_px_for_every_k(xp):
    model = LinearGaussian.random(6, 3, xp=xp)
    x = model.sample(50)
    result = evaluate(model, x, samples=100, batch_size=20)
    truth = backend.to_numpy(model.log_px(x))
    for k in ("1", "10", "100"):
        numpy.testing.assert_allclose(result.per_image[k], truth, rtol=0, atol=1e-9)
    assert result.log_likelihood["100"]["mean"] == pytest.approx(truth.mean(), abs=1e-9)
    assert result.elbo_mc == pytest.approx(truth.mean(), abs=1e-9)  # every weight is p(x)


def test_perturbed_encoder_approaches_log_px_within_three_standard_errors(xp):
    model = LinearGaussian.random(8, 3, xp=xp, **SHIFTS)
    x = model.sample(200)
    result = evaluate(model, x, samples=1000, batch_size=200)
    gaps = [_gap(model, x, result, k) for k in (1, 10, 100, 1000)]
    first, last = gaps[0], gaps[-1]
    assert first[0] > 10 * first[1]  # at K = 1 the bound is clearly below log p(x) ...
    assert [g for g, _ in gaps] == sorted((g for g, _ in gaps), reverse=True)  # ... and climbs ...
    assert abs(last[0]) < 3 * last[1]  # ... to within 3 standard errors at K = 1000


def test_orthogonal_columns_are_required():
    with pytest.raises(ValueError, match="orthogonal"):
        LinearGaussian(numpy.ones((3, 2)), numpy.zeros(3), 0.5)
