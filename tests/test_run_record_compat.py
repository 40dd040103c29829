"""A checkpoint written before the run record (minivae at commit c68f91e) still loads."""
import os
import shutil

from minivae import cli, run_folder
from minivae.run_settings import RunSettings
from test_cli import fashion_or_skip

OLD_RUN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "cvae_run_c68f91e")


def test_a_checkpoint_written_by_the_old_code_loads(tmp_path):
    folder = shutil.copytree(OLD_RUN, tmp_path / "run")
    model, _ = run_folder.load_run(str(folder))
    assert model.name == "cvae" and model.latent_dim == 2
    assert len(run_folder.load_history(str(folder))) == 1


def test_its_settings_are_read_into_the_record(tmp_path):
    _, run = run_folder.load_run(OLD_RUN)
    assert run.settings == RunSettings(model="cvae", dataset="mnist-binarized", optimizer="adam", lr=1e-4,
                                       batch_size=32, epochs=1, seed=0, limit=64,
                                       model_args={"latent_dim": 2})
    assert run.epoch == 1 and run.train_images == 64 and run.backend == "numpy"


def test_it_resumes_and_its_report_is_drawn(tmp_path, capsys, monkeypatch):
    fashion_or_skip()  # it was trained on Fashion-MNIST standing in for MNIST
    monkeypatch.delenv("MINIVAE_MNIST", raising=False)
    folder = str(shutil.copytree(OLD_RUN, tmp_path / "run"))
    assert cli.main(["train", "--resume", "--epochs", "2", "--out", folder, "--quiet", "--no-figures"]) == 0
    assert "resuming after epoch 1" in capsys.readouterr().out
    assert [r["epoch"] for r in run_folder.load_history(folder)] == [1, 2]
    assert cli.main(["report", folder]) == 0
    assert "Fashion-MNIST stands in for MNIST" in open(os.path.join(folder, "report.html")).read()
