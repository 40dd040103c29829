"""The latent explorer's page, read as text: every model's decoder as steps, one offline file.

The real-browser checks (decode() against minivae's decoder, the pointer) are in
tests/test_explorer_browser.py.
"""
import base64
import json
import os
import re

from pathlib import Path

import numpy
import pytest

from minivae import cli, data, models, nn
from minivae.data import DATA_SETS, preprocess
from minivae.functional.conv_geometry import conv_geometry
from minivae.run_settings import SavedRun
from minivae.viz import explorer as explorer_package
from minivae.viz.explorer import EXPLORER, decoder_steps, explorer_data, network_steps, render, write_explorer
from minivae.viz.explorer.contents import MAX_POINTS, N_EXAMPLES, pack_weights, principal_directions

META = {"model": "fashion-vae", "dataset": "fashion-mnist"}


def saved(**meta):
    """The record of a checkpoint whose meta is ``meta``."""
    return SavedRun.from_meta(meta)


def page_data(page):
    """The JSON object a written page holds."""
    text = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', page, re.S)[1]
    return json.loads(text)


@pytest.mark.parametrize("name", list(models.MODELS))
def test_every_models_decoder_becomes_steps_holding_all_its_weights(name):
    model = models.build(name)
    steps, arrays = decoder_steps(model.decoder, logits=model.likelihood.logits)
    assert sum(a.size for a in arrays.values()) == model.decoder.count_params()
    assert all(a.dtype == numpy.dtype("<f4") for a in arrays.values())
    used = {s[k] for s in steps for k in ("weight", "bias", "running_mean", "running_var") if s.get(k)}
    assert used == set(arrays)
    assert steps[0]["op"] == "linear" and steps[0]["in_features"] == model.config["latent_dim"]


@pytest.mark.parametrize("name", list(models.MODELS))
def test_every_models_encoder_becomes_steps_ending_in_its_heads(name):
    model = models.build(name)
    steps, arrays = network_steps(model.encoder)
    assert sum(a.size for a in arrays.values()) == model.encoder.count_params()
    dim = model.config["latent_dim"]
    last = steps[-1]
    assert last["op"] == "linear"  # z_mean and z_log_var side by side; the autoencoder's z alone
    assert last["out_features"] == (dim if name == "fashion-autoencoder" else 2 * dim)


def test_the_book_vaes_two_heads_become_one_linear_step_with_both_kernels():
    model = models.build("fashion-vae")
    steps, arrays = network_steps(model.encoder)
    head = steps[-1]
    kernel = arrays[head["weight"]]
    numpy.testing.assert_array_equal(kernel[:, :2], model.encoder.z_mean.kernel.numpy())
    numpy.testing.assert_array_equal(kernel[:, 2:], model.encoder.z_log_var.kernel.numpy())
    assert [s["op"] for s in steps] == ["conv2d", "relu"] * 3 + ["reshape", "linear"]


def test_each_models_loss_is_described_as_its_source_defines_it():
    vae = models.build("fashion-vae").loss_terms()
    assert vae["reconstruction"] == {"kernel": "bce", "over_pixels": "mean", "scale": 500.0, "epsilon": 1e-7}
    assert vae["kl"] == "closed form" and vae["beta"] == 500.0 and not vae["likelihood"]["logits"]
    faces = models.build("faces-vae").loss_terms()
    assert faces["reconstruction"]["kernel"] == "mse" and faces["reconstruction"]["epsilon"] is None
    assert faces["beta"] == 2000.0 and models.build("cifar-vae").loss_terms()["beta"] == 3072.0
    cvae = models.build("cvae").loss_terms()
    assert cvae["reconstruction"] == {"kernel": "bce_with_logits", "over_pixels": "sum", "scale": 1.0,
                                      "epsilon": None}
    assert cvae["kl"] == "one sample" and cvae["beta"] is None and cvae["likelihood"]["logits"]
    autoencoder = models.build("fashion-autoencoder").loss_terms()
    assert autoencoder["kl"] is None and autoencoder["beta"] is None
    assert autoencoder["reconstruction"]["over_pixels"] == "mean"
    for name in models.MODELS:
        terms = models.build(name).loss_terms()
        assert {"reconstruction_loss", "kl_loss", "total_loss"} <= set(terms["describe"])


