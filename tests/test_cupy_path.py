"""The GPU path end to end: copies in a training step, checkpoints across devices, the CLI.

On a machine without a GPU these run on the CuPy stand-in (MINIVAE_CUPY_STANDIN=1,
as in .ci/run), which counts every host/device copy; on a GPU they run on real
CuPy, except the copy counts, which only the stand-in can see.
"""
import os
import subprocess
import sys

import numpy
import pytest

import minivae
from minivae import backend, models
from minivae.optim import Adam
from minivae.training import read_checkpoint, save_checkpoint
from conftest import _cupy_or_skip
from test_models_training import squares


@pytest.fixture
def gpu():
    """'gpu', where CuPy (or its stand-in) is there; skips with the reason otherwise."""
    _cupy_or_skip()
    return "gpu"


def test_book_vae_training_step_copies_only_its_losses(cupy_transfers):
    """One step: the batch goes over, at most the losses come back, nothing inside the graph."""
    model = models.build("fashion-vae").to("gpu")
    optimizer = Adam(model.parameters())
    batch = squares(8)
    model.train_step(batch, optimizer)  # the first step creates the optimizer's slots
    with cupy_transfers.counting() as step:
        losses = model.train_step(batch, optimizer)
    assert step.device_to_host <= 4, f"{step}:\n{step.where('device_to_host')}"
    assert step.device_to_host == 1, "the three losses come back in one copy"
    assert step.host_to_device == 1, f"{step}:\n{step.where('host_to_device')}"  # the batch
    assert set(losses) == {"total_loss", "reconstruction_loss", "kl_loss"}

    x = model.as_batch(batch)
    optimizer.zero_grad()
    with cupy_transfers.counting() as graph:  # forward and backward: the graph itself
        model.compute_losses(x)["total_loss"].backward()
        optimizer.step()
    assert (graph.device_to_host, graph.host_to_device, graph.synchronize) == (0, 0, 0), \
        f"{graph}:\n{graph.where('device_to_host')}\n{graph.where('host_to_device')}"


def test_checkpoint_from_the_gpu_loads_on_the_cpu_and_back(gpu, tmp_path):
    minivae.manual_seed(3)
    gpu_model = models.build("fashion-vae").to("gpu")
    gpu_opt = Adam(gpu_model.parameters())
    gpu_model.train_step(squares(8), gpu_opt)
    saved = {k: backend.to_numpy(v) for k, v in gpu_model.state_dict().items()}
    save_checkpoint(str(tmp_path / "gpu.npz"), gpu_model, gpu_opt, {"epoch": 1})

    state, optim_state, _ = read_checkpoint(str(tmp_path / "gpu.npz"))
    cpu_model = models.build("fashion-vae")
    cpu_model.load_state_dict(state)
    cpu_opt = Adam(cpu_model.parameters())
    cpu_opt.load_state_dict(optim_state)
    assert cpu_model.device == "cpu"
    cpu_state = cpu_model.state_dict()
    for k, v in saved.items():
        assert isinstance(cpu_state[k], numpy.ndarray)
        numpy.testing.assert_array_equal(cpu_state[k], v, err_msg=k)

    save_checkpoint(str(tmp_path / "cpu.npz"), cpu_model, cpu_opt, {"epoch": 1})
    state, optim_state, _ = read_checkpoint(str(tmp_path / "cpu.npz"))
    back = models.build("fashion-vae").to("gpu")
    back.load_state_dict(state)
    back_opt = Adam(back.parameters())
    back_opt.load_state_dict(optim_state)
    assert back.device == "gpu"
    for k, v in back.state_dict().items():
        numpy.testing.assert_array_equal(backend.to_numpy(v), saved[k], err_msg=k)
    for a, b in zip(back_opt.state_dict()["slots"], gpu_opt.state_dict()["slots"]):
        for k in a:
            numpy.testing.assert_array_equal(a[k], b[k])
    batch = squares(4, seed=1)
    with minivae.no_grad():  # z_mean: the same weights compute the same encoding on both devices
        on_gpu, on_cpu = (m.encoder(m.as_batch(batch))[0].numpy() for m in (back, cpu_model))
    numpy.testing.assert_allclose(on_gpu, on_cpu, rtol=1e-4, atol=1e-5)


def test_cli_trains_on_cupy_and_draws_every_figure(gpu, tmp_path):
    """`minivae train --backend cupy`: one epoch of the book VAE, then every figure and the report."""
    from test_cli import fashion_or_skip
    fashion_or_skip()
    out = tmp_path / "run"
    exe = os.path.join(os.path.dirname(sys.executable), "minivae")
    cmd = [exe, "train", "--model", "fashion-vae", "--backend", "cupy", "--epochs", "1",
           "--limit", "256", "--batch-size", "64", "--quiet", "--out", str(out)]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "backend cupy" in run.stdout
    assert "was not drawn" not in run.stderr, run.stderr[-3000:]
    drawn = sorted(os.path.basename(line.split("figure: ")[1]) for line in run.stdout.splitlines()
                   if line.startswith("figure: "))
    expected = {"reconstructions.png", "samples.png", "latent_scatter.png", "latent_scatter_cdf.png",
                "latent_grid.png", "latent_grid_over_embeddings.png", "latent_histograms.png",
                "morph.png", "loss_curves.png", "training.gif", "report.html"}
    assert expected <= set(drawn), drawn
    for name in drawn:
        assert (out / name).stat().st_size > 0
    _, _, meta = read_checkpoint(str(out / "checkpoint.npz"))
    assert meta["backend"] == "cupy"
