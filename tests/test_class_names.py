"""Every figure, the report and the explorer name the classes of the data actually used.

Each of the six models is trained for one epoch on small data in its real format
(IDX files for Fashion-MNIST and MNIST, pickled batches for CIFAR-10, JPEGs and
list_attr_celeba.csv for CelebA), with its figures. The class names in report.html,
in the figures' text (legends and titles: the matplotlib artists) and in
explorer.html's page data must equal the data set's record, and no other data
set's names may appear. Fashion-MNIST standing in for MNIST is named as such.
"""
import html
import os
import re

import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from minivae import cli, data
from minivae.viz.run_figures import ATTRIBUTE_LABEL
from test_data_fashion import make_dataset
from test_explorer import page_data
from test_explorer_browser import write_faces
from test_models_sources import write_cifar_batches

QUICK = ["--epochs", "1", "--batch-size", "16", "--quiet"]
OTHER_NAMES = {name for record in data.DATA_SETS.values() for name in record.class_names if len(name) > 1}


def write_data(kind, root):
    """A folder of data in its real format, and the --data flags naming it."""
    if kind in ("fashion-mnist", "mnist"):
        make_dataset(root, n_train=48, n_test=20)  # labels 0..9, twice
    elif kind == "cifar10":
        write_cifar_batches(root, n=20)
    else:
        write_faces(root)
    return ["--data", str(root)]


@pytest.fixture
def drawn_text(monkeypatch):
    """{figure file name: every text its matplotlib artists hold}, filled as figures are saved."""
    texts, real_savefig = {}, Figure.savefig

    def savefig(fig, path, *args, **kwargs):
        texts[os.path.basename(str(path))] = [t.get_text() for t in fig.findobj(Text) if t.get_text()]
        return real_savefig(fig, path, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", savefig)
    return texts


def check_names(out, record, texts):
    """The report, the figures and the explorer name ``record``'s classes and no others."""
    page = open(os.path.join(out, "report.html"), encoding="utf-8").read()
    explorer = page_data(open(os.path.join(out, "explorer.html"), encoding="utf-8").read())
    others = OTHER_NAMES - set(record.class_names)
    every_text = [t for figure in texts.values() for t in figure]
    assert not [t for t in every_text if any(re.search(rf"\b{re.escape(n)}\b", t) for n in others)]
    if not record.class_names:  # CelebA: an attribute, not classes
        assert explorer["classNames"] == [f"not {record.attribute}", record.attribute]
        assert any(record.attribute in t for t in texts["latent_arithmetic.png"])
        assert f"Attribute of the latent arithmetic: {record.attribute}" in page
        return
    shown = re.search(r'<span class="class-names">(.*?)</span>', page)[1]
    assert html.unescape(shown) == ", ".join(f"{k} {n}" for k, n in enumerate(record.class_names))
    assert explorer["classNames"] == list(record.class_names)
    assert any(f"({record.class_names[ATTRIBUTE_LABEL]} vector)" in t for t in texts["latent_arithmetic.png"])
    for name in ("latent_scatter.png", "latent_scatter_cdf.png", "latent_grid_over_embeddings.png"):
        if name in texts:
            legend = [t for t in texts[name] if re.fullmatch(r"\d \S.*", t)]
            assert legend == [f"{k} {record.class_names[k]}" for k in range(10)], (name, legend)
    if record.stands_in_for:
        assert html.escape(record.stand_in_note) in page
        assert explorer["standIn"] == record.stand_in_note
        assert any(f"standing in for {record.stands_in_for}" in t for t in texts["latent_scatter.png"])
    else:
        assert explorer["standIn"] is None and 'class="stand-in"' not in page


@pytest.mark.parametrize("model, kind, dataset", [
    ("fashion-autoencoder", "fashion-mnist", "fashion-mnist"),
    ("fashion-vae", "fashion-mnist", "fashion-mnist"),
    ("cvae", "mnist", "mnist-binarized"),
    ("mlp-vae", "mnist", "mnist"),
    ("cifar-vae", "cifar10", "cifar10"),
    ("faces-vae", "celeba", "celeba"),
])
def test_each_models_figures_report_and_explorer_name_its_data_sets_classes(
        model, kind, dataset, tmp_path, drawn_text, capsys):
    flags = write_data(kind, tmp_path / "data")
    out = str(tmp_path / "run")
    extra = ["--latent-dim", "8"] if model in ("faces-vae", "cifar-vae") else []
    assert cli.main(["train", "--model", model, "--out", out] + flags + QUICK + extra) == 0, capsys.readouterr()
    check_names(out, data.DATA_SETS[dataset], drawn_text)


def test_fashion_mnist_standing_in_for_mnist_is_named_as_itself(tmp_path, drawn_text, monkeypatch):
    try:
        data.find_fashion_mnist()
    except FileNotFoundError:
        pytest.skip("Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)")
    monkeypatch.delenv("MINIVAE_MNIST", raising=False)
    out = str(tmp_path / "run")
    assert cli.main(["train", "--model", "mlp-vae", "--limit", "48", "--out", out] + QUICK) == 0
    used = data.data_set("mnist", stand_in="fashion-mnist")
    assert used.class_names == data.FASHION_MNIST.class_names
    check_names(out, used, drawn_text)