@pytest.mark.parametrize("dataset", list(DATA_SETS))
def test_each_pipeline_is_minivae_datas_own_steps(dataset):
    """The page's steps are functions of minivae.data.preprocess, and applied in order to the stored
    uint8 pixels they give what the loader gives (checked in the browser in test_explorer_browser)."""
    record = DATA_SETS[dataset]
    channels, size, pipeline = record.channels, record.stored_size, record.pipeline
    pixels = numpy.random.default_rng(0).integers(0, 256, (2, channels, size or 32, size or 32), dtype=numpy.uint8)
    x = pixels
    for name in pipeline:
        x = getattr(preprocess, name)(x)
    numpy.testing.assert_array_equal(x, record.prepare(pixels[:, 0] if channels == 1 else pixels))
    if dataset == "fashion-mnist":
        numpy.testing.assert_array_equal(x, preprocess.book_preprocess(pixels[:, 0]))
    assert x.dtype == numpy.float32 and x.ndim == 4


def test_the_book_vae_decoder_reads_as_example_3_4():
    steps, _ = decoder_steps(models.build("fashion-vae").decoder)
    assert [s["op"] for s in steps] == ["linear", "reshape", "conv_transpose2d", "relu", "conv_transpose2d",
                                        "relu", "conv_transpose2d", "relu", "conv2d", "sigmoid"]
    assert steps[1]["shape"] == [128, 4, 4]
    assert steps[2]["padding"] == "same" and steps[2]["stride"] == [2, 2]
    assert steps[2]["weight_shape"] == [128, 128, 3, 3]
    assert steps[2]["pads"] == [0, 1, 0, 1] and steps[2]["out_shape"] == [128, 8, 8]  # conv_geometry's "same"


def test_the_cvae_gets_its_sigmoid_and_cifar_its_tanh_and_explicit_padding():
    cvae = models.build("cvae")
    cvae_steps, _ = decoder_steps(cvae.decoder, logits=cvae.likelihood.logits)  # the model says so
    assert cvae_steps[-1] == {"op": "sigmoid"}  # the network ends in logits; decoder(z) applies it
    cifar_steps, _ = decoder_steps(models.build("cifar-vae").decoder)
    assert cifar_steps[-1] == {"op": "tanh"}
    transposed = [s for s in cifar_steps if s["op"] == "conv_transpose2d"]
    assert [s["padding"] for s in transposed] == [[1, 1]] * 3
    assert [s["op"] for s in cifar_steps].count("batch_norm") == 2


def test_a_layer_without_javascript_is_named_in_the_error():
    class Doubling(nn.Layer):
        def forward(self, x):
            return x * 2
    decoder = nn.Sequential([nn.Dense(4), Doubling(name="doubling")], input_shape=(2,), name="decoder")
    with pytest.raises(ValueError, match="layer 'decoder.doubling' is a Doubling.*engine.js"):
        decoder_steps(decoder)


def test_packed_weights_come_back_exactly():
    arrays = {"a": numpy.arange(6, dtype="<f4").reshape(2, 3), "b": numpy.array([-1.5, 2.25], "<f4")}
    text, tensors = pack_weights(arrays)
    flat = numpy.frombuffer(base64.b64decode(text), "<f4")
    for key, a in arrays.items():
        t = tensors[key]
        numpy.testing.assert_array_equal(flat[t["offset"]:t["offset"] + a.size].reshape(t["shape"]), a)


