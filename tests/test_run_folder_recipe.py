"""Notebooks 05 and 07 reuse a run folder only when it was trained with the full recipe."""
from minivae import recipes
from minivae.run_folder import load_recipe_run, recipe_differences
from minivae.run_settings import SavedRun
from minivae.short_run import short_run_warning, steps_needed, steps_taken

BOOK_META = {"model": "fashion-vae", "model_args": {"latent_dim": 2, "beta": 500}, "epoch": 5,
             "epochs": 5, "limit": None, "batch_size": 100, "lr": 5e-4, "dataset": "fashion-mnist"}


def run(**changes):
    """The record of the book's run, with ``changes`` to its checkpoint's meta."""
    return SavedRun.from_meta(dict(BOOK_META, **changes))


BOOK = run()


def test_the_books_recipe_has_no_differences():
    assert recipe_differences(BOOK) == []


def test_each_difference_from_the_recipe_is_named():
    demo = run(epoch=1, limit=2000, model_args={"latent_dim": 2, "beta": 100}, lr=1e-3)
    said = "; ".join(recipe_differences(demo))
    assert "1 of the recipe's 5 epochs" in said and "2,000 images" in said
    assert "beta 100 (recipe: 500)" in said and "lr 0.001 (recipe: 0.0005)" in said


def test_no_run_folder_says_where_it_looked(tmp_path):
    model, said = load_recipe_run("fashion-vae", [tmp_path / "runs" / "fashion-vae"])
    assert model is None and "no run of the fashion-vae found" in said


def test_a_short_run_is_told_so_with_the_command_that_fixes_it():
    demo = run(limit=2000)
    history = [{"epoch": 1}]
    assert steps_taken(demo, history) == 20 and steps_needed("fashion-vae") == 600
    warning = short_run_warning(demo, history)
    assert "20 training steps" in warning and "about 600" in warning
    assert "python3 dev.py train" in warning
    assert short_run_warning(run(limit=None), history) is None  # one full epoch is enough
    assert short_run_warning(run(model="faces-vae", dataset="celeba"), history) is None


def test_every_recipe_with_a_known_data_set_has_a_rule():
    for name, recipe in recipes.RECIPES.items():
        needed = steps_needed(name)
        assert (needed is None) == (recipe.dataset == "celeba")
        assert needed is None or needed * recipe.batch_size >= 50_000
