"""Each figure of minivae.viz, drawn from tiny untrained models and random data.

Real models check that the figures run end to end on the book's architectures;
small stub models that record what their decoder was given check the latent
points themselves (the normal quantiles of the grid, the morphing line, the
attribute vector).
"""
import subprocess
import sys
from statistics import NormalDist

import numpy
import pytest
from PIL import Image

from minivae import Tensor, backend, models, viz
from minivae.data import CLASS_NAMES
from minivae.nn import Module

N = 24  # images per test: enough for every class-coloured figure, quick on the CPU


# ---------------------------------------------------------------- helpers

def assert_png(path):
    """The file is a readable PNG with some picture in it (not one flat colour)."""
    with Image.open(path) as im:
        assert im.format == "PNG"
        assert im.size[0] > 0 and im.size[1] > 0
        pixels = numpy.asarray(im.convert("RGB"), dtype=numpy.float32)
    assert pixels.std() > 0, f"{path} is blank"


def image_axes(fig):
    """The panels of a figure that show an image."""
    return [ax for ax in fig.axes if ax.images]


class StubEncoder:
    """z_mean = the first `latent_dim` pixel means scaled; no randomness, so tests know z."""

    def __init__(self, latent_dim, vae):
        self.latent_dim, self.vae = latent_dim, vae

    def __call__(self, x):
        means = x.numpy().reshape(len(x), -1).mean(axis=1)  # (N,)
        z = numpy.stack([means * (k + 1) for k in range(self.latent_dim)], axis=1)  # (N, latent_dim)
        z = Tensor(z.astype(numpy.float32))
        return (z, Tensor(numpy.zeros_like(z.numpy())), z) if self.vae else z


class StubDecoder:
    """Records every batch of latent points it is given; draws each as a 32x32 image."""

    def __init__(self, channels):
        self.channels, self.seen = channels, []

    def __call__(self, z):
        z = z.numpy()
        self.seen.append(z.copy())
        level = 1 / (1 + numpy.exp(-z[:, :1]))  # (N, 1)
        ramp = numpy.linspace(0, 1, 32 * 32, dtype=numpy.float32).reshape(1, 1, 32, 32)
        images = numpy.broadcast_to(level[:, :, None, None] * ramp, (len(z), self.channels, 32, 32))
        return Tensor(numpy.ascontiguousarray(images, dtype=numpy.float32))

    def points(self):
        return numpy.concatenate(self.seen)


class StubModel(Module):
    """Says what it is, as a minivae model does: is_vae, latent_dim (and inference() from Module)."""

    def __init__(self, latent_dim=2, vae=True, channels=1):
        super().__init__()
        self.encoder, self.decoder = StubEncoder(latent_dim, vae), StubDecoder(channels)
        self.is_vae, self.latent_dim = vae, latent_dim
        self.input_shape = (channels, 32, 32)

    def __call__(self, x):
        z = self.encoder(x)
        return self.decoder(z[2] if isinstance(z, tuple) else z)


@pytest.fixture(scope="module")
def fashion_vae():
    return models.build("fashion-vae", latent_dim=2, beta=500)


@pytest.fixture(scope="module")
def autoencoder():
    return models.build("fashion-autoencoder", latent_dim=2)


@pytest.fixture(scope="module")
def faces_vae():
    return models.build("faces-vae", latent_dim=8, beta=2000)


@pytest.fixture
def gray():
    rng = numpy.random.default_rng(1)
    images = rng.random((N, 1, 32, 32), dtype=numpy.float32)
    labels = numpy.arange(N) % 10
    return images, labels


@pytest.fixture
def colour():
    return numpy.random.default_rng(2).random((N, 3, 32, 32), dtype=numpy.float32)


# ---------------------------------------------------------------- inference helpers

def test_encode_asks_the_model_what_its_encoder_gives(gray):
    """A VAE's encoder gives (z_mean, z_log_var, z), an autoencoder's one point: model.is_vae says which."""
    images, _ = gray
    expected = images.reshape(N, -1).mean(axis=1)[:, None] * numpy.array([1, 2], numpy.float32)
    for vae in (True, False):
        z = viz.encode(StubModel(vae=vae), images)
        numpy.testing.assert_allclose(z, expected, rtol=1e-6)


def test_encode_decode_in_batches_give_numpy(fashion_vae, gray):
    images, _ = gray
    z = viz.encode(fashion_vae, images, batch_size=7)
    assert isinstance(z, numpy.ndarray) and z.shape == (N, 2) and z.dtype == numpy.float32
    decoded = viz.decode(fashion_vae, z, batch_size=5)
    assert decoded.shape == (N, 1, 32, 32)


