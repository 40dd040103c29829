"""README's picture of a run: cut from the run's own figures."""
import pytest
from PIL import Image

from minivae.viz.overview import PANELS, overview


def test_overview_stacks_the_four_figures_at_the_given_width(tmp_path):
    for i, name in enumerate(n for row in PANELS for n in row):
        Image.new("RGB", (400 + 100 * i, 200), (40 * i, 0, 0)).save(tmp_path / name)
    path = overview(str(tmp_path), str(tmp_path / "out" / "overview.png"), width=600)
    picture = Image.open(path)
    assert picture.width == 600
    assert picture.height == round(200 * 600 / 400) + round(200 * 600 / 500) + round(200 * 300 / 600)


def test_overview_of_a_run_without_figures_says_how_to_draw_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="minivae report RUN_DIR"):
        overview(str(tmp_path), str(tmp_path / "o.png"))
