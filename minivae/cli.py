"""The `minivae` command: train the book's models and use them.

    minivae train --model fashion-vae            # the book's VAE, 5 epochs, figures in runs/fashion-vae
    minivae reconstruct --checkpoint runs/fashion-vae
    minivae generate --checkpoint runs/fashion-vae
    minivae report runs/fashion-vae
    minivae evaluate runs/fashion-vae            # ELBO, IWAE_K, active units -> evaluation.json
    minivae explore runs/fashion-vae             # explorer.html: the encoder and decoder in the browser
    minivae trace runs/fashion-vae               # step.html: one training step, op by op
    minivae bench
    minivae exercise check tutorials/exercises/01_sigmoid.py
    minivae info

`minivae COMMAND --help` describes each command's options and their defaults.
"""
import argparse
import os
import sys
import textwrap
import warnings

from . import __version__, arguments, commands, models, recipes
from .evaluation.iwae import DEFAULT_SAMPLES

MODELS = tuple(models.MODELS)  # the one list of model names (minivae/models/registry.py)
BACKENDS = ("numpy", "cupy")


class Parser(argparse.ArgumentParser):
    """argparse, with help that shows defaults and a mistake reported in one line
    (argparse's own prints the usage first). Subcommands' parsers are Parsers too."""

    def __init__(self, *args, formatter_class=None, **kwargs):
        super().__init__(*args, formatter_class=formatter_class or Help, **kwargs)

    def error(self, message):
        message = message[len("argument "):] if message.startswith("argument ") else message
        if message.endswith(": expected one argument"):  # e.g. --lr -1e-3: argparse reads a flag
            flag = message.split(":")[0]
            message += f" (a value starting with '-' is written {flag}=VALUE)"
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


class Help(argparse.RawDescriptionHelpFormatter):
    """Each option's help ends with its default, where it has one worth saying."""

    def _get_help_string(self, action):
        text = action.help or ""
        if "%(default)" in text or action.default is None or action.default is False \
                or action.default == argparse.SUPPRESS:
            return text
        if action.option_strings or action.nargs in (argparse.OPTIONAL, argparse.ZERO_OR_MORE):
            return text + " (default: %(default)s)"
        return text


def _recipes_table():
    """One line per model: what `minivae train --model NAME` does when no flag overrides it."""
    lines = ["each model's recipe (what --epochs, --batch-size, --lr, --beta default to):"]
    for name, r in recipes.RECIPES.items():
        extra = "".join(f", {k.replace('_', ' ')} {v}" for k, v in r.model_args.items())
        lines.append(f"  {name:<20} {r.dataset}, {r.epochs} epochs, batch {r.batch_size}, "
                     f"{r.optimizer} lr {r.lr:g}{extra}")
    return "\n".join(lines)


def _paragraph(text):
    """``text`` wrapped for a terminal (the help keeps line breaks as written, for the tables)."""
    return textwrap.fill(text, 88)


def _backend_option(p, default=None):
    p.add_argument("--backend", choices=BACKENDS, default=default,
                   help="numpy (CPU) or cupy (GPU); unset: MINIVAE_BACKEND, else numpy")


def _data_option(p, extra=""):
    p.add_argument("--data", default=None, metavar="PATH",
                   help="folder holding the run's data set" + extra +
                        " (unset: where minivae finds it, e.g. Debian's dataset-fashion-mnist)")


