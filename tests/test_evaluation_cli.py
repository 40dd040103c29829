"""`minivae evaluate` end to end on a tiny run, the report's Evaluation section, and bad input."""
import json
import os

import numpy
import pytest

from minivae import cli, data, evaluation, models

QUICK_TRAIN = ["--epochs", "1", "--limit", "64", "--batch-size", "32", "--quiet", "--no-figures"]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    try:
        data.find_fashion_mnist()
    except FileNotFoundError:
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")
    out = str(tmp_path_factory.mktemp("runs") / "fashion-vae")
    assert cli.main(["train", "--model", "fashion-vae", "--out", out] + QUICK_TRAIN) == 0
    return out


def test_evaluate_prints_the_table_and_writes_evaluation_json(tiny_run, capsys):
    capsys.readouterr()
    assert cli.main(["evaluate", tiny_run, "--samples", "20", "--limit", "12", "--batch-size", "8",
                     "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "IWAE_20" in printed and "bits/dim" in printed and "NOT a normalized density" in printed
    with open(os.path.join(tiny_run, "evaluation.json")) as f:
        ev = json.load(f)
    assert ev["samples"] == 20 and ev["images"] == 12 and ev["model"] == "fashion-vae"
    assert list(ev["log_likelihood"]) == ["1", "10", "20"]
    assert set(ev["log_likelihood"]["20"]) >= {"mean", "se"}
    assert len(ev["kl_per_dim"]) == 2 and isinstance(ev["active_units"], int)
    assert "Bernoulli" in ev["likelihood"] and ev["elbo"] < 0
    assert ev["log_likelihood"]["20"]["mean"] >= ev["log_likelihood"]["1"]["mean"] - 3 * ev["elbo_se"]


def test_without_quiet_it_says_up_front_how_many_decoder_passes_it_will_make(tiny_run, capsys):
    capsys.readouterr()
    assert cli.main(["evaluate", tiny_run, "--samples", "5", "--limit", "3"]) == 0
    err = capsys.readouterr().err
    assert "evaluate fashion-vae: 3 images x K = 5 samples = 15 decoder passes on numpy" in err


def test_report_gets_an_evaluation_section(tiny_run, capsys):
    assert cli.main(["evaluate", tiny_run, "--samples", "10", "--limit", "8", "--quiet"]) == 0
    assert cli.main(["report", tiny_run]) == 0
    for name in ("evaluation_kl_per_dim.png", "evaluation_iwae.png"):
        assert os.path.getsize(os.path.join(tiny_run, name)) > 0
    with open(os.path.join(tiny_run, "report.html"), encoding="utf-8") as f:
        page = f.read()
    assert "<h2>Evaluation</h2>" in page and "IWAE_10" in page
    evaluation_part = page.split("<h2>Evaluation</h2>")[1].split("<h2>Figures</h2>")[0]
    assert 'alt="evaluation_iwae.png"' in evaluation_part
    assert 'alt="evaluation_kl_per_dim.png"' in evaluation_part


def test_a_folder_without_a_checkpoint(tmp_path, capsys):
    assert cli.main(["evaluate", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "no checkpoint" in err


@pytest.mark.parametrize("samples", ["0", "-3"])
def test_fewer_than_one_sample(tmp_path, capsys, samples):
    assert cli.main(["evaluate", str(tmp_path), "--samples", samples]) == 2
    assert "--samples: expected a whole number of at least 1" in capsys.readouterr().err


def test_the_autoencoder_has_no_posterior(tmp_path, capsys):
    try:
        data.find_fashion_mnist()
    except FileNotFoundError:
        pytest.skip("Fashion-MNIST is not installed")
    out = str(tmp_path / "ae")
    assert cli.main(["train", "--model", "fashion-autoencoder", "--out", out] + QUICK_TRAIN) == 0
    capsys.readouterr()
    assert cli.main(["evaluate", out, "--samples", "2", "--limit", "4"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "has no q(z|x)" in err


def test_data_that_does_not_fit_the_model(tiny_run, tmp_path, capsys):
    wrong_shape = str(tmp_path / "mnist28.npy")
    numpy.save(wrong_shape, numpy.zeros((4, 1, 28, 28), numpy.float32))
    assert cli.main(["evaluate", tiny_run, "--data", wrong_shape, "--samples", "2"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "(N, 1, 32, 32)" in err and "does not fit" in err
    wrong_range = str(tmp_path / "symmetric.npy")
    numpy.save(wrong_range, numpy.full((4, 1, 32, 32), -0.5, numpy.float32))
    assert cli.main(["evaluate", tiny_run, "--data", wrong_range, "--samples", "2"]) == 2
    assert "pixels in [0, 1]" in capsys.readouterr().err


def test_the_library_raises_for_the_autoencoder_and_for_bad_k():
    with pytest.raises(evaluation.EvaluationError, match="has no q"):
        evaluation.evaluate(models.fashion_autoencoder(), numpy.zeros((2, 1, 32, 32), numpy.float32))
    with pytest.raises(evaluation.EvaluationError, match="K >= 1"):
        evaluation.evaluate(evaluation.LinearGaussian.random(3, 2), numpy.zeros((2, 3)), samples=0)


def test_the_table_says_how_its_elbo_relates_to_the_training_loss(tiny_run, capsys):
    """-ELBO = D/beta x reconstruction_loss + kl_loss: the run's last validation loss, rescaled,
    lands on the table's ELBO for the same 64 validation images (up to the draws of z)."""
    capsys.readouterr()
    assert cli.main(["evaluate", tiny_run, "--samples", "1", "--quiet"]) == 0
    printed = capsys.readouterr().out
    assert "bits/dim: -log p(x) / (D ln 2)" in printed and "beta = 500" in printed
    line = next(line for line in printed.splitlines() if "this run's last epoch" in line)
    from_training = float(line.split(" = ")[-1].split()[0])
    with open(os.path.join(tiny_run, "history.json")) as f:
        last = json.load(f)[-1]
    assert from_training == pytest.approx(-(1024 / 500 * last["val_reconstruction_loss"] + last["val_kl_loss"]),
                                          abs=0.01)
    with open(os.path.join(tiny_run, "evaluation.json")) as f:
        ev = json.load(f)
    assert ev["images"] == 64 and from_training == pytest.approx(ev["elbo"], abs=1.0)


def test_the_time_estimate_leaves_the_draws_as_they_were(tiny_run, capsys):
    """The estimate's timed pass puts the generator back: quiet or not, the same numbers."""
    results = []
    for quiet in (["--quiet"], []):
        assert cli.main(["evaluate", tiny_run, "--samples", "3", "--limit", "10"] + quiet) == 0
        with open(os.path.join(tiny_run, "evaluation.json")) as f:
            results.append(json.load(f)["log_likelihood"])
    assert results[0] == results[1]
    assert "decoder passes on numpy, about " in capsys.readouterr().err


def test_durations_read_as_a_person_says_them():
    from minivae.evaluation.reading import duration
    assert [duration(s) for s in (0.2, 40, 600, 3 * 3600)] == ["1 s", "40 s", "10 min", "3.0 h"]