def test_inference_restores_training_mode(fashion_vae, gray):
    fashion_vae.train()
    viz.encode(fashion_vae, gray[0][:2])
    assert fashion_vae.training
    fashion_vae.eval()


def test_errors_name_the_expected_shape(fashion_vae):
    with pytest.raises(ValueError, match=r"\(N, latent_dim\)"):
        viz.decode(fashion_vae, numpy.zeros(2, numpy.float32))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        viz.encode(fashion_vae, numpy.zeros((32, 32), numpy.float32))


# ---------------------------------------------------------------- the figures

@pytest.mark.parametrize("which", ["fashion-vae", "autoencoder"])
def test_reconstructions_gray(which, fashion_vae, autoencoder, gray, tmp_path):
    model = fashion_vae if which == "fashion-vae" else autoencoder
    path = tmp_path / "rec.png"
    fig = viz.reconstructions(model, gray[0], str(path), n=6)
    assert_png(path)
    panels = image_axes(fig)
    assert len(panels) == 12  # 6 originals over 6 reconstructions
    assert panels[0].images[0].get_array().ndim == 2  # one channel: drawn in gray


def test_reconstructions_shows_all_images_given_unless_too_many(fashion_vae, gray, tmp_path):
    fig = viz.reconstructions(fashion_vae, gray[0][:3], str(tmp_path / "rec.png"))
    assert len(image_axes(fig)) == 6
    many = numpy.zeros((101, 1, 32, 32), numpy.float32)
    with pytest.raises(ValueError, match=r"images\[:10\]"):
        viz.reconstructions(fashion_vae, many, str(tmp_path / "rec.png"))


def test_reconstructions_colour(faces_vae, colour, tmp_path):
    fig = viz.reconstructions(faces_vae, colour, str(tmp_path / "rec.png"), n=4)
    assert_png(tmp_path / "rec.png")
    panels = image_axes(fig)
    assert len(panels) == 8
    assert panels[0].images[0].get_array().shape[-1] == 3  # three channels: drawn in colour


def test_latent_scatter_has_a_legend_of_the_class_names(fashion_vae, gray, tmp_path):
    images, labels = gray
    fig = viz.latent_scatter(fashion_vae, images, labels, str(tmp_path / "s.png"), CLASS_NAMES)
    assert_png(tmp_path / "s.png")
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == [f"{k} {CLASS_NAMES[k]}" for k in range(10)]
    unnamed = viz.latent_scatter(fashion_vae, images, labels, str(tmp_path / "n.png"))
    assert [t.get_text() for t in unnamed.axes[0].get_legend().get_texts()] == [str(k) for k in range(10)]
    assert sum(len(c.get_offsets()) for c in fig.axes[0].collections) == N


def test_latent_scatter_without_labels_is_black(autoencoder, gray, tmp_path):
    fig = viz.latent_scatter(autoencoder, gray[0], None, str(tmp_path / "s.png"))
    assert_png(tmp_path / "s.png")
    assert fig.axes[0].get_legend() is None


def test_latent_scatter_cdf_maps_into_the_unit_square(gray, tmp_path):
    model = StubModel()
    images = gray[0] * 8 - 4  # means far from 0, so raw z spans well beyond [0, 1]
    fig = viz.latent_scatter_cdf(model, images, gray[1], str(tmp_path / "c.png"))
    assert_png(tmp_path / "c.png")
    points = numpy.concatenate([c.get_offsets() for c in fig.axes[0].collections])
    z = viz.encode(model, images)
    expected = numpy.array([[NormalDist().cdf(float(v)) for v in row] for row in z])
    numpy.testing.assert_allclose(numpy.sort(points, axis=0), numpy.sort(expected, axis=0), atol=1e-6)


def test_latent_grid_decodes_the_normal_quantiles(tmp_path):
    model = StubModel()
    n = 5
    fig = viz.latent_grid(model, str(tmp_path / "g.png"), n=n)
    assert_png(tmp_path / "g.png")
    z = model.decoder.points()
    assert z.shape == (n * n, 2)
    quantiles = [NormalDist().inv_cdf(p) for p in numpy.linspace(0.05, 0.95, n)]
    numpy.testing.assert_allclose(numpy.unique(z[:, 0]), quantiles, rtol=1e-5)
    numpy.testing.assert_allclose(numpy.unique(z[:, 1]), quantiles, rtol=1e-5)
    numpy.testing.assert_allclose(z[:n, 0], quantiles, rtol=1e-5)  # the first row: z[0] increasing
    assert numpy.all(z[:n, 1] == z[:, 1].max())  # ... at the largest z[1], like a scatter plot
    assert fig.axes[0].images[0].get_array().shape == (n * 32, n * 32)  # one picture of n x n tiles