def test_principal_directions_are_orthonormal_and_ordered():
    rng = numpy.random.default_rng(0)
    z = rng.normal(size=(500, 6)) * numpy.array([5, 3, 2, 1, 0.5, 0.1]) + 7
    mean, directions, spread = principal_directions(z, k=4)
    numpy.testing.assert_allclose(directions @ directions.T, numpy.eye(4), atol=1e-10)
    assert list(spread) == sorted(spread, reverse=True)
    numpy.testing.assert_allclose(spread, [5, 3, 2, 1], rtol=0.15)
    numpy.testing.assert_allclose(mean, 7, atol=0.5)


def test_the_book_vae_page_is_one_offline_file_under_5_mb(tmp_path):
    model = models.build("fashion-vae")
    x = numpy.random.default_rng(0).random((MAX_POINTS + 100, 1, 32, 32), dtype=numpy.float32)
    labels = numpy.arange(len(x)) % 10
    path = write_explorer(model, str(tmp_path), x, labels, saved(**META))
    assert path == str(tmp_path / EXPLORER)
    assert os.path.getsize(path) < 5e6
    page = open(path, encoding="utf-8").read()
    assert not re.search(r'(src|href)="(https?:)?//', page) and "import(" not in page  # loads nothing
    found = page_data(page)
    assert len(found["points"]["u"]) == MAX_POINTS and found["plane"] == "latent"
    assert found["latentDim"] == 2 and found["imageShape"] == [1, 32, 32] and found["isVae"]
    assert found["classNames"][5] == "Sandal" and found["parameters"] == 246273
    assert "function conv_transpose2d_geometry(" in page and "window.minivae = {" in page
    assert "new Worker(URL.createObjectURL(new Blob(" in page  # the model runs in a worker made in the page


def test_a_wide_space_is_shown_through_its_principal_directions_with_an_attribute():
    model = models.build("faces-vae", latent_dim=16)
    x = numpy.random.default_rng(1).random((40, 3, 32, 32), dtype=numpy.float32)
    smiling = numpy.arange(40) % 2 == 0
    found = explorer_data(model, x, smiling, saved(model="faces-vae"))
    assert found["plane"] == "pca" and len(found["directions"]) == 8 and len(found["mean"]) == 16
    assert found["classNames"] == ["not Smiling", "Smiling"]
    assert [a["name"] for a in found["attributes"]] == ["Smiling"]
    assert len(found["examples"]["z"]) == N_EXAMPLES and found["examples"]["labels"][:4] == [0, 1, 0, 1]
    images = numpy.frombuffer(base64.b64decode(found["examples"]["images"]), numpy.uint8)
    assert images.size == N_EXAMPLES * 3 * 32 * 32
    assert found["input"] == {"channels": 3, "size": 32, "pipeline": ["scale_to_unit"]}  # CelebA's loader
    assert found["loss"]["reconstruction"]["kernel"] == "mse" and found["encoderSteps"][-1]["out_features"] == 32


def test_script_text_cannot_end_the_data_block():
    found = explorer_data(models.build("mlp-vae"), numpy.zeros((3, 1, 28, 28), numpy.float32))
    found["model"] = "</script><b>"
    assert page_data(render(found))["model"] == "</script><b>"


def test_train_writes_the_explorer_and_the_report_links_it(tmp_path, capsys):
    try:
        data.find_fashion_mnist()
    except FileNotFoundError:
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")
    out = tmp_path / "run"
    args = ["train", "--model", "fashion-autoencoder", "--limit", "60", "--epochs", "1",
            "--batch-size", "30", "--quiet", "--out", str(out)]
    assert cli.main(args) == 0
    assert f"explorer: {out / EXPLORER}" in capsys.readouterr().out
    assert f'<a href="{EXPLORER}">' in (out / "report.html").read_text(encoding="utf-8")
    assert not page_data((out / EXPLORER).read_text(encoding="utf-8"))["isVae"]
    (out / EXPLORER).unlink()
    assert cli.main(["explore", str(out), "--out", str(tmp_path / "page.html")]) == 0
    assert (tmp_path / "page.html").exists() and not (out / EXPLORER).exists()


def test_explore_without_a_run_says_so(tmp_path, capsys):
    assert cli.main(["explore", str(tmp_path)]) == 2
    assert "minivae explore:" in capsys.readouterr().err


