"""The blogs' models: the TF tutorial's CVAE, the Keras MLP VAE, the PyTorch CIFAR-10 VAE.

Parameter counts to the unit, each loss against its source's formula written
out in NumPy, the CVAE's Monte-Carlo KL against the closed form, a few steps
of training on a fixed batch, and `minivae train` end to end for each (the
faces VAE included) on small data written by the tests.
"""
import json
import os
import pickle

import numpy
import pytest

import minivae
from minivae import cli, data, models, run_folder
from minivae.nn import Conv2D, Conv2DTranspose
from minivae.optim import Adam
from minivae.training import HISTORY

SOURCES = ("cvae", "mlp-vae", "cifar-vae")
INPUT_SHAPES = {"cvae": (1, 28, 28), "mlp-vae": (1, 28, 28), "cifar-vae": (3, 32, 32)}


def counts(module):
    return (module.count_params(), module.count_params(trainable=True),
            module.count_params(trainable=False))


@pytest.fixture(scope="module")
def built():
    """Each model built once for this file (the CIFAR-10 VAE holds 4.9 million weights)."""
    return {name: models.build(name) for name in SOURCES}


def images(name, n, seed=0):
    """n inputs in the model's data range: binary for the CVAE, [0, 1] for the MLP, [-1, 1] for CIFAR."""
    rng = numpy.random.default_rng(seed)
    shape = INPUT_SHAPES[name]
    x = numpy.zeros((n,) + shape, numpy.float32)
    size = shape[-1]
    for i in range(n):  # a bright square on a dark background, somewhere different each time
        top, left = rng.integers(2, size // 2, 2)
        x[i, :, top:top + size // 3, left:left + size // 3] = rng.uniform(0.6, 1.0)
    if name == "cvae":
        return data.binarize(x)
    if name == "cifar-vae":
        return data.scale_to_symmetric(x)
    return x


# ---------------------------------------------------------------- architectures

@pytest.mark.parametrize("name, encoder, decoder", [
    ("cvae", (28_036, 28_036, 0), (41_953, 41_953, 0)),               # the TF tutorial, latent 2
    ("mlp-vae", (201_988, 201_988, 0), (202_256, 202_256, 0)),        # the blog's vae.summary()
    ("cifar-vae", (2_527_072, 2_526_624, 448), (2_397_155, 2_396_963, 192)),  # PyTorch's numel
])
def test_parameter_counts(built, name, encoder, decoder):
    model = built[name]
    assert counts(model.encoder) == encoder
    assert counts(model.decoder) == decoder
    assert model.count_params() == encoder[0] + decoder[0]


@pytest.mark.parametrize("name", SOURCES)
def test_build_rebuilds_from_name_and_config(built, name):
    model = built[name]
    again = models.build(model.name, **model.config)
    assert model.name == name and counts(again) == counts(model)
    assert list(again.state_dict()) == list(model.state_dict())
    text = model.summary(print_fn=None)
    assert 'Model: "encoder"' in text and 'Model: "decoder"' in text


def test_summaries_show_the_sources_shapes(built):
    cvae = built["cvae"].summary(print_fn=None)
    for row in ("(None, 32, 13, 13)", "(None, 64, 6, 6)", "(None, 4)", "9,220",
                "(None, 32, 7, 7)", "(None, 64, 14, 14)", "(None, 1, 28, 28)", "289"):
        assert row in cvae, row
    cifar = built["cifar-vae"].summary(print_fn=None)
    for row in ("(None, 32, 16, 16)", "(None, 128, 4, 4)", "(None, 2048)", "2,098,176",
                "(None, 64, 8, 8)", "(None, 3, 32, 32)", "1,539", "Non-trainable params: 448"):
        assert row in cifar, row
    mlp = built["mlp-vae"].summary(print_fn=None)
    assert "encoding (Dense)" in mlp and "(None, 784)" in mlp and "200,960" in mlp


def test_cifar_batch_norm_has_pytorch_defaults(built):
    norms = [m for m in built["cifar-vae"].modules() if type(m).__name__ == "BatchNormalization"]
    assert len(norms) == 5
    assert all(m.momentum == 0.9 and m.epsilon == 1e-5 for m in norms)  # PyTorch's 0.1 and 1e-5


def test_integer_padding_is_pytorchs_padding():
    """Conv2D(..., padding=1) gives PyTorch's sizes; for k=4, s=2 on even sizes it is "same"."""
    x = minivae.Tensor(numpy.random.default_rng(0).normal(size=(2, 3, 8, 8)).astype(numpy.float32))
    conv = Conv2D(5, 4, strides=2, padding=1)
    assert conv(x).shape == (2, 5, 4, 4)  # floor((8 + 2 - 4) / 2) + 1
    same = Conv2D(5, 4, strides=2, padding="same")
    same(x)
    same.kernel.data[...] = conv.kernel.data
    numpy.testing.assert_allclose(same(x).numpy(), conv(x).numpy(), rtol=1e-6)
    up = Conv2DTranspose(5, 4, strides=2, padding=1)
    assert up(x).shape == (2, 5, 16, 16)  # (8 - 1) * 2 + 4 - 2
    assert Conv2DTranspose(5, 3, strides=1, padding=(0, 1))(x).shape == (2, 5, 10, 8)
    with pytest.raises(ValueError, match="padding"):
        Conv2D(5, 3, padding=-1)


# ---------------------------------------------------------------- losses

@pytest.mark.parametrize("name", SOURCES)
def test_train_step_and_test_step(name, device):
    minivae.manual_seed(0)
    model = models.build(name, latent_dim=4).to(device)
    batch = images(name, 4)
    before = model.state_dict()
    logs = model.test_step(batch)
    assert all(numpy.array_equal(before[k], v) for k, v in model.state_dict().items())  # nothing moved
    logs = model.train_step(batch, Adam(model.parameters()))
    assert set(logs) == {"total_loss", "reconstruction_loss", "kl_loss"}
    assert all(numpy.isfinite(v) for v in logs.values())
    assert logs["total_loss"] == pytest.approx(logs["reconstruction_loss"] + logs["kl_loss"], rel=1e-5)
    changed = [not numpy.array_equal(before[n], p.numpy()) for n, p in model.named_parameters()]
    assert all(changed), [n for (n, _), ch in zip(model.named_parameters(), changed) if not ch]
    assert model(batch).shape == batch.shape


def _encode_and_decode(model, batch, seed):
    """z_mean, z_log_var, z and the decoder's output, with the sample that test_step(seed) draws."""
    model.eval()
    with minivae.no_grad():
        minivae.manual_seed(seed)
        z_mean, z_log_var, z = model.encoder(minivae.Tensor(batch))
        out = model.decoder.logits(z) if hasattr(model.decoder, "logits") else model.decoder(z)
    return [t.numpy().astype(numpy.float64) for t in (z_mean, z_log_var, z, out)]


def log_normal_pdf(sample, mean, log_var):
    """The tutorial's log_normal_pdf, in float64 NumPy."""
    log2pi = numpy.log(2 * numpy.pi)
    return (-0.5 * ((sample - mean) ** 2 * numpy.exp(-log_var) + log_var + log2pi)).sum(axis=1)


def test_cvae_loss_is_the_tutorials_compute_loss(built):
    model, batch = built["cvae"], images("cvae", 3)
    minivae.manual_seed(5)
    logs = model.test_step(batch)
    mean, logvar, z, x_logit = _encode_and_decode(model, batch, seed=5)
    cross_ent = numpy.logaddexp(0, x_logit) - x_logit * batch  # sigmoid_cross_entropy_with_logits
    logpx_z = -cross_ent.sum(axis=(1, 2, 3))
    logpz, logqz_x = log_normal_pdf(z, 0., 0.), log_normal_pdf(z, mean, logvar)
    assert logs["total_loss"] == pytest.approx(-numpy.mean(logpx_z + logpz - logqz_x), rel=1e-5)
    assert logs["reconstruction_loss"] == pytest.approx(-logpx_z.mean(), rel=1e-5)
    assert logs["kl_loss"] == pytest.approx((logqz_x - logpz).mean(), rel=1e-4, abs=1e-5)


def test_cvae_monte_carlo_kl_agrees_with_the_closed_form():
    """The tutorial's one-sample kl_loss, averaged over 300 draws of z, is the analytic KL.

    The encoder's last layer is shifted so that z_mean ~ 1.5 and z_log_var ~ -1 (a KL
    of about 2.6, not ~0 as at initialization). Tolerance: 3 standard errors of the mean.
    """
    minivae.manual_seed(0)
    model = models.build("cvae")
    dense = model.encoder.network[-1]
    dense.bias.data[:2] += 1.5
    dense.bias.data[2:] -= 1.0
    batch = images("cvae", 4)
    mean, logvar, _, _ = _encode_and_decode(model, batch, seed=0)
    closed_form = (-0.5 * (1 + logvar - mean ** 2 - numpy.exp(logvar))).sum(1).mean()
    estimates = []
    for seed in range(300):
        minivae.manual_seed(seed)
        estimates.append(model.test_step(batch)["kl_loss"])
    estimates = numpy.array(estimates)
    standard_error = estimates.std(ddof=1) / numpy.sqrt(len(estimates))
    assert closed_form > 1.0 and standard_error < 0.05 * closed_form
    assert abs(estimates.mean() - closed_form) < 3 * standard_error, (estimates.mean(), closed_form)
    assert estimates.std() > 0.1  # each single-sample estimate is noisy, unlike the closed form


def test_mlp_vae_loss_is_784_times_bce_plus_kl(built):
    model, batch = built["mlp-vae"], images("mlp-vae", 3)
    minivae.manual_seed(2)
    logs = model.test_step(batch)
    mean, logvar, _, decoded = _encode_and_decode(model, batch, seed=2)
    p = numpy.clip(decoded, 1e-7, 1 - 1e-7).reshape(3, 784)
    x = batch.reshape(3, 784)
    bce = -(x * numpy.log(p) + (1 - x) * numpy.log(1 - p))
    xent = 784 * bce.mean(axis=-1)  # Keras' binary_crossentropy: the mean over the last axis
    kl = -0.5 * (1 + logvar - mean ** 2 - numpy.exp(logvar)).sum(axis=-1)
    assert logs["reconstruction_loss"] == pytest.approx(xent.mean(), rel=1e-4)
    assert logs["kl_loss"] == pytest.approx(kl.mean(), rel=1e-4, abs=1e-6)


def test_cifar_vae_loss_is_summed_mse_plus_kl_per_image(built):
    model, batch = built["cifar-vae"], images("cifar-vae", 3)
    minivae.manual_seed(3)
    logs = model.test_step(batch)
    mean, logvar, _, recon = _encode_and_decode(model, batch, seed=3)
    assert recon.min() >= -1 and recon.max() <= 1  # Tanh
    recon_loss = ((recon - batch) ** 2).sum(axis=(1, 2, 3))  # F.mse_loss(reduction="sum"), per image
    kl = -0.5 * (1 + logvar - mean ** 2 - numpy.exp(logvar)).sum(axis=1)
    assert logs["reconstruction_loss"] == pytest.approx(recon_loss.mean(), rel=1e-4)
    assert logs["kl_loss"] == pytest.approx(kl.mean(), rel=1e-4, abs=1e-6)


def test_adam_takes_the_same_steps_for_the_batch_sum_and_the_batch_mean():
    """Why cifar-vae may average over the batch where the blog sums: Adam's step is scale-free.

    Only weights whose gradient is as small as Adam's eps (1e-7) see the factor of 4,
    so the two runs' weight changes differ by far less than 1% (in norm).
    """
    batch = images("cifar-vae", 4)
    minivae.manual_seed(0)
    model = models.build("cifar-vae", latent_dim=8)
    start = model.state_dict()
    results = []
    for scale in (1.0, float(len(batch))):  # the mean over the batch, then the blog's sum
        model.load_state_dict(start)
        optimizer = Adam(model.parameters(), lr=1e-4)
        minivae.manual_seed(1)
        for _ in range(3):
            optimizer.zero_grad()
            (model.compute_losses(minivae.Tensor(batch))["total_loss"] * scale).backward()
            optimizer.step()
        results.append([p.numpy().copy() for p in model.parameters()])
    for mean_step, sum_step, w0 in zip(*results, start.values()):
        moved = numpy.linalg.norm(sum_step - w0)
        assert moved > 0 and numpy.linalg.norm(mean_step - sum_step) < 0.01 * moved


@pytest.mark.parametrize("name, lr", [("cvae", 1e-3), ("mlp-vae", 1e-3), ("cifar-vae", 1e-3)])
def test_loss_decreases_on_a_fixed_batch(name, lr):
    minivae.manual_seed(0)
    model = models.build(name, latent_dim=4)
    optimizer = Adam(model.parameters(), lr=lr)
    batch = images(name, 8)
    losses = [model.train_step(batch, optimizer)["total_loss"] for _ in range(20)]
    assert numpy.all(numpy.isfinite(losses))
    assert numpy.mean(losses[-3:]) < 0.8 * numpy.mean(losses[:3]), losses


# ---------------------------------------------------------------- minivae train

QUICK = ["--limit", "64", "--epochs", "1", "--batch-size", "32", "--no-figures", "--quiet"]


def fashion_or_skip():
    try:
        return data.find_fashion_mnist()
    except FileNotFoundError:
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")


@pytest.mark.parametrize("name", ["cvae", "mlp-vae"])
def test_cli_trains_on_fashion_mnist_standing_in_for_mnist(name, tmp_path, capsys, monkeypatch):
    fashion_or_skip()
    monkeypatch.delenv("MINIVAE_MNIST", raising=False)
    out = str(tmp_path / name)
    assert cli.main(["train", "--model", name, "--out", out] + QUICK) == 0
    printed, said = capsys.readouterr()
    assert "minivae train: note: load_mnist: MNIST not found" in said  # one line, no source path
    assert "using Fashion-MNIST instead" in said and "UserWarning" not in said
    assert "Fashion-MNIST standing in for MNIST" in printed
    assert "64 training and 64 validation images" in printed
    history = json.load(open(os.path.join(out, HISTORY)))
    assert len(history) == 1 and numpy.isfinite(history[0]["val_total_loss"])
    if name == "cvae":
        assert "binarized at 0.5, 28x28" in printed and "adam lr 0.0001" in printed
        assert f"Epoch: 1, Test set ELBO: {-history[0]['val_total_loss']:.4f}" in printed
    else:
        assert "rmsprop lr 0.001" in printed and "Test set ELBO" not in printed
    model, run = run_folder.load_run(out)
    assert model.name == name and run.settings.dataset in ("mnist", "mnist-binarized")
    assert run.settings.stand_in == "fashion-mnist"  # the files read, recorded with the run


def write_cifar_batches(folder, n, seed=0):
    """The real "python version" layout: pickled dicts with b'data' uint8 (n, 3072) and b'labels'."""
    rng = numpy.random.default_rng(seed)
    folder.mkdir(parents=True)
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    for name in names:
        batch = {b"batch_label": name.encode(), b"labels": [int(v) for v in rng.integers(0, 10, n)],
                 b"data": rng.integers(0, 256, (n, 3072), dtype=numpy.uint8),
                 b"filenames": [b"%d.png" % i for i in range(n)]}
        with open(folder / name, "wb") as f:
            pickle.dump(batch, f, protocol=2)
    return folder


def test_cli_trains_cifar_vae_on_cifar_batches(tmp_path, capsys):
    write_cifar_batches(tmp_path / "cifar-10-batches-py", n=16)  # --data may name its parent
    out = str(tmp_path / "run")
    args = ["train", "--model", "cifar-vae", "--data", str(tmp_path), "--out", out]
    assert cli.main(args + QUICK) == 0
    printed = capsys.readouterr().out
    assert "CIFAR-10, scaled to [-1, 1]: 64 training and 16 validation images" in printed
    history = json.load(open(os.path.join(out, HISTORY)))
    assert numpy.isfinite(history[0]["total_loss"]) and numpy.isfinite(history[0]["val_total_loss"])


def test_cli_cifar_without_data_says_where_to_put_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MINIVAE_CIFAR10", str(tmp_path / "nowhere"))
    assert cli.main(["train", "--model", "cifar-vae", "--out", str(tmp_path / "run")] + QUICK) == 2
    err = capsys.readouterr().err
    assert "--data" in err and "MINIVAE_CIFAR10" in err and "cifar-10-python.tar.gz" in err


def test_cli_trains_faces_vae_on_a_folder_of_jpegs(tmp_path, capsys):
    from PIL import Image
    folder = tmp_path / "celeba" / "img_align_celeba"
    folder.mkdir(parents=True)
    rng = numpy.random.default_rng(0)
    for i in range(40):
        pixels = rng.integers(0, 256, (64, 64, 3), dtype=numpy.uint8)
        Image.fromarray(pixels).save(folder / f"{i + 1:06d}.jpg")
    out = str(tmp_path / "run")
    args = ["train", "--model", "faces-vae", "--data", str(tmp_path / "celeba"), "--limit", "20",
            "--epochs", "1", "--batch-size", "8", "--no-figures", "--quiet", "--out", out]
    assert cli.main(args) == 0
    printed = capsys.readouterr().out
    assert "36 training and 4 validation images" in printed and "adam lr 0.0005" in printed
    history = json.load(open(os.path.join(out, HISTORY)))
    assert numpy.isfinite(history[0]["val_total_loss"])
    model, run = run_folder.load_run(out)
    assert run.settings.beta == 2000 and model.input_shape == (3, 32, 32)


def test_cli_faces_vae_draws_the_smiling_arithmetic_from_the_attributes_csv(tmp_path, capsys):
    from PIL import Image
    folder = tmp_path / "celeba" / "img_align_celeba"
    folder.mkdir(parents=True)
    rng = numpy.random.default_rng(1)
    lines = ["image_id,Eyeglasses,Smiling"]
    for i in range(40):
        name = f"{i + 1:06d}.jpg"
        Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=numpy.uint8)).save(folder / name)
        lines.append(f"{name},-1,{1 if i % 2 else -1}")
    (tmp_path / "celeba" / "list_attr_celeba.csv").write_text("\n".join(lines) + "\n")
    out = str(tmp_path / "run")
    args = ["train", "--model", "faces-vae", "--data", str(tmp_path / "celeba"), "--epochs", "1",
            "--batch-size", "8", "--latent-dim", "8", "--quiet", "--out", out]
    assert cli.main(args) == 0
    assert "Smiling from" in capsys.readouterr().out
    assert os.path.getsize(os.path.join(out, "latent_arithmetic.png")) > 0
    assert "Smiling" in open(os.path.join(out, "report.html")).read()