def _train_parser(sub):
    p = sub.add_parser("train", help="train a model of the sources and write its run folder",
                       description=_paragraph(
                           "Train one of the sources' models with its source's recipe, then write "
                           "its figures, report.html and explorer.html into the run folder."),
                       epilog=_recipes_table())
    p.add_argument("--model", default=None, choices=MODELS, metavar="MODEL",
                   help="one of: " + ", ".join(MODELS) + " (unset: fashion-vae, or the saved run's "
                        "with --resume)")
    p.add_argument("--dataset", default=None, choices=recipes.DATASETS, metavar="NAME",
                   help="the data set, one of " + ", ".join(recipes.DATASETS) +
                        " (unset: the model's own)")
    p.add_argument("--epochs", type=arguments.positive_int, help="passes over the training set "
                   "(unset: the recipe's); with --resume, the new total")
    p.add_argument("--batch-size", type=arguments.positive_int,
                   help="images per optimizer step (unset: the recipe's)")
    p.add_argument("--lr", type=arguments.positive_float, help="learning rate (unset: the recipe's)")
    p.add_argument("--beta", type=arguments.non_negative_float,
                   help="weight of the reconstruction loss against the KL term, VAEs only "
                        "(unset: the recipe's)")
    p.add_argument("--latent-dim", type=arguments.positive_int,
                   help="size of the latent space (unset: the recipe's)")
    p.add_argument("--seed", type=arguments.seed, default=None,
                   help="seed of every random draw (unset: 0)")
    _backend_option(p)
    p.add_argument("--out", default=None, metavar="DIR", help="run folder (unset: runs/MODEL)")
    again = p.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true",
                       help="continue the run in --out with its saved settings; --epochs N sets the "
                            "new total, and another flag that differs from the saved run is refused")
    again.add_argument("--overwrite", action="store_true",
                       help="replace the run in --out: its checkpoint, history, figures, report, "
                            "explorer and evaluation are removed first (nothing else in the folder)")
    _data_option(p)
    p.add_argument("--limit", type=arguments.positive_int, default=None, metavar="N",
                   help="use only the first N training and N validation images (unset: all)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--no-figures", action="store_true", help="skip the figures and the report")


def _use_parser(sub, name, help_text, what, default_file):
    p = sub.add_parser(name, help=help_text, description=help_text + ".")
    p.add_argument("--checkpoint", required=True, metavar="RUN",
                   help="run folder (or its checkpoint.npz), e.g. runs/fashion-vae")
    p.add_argument("--n", type=arguments.positive_int, default=10, help=f"how many {what}")
    p.add_argument("--seed", type=arguments.seed, default=0, help="seed of the random draws")
    p.add_argument("--out", "--output", dest="output", default=None, metavar="PNG",
                   help=f"the PNG to write (unset: RUN/{default_file}; never one of the run's figures)")
    _backend_option(p)
    return p


