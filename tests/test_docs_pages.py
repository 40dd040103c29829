"""The book's generated pages (docs/_ext/minivae_book.py), without building the site.

Each exercise page is made from tutorials/exercises/NN_name.py and its solution: these
tests check that a page carries what a learner needs from the files, so the two cannot
drift apart. They need Sphinx (pip install -e '.[docs]'), which the extension imports.
"""
import ast
import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx", reason="the book's pages need Sphinx: pip install -e '.[docs]'")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "docs" / "_ext"))
import minivae_book  # noqa: E402

EXERCISES = sorted((ROOT / "tutorials" / "exercises").glob("[0-9][0-9]_*.py"))


def _backward_body(path):
    tree = ast.parse(path.read_text())
    cls = minivae_book._function_class(tree)
    backward = minivae_book._method(cls, "backward")
    return ast.get_source_segment(path.read_text(), backward.body[-1])


@pytest.mark.parametrize("path", EXERCISES, ids=lambda p: p.stem)
def test_an_exercise_page_has_the_op_the_hints_the_command_and_the_folded_solution(path):
    page = minivae_book.exercise_page(path)
    title = ast.get_docstring(ast.parse(path.read_text())).splitlines()[0].rstrip(".")
    assert page.splitlines()[1] == f"# {title}"
    assert f"minivae exercise check tutorials/exercises/{path.name}" in page
    assert "## Hints" in page and "\n- " in page.split("## Hints", 1)[1]
    assert "def forward(self" in page.split("## What to derive")[0]
    solution = page.split(":::{dropdown}", 1)[1]
    assert _backward_body(ROOT / "tutorials" / "solutions" / path.name) in solution
    assert 'raise NotImplementedError("' not in page, "the stub is not shown: forward and solution are"


def test_the_learning_path_has_every_chapter_with_its_measured_times(tmp_path):
    minivae_book.learning_path(tmp_path)
    table = (tmp_path / "_generated" / "learning_path.md").read_text()
    times = json.loads((ROOT / "docs" / "chapter_times.json").read_text())
    for notebook in sorted((ROOT / "tutorials").glob("[0-9][0-9]_*.ipynb")):
        row = next(line for line in table.splitlines() if f"tutorials/{notebook.stem}`" in line)
        assert "not measured" not in row, f"{notebook.stem}: no measured time in docs/chapter_times.json"
        assert notebook.stem in times["full"] and notebook.stem in times["quick"]


def test_the_learning_path_is_read_from_its_data_file_not_from_readme(tmp_path):
    """One data file, tutorials/learning_path.json: the landing page's table is made from it."""
    minivae_book.learning_path(tmp_path)
    table = (tmp_path / "_generated" / "learning_path.md").read_text()
    chapters = json.loads((ROOT / "tutorials" / "learning_path.json").read_text())["chapters"]
    assert [c["notebook"] for c in chapters] == sorted(p.stem for p in (ROOT / "tutorials").glob("[0-9][0-9]_*.ipynb"))
    for chapter in chapters:
        assert f"| {{doc}}`/tutorials/{chapter['notebook']}` | {chapter['shows']} |" in table
    source = (ROOT / "docs" / "_ext" / "minivae_book.py").read_text()
    assert '"README.md"' not in source and "re.match(" not in source, "the extension parses no README"


def test_generated_pages_stand_apart_under_docs_generated(tmp_path):
    minivae_book.exercise_pages(tmp_path)
    minivae_book.learning_path(tmp_path)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written and all(name.startswith("_generated/") for name in written), written
    assert "_generated/exercises/index.md" in written
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert "docs/_generated/" in ignored


def test_the_build_trains_nothing_it_is_given_its_run_folder(tmp_path, monkeypatch):
    """Training is dev.py docs' job, before sphinx-build; the extension only reads the run."""
    source = (ROOT / "docs" / "_ext" / "minivae_book.py").read_text()
    assert "subprocess" not in source and '"train"' not in source
    monkeypatch.delenv("MINIVAE_DOCS_RUN", raising=False)
    with pytest.raises(FileNotFoundError, match="python3 dev.py docs"):
        minivae_book.run_folder()
    (tmp_path / "history.json").write_text("[]")
    monkeypatch.setenv("MINIVAE_DOCS_RUN", str(tmp_path))
    monkeypatch.setenv("MINIVAE_DOCS_RUN_HOW", "quick")
    assert minivae_book.run_folder() == (tmp_path, "quick")


def test_no_generated_page_is_committed():
    """The book's generated pages are written at build time, never kept in git."""
    import shutil
    import subprocess
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "docs"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.splitlines()
    generated = [name for name in tracked if name.startswith(
        ("docs/_generated/", "docs/exercises/", "docs/trained-model/", "docs/_learning_path.md"))]
    assert not generated, f"generated pages are committed (git rm --cached them): {generated}"
