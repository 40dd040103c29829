"""Pack a run of the book's VAE into minivae/trained/fashion-vae.npz: float16 weights (half the
bytes; measured on the shipped run, val_total_loss 136.9342 against float32's 136.9337) and no
optimizer state, with a record of how it was made.

    python3 -m minivae.trained.pack RUN_DIR [--command "python3 dev.py train --epochs 1"]
    python3 -m minivae.trained.pack --unpack OUT   # a run folder of it: checkpoint.npz, history.json
"""
import argparse
import datetime
import json
import os
import shutil

import numpy

from .. import backend, data
from ..run_folder import load_run
from ..training import read_checkpoint, validation_losses, write_history
from ..training.checkpoint import FORMAT
from . import BOOK_VAE

SCORED_IMAGES = 2000  # the first test images, seed 0: the loss that tests/test_trained.py checks
SEED = 0


def score(model):
    """The mean validation losses of ``model`` on the first SCORED_IMAGES test images, seed 0."""
    images, _ = data.load_fashion_mnist(split="test")
    backend.manual_seed(SEED)
    return validation_losses(model, data.book_preprocess(images[:SCORED_IMAGES]), 100, prefix="val_")


def pack(run, out=BOOK_VAE, command="python3 dev.py train --epochs 1"):
    model, saved = load_run(run)
    state = {k: backend.to_numpy(v).astype(numpy.float16) for k, v in model.state_dict().items()}
    model.load_state_dict(state)  # score the weights as they will be shipped
    history = saved.history
    shipped = {
        "command": command, "date": datetime.date.today().isoformat(),
        "steps": len(history) * -(-saved.train_images // saved.settings.batch_size),
        "weights": "float16",
        "scored_on": f"the first {SCORED_IMAGES:,} test images, seed {SEED}",
        "scores": {k: round(v, 4) for k, v in score(model).items()},
        "last_epoch": history[-1] if history else None}
    record = {k: v for k, v in saved.to_meta().items() if k not in ("rng", "data_path")}
    record.update(shipped=shipped, format=FORMAT, optimizer_scalars={})
    arrays = {f"model/{k}": v for k, v in state.items()}
    arrays["meta"] = numpy.array(json.dumps(record))  # the checkpoint's meta, as save_checkpoint writes it
    with open(out, "wb") as f:
        numpy.savez_compressed(f, **arrays)
    return out, shipped


def unpack(out):
    """A run folder of the shipped VAE in ``out``: its checkpoint and history.json, for
    `minivae explore` and `minivae report` to draw (the quick book's trained-model page)."""
    os.makedirs(out, exist_ok=True)
    shutil.copyfile(BOOK_VAE, os.path.join(out, "checkpoint.npz"))
    write_history(os.path.join(out, "history.json"), read_checkpoint(BOOK_VAE)[2]["history"])
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", nargs="?", help="the run to pack")
    parser.add_argument("--command", default="python3 dev.py train --epochs 1",
                        help="the command that trained the run, recorded in the file")
    parser.add_argument("--unpack", metavar="OUT", help="write a run folder of the shipped VAE instead")
    args = parser.parse_args(argv)
    if args.unpack:
        print(unpack(args.unpack))
        return
    if not args.run_dir:
        parser.error("give the run folder to pack, or --unpack OUT")
    out, shipped = pack(args.run_dir, command=args.command)
    print(out)
    print(json.dumps(shipped, indent=1))


if __name__ == "__main__":
    main()
