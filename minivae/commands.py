"""What each `minivae` subcommand does (the argument parsing is in cli.py)."""
import os
import platform
import sys

import numpy

from . import backend, data, recipes
from .errors import UserError
from .run_folder import load_run, run_dir


def _backend(name):
    if name:
        try:
            backend.use(name)
        except backend.BackendError as exc:
            raise UserError(str(exc)) from None


def _build(model_name, **model_args):
    from . import models
    try:
        return models.build(model_name, **model_args)
    except (KeyError, ValueError) as exc:
        raise UserError(str(exc).strip('"')) from None


def _optimizer(name, params, lr):
    from . import optim
    return {"adam": optim.Adam, "rmsprop": optim.RMSprop, "sgd": optim.SGD}[name](params, lr=lr)


def train(args):
    from .training import fit, CheckpointMismatch, TrainingDiverged
    if args.model not in recipes.RECIPES:
        raise UserError(f"unknown model {args.model!r}: choose one of {', '.join(recipes.RECIPES)}")
    recipe = recipes.RECIPES[args.model]
    _backend(args.backend)
    model_args = dict(recipe.model_args)
    if args.latent_dim is not None:
        model_args["latent_dim"] = args.latent_dim
    if args.beta is not None:
        if "beta" not in model_args:
            raise UserError(f"--beta: the {args.model} takes no beta (its source fixes its loss)")
        model_args["beta"] = args.beta
    epochs = args.epochs or recipe.epochs
    batch_size = args.batch_size or recipe.batch_size
    lr = args.lr or recipe.lr
    out = args.out or os.path.join("runs", args.model)
    backend.manual_seed(args.seed)
    try:
        train_x, val_x, val_labels, described = recipes.load_dataset(
            args.dataset or recipe.dataset, args.data, args.limit)
    except (FileNotFoundError, recipes.DatasetNotFound, data.DataFileError) as exc:
        raise UserError(str(exc)) from None
    model = _build(args.model, **model_args)
    model.to(backend.current())
    optimizer = _optimizer(recipe.optimizer, model.parameters(), lr)
    print(f"{recipe.source}: {args.model} on {described}: {len(train_x)} training and "
          f"{len(val_x)} validation images, {epochs} epochs, batch {batch_size}, "
          f"{recipe.optimizer} lr {lr}, backend {backend.current()}, run folder {out}", flush=True)
    meta = {"model": args.model, "model_args": model_args, "dataset": args.dataset or recipe.dataset,
            "epochs": epochs, "batch_size": batch_size, "lr": lr, "optimizer": recipe.optimizer,
            "seed": args.seed, "backend": backend.current(), "limit": args.limit}
    if val_labels is not None and val_labels.dtype == bool:  # CelebA: whether each face smiles
        meta["attribute"] = recipes.CELEBA_ATTRIBUTE
    if len(train_x) < batch_size:
        raise UserError(f"--batch-size {batch_size} is larger than the {len(train_x)} training "
                        "images; lower it or raise --limit")
    callbacks = [] if args.no_figures else [_epoch_samples(model, out)]
    if recipe.test_elbo:
        callbacks.append(_print_test_elbo)
    try:
        history = fit(model, train_x, epochs, batch_size, optimizer, validation=val_x,
                      seed=args.seed, out_dir=out, resume=args.resume, quiet=args.quiet or None,
                      meta=meta, on_epoch_end=lambda e, r: [c(e, r) for c in callbacks])
    except (TrainingDiverged, CheckpointMismatch, FileNotFoundError) as exc:
        raise UserError(str(exc)) from None
    if not args.no_figures:
        _explorer(model, out, meta, val_x, val_labels)
        _figures(model, out, meta, val_x, val_labels, history)
    print(f"done: {out}/history.json, {out}/checkpoint.npz", flush=True)


def _epoch_samples(model, out):
    """The TF tutorial's per-epoch sample grid on fixed latent points (the GIF's frames)."""
    from .viz import EpochSamples
    return EpochSamples(model, out)


def _print_test_elbo(epoch, record):
    """The TF tutorial's line: the test-set ELBO is minus the validation total loss."""
    print(f"Epoch: {epoch}, Test set ELBO: {-record['val_total_loss']:.4f}, "
          f"time elapse for current epoch: {record['seconds']:.1f} s", flush=True)


def _figures(model, out, meta, val_x, val_labels, history):
    try:
        from . import viz
    except ImportError:
        return
    for path in viz.run_figures(model, out, meta, val_x, val_labels, history):
        print(f"figure: {path}", flush=True)


