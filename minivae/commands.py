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


def train(args):
    """`minivae train`: settings, data, model, training, then the figures and the report."""
    recipe = recipes.RECIPES[args.model]
    settings = _settings(args, recipe)
    _backend(args.backend)
    backend.manual_seed(args.seed)
    loaded = _training_data(args, recipe, settings)
    train_x, val_x, val_labels = loaded.train, loaded.validation, loaded.labels
    out = _run_folder(args.out or os.path.join("runs", args.model))
    model, optimizer = _model_and_optimizer(args.model, settings, recipe)
    meta = _meta(args, recipe, settings, len(train_x))
    _banner(recipe, args.model, loaded.described, train_x, val_x, settings, out)
    history = _fit(args, recipe, model, optimizer, train_x, val_x, settings, meta, out)
    if not args.no_figures:
        _explorer(model, out, meta, val_x, val_labels, history, loaded.data_set)
        _figures(model, out, meta, val_x, val_labels, history, loaded.data_set)
    _closing(out, meta, history)


def _settings(args, recipe):
    """The run's hyperparameters: each flag given, else the recipe's value."""
    model_args = dict(recipe.model_args)
    if args.latent_dim is not None:
        model_args["latent_dim"] = args.latent_dim
    if args.beta is not None:
        if "beta" not in model_args:
            raise UserError(f"--beta: the {args.model} takes no beta (its source fixes its loss)")
        model_args["beta"] = args.beta
    pick = lambda flag, default: default if flag is None else flag  # noqa: E731
    return {"model_args": model_args, "epochs": pick(args.epochs, recipe.epochs),
            "batch_size": pick(args.batch_size, recipe.batch_size), "lr": pick(args.lr, recipe.lr),
            "dataset": args.dataset or recipe.dataset}


def _training_data(args, recipe, settings):
    """The data set loaded (minivae.data.LoadedData), checked before anything is built or written."""
    try:
        loaded = recipes.load_dataset(settings["dataset"], args.data, args.limit)
    except (FileNotFoundError, recipes.DatasetNotFound, data.DataFileError) as exc:
        raise UserError(str(exc)) from None
    if len(loaded.train) < settings["batch_size"]:
        raise UserError(f"--batch-size {settings['batch_size']} is larger than the {len(loaded.train)} "
                        "training images; lower it or raise --limit")
    return loaded


def _run_folder(out):
    """Make the run folder and check that it takes a file, before the first step: a folder
    the system refuses (read-only, a file in the way, a full disk) stops the run here."""
    import tempfile
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryFile(dir=out):
        pass
    return out


def _model_and_optimizer(name, settings, recipe):
    from . import optim
    model = _build(name, **settings["model_args"])
    model.to(backend.current())
    rule = {"adam": optim.Adam, "rmsprop": optim.RMSprop, "sgd": optim.SGD}[recipe.optimizer]
    return model, rule(model.parameters(), lr=settings["lr"])


def _meta(args, recipe, settings, train_images):
    """What the checkpoint records about the run, beside the weights."""
    return {"model": args.model, "model_args": settings["model_args"],
            "dataset": settings["dataset"], "epochs": settings["epochs"],
            "batch_size": settings["batch_size"], "lr": settings["lr"],
            "optimizer": recipe.optimizer, "seed": args.seed, "backend": backend.current(),
            "limit": args.limit, "train_images": train_images}


def _banner(recipe, name, described, train_x, val_x, settings, out):
    epochs = settings["epochs"]
    print(f"{recipe.source}: {name} on {described}: {len(train_x):,} training and "
          f"{len(val_x):,} validation images, {epochs} epoch{'s' if epochs != 1 else ''}, "
          f"batch {settings['batch_size']}, {recipe.optimizer} lr {settings['lr']:g}, "
          f"backend {backend.current()}, run folder {out}", flush=True)


def _fit(args, recipe, model, optimizer, train_x, val_x, settings, meta, out):
    from .training import fit, CheckpointMismatch, TrainingDiverged
    callbacks = [] if args.no_figures else [_epoch_samples(model, out)]
    if recipe.test_elbo:
        callbacks.append(_print_test_elbo)
    try:
        return fit(model, train_x, settings["epochs"], settings["batch_size"], optimizer,
                   validation=val_x, seed=args.seed, out_dir=out, resume=args.resume,
                   quiet=args.quiet or None, meta=meta,
                   on_epoch_end=lambda e, r: [c(e, r) for c in callbacks])
    except (TrainingDiverged, CheckpointMismatch, FileNotFoundError) as exc:
        raise UserError(str(exc)) from None