def test_latent_grid_of_an_autoencoder_spans_its_embeddings(gray, tmp_path):
    model = StubModel(vae=False)
    viz.latent_grid(model, str(tmp_path / "g.png"), n=4, images=gray[0])
    z = model.decoder.points()
    embeddings = viz.encode(model, gray[0])
    numpy.testing.assert_allclose(z.min(axis=0), embeddings.min(axis=0), rtol=1e-6)
    numpy.testing.assert_allclose(z.max(axis=0), embeddings.max(axis=0), rtol=1e-6)
    with pytest.raises(ValueError, match="no prior"):
        viz.latent_grid(model, str(tmp_path / "g.png"), n=4)


def test_latent_grid_on_the_real_models(fashion_vae, autoencoder, faces_vae, gray, tmp_path):
    viz.latent_grid(fashion_vae, str(tmp_path / "v.png"), n=3)
    viz.latent_grid(autoencoder, str(tmp_path / "a.png"), n=3, images=gray[0])
    assert_png(tmp_path / "v.png")
    assert_png(tmp_path / "a.png")
    with pytest.raises(ValueError, match="2-D latent space"):
        viz.latent_grid(faces_vae, str(tmp_path / "f.png"), n=3)


def test_latent_grid_over_embeddings_draws_every_tile(fashion_vae, autoencoder, gray, tmp_path):
    for model in (fashion_vae, autoencoder):
        fig = viz.latent_grid_over_embeddings(model, gray[0], gray[1], str(tmp_path / "o.png"), n=4)
        assert_png(tmp_path / "o.png")
        assert len(fig.axes[0].images) == 16
        assert fig.axes[0].get_legend() is not None


def test_random_samples_are_seeded_float32_draws_of_the_prior(tmp_path):
    model = StubModel(latent_dim=3)
    backend.manual_seed(7)
    fig = viz.random_samples(model, 12, str(tmp_path / "r.png"))
    assert_png(tmp_path / "r.png")
    assert len(image_axes(fig)) == 12
    first = model.decoder.points()
    assert first.shape == (12, 3) and first.dtype == numpy.float32
    backend.manual_seed(7)
    expected = backend.randn((12, 3), numpy.float32, numpy)
    numpy.testing.assert_array_equal(first, expected)


def test_random_samples_real_models(fashion_vae, faces_vae, tmp_path):
    for model in (fashion_vae, faces_vae):
        viz.random_samples(model, 5, str(tmp_path / "r.png"))
        assert_png(tmp_path / "r.png")


@pytest.mark.parametrize("dims, expected", [(50, 2), (1, 1)])
def test_latent_histograms_one_panel_per_dimension(fashion_vae, gray, tmp_path, dims, expected):
    fig = viz.latent_histograms(fashion_vae, gray[0], str(tmp_path / "h.png"), dims=dims)
    assert_png(tmp_path / "h.png")
    assert len(fig.axes) == expected
    assert all(len(ax.lines) == 1 for ax in fig.axes)  # the N(0, 1) density over each


def test_latent_histograms_wide_latent(faces_vae, colour, tmp_path):
    fig = viz.latent_histograms(faces_vae, colour, str(tmp_path / "h.png"), dims=5)
    assert_png(tmp_path / "h.png")
    assert len(fig.axes) == 5


def test_attribute_vector_is_the_difference_of_means(gray):
    model = StubModel(latent_dim=2)
    images, labels = gray
    has = labels == 5
    z = viz.encode(model, images)
    expected = z[has].mean(axis=0) - z[~has].mean(axis=0)
    numpy.testing.assert_allclose(viz.attribute_vector(model, images, has), expected, rtol=1e-6)
    with pytest.raises(ValueError, match="both groups"):
        viz.attribute_vector(model, images, numpy.ones(N, bool))
    with pytest.raises(ValueError, match="one bool per image"):
        viz.attribute_vector(model, images, has[:3])


def test_latent_arithmetic_rows_and_factors(gray, tmp_path):
    model = StubModel()
    images, labels = gray
    has = labels == 5
    fig = viz.latent_arithmetic(model, images, has, str(tmp_path / "a.png"),
                                base_images=images[:3], factors=range(-2, 3), attribute_name="Sandal")
    assert_png(tmp_path / "a.png")
    assert len(image_axes(fig)) == 3 * (1 + 5)  # each row: the original, then one per factor
    vector = viz.attribute_vector(model, images, has)
    z = viz.encode(model, images[:3])
    moved = model.decoder.seen[-1].reshape(3, 5, 2)  # (base, factor, latent)
    numpy.testing.assert_allclose(moved[:, 4] - moved[:, 2], 2 * numpy.broadcast_to(vector, (3, 2)),
                                  rtol=1e-5, atol=1e-6)
    numpy.testing.assert_allclose(moved[:, 2], z, rtol=1e-6)


