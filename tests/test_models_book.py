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
    text = built["fashion-autoencoder"].summary()
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
    for name, builder in models.MODELS.items():
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