def _closing(out, meta, history):
    """The last lines: what was written, whether the run was long enough, and what to do next."""
    from .short_run import short_run_warning
    print(f"done: {out}/history.json, {out}/checkpoint.npz", flush=True)
    warning = short_run_warning(meta, history)
    if warning:
        print(warning, flush=True)
    if os.path.exists(os.path.join(out, "report.html")):
        print(f"next: open {out}/report.html and {out}/explorer.html in a browser; "
              f"`minivae evaluate {out}` scores the model", flush=True)


def _epoch_samples(model, out):
    """The TF tutorial's per-epoch sample grid on fixed latent points (the GIF's frames)."""
    from .viz import EpochSamples
    return EpochSamples(model, out)


def _print_test_elbo(epoch, record):
    """The TF tutorial's line: the test-set ELBO is minus the validation total loss."""
    print(f"Epoch: {epoch}, Test set ELBO: {-record['val_total_loss']:.4f}, "
          f"time elapse for current epoch: {record['seconds']:.1f} s", flush=True)


def _figures(model, out, meta, val_x, val_labels, history, data_set):
    try:
        from . import viz
    except ImportError:
        return
    for path in viz.run_figures(model, out, meta, val_x, val_labels, history, data_set=data_set):
        print(f"figure: {path}", flush=True)


def _explorer(model, out, meta, val_x, val_labels, history, data_set):
    """explorer.html, written before the report so that report.html links to it."""
    from .viz.explorer import write_explorer
    try:
        path = write_explorer(model, out, val_x, val_labels, meta, history=history, data_set=data_set)
        print(f"explorer: {path}", flush=True)
    except Exception as exc:  # e.g. a layer decoder.js lacks: the run still gets its report
        print(f"explorer: not written: {type(exc).__name__}: {exc}", flush=True)


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
    _backend(args.backend)
    model, meta = load_run(args.checkpoint)
    path = _output(args, "reconstructed.png")
    val_x, _, _ = load_validation(meta, args.data)
    viz.reconstructions(model, val_x[:args.n], path)
    print(f"{path}: the first {min(args.n, len(val_x))} test images of {meta['dataset']} (top) and "
          f"the {meta['model']}'s reconstructions of them (bottom)")


def generate(args):
    """`minivae generate`: N points z ~ N(0, I) decoded, in one PNG of its own."""
    from . import viz
    _check_panels(args.n)
    _backend(args.backend)
    model, meta = load_run(args.checkpoint)
    path = _output(args, "generated.png")
    backend.manual_seed(args.seed)
    viz.random_samples(model, args.n, path)
    print(f"{path}: {args.n} points z ~ N(0, I) drawn with seed {args.seed}, decoded by the "
          f"{meta['model']} (another --seed draws others)")


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
    _backend(args.backend)
    backend.manual_seed(args.seed)
    model, meta = load_run(args.run_dir)
    images = _evaluation_images(meta, args.data)[:args.limit]
    try:
        latent = evaluation.latent_model(model, images)  # a VAE, and data that fit it
    except evaluation.EvaluationError as exc:
        raise UserError(str(exc)) from None
    if not args.quiet:  # the progress bar shows only on a terminal: say up front what the run costs
        from .evaluation.reading import duration, estimate_seconds
        seconds = estimate_seconds(latent, images, args.samples, args.batch_size)
        print(f"evaluate {meta['model']}: {len(images):,} images x K = {args.samples:,} samples = "
              f"{len(images) * args.samples:,} decoder passes on {backend.current()}, about "
              f"{duration(seconds)} (timed on the first images; --limit N and --samples K make it "
              "smaller)", file=sys.stderr, flush=True)
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
    from .evaluation.reading import explanation
    from .run_folder import load_history
    print("\n".join(["", "reading the table:"] + ["  " + line for line in
                     explanation(model, result.dimensions, load_history(args.run_dir))]))
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
    images, _, _ = load_validation(meta, path)
    return images
def explore(args):
    """`minivae explore DIR`: write the run's explorer.html (the encoder and decoder running in the page)."""
    from .run_folder import load_history, load_validation
    from .viz.explorer import write_explorer
    _backend(args.backend)
    model, meta = load_run(args.run_dir)
    val_x, val_labels, data_set = load_validation(meta, args.data)
    print(write_explorer(model, args.out or run_dir(args.run_dir), val_x, val_labels, meta,
                         history=load_history(args.run_dir), data_set=data_set))