def test_latent_arithmetic_real_models(fashion_vae, faces_vae, gray, colour, tmp_path):
    viz.latent_arithmetic(fashion_vae, gray[0], gray[1] == 5, str(tmp_path / "a.png"))
    assert_png(tmp_path / "a.png")
    has = numpy.arange(N) % 2 == 0  # a stand-in for a CelebA column such as Smiling == 1
    fig = viz.latent_arithmetic(faces_vae, colour, has, str(tmp_path / "f.png"), n_base=2)
    assert len(image_axes(fig)) == 2 * (1 + 9)


def test_morph_walks_the_straight_line(gray, tmp_path):
    model = StubModel()
    a, b = gray[0][0] * 0.2, gray[0][1] + 1
    fig = viz.morph(model, a, b, str(tmp_path / "m.png"), steps=6)
    assert_png(tmp_path / "m.png")
    assert len(image_axes(fig)) == 6 + 2  # A, the six decoded points, B
    z_a, z_b = viz.encode(model, numpy.stack([a, b]))
    line = model.decoder.seen[-1]
    numpy.testing.assert_allclose(line[0], z_a, rtol=1e-6)
    numpy.testing.assert_allclose(line[-1], z_b, rtol=1e-6)
    numpy.testing.assert_allclose(line[2], 0.6 * z_a + 0.4 * z_b, rtol=1e-5)


def test_morph_faces(faces_vae, colour, tmp_path):
    viz.morph(faces_vae, colour[0], colour[1], str(tmp_path / "m.png"), steps=4)
    assert_png(tmp_path / "m.png")


HISTORY = [{"epoch": e, "total_loss": 10.0 / e, "reconstruction_loss": 8.0 / e, "kl_loss": 2.0 / e,
            "val_total_loss": 11.0 / e, "val_reconstruction_loss": 9.0 / e, "val_kl_loss": 2.0 / e,
            "seconds": 1.5} for e in (1, 2, 3)]


def test_loss_curves_one_panel_per_component(tmp_path):
    fig = viz.loss_curves(HISTORY, str(tmp_path / "l.png"))
    assert_png(tmp_path / "l.png")
    assert [ax.get_title() for ax in fig.axes] == ["total_loss", "reconstruction_loss", "kl_loss"]
    assert all(len(ax.lines) == 2 for ax in fig.axes)  # train and validation
    numpy.testing.assert_allclose(fig.axes[0].lines[1].get_ydata(), [11.0, 5.5, 11.0 / 3])


def test_loss_curves_skip_the_autoencoders_zero_kl_and_missing_val(tmp_path):
    history = [{"epoch": e, "total_loss": 1.0 / e, "reconstruction_loss": 1.0 / e, "kl_loss": 0.0}
               for e in (1, 2)]
    fig = viz.loss_curves(history, str(tmp_path / "l.png"))
    assert [ax.get_title() for ax in fig.axes] == ["total_loss", "reconstruction_loss"]
    assert all(len(ax.lines) == 1 for ax in fig.axes)
    with pytest.raises(ValueError, match="empty"):
        viz.loss_curves([], str(tmp_path / "l.png"))


def test_epoch_samples_and_their_gif(fashion_vae, tmp_path):
    z_fixed = backend.randn((8, 2), numpy.float32, numpy)
    frames = []
    for epoch in (1, 2, 3):
        path = str(tmp_path / f"epoch_{epoch:03d}.png")
        fig = viz.epoch_samples(fashion_vae, z_fixed, path, title=f"epoch {epoch}")
        assert len(image_axes(fig)) == 8
        assert_png(path)
        frames.append(path)
    gif = viz.animate(frames, str(tmp_path / "training.gif"))
    with Image.open(gif) as im:
        assert im.format == "GIF"
        assert im.n_frames == 3
        assert im.is_animated


def test_figures_never_import_pyplot():
    """A notebook's interactive backend stays as it was: viz draws on its own Agg canvases."""
    code = ("import sys, numpy, minivae.viz as viz\n"
            "from minivae import models\n"
            "m = models.build('fashion-vae', latent_dim=2, beta=500)\n"
            "import tempfile, os\n"
            "d = tempfile.mkdtemp()\n"
            "viz.random_samples(m, 2, os.path.join(d, 's.png'))\n"
            "print('matplotlib.pyplot' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