def _evaluate_parser(sub):
    p = sub.add_parser("evaluate", help="ELBO, importance-weighted log p(x), KL per latent dimension "
                       "and active units on the test set; writes RUN_DIR/evaluation.json",
                       description=_paragraph("How good is a trained VAE as a model of its data: the ELBO, "
                       "the importance-weighted bound IWAE_K on log p(x) for K = 1, 10, ... up to "
                       "--samples, the KL per latent dimension and the active units. Each image "
                       "and sample is one decoder pass: the default (K = "
                       f"{DEFAULT_SAMPLES} on the whole test set) finishes within 10 minutes on 2 CPU "
                       "cores for the book's VAE (K = 100 took 11); --samples 1000 is "
                       "the paper's setting (about 90 minutes there, minutes on a GPU)."))
    p.add_argument("run_dir", help="the run folder, e.g. runs/fashion-vae")
    p.add_argument("--samples", type=arguments.positive_int, default=DEFAULT_SAMPLES, metavar="K",
                   help="draws from q(z|x) per image (IWAE_1, 10, 100, ... up to K)")
    p.add_argument("--limit", type=arguments.positive_int, default=None, metavar="N",
                   help="only the first N test images (unset: all of them)")
    p.add_argument("--batch-size", type=arguments.positive_int, default=500,
                   help="images encoded per pass")
    _data_option(p, ", or a .npy file of images (N, C, H, W)")
    p.add_argument("--seed", type=arguments.seed, default=0, help="seed of the draws from q(z|x)")
    _backend_option(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _run_dir_parser(sub, name, help_text):
    p = sub.add_parser(name, help=help_text, description=help_text + ".")
    p.add_argument("run_dir", help="the run folder, e.g. runs/fashion-vae")
    return p


def _trace_parser(sub):
    p = _run_dir_parser(sub, "trace", "record one training step of a run's model: print where the "
                        "time and memory go, op by op, and write RUN_DIR/step.html, its graph with "
                        "values, gradients, play backward and the loss split")
    p.add_argument("--batch", type=arguments.positive_int, default=32, metavar="N",
                   help="the first N training images, in file order")
    p.add_argument("--rounds", type=arguments.positive_int, default=5,
                   help="runs of the step that the times are medians of")
    p.add_argument("--out", default=None, metavar="FILE", help="the page to write (unset: RUN_DIR/step.html)")
    _data_option(p)
    _backend_option(p)


def build_parser():
    parser = Parser(prog="minivae", description=__doc__)
    parser.add_argument("--version", action="version", version=f"minivae {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _train_parser(sub)
    p = _use_parser(sub, "reconstruct", "show test images (top) and their reconstructions (bottom)",
                    "test images", "reconstructed.png")
    _data_option(p)
    _use_parser(sub, "generate", "decode random points z ~ N(0, I) of the latent space",
                "points", "generated.png")
    sub.add_parser("info", help="versions, backend, GPU and where data was found",
                   description="Versions, backend, GPU and where the data was found.")
    p = _run_dir_parser(sub, "report", "redraw a run's figures and report.html from its checkpoint")
    _data_option(p)
    _backend_option(p)
    _evaluate_parser(sub)
    p = _run_dir_parser(sub, "explore", "write a run's explorer.html: draw or drop an image and "
                        "watch q(z|x), its draws and its loss; move through the latent space, the "
                        "encoder and decoder running in the page")
    p.add_argument("--out", default=None, metavar="FILE", help="the page to write "
                   "(unset: RUN_DIR/explorer.html)")
    _data_option(p)
    _backend_option(p)
    _trace_parser(sub)
    p = sub.add_parser("bench", help="the quick benchmark: per-op table and the VAE step",
                       description="The quick benchmark: per-op table and the VAE training step.")
    p.add_argument("--json", default="benchmarks/out/quick.json", help="where to write the JSON")
    p.add_argument("--batch-size", type=arguments.positive_int, default=100,
                   help="images per VAE step")
    p = sub.add_parser("exercise", help="the gradient exercises of tutorials/exercises",
                       description="The gradient exercises of tutorials/exercises.")
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    check = actions.add_parser("check", help="gradcheck an exercise's backward: PASS (exit 0) "
                               "or which input and element are wrong (exit 1)")
    check.add_argument("file", help="the exercise, e.g. tutorials/exercises/01_sigmoid.py")
    _backend_option(check, default="numpy")
    return parser


def main(argv=None):
    """Run one command; return its exit status (2: the command line was refused)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0), or a refused value already reported in one line (2)
        return exc.code
    with warnings.catch_warnings():  # a library warning reads as a note, without a source path
        warnings.showwarning = lambda message, *_: print(
            f"minivae {args.command}: note: {message}", file=sys.stderr, flush=True)
        return _run(args)


def _run(args):
    from .train_command import RunInterrupted
    try:
        return getattr(commands, args.command.replace("-", "_"))(args) or 0
    except RunInterrupted as exc:  # training stopped; the message says how to go on
        print(("\n" if exc.code == 130 else "") + str(exc), file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:  # (`train` says how to resume: RunInterrupted above)
        print(f"\nminivae {args.command}: interrupted", file=sys.stderr)
        return 130
    except commands.UserError as exc:
        print(f"minivae {args.command}: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # `minivae info | head`: the reader left; say nothing more
        sys.stdout = open(os.devnull, "w")  # so the interpreter's last flush cannot fail too
        return 1
    except OSError as exc:  # the system refused: a full disk, a read-only folder
        print(f"minivae {args.command}: {exc.filename or 'a file'}: {exc.strerror or exc}",
              file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
