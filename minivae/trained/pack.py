"""Pack a run of the book's VAE into minivae/trained/fashion-vae.npz: float16 weights (half the
bytes; measured on the shipped run, val_total_loss 136.9342 against float32's 136.9337) and no
optimizer state, with a record of how it was made.

    python3 -m minivae.trained.pack RUN_DIR [--command "python3 dev.py train --epochs 1"]
"""
import argparse
import datetime
import json

import numpy

from .. import backend, data
from ..run_folder import load_run
from ..training import evaluate as mean_losses
from ..training.checkpoint import FORMAT
from . import BOOK_VAE

SCORED_IMAGES = 2000  # the first test images, seed 0: the loss that tests/test_trained.py checks
SEED = 0


def score(model):
    """The mean validation losses of ``model`` on the first SCORED_IMAGES test images, seed 0."""
    images, _ = data.load_fashion_mnist(split="test")
    backend.manual_seed(SEED)
    return mean_losses(model, data.book_preprocess(images[:SCORED_IMAGES]), 100, prefix="val_")


def pack(run, out=BOOK_VAE, command="python3 dev.py train --epochs 1"):
    model, meta = load_run(run)
    state = {k: backend.to_numpy(v).astype(numpy.float16) for k, v in model.state_dict().items()}
    model.load_state_dict(state)  # score the weights as they will be shipped
    history = meta.get("history", [])
    meta = {k: v for k, v in meta.items() if k != "rng"}
    meta["shipped"] = {
        "command": command, "date": datetime.date.today().isoformat(),
        "steps": len(history) * -(-meta["train_images"] // meta["batch_size"]),
        "weights": "float16",
        "scored_on": f"the first {SCORED_IMAGES:,} test images, seed {SEED}",
        "scores": {k: round(v, 4) for k, v in score(model).items()},
        "last_epoch": history[-1] if history else None}
    arrays = {f"model/{k}": v for k, v in state.items()}
    arrays["meta"] = numpy.array(json.dumps(dict(meta, format=FORMAT, optimizer_scalars={})))
    with open(out, "wb") as f:
        numpy.savez_compressed(f, **arrays)
    return out, meta["shipped"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir")
    parser.add_argument("--command", default="python3 dev.py train --epochs 1",
                        help="the command that trained the run, recorded in the file")
    args = parser.parse_args(argv)
    out, shipped = pack(args.run_dir, command=args.command)
    print(out)
    print(json.dumps(shipped, indent=1))


if __name__ == "__main__":
    main()