def _explorer(model, out, meta, val_x, val_labels):
    """explorer.html, written before the report so that report.html links to it."""
    from .viz.explorer import write_explorer
    try:
        print(f"explorer: {write_explorer(model, out, val_x, val_labels, meta)}", flush=True)
    except Exception as exc:  # e.g. a layer decoder.js lacks: the run still gets its report
        print(f"explorer: not written: {type(exc).__name__}: {exc}", flush=True)


def _output(args, name):
    return args.output or os.path.join(run_dir(args.checkpoint), name)


def reconstruct(args):
    from . import viz
    _backend(args.backend)
    model, meta = load_run(args.checkpoint)
    _, val_x, _, _ = recipes.load_dataset(meta["dataset"], args.data, None)
    path = _output(args, "reconstructions.png")
    viz.reconstructions(model, val_x[:args.n], path)
    print(path)


def generate(args):
    from . import viz
    _backend(args.backend)
    backend.manual_seed(args.seed)
    model, _ = load_run(args.checkpoint)
    path = _output(args, "samples.png")
    viz.random_samples(model, args.n, path)
    print(path)


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
    _backend(args.backend)
    try:
        verdict = check_exercise(args.file, device=args.backend)
    except FileNotFoundError as exc:
        raise UserError(str(exc)) from None
    print(verdict)
    return 0 if verdict.passed else 1


def report(args):
    """`minivae report DIR`: redraw the figures and report.html of a run from its checkpoint."""
    from .redraw import rebuild_report
    _backend(args.backend)
    for path in rebuild_report(args.run_dir, data=args.data):
        print(path)


def evaluate(args):
    """`minivae evaluate DIR`: ELBO, IWAE_K and active units on the test set; writes evaluation.json."""
    from tqdm import tqdm
    from . import evaluation
    if args.samples < 1:
        raise UserError(f"--samples must be at least 1 (the draws from q(z|x) per image), got {args.samples}")
    if args.batch_size < 1:
        raise UserError(f"--batch-size must be at least 1, got {args.batch_size}")
    if args.limit is not None and args.limit < 1:
        raise UserError(f"--limit must be at least 1 image, got {args.limit}")
    _backend(args.backend)
    backend.manual_seed(args.seed)
    model, meta = load_run(args.run_dir)
    images = _evaluation_images(meta, args.data)[:args.limit]
    try:
        latent = evaluation.latent_model(model, images)  # a VAE, and data that fit it
    except evaluation.EvaluationError as exc:
        raise UserError(str(exc)) from None
    if not args.quiet:  # the progress bar shows only on a terminal: say up front what the run costs
        print(f"evaluate {meta['model']}: {len(images):,} images x K = {args.samples:,} samples = "
              f"{len(images) * args.samples:,} decoder passes on {backend.current()} "
              "(--limit N and --samples K make it smaller)", file=sys.stderr, flush=True)
    bar = tqdm(total=len(images) * args.samples, unit="z", unit_scale=True, leave=False,
               desc=f"evaluate {meta['model']}, K={args.samples}", disable=args.quiet or None)
    try:
        with bar:
            result = evaluation.evaluate(latent, images, args.samples, args.batch_size,
                                         progress=bar.update)
    except evaluation.EvaluationError as exc:
        raise UserError(str(exc)) from None
    result.extra.update(model=meta["model"], data=args.data or meta["dataset"], seed=args.seed,
                        backend=backend.current())
    print(evaluation.format_table(result))
    print(evaluation.save_evaluation(run_dir(args.run_dir), result))
    print(f"`minivae report {args.run_dir}` adds it to report.html", flush=True)


def _evaluation_images(meta, path):
    """The run's validation images, or the images of a .npy file (N, C, H, W) when ``path`` names one."""
    from .run_folder import load_validation
    if path and os.path.isfile(path) and path.endswith(".npy"):
        images = numpy.load(path)
        if images.dtype.kind not in "fiub":
            raise UserError(f"{path}: expected an array of images, got dtype {images.dtype}")
        return images.astype(numpy.float32)
    images, _ = load_validation(meta, path)
    return images
def explore(args):
    """`minivae explore DIR`: write the run's explorer.html (the decoder running in the page)."""
    from .run_folder import load_validation
    from .viz.explorer import write_explorer
    _backend(args.backend)
    model, meta = load_run(args.run_dir)
    val_x, val_labels = load_validation(meta, args.data)
    print(write_explorer(model, args.out or run_dir(args.run_dir), val_x, val_labels, meta))
