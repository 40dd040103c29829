"""What each `minivae` subcommand does (the argument parsing is in cli.py)."""
import os
import platform
import sys

import numpy

from . import backend, data
from .errors import UserError
from .run_folder import load_run, run_dir
from .train_command import use_backend


def train(args):
    """`minivae train`: see minivae.train_command."""
    from .train_command import train as train_run
    return train_run(args)


def _output(args, name):
    """Where `reconstruct` / `generate` write: ``--out``, else ``name`` in the run folder, and
    never over a figure of the run (those belong to `minivae train` and `minivae report`)."""
    from .viz.run_figures import CAPTIONS
    path = args.output or os.path.join(run_dir(args.checkpoint), name)
    if not path.lower().endswith(".png"):
        raise UserError(f"--out {path}: the figure is a PNG; give a file name ending in .png")
    if os.path.basename(path) in CAPTIONS and os.path.exists(path):
        raise UserError(f"--out {path} is one of the run's own figures; choose another file name")
    return path


def _check_panels(n):
    from .viz.reconstructions import MAX_PANELS
    if n > MAX_PANELS:
        raise UserError(f"--n {n}: at most {MAX_PANELS} images fit in one figure")


def reconstruct(args):
    """`minivae reconstruct`: the first N test images and their reconstructions, in one PNG."""
    from . import viz
    from .run_folder import load_validation
    _check_panels(args.n)
    use_backend(args.backend)
    model, run = load_run(args.checkpoint)
    path = _output(args, "reconstructed.png")
    val_x, _, _ = load_validation(run, args.data)
    viz.reconstructions(model, val_x[:args.n], path)
    print(f"{path}: the first {min(args.n, len(val_x))} test images of {run.settings.dataset} (top) and "
          f"the {run.settings.model}'s reconstructions of them (bottom)")


def generate(args):
    """`minivae generate`: N points z ~ N(0, I) decoded, in one PNG of its own."""
    from . import viz
    _check_panels(args.n)
    use_backend(args.backend)
    model, run = load_run(args.checkpoint)
    path = _output(args, "generated.png")
    backend.manual_seed(args.seed)
    viz.random_samples(model, args.n, path)
    print(f"{path}: {args.n} points z ~ N(0, I) drawn with seed {args.seed}, decoded by the "
          f"{run.settings.model} (another --seed draws others)")


def info(args):
    print(f"minivae {__import__('minivae').__version__}, Python {platform.python_version()}, "
          f"NumPy {numpy.__version__}")
    print(f"default backend: {backend.current()}")
    try:
        cupy = backend.load_cupy()
        print(f"CuPy {cupy.__version__}: GPU visible "
              f"({cupy.cuda.runtime.getDeviceProperties(0)['name'].decode()})")
    except backend.BackendError as exc:
        print(f"CuPy: not usable: {exc}")
    try:
        print(f"Fashion-MNIST: {data.find_fashion_mnist()}")
    except FileNotFoundError as exc:
        print(f"Fashion-MNIST: not found. {exc}")


def bench(args):
    from .bench import quick
    quick.main(args.json, batch=args.batch_size)


def exercise(args):
    """`minivae exercise check FILE`: print the verdict; exit 0 on PASS, 1 otherwise."""
    from .exercises import check_exercise
    use_backend(args.backend)
    try:
        verdict = check_exercise(args.file, device=args.backend)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    print(verdict)
    return 0 if verdict.passed else 1


def report(args):
    """`minivae report DIR`: redraw the figures and report.html of a run from its checkpoint."""
    from .redraw import rebuild_report
    use_backend(args.backend)
    for path in rebuild_report(args.run_dir, data=args.data):
        print(path)


def evaluate(args):
    """`minivae evaluate DIR`: ELBO, IWAE_K and active units on the test set; writes evaluation.json."""
    from tqdm import tqdm
    from . import evaluation
    use_backend(args.backend)
    backend.manual_seed(args.seed)
    model, run = load_run(args.run_dir)
    name = run.settings.model
    images = _evaluation_images(run, args.data)[:args.limit]
    try:
        latent = evaluation.latent_model(model, images)  # a VAE, and data that fit it
    except evaluation.EvaluationError as exc:
        raise UserError(str(exc)) from None
    if not args.quiet:  # the progress bar shows only on a terminal: say up front what the run costs
        from .evaluation.reading import duration, estimate_seconds
        seconds = estimate_seconds(latent, images, args.samples, args.batch_size)
        print(f"evaluate {name}: {len(images):,} images x K = {args.samples:,} samples = "
              f"{len(images) * args.samples:,} decoder passes on {backend.current()}, about "
              f"{duration(seconds)} (timed on the first images; --limit N and --samples K make it "
              "smaller)", file=sys.stderr, flush=True)
    bar = tqdm(total=len(images) * args.samples, unit="z", unit_scale=True, leave=False,
               desc=f"evaluate {name}, K={args.samples}", disable=args.quiet or None)
    try:
        with bar:
            result = evaluation.evaluate(latent, images, args.samples, args.batch_size,
                                         progress=bar.update)
    except evaluation.EvaluationError as exc:
        raise UserError(str(exc)) from None
    result.extra.update(model=name, data=args.data or run.settings.dataset, seed=args.seed,
                        backend=backend.current())
    print(evaluation.format_table(result))
    from .evaluation.reading import explanation
    from .run_folder import load_history
    print("\n".join(["", "reading the table:"] + ["  " + line for line in
                     explanation(model, result.dimensions, load_history(args.run_dir))]))
    print(evaluation.save_evaluation(run_dir(args.run_dir), result))
    print(f"`minivae report {args.run_dir}` adds it to report.html", flush=True)


def _evaluation_images(run, path):
    """The run's validation images, or the images of a .npy file (N, C, H, W) when ``path`` names one."""
    from .run_folder import load_validation
    if path and os.path.isfile(path) and path.endswith(".npy"):
        images = numpy.load(path)
        if images.dtype.kind not in "fiub":
            raise UserError(f"{path}: expected an array of images, got dtype {images.dtype}")
        return images.astype(numpy.float32)
    images, _, _ = load_validation(run, path)
    return images
def explore(args):
    """`minivae explore DIR`: write the run's explorer.html (the encoder and decoder running in the page)."""
    from .run_folder import load_history, load_validation
    from .viz.explorer import write_explorer
    use_backend(args.backend)
    model, run = load_run(args.run_dir)
    val_x, val_labels, data_set = load_validation(run, args.data)
    print(write_explorer(model, args.out or run_dir(args.run_dir), val_x, val_labels, run,
                         history=load_history(args.run_dir), data_set=data_set))


def trace(args):
    """`minivae trace DIR`: one training step of the run's model, recorded; the per-op table and step.html."""
    from .tracing.run import trace_run
    use_backend(args.backend)
    record, run = trace_run(args.run_dir, args.batch, args.data, args.rounds)
    print(f"one training step of the {run.settings.model}: the first {record.batch} training images, "
          f"seed {record.seed}, {len(record.nodes)} ops; times are medians of {record.rounds} runs")
    print(record.table())
    print(record.write(args.out or run_dir(args.run_dir), book=_book()))


def _book():
    """The built book beside this source tree, for the page's API links (None: not built here)."""
    index = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "docs", "_build",
                         "html", "index.html")
    return "file://" + os.path.dirname(index) + "/" if os.path.exists(index) else None
