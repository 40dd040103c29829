"""Properties of the estimates on the library's own models (untrained, small, quick).

IWAE_K >= ELBO and non-decreasing in K (within the standard error), IWAE_1 is the
Monte-Carlo ELBO in expectation, the closed-form and Monte-Carlo KL agree, and
the log-sum-exp is stable where a naive one overflows.
"""
import math

import numpy
import pytest

from minivae import backend, models
from minivae.evaluation import (LinearGaussian, active_units, evaluate, iwae, log_mean_exp,
                                sample_ladder, standard_error)
from minivae.models.likelihood import implied_variance


def _within(a, b, sigmas=3.0):
    """mean(a - b) is within ``sigmas`` standard errors of 0 (paired over images)."""
    diff = numpy.asarray(a) - numpy.asarray(b)
    return abs(diff.mean()) <= sigmas * standard_error(diff) + 1e-9


def _images(n, shape, seed=0, binary=False):
    rng = numpy.random.default_rng(seed)
    x = rng.random((n,) + shape).astype(numpy.float32)
    return (x > 0.5).astype(numpy.float32) if binary else x


@pytest.fixture(scope="module")
def mlp_result():
    backend.manual_seed(0)
    model = models.mlp_vae(latent_dim=3, intermediate_dim=32)
    return evaluate(model, _images(40, (1, 28, 28)), samples=100, batch_size=40)


def test_iwae_is_above_the_elbo_and_non_decreasing_in_k(mlp_result):
    r = mlp_result.per_image
    assert r["1"].mean() >= r["elbo"].mean() or _within(r["1"], r["elbo"])
    for small, large in zip(("1", "10"), ("10", "100")):
        diff = r[large] - r[small]
        assert diff.mean() >= -3 * standard_error(diff)
    assert mlp_result.log_likelihood["100"]["mean"] >= mlp_result.elbo


def test_iwae_1_is_the_monte_carlo_elbo_in_expectation(mlp_result):
    r = mlp_result.per_image
    assert _within(r["elbo_mc"], r["1"])  # one draw against the mean of 100 draws
    assert _within(r["1"], r["elbo"])  # Monte-Carlo KL against the closed form


def test_closed_form_and_monte_carlo_kl_agree(mlp_result):
    assert _within(mlp_result.per_image["kl_mc"], mlp_result.per_image["kl"])
    assert sum(mlp_result.kl_per_dim) == pytest.approx(mlp_result.kl, rel=1e-9)


def test_every_model_kind_on_its_device(device):
    """Bernoulli from logits (cvae), from probabilities (mlp), Gaussian (faces), on each backend."""
    cases = [(models.cvae(latent_dim=2), _images(6, (1, 28, 28), binary=True), "a normalized density"),
             (models.mlp_vae(latent_dim=2, intermediate_dim=16), _images(6, (1, 28, 28)), "NOT a normalized"),
             (models.faces_vae(latent_dim=4, image_size=16, channels=1), _images(6, (1, 16, 16)),
              "sigma^2 = 0.064")]
    for model, x, sentence in cases:
        model.to(device)
        result = evaluate(model, x, samples=10, batch_size=4)
        assert sentence in result.likelihood
        assert result.log_likelihood["10"]["mean"] >= result.log_likelihood["1"]["mean"] - 1.0
        assert numpy.isfinite(result.elbo) and len(result.kl_per_dim) == model.encoder.latent_dim
        expected_bits = -result.elbo / (result.dimensions * math.log(2))
        assert result.bits_per_dim(result.elbo) == pytest.approx(expected_bits)