def test_a_run_too_short_to_teach_says_so_in_one_sentence():
    model = models.build("fashion-vae")
    x = numpy.zeros((4, 1, 32, 32), numpy.float32)
    run = saved(**META, batch_size=100, limit=1000)
    short = explorer_data(model, x, run=run, history=[{"total_loss": 1.0}])["shortRun"]
    assert "10 training steps" in short and short.count(". ") == 0  # one sentence
    full = explorer_data(model, x, run=saved(**META, batch_size=100), history=[{"total_loss": 1.0}])
    assert full["shortRun"] is None  # one epoch of all 60,000 images
    assert explorer_data(model, x, run=run)["shortRun"] is None  # no history: nothing to say


# ---------------------------------------------------------------- the page's JavaScript runs kernels only

JS = sorted((Path(explorer_package.__file__).parent).glob("*.js"))


@pytest.mark.parametrize("model_name", ["fashion-vae", "cifar-vae", "cvae"])
def test_every_convolution_step_carries_conv_geometrys_pads_and_output_shape(model_name):
    """What conv_geometry works out is sent, so the page needs no formula of its own."""
    model = models.build(model_name)
    for network, (steps, _) in ((model.decoder, decoder_steps(model.decoder, logits=model.likelihood.logits)),
                                (model.encoder, network_steps(model.encoder))):
        layers = [m for _, m in network.named_modules() if isinstance(m, nn.Conv2D)]
        convs = [s for s in steps if s["op"] in ("conv2d", "conv_transpose2d")]
        assert len(convs) == len(layers) > 0
        for step, layer in zip(convs, layers):
            transposed = isinstance(layer, nn.Conv2DTranspose)
            g = conv_geometry(layer.input_shape[1:], layer.kernel_size, layer.strides, layer.padding,
                              transposed=transposed, output_padding=layer.output_padding if transposed else 0)
            assert step["pads"] == list(g.pads)
            assert step["out_shape"] == [layer.filters, *(g.image_hw if transposed else g.grid_hw)]
            assert step["out_shape"] == list(layer.output_shape)


def test_the_pages_javascript_holds_no_epsilon_and_no_geometry_formula():
    """The constants and formulas are minivae's: Python sends them (steps.py, model.loss_terms())."""
    assert {p.name for p in JS} >= {"engine.js", "vae.js", "client.js", "plot.js", "input.js", "explorer.js"}
    for path in JS:
        code = "\n".join(line.split("//")[0] for line in path.read_text(encoding="utf-8").splitlines())
        assert not re.search(r"\b1e-7\b|\b1e-07\b|0\.0000001", code), f"{path.name} holds BCE's epsilon"
        assert "same_padding" not in code and '"same"' not in code and "'same'" not in code, \
            f"{path.name} works out 'same' padding"
        assert "output_padding" not in code, f"{path.name} works out a transposed convolution's size"
        assert not re.search(r"Math\.ceil\([^)]*stride|\(\s*\w+\s*-\s*1\s*\)\s*\*\s*s[hw]\b|/\s*s[hw]\)\s*\+\s*1",
                             code), f"{path.name} holds an output-size formula"
        assert 'kind === "cvae"' not in code and ".kind" not in code, f"{path.name} decides the model's kind"
        assert "0.3275911" not in code and "2.506628277459239" not in code, \
            f"{path.name} restates an approximation of the normal CDF or its quantile"


def test_is_it_a_vae_and_the_loss_description_come_from_the_model():
    page = render(explorer_data(models.build("cvae"), numpy.zeros((3, 1, 28, 28), numpy.float32)))
    found = page_data(page)
    assert found["isVae"] is True and found["loss"]["kl"] == "one sample"
    assert found["loss"]["describe"]["kl_loss"] == "log q(z|x) - log p(z) at z"
    assert "encoder.output_shape[0] === 2 * D" not in page and "Boolean(e.z_log_var)" not in page
