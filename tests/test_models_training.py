"""train_step and test_step of each model on tiny batches, and the errors of a wrong batch."""
import math

import numpy
import pytest

import minivae
from minivae import models
from minivae.optim import Adam


def squares(n, channels=1, size=32, seed=0):
    """n images of a bright square on black, like a sparse Fashion-MNIST item (N, C, H, W)."""
    rng = numpy.random.default_rng(seed)
    images = numpy.zeros((n, channels, size, size), dtype=numpy.float32)
    for i in range(n):
        top, left = rng.integers(2, size // 2, 2)
        images[i, :, top:top + size // 3, left:left + size // 3] = rng.uniform(0.6, 1.0, channels)[:, None, None]
    return images


SMALL = {  # the book's architectures; the faces VAE at 16x16 keeps the test fast
    "fashion-autoencoder": {},
    "fashion-vae": {},
    "faces-vae": {"latent_dim": 16, "image_size": 16},
}


@pytest.mark.parametrize("name", list(SMALL))
def test_train_step_returns_finite_losses_and_changes_every_parameter(name, device):
    model = models.build(name, **SMALL[name]).to(device)
    optimizer = Adam(model.parameters())
    c, h, _ = model.input_shape
    batch = squares(4, c, h)
    before = [p.numpy().copy() for p in model.parameters()]
    logs = model.train_step(batch, optimizer)
    assert set(logs) == {"total_loss", "reconstruction_loss", "kl_loss"}
    assert all(isinstance(v, float) and math.isfinite(v) for v in logs.values())
    assert logs["total_loss"] == pytest.approx(logs["reconstruction_loss"] + logs["kl_loss"], rel=1e-5)
    if name == "fashion-autoencoder":
        assert logs["kl_loss"] == 0.0
    changed = [not numpy.array_equal(b, p.numpy()) for b, p in zip(before, model.parameters())]
    assert all(changed), [n for (n, _), ch in zip(model.named_parameters(), changed) if not ch]
    assert all(p.dtype == numpy.float32 for p in model.parameters())
    assert model(batch).shape == batch.shape


def test_vae_loss_decreases_on_a_fixed_batch():
    minivae.manual_seed(0)
    model = models.build("fashion-vae")
    optimizer = Adam(model.parameters())
    batch = squares(4)
    losses = [model.train_step(batch, optimizer)["total_loss"] for _ in range(20)]
    assert numpy.mean(losses[-3:]) < 0.8 * numpy.mean(losses[:3]), losses


def test_vae_losses_follow_the_book_formula():
    """reconstruction = beta * mean BCE, kl = mean over batch of the summed closed form."""
    minivae.manual_seed(1)
    model = models.build("fashion-vae", beta=500)
    batch = squares(3)
    x = minivae.Tensor(batch)
    minivae.manual_seed(7)
    logs = model.test_step(batch)
    model.eval()
    with minivae.no_grad():
        z_mean, z_log_var, _ = model.encoder(x)
        minivae.manual_seed(7)
        reconstruction = model(x).numpy().astype(numpy.float64)
    p = numpy.clip(reconstruction, 1e-7, 1 - 1e-7)
    bce = -(batch * numpy.log(p) + (1 - batch) * numpy.log(1 - p))
    mu, log_var = z_mean.numpy().astype(numpy.float64), z_log_var.numpy().astype(numpy.float64)
    kl = (-0.5 * (1 + log_var - mu ** 2 - numpy.exp(log_var))).sum(axis=1).mean()
    assert logs["reconstruction_loss"] == pytest.approx(500 * bce.mean(axis=(1, 2, 3)).mean(), rel=1e-4)
    assert logs["kl_loss"] == pytest.approx(kl, rel=1e-4, abs=1e-6)


def test_faces_vae_uses_mse():
    model = models.build("faces-vae", latent_dim=4, image_size=16, channels=1)
    batch = squares(2, 1, 16)
    minivae.manual_seed(3)
    logs = model.test_step(batch)
    minivae.manual_seed(3)
    model.eval()
    with minivae.no_grad():
        mse = ((model(batch).numpy() - batch) ** 2).mean()
    assert logs["reconstruction_loss"] == pytest.approx(2000 * mse, rel=1e-4)


def test_test_step_changes_nothing():
    model = models.build("faces-vae", latent_dim=4, image_size=16)
    model.train()
    state = model.state_dict()
    logs = model.test_step(squares(4, 3, 16))
    assert all(math.isfinite(v) for v in logs.values())
    for name, value in model.state_dict().items():  # moving statistics included
        numpy.testing.assert_array_equal(value, state[name], err_msg=name)
    assert all(p.grad is None for p in model.parameters())
    assert model.training  # the mode is restored
    model.eval()
    model.test_step(squares(4, 3, 16))
    assert not model.training


def test_train_step_updates_batch_norm_statistics():
    model = models.build("faces-vae", latent_dim=4, image_size=16)
    model.train_step(squares(4, 3, 16), Adam(model.parameters()))
    bn = model.encoder.body.get_layer("bn_1")
    assert numpy.any(bn.moving_mean != 0)


def test_checkpoint_round_trip_gives_the_same_model():
    model = models.build("fashion-vae")
    model.train_step(squares(4), Adam(model.parameters()))
    saved = {"model": model.name, "config": model.config, "weights": model.state_dict()}
    again = models.build(saved["model"], **saved["config"])
    again.load_state_dict(saved["weights"])
    x = minivae.Tensor(squares(2))
    with minivae.no_grad():
        numpy.testing.assert_array_equal(model.encoder(x)[0].numpy(), again.encoder(x)[0].numpy())


def test_wrong_batches_are_explained():
    model = models.build("fashion-vae")
    optimizer = Adam(model.parameters())
    with pytest.raises(ValueError) as err:
        model.train_step(numpy.zeros((4, 32, 32, 1), dtype=numpy.float32), optimizer)
    text = str(err.value)
    assert "fashion-vae" in text and "(None, 1, 32, 32)" in text and "(4, 32, 32, 1)" in text
    assert "channels-last" in text
    with pytest.raises(ValueError, match=r"received \(4, 1, 28, 28\)"):
        model.test_step(numpy.zeros((4, 1, 28, 28)))
    with pytest.raises(ValueError, match="Add the batch axis"):
        model(numpy.zeros((1, 32, 32)))
