"""The three models of chapter 3: the book's parameter counts to the unit, summaries, registry."""
import pytest

from minivae import models
from minivae.models import faces_vae, fashion_autoencoder, fashion_vae


@pytest.fixture(scope="module")
def built():
    """Each model built once for this file (the faces VAE holds 1.35 million weights)."""
    return {name: models.build(name) for name in models.MODELS}


def counts(module):
    return module.count_params(), module.count_params(trainable=True), module.count_params(trainable=False)


def test_autoencoder_tables_3_1_and_3_2(built):
    model = built["fashion-autoencoder"]
    assert counts(model.encoder) == (96_770, 96_770, 0)
    assert counts(model.decoder) == (246_273, 246_273, 0)
    assert model.count_params() == 96_770 + 246_273


def test_vae_encoder_table_3_4(built):
    model = built["fashion-vae"]
    assert counts(model.encoder) == (100_868, 100_868, 0)
    assert counts(model.decoder) == (246_273, 246_273, 0)


def test_faces_vae_tables_3_5_and_3_6(built):
    model = built["faces-vae"]
    assert counts(model.encoder) == (653_584, 652_560, 1_024)
    assert counts(model.decoder) == (700_803, 698_755, 2_048)


def test_vae_encoder_summary_names_the_book_layers(built):
    text = built["fashion-vae"].encoder.summary(print_fn=None)
    for row in ("conv2d_1 (Conv2D)", "conv2d_3 (Conv2D)", "flatten (Flatten)", "z_mean (Dense)",
                "z_log_var (Dense)", "z (Sampling)", "(None, 128, 4, 4)", "4,098",
                "Total params: 100,868"):
        assert row in text


def test_faces_summary_numbers(built):
    text = built["faces-vae"].summary(print_fn=None)
    for number in ("3,584", "147,584", "512", "102,600", "Total params: 653,584",
                   "Trainable params: 652,560", "Non-trainable params: 1,024", "102,912", "2,048",
                   "3,459", "Total params: 700,803", "Trainable params: 698,755",
                   "Non-trainable params: 2,048", "bn_4 (BatchNormalization)", "lr_1 (LeakyReLU)",
                   "(None, 128, 2, 2)", "(None, 3, 32, 32)"):
        assert number in text, number


def test_model_summary_prints_both_tables(built, capsys):
    assert built["fashion-autoencoder"].summary() is None  # printed once, not shown again as a value
    text = built["fashion-autoencoder"].summary(print_fn=None)
    assert capsys.readouterr().out.strip() == text.strip()
    assert 'Model: "encoder"' in text and 'Model: "decoder"' in text


def test_other_sizes():
    model = fashion_vae(latent_dim=3, beta=10)
    assert model.encoder.count_params() == 100_868 + 2 * 2049
    assert model.config == {"latent_dim": 3, "beta": 10} and model.beta == 10
    small = faces_vae(latent_dim=4, image_size=16, channels=1)
    assert small.input_shape == (1, 16, 16)
    assert small.decoder.output_shape == (1, 16, 16)
    with pytest.raises(ValueError, match="multiple of 16"):
        faces_vae(image_size=24)


def test_registry_and_config_rebuild():
    for name in models.MODELS:
        assert models.build(name).name == name
    model = models.build("faces_vae", latent_dim=8, image_size=16)  # underscores work too
    again = models.build(model.name, **model.config)
    assert again.config == model.config == {"latent_dim": 8, "image_size": 16, "channels": 3, "beta": 2000}
    assert list(again.state_dict()) == list(model.state_dict())
    with pytest.raises(ValueError) as err:
        models.build("mnist-gan")
    assert "fashion-autoencoder, fashion-vae, faces-vae" in str(err.value)


def test_autoencoder_default_is_the_book():
    model = fashion_autoencoder()
    assert model.config == {"latent_dim": 2} and model.input_shape == (1, 32, 32)
    assert model.encoder.layers[-1].name == "encoder_output"
    assert model.decoder.layers[-1].name == "decoder_output"


def test_each_model_says_what_it_is(built):
    """is_vae, latent_dim and p(x|z) are declared by the model, and true of its encoder and loss."""
    import numpy
    from minivae import Tensor
    expected = {"fashion-autoencoder": ("bernoulli", False), "fashion-vae": ("bernoulli", False),
                "faces-vae": ("gaussian", False), "cvae": ("bernoulli", True),
                "mlp-vae": ("bernoulli", False), "cifar-vae": ("gaussian", False)}
    assert set(expected) == set(built)
    for name, model in built.items():
        with model.inference():
            code = model.encoder(Tensor(numpy.zeros((2,) + tuple(model.input_shape), numpy.float32)))
        assert model.is_vae == isinstance(code, tuple), name  # (z_mean, z_log_var, z) or one point z
        z = code[0] if model.is_vae else code
        assert z.shape == (2, model.latent_dim), name
        assert (model.likelihood.family, model.likelihood.logits) == expected[name], name
        assert model.is_vae != (name == "fashion-autoencoder")
    assert built["faces-vae"].likelihood.variance == pytest.approx(3 * 32 * 32 / (2 * 2000))
    assert built["cifar-vae"].likelihood.variance == pytest.approx(0.5)  # beta = D: sigma^2 = 1/2


def test_the_registry_is_the_one_list_of_model_names():
    """The factories, the recipes and the command line's --model all read models.MODELS."""
    from minivae import cli, recipes
    assert fashion_vae().name == "fashion-vae" and models.cvae().name == "cvae"  # named by @register
    assert list(recipes.RECIPES) == list(models.MODELS)
    help_text = cli.build_parser()._subparsers._group_actions[0].choices["train"].format_help()
    assert "one of: " + ", ".join(models.MODELS) in " ".join(help_text.split())
    with pytest.raises(ValueError, match="no model is registered as 'mnist-gan'"):
        recipes.Recipe("mnist-gan", "mnist", 1, 1, 1e-3)
    with pytest.raises(ValueError, match="two model factories are called 'cvae'"):
        models.register("cvae")(models.cvae)
