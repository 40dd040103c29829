"""The `minivae` command: train the book's models and use them.

    minivae train --model fashion-vae            # the book's VAE, 5 epochs, figures in runs/fashion-vae
    minivae reconstruct --checkpoint runs/fashion-vae
    minivae generate --checkpoint runs/fashion-vae
    minivae report runs/fashion-vae
    minivae evaluate runs/fashion-vae           # ELBO, IWAE_K, active units -> evaluation.json
    minivae explore runs/fashion-vae             # explorer.html: the decoder running in the browser
    minivae bench
    minivae exercise check tutorials/exercises/01_sigmoid.py
    minivae info
"""
import argparse
import sys

from . import commands
from .models import MODELS  # the one list of model names (minivae/models/registry.py)


def _train_parser(sub):
    p = sub.add_parser("train", help="train a model of the sources and write its run folder")
    p.add_argument("--model", default="fashion-vae", help="one of: " + ", ".join(MODELS))
    p.add_argument("--dataset", default=None,
                   help="fashion-mnist, mnist, mnist-binarized, cifar10 or celeba "
                        "(default: the model's own)")
    p.add_argument("--epochs", type=int, help="default: the source's")
    p.add_argument("--batch-size", type=int, help="default: the source's")
    p.add_argument("--lr", type=float, help="learning rate (default: the source's)")
    p.add_argument("--beta", type=float, help="weight of the reconstruction loss (VAEs)")
    p.add_argument("--latent-dim", type=int, help="size of the latent space")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--backend", choices=("numpy", "cupy"), default=None,
                   help="numpy (CPU) or cupy (GPU); default MINIVAE_BACKEND or numpy")
    p.add_argument("--out", default=None, help="run folder (default runs/<model>)")
    p.add_argument("--resume", action="store_true", help="continue from the run folder's checkpoint")
    p.add_argument("--data", default=None, help="folder holding the data set's files")
    p.add_argument("--limit", type=int, default=None,
                   help="use only the first N training and N validation examples (quick runs)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-figures", action="store_true", help="skip the figures and the report")


def _use_parser(sub, name, help_text):
    p = sub.add_parser(name, help=help_text)
    p.add_argument("--checkpoint", required=True, help="run folder (or its checkpoint.npz)")
    p.add_argument("--data", default=None, help="folder holding the data set's files")
    p.add_argument("--n", type=int, default=10, help="how many images")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--output", default=None, help="PNG file to write (default: in the run folder)")
    p.add_argument("--backend", choices=("numpy", "cupy"), default=None)
    return p


def _evaluate_parser(sub):
    p = sub.add_parser("evaluate", help="ELBO, importance-weighted log p(x), KL per latent dimension "
                       "and active units on the test set; writes RUN_DIR/evaluation.json")
    p.add_argument("run_dir", help="the run folder, e.g. runs/fashion-vae")
    p.add_argument("--samples", type=int, default=1000,
                   help="K, the draws from q(z|x) per image (IWAE_1, 10, 100, ... up to K; default 1000)")
    p.add_argument("--limit", type=int, default=None, help="only the first N test images")
    p.add_argument("--batch-size", type=int, default=500,
                   help="images encoded and latent points decoded per pass (default 500)")
    p.add_argument("--data", default=None,
                   help="folder holding the run's data set, or a .npy file of images (N, C, H, W)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--backend", choices=("numpy", "cupy"), default=None)
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def build_parser():
    parser = argparse.ArgumentParser(prog="minivae", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    _train_parser(sub)
    _use_parser(sub, "reconstruct", "show test images and their reconstructions")
    _use_parser(sub, "generate", "decode random points of the latent space")
    sub.add_parser("info", help="versions, backend, GPU and where data was found")
    p = sub.add_parser("report", help="redraw a run's figures and report.html from its checkpoint")
    p.add_argument("run_dir", help="the run folder, e.g. runs/fashion-vae")
    p.add_argument("--data", default=None, help="folder holding the data set's files")
    p.add_argument("--backend", choices=("numpy", "cupy"), default=None)
    _evaluate_parser(sub)
    p = sub.add_parser("explore", help="write a run's explorer.html: move through the latent "
                       "space in the browser, the decoder running in the page")
    p.add_argument("run_dir", help="the run folder, e.g. runs/fashion-vae")
    p.add_argument("--out", default=None, help="the page to write (default: RUN_DIR/explorer.html)")
    p.add_argument("--data", default=None, help="folder holding the data set's files")
    p.add_argument("--backend", choices=("numpy", "cupy"), default=None)
    p = sub.add_parser("bench", help="the quick benchmark: per-op table and the VAE step")
    p.add_argument("--json", default="benchmarks/out/quick.json", help="where to write the JSON")
    p.add_argument("--batch-size", type=int, default=100)
    p = sub.add_parser("exercise", help="the gradient exercises of tutorials/exercises")
    actions = p.add_subparsers(dest="action", required=True)
    check = actions.add_parser("check", help="gradcheck an exercise's backward: PASS (exit 0) "
                               "or which input and element are wrong (exit 1)")
    check.add_argument("file", help="the exercise, e.g. tutorials/exercises/01_sigmoid.py")
    check.add_argument("--backend", choices=("numpy", "cupy"), default="numpy")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        return getattr(commands, args.command.replace("-", "_"))(args) or 0
    except KeyboardInterrupt:
        print("\ninterrupted: the last completed epoch's checkpoint is whole; "
              "continue with --resume", file=sys.stderr)
        return 130
    except commands.UserError as exc:
        print(f"minivae {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
