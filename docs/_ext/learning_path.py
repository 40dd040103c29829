"""The learning path, kept in one data file: tutorials/learning_path.json.

It lists the chapter notebooks in reading order, each with a line on what it shows. Two
tables are made from it, so neither is parsed to find the other:

    tutorials/README.md   the "notebook | what it shows" table, between its two
                          <!-- learning path ... --> comments (``python3 docs/_ext/learning_path.py``
                          writes it; tests/test_tutorials.py checks it is current)
    the book's landing    docs/_generated/learning_path.md, with the measured times
                          (docs/_ext/minivae_book.py, at every build)

Plain Python, no Sphinx: the tests and the command line read it without the docs extras.
"""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tutorials" / "learning_path.json"
README = ROOT / "tutorials" / "README.md"
START, END = "<!-- learning path: made from learning_path.json -->", "<!-- end of learning path -->"


def chapters(path=DATA):
    """[(notebook name without .ipynb, what it shows)], in reading order."""
    return [(c["notebook"], c["shows"]) for c in json.loads(Path(path).read_text(encoding="utf-8"))["chapters"]]


def readme_table(path=DATA):
    """tutorials/README.md's table, its two markers included."""
    rows = [f"| `{name}.ipynb` | {shows} |" for name, shows in chapters(path)]
    return "\n".join([START, "| notebook | what it shows |", "| --- | --- |", *rows, END])


def with_table(readme_text, path=DATA):
    """``readme_text`` with the table between its markers made from the data file."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(readme_text):
        raise ValueError(f"tutorials/README.md has no learning-path table between {START} and {END}")
    return pattern.sub(lambda _: readme_table(path), readme_text, count=1)


if __name__ == "__main__":  # python3 docs/_ext/learning_path.py: rewrite README's table
    text = README.read_text(encoding="utf-8")
    README.write_text(with_table(text), encoding="utf-8")
    print(f"{README.relative_to(ROOT)}: the learning path table, from {DATA.relative_to(ROOT)}")
