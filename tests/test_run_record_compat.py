"""A checkpoint written before the run record (minivae at commit c68f91e) still loads."""
import os
import shutil

from minivae import run_folder

OLD_RUN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures", "cvae_run_c68f91e")


def test_a_checkpoint_written_by_the_old_code_loads(tmp_path):
    folder = shutil.copytree(OLD_RUN, tmp_path / "run")
    model, _ = run_folder.load_run(str(folder))
    assert model.name == "cvae" and model.latent_dim == 2
    assert len(run_folder.load_history(str(folder))) == 1