@pytest.mark.parametrize("rows", [1, 5, 7, 64])
def test_decoding_in_chunks_gives_the_same_log_px_given_z(device, rows):
    """log p(x|z) (n, k) is the same whether the n * k points are decoded in one pass or a few at a time."""
    from minivae.evaluation.latent_model import latent_model
    model = models.faces_vae(latent_dim=3, image_size=16, channels=1)
    model.to(device)
    model.eval()
    x = _images(6, (1, 16, 16))
    lm = latent_model(model, x)
    xd = backend.to_device(x, lm.device)
    z = backend.to_device(numpy.random.default_rng(1).standard_normal((6, 4, 3)).astype(numpy.float32),
                          lm.device)  # (n=6 images, k=4 points each, latent 3)
    lm.decode_rows = None
    whole = backend.to_numpy(lm.log_px_given_z(xd, z))
    lm.decode_rows = rows
    chunked = backend.to_numpy(lm.log_px_given_z(xd, z))
    assert chunked.shape == whole.shape == (6, 4)
    numpy.testing.assert_allclose(chunked, whole, rtol=1e-5, atol=1e-3)


def test_implied_variance_makes_the_mse_loss_a_gaussian_log_likelihood():
    """beta * mean squared error = -log N(x; m, sigma^2 I) + constant, for sigma^2 = D / (2 beta)."""
    rng = numpy.random.default_rng(1)
    beta, pixels = 2000.0, 48
    x, m1, m2 = rng.random((3, pixels))
    variance = implied_variance(beta, pixels)

    def nll(m):
        return 0.5 * (((x - m) ** 2) / variance + math.log(2 * math.pi * variance)).sum()

    def loss(m):
        return beta * ((x - m) ** 2).mean()

    assert nll(m1) - nll(m2) == pytest.approx(loss(m1) - loss(m2), rel=1e-12)
    assert implied_variance(2000, 3 * 32 * 32) == pytest.approx(0.768)


def test_log_mean_exp_is_stable(xp):
    a = xp.asarray([[1000.0, 1000.0], [-1000.0, -1000.0 + math.log(3)], [-xp.inf, -xp.inf]])
    out = backend.to_numpy(log_mean_exp(a, axis=1))
    assert out[0] == pytest.approx(1000.0)
    assert out[1] == pytest.approx(-1000.0 + math.log(2))
    assert out[2] == -numpy.inf


def test_iwae_splits_the_draws_into_groups():
    log_w = numpy.log(numpy.array([[1.0, 3.0, 2.0, 6.0, 5.0]]))
    assert iwae(log_w, 2)[0] == pytest.approx((math.log(2.0) + math.log(4.0)) / 2)  # the 5th is left over
    assert iwae(log_w, 1)[0] == pytest.approx(numpy.log([1, 3, 2, 6, 5]).mean())
    with pytest.raises(ValueError, match="between 1 and the 5 samples"):
        iwae(log_w, 6)


def test_sample_ladder():
    assert sample_ladder(1) == [1]
    assert sample_ladder(1000) == [1, 10, 100, 1000]
    assert sample_ladder(250) == [1, 10, 100, 250]


def test_active_units_counts_dimensions_whose_mean_moves():
    rng = numpy.random.default_rng(0)
    means = numpy.stack([rng.normal(0, 1, 500), rng.normal(0, 0.05, 500), numpy.zeros(500)], axis=1)
    count, variance = active_units(means)  # variances about 1, 0.0025 and 0
    assert count == 1 and variance[0] > 0.5 and variance[1] < 0.01
    assert active_units(means, threshold=0.001)[0] == 2


def test_a_collapsed_dimension_has_zero_kl_and_is_inactive():
    model = LinearGaussian.random(5, 3, lengths=(2.0, 1.0, 0.0))  # z[2] does not reach x
    result = evaluate(model, model.sample(100), samples=2)
    assert result.active_units == 2
    assert min(result.kl_per_dim[:2]) > 0.3 and result.kl_per_dim[2] == pytest.approx(0.0, abs=1e-12)
    assert result.posterior_mean_variance[2] == pytest.approx(0.0, abs=1e-20)


def test_a_model_in_training_mode_is_evaluated_in_inference_mode_and_put_back():
    model = models.faces_vae(latent_dim=4, image_size=16, channels=1)  # batch norm everywhere
    x = _images(8, (1, 16, 16))
    model.eval()
    expected = evaluate(model, x, samples=3).kl
    model.train()
    assert evaluate(model, x, samples=3).kl == pytest.approx(expected, rel=1e-6)
    assert model.training
