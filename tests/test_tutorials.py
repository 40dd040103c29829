"""The tutorial notebooks: stored without outputs, and each one runs from top to bottom.

Each notebook is executed with nbclient in a fresh python3 kernel, with
MINIVAE_QUICK=1 (a tiny subset, one epoch) and MPLBACKEND=Agg (no display), in
a temporary folder that receives its figures. The kernel imports minivae from
this checkout (it is put first on PYTHONPATH).
"""
import os
from pathlib import Path

import pytest

from minivae import data

nbformat = pytest.importorskip(
    "nbformat", reason="the tutorial tests need nbformat, nbclient and ipykernel "
                       "(pip install nbformat nbclient ipykernel)")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.ipynb"))
CELL_TIMEOUT = 300  # seconds per cell; QUICK cells take a few seconds
EXPECTED = ("01_autograd_from_scratch", "02_convolution_im2col", "03_autoencoder", "04_vae",
            "05_latent_space", "06_cpu_vs_gpu", "07_how_good_is_my_vae", "08_one_training_step")


def _id(path):
    return path.stem


def _code(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_the_eight_notebooks_are_there():
    assert tuple(p.stem for p in NOTEBOOKS) == EXPECTED


def test_readmes_learning_path_is_made_from_its_data_file():
    """tutorials/README.md's table is tutorials/learning_path.json's, as docs/_ext/learning_path.py makes it."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("learning_path", ROOT / "docs" / "_ext" / "learning_path.py")
    learning_path = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(learning_path)
    assert tuple(name for name, _ in learning_path.chapters()) == EXPECTED
    readme = (ROOT / "tutorials" / "README.md").read_text(encoding="utf-8")
    assert learning_path.readme_table() in readme, (
        "tutorials/README.md's table is not tutorials/learning_path.json's: edit the JSON, then run "
        "`python3 docs/_ext/learning_path.py`")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_a_notebook_is_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4
    for cell in _code(nb):
        assert cell.outputs == [], f"{path.name}: a code cell has stored outputs; clear them"
        assert cell.execution_count is None, f"{path.name}: a code cell has an execution count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_the_first_code_cell_reads_quick_mode(path):
    first = _code(nbformat.read(path, as_version=4))[0].source
    assert 'QUICK = os.environ.get("MINIVAE_QUICK", "0") == "1"' in first


def _kernel_or_skip():
    nbclient = pytest.importorskip(
        "nbclient", reason="running the notebooks needs nbclient (pip install nbclient)")
    pytest.importorskip("ipykernel", reason="running the notebooks needs ipykernel (pip install ipykernel)")
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    try:
        KernelSpecManager().get_kernel_spec("python3")
    except NoSuchKernel:
        pytest.skip("no 'python3' Jupyter kernel is installed (python -m ipykernel install --user)")
    return nbclient


def _fashion_mnist_or_skip(nb, name):
    if not any("load_fashion_mnist" in cell.source for cell in _code(nb)):
        return
    try:
        data.find_fashion_mnist()
    except FileNotFoundError:
        pytest.skip(f"{name} trains on Fashion-MNIST, which is not on this machine "
                    "(apt-get install dataset-fashion-mnist, or set MINIVAE_DATA)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=_id)
def test_a_notebook_runs_in_quick_mode(path, tmp_path, monkeypatch):
    nbclient = _kernel_or_skip()
    nb = nbformat.read(path, as_version=4)
    _fashion_mnist_or_skip(nb, path.name)
    monkeypatch.setenv("MINIVAE_QUICK", "1")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    client = nbclient.NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # a failing cell raises CellExecutionError with its source and traceback
    errors = [out for cell in _code(nb) for out in cell.outputs if out.output_type == "error"]
    assert not errors
    if "SHORT_RUN" in nb.cells[1].source:  # a chapter that trains in the page, here for a few steps
        _each_figure_says_it_is_a_short_run(nb, path.name)


def _each_figure_says_it_is_a_short_run(nb, name):
    """Beside every figure of a quick chapter's own training run, a sentence that says how short
    the run was (in the figure's title, or printed in the same cell)."""
    for cell in _code(nb):
        shows = any("image/png" in out.get("data", {}) for out in cell.outputs)
        printed = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
        if shows and "book_vae()" not in cell.source:
            assert "short run" in printed or "SHORT_RUN" in cell.source, (name, cell.source[:200])
