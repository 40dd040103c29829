"""`minivae train`: one run, with one record of its settings, in a folder that holds only it.

The order matters to a learner who mistyped something: every refusal comes
before any work, in one line, and names what to do instead.

1. the run folder: ``--resume`` reads the saved run's settings (minivae.run_settings);
   without it, a folder that holds a run is refused unless ``--overwrite`` is given;
2. the settings: the recipe's, each flag given over it; on ``--resume``, the saved
   ones, and a flag that differs from them is refused (``--epochs N`` sets the new total);
3. the data set, then its content hash (a resumed run must read the same files);
4. training, the figures, the report and the explorer. An interrupted run (Ctrl-C,
   a full disk, a NaN) prints the command that continues it.
"""
import dataclasses
import os
import shlex
import shutil
import tempfile

from . import backend, data, recipes
from .errors import UserError
from .run_settings import RunSettings, SavedRun

DEFAULT_MODEL = recipes.BOOK_MODEL  # `minivae train` with no --model: the book's main job


class RunInterrupted(Exception):
    """Training stopped before its end; the message says how to continue (exit status ``code``)."""

    def __init__(self, message, code):
        super().__init__(message)
        self.code = code


def train(args):
    """`minivae train`: settings, data, model, training, then the figures and the report.

    Interrupted (Ctrl-C, or the system refusing a write), it raises :class:`RunInterrupted`
    with the command that continues the run."""
    out = args.out or os.path.join("runs", args.model or DEFAULT_MODEL)
    try:
        _train(args, out)
    except KeyboardInterrupt:
        raise RunInterrupted(f"interrupted: {_how_to_go_on(args, out)}", 130) from None
    except BrokenPipeError:  # `minivae train | head`: the reader left, cli ends quietly
        raise
    except OSError as exc:  # the system refused: a full disk, a read-only folder
        kept = f"; {_how_to_go_on(args, out)}" if _has_checkpoint(out) else ""
        raise RunInterrupted(f"minivae train: {exc.filename or 'a file'}: {exc.strerror or exc}{kept}",
                             1) from None


def _train(args, out):
    saved = _saved_run(out) if args.resume else _refuse_a_run_in(out, args.overwrite)
    settings = _resumed_settings(args, saved, out) if saved else _new_settings(args)
    recipe = settings.recipe
    use_backend(args.backend)
    backend.manual_seed(settings.seed)
    loaded = _training_data(settings, out)
    settings = _with_data(settings, loaded, saved, out)
    if args.overwrite:
        for path in remove_run(out):
            print(f"removed: {path}", flush=True)
    _run_folder(out)
    model, optimizer = _model_and_optimizer(settings)
    run = SavedRun(settings, train_images=len(loaded.train), backend=backend.current())
    _banner(recipe, loaded, settings, out)
    history = _fit(args, model, optimizer, loaded, run, out)
    written = []
    if not args.no_figures:
        written += _explorer(model, out, run, loaded, history)
        written += _figures(model, out, run, loaded, history)
    _closing(out, run, history, written, figures=not args.no_figures)


def use_backend(name):
    """Switch to the array backend ``name`` (None: keep the current one); a backend this
    machine lacks ends the command in one line."""
    if name:
        try:
            backend.use(name)
        except backend.BackendError as exc:
            raise UserError(str(exc)) from None


# ---------------------------------------------------------------- 1. the run folder

def run_files(out):
    """The files of the run in folder ``out`` that exist: what `minivae train`, `report`,
    `explore`, `evaluate`, `reconstruct` and `generate` write there, and nothing else."""
    from .evaluation import EVALUATION
    from .training import CHECKPOINT, HISTORY
    from .viz.epoch_samples import EPOCHS_FOLDER
    from .viz.explorer import EXPLORER
    from .viz.report import REPORT
    from .viz.run_figures import CAPTIONS
    names = [CHECKPOINT, HISTORY, REPORT, EXPLORER, EVALUATION, EPOCHS_FOLDER, *CAPTIONS,
             "reconstructed.png", "generated.png"]
    return [os.path.join(out, n) for n in dict.fromkeys(names) if os.path.lexists(os.path.join(out, n))]


def remove_run(out):
    """Remove the run's own files from folder ``out`` (:func:`run_files`); return their paths."""
    removed = run_files(out)
    for path in removed:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path)
        else:
            os.remove(path)
    return removed


def _holds_run(out):
    from .training import CHECKPOINT, HISTORY
    return any(os.path.exists(os.path.join(out, n)) for n in (CHECKPOINT, HISTORY))


def _describe_run(out):
    """What the run in ``out`` is, in a few words: "a cvae trained 3 of 10 epochs"."""
    from .training import CHECKPOINT, read_checkpoint
    try:
        _, _, meta = read_checkpoint(os.path.join(out, CHECKPOINT))
        run = SavedRun.from_meta(meta)
    except (OSError, ValueError):
        return "a run (its history.json or checkpoint.npz)"
    return (f"a run of the {run.settings.model} on {run.settings.dataset}, {run.epoch} of "
            f"{run.settings.epochs} epochs")


def _refuse_a_run_in(out, overwrite):
    """Refuse to train into a folder holding a run, unless --overwrite; None (no run resumed)."""
    if _holds_run(out) and not overwrite:
        raise UserError(f"--out {out} holds {_describe_run(out)}; continue it with --resume (--epochs N "
                        "for a longer run), train a new run into another --out DIR, or replace it "
                        "with --overwrite")
    return None


def _saved_run(out):
    """The run that --resume continues (a SavedRun), read before anything is loaded or built."""
    from .training import CHECKPOINT, read_checkpoint
    path = os.path.join(out, CHECKPOINT)
    if not os.path.exists(path):
        raise UserError(f"--resume: no checkpoint at {path}; start without --resume")
    try:
        _, _, meta = read_checkpoint(path)
        return SavedRun.from_meta(meta, where=path)
    except (OSError, ValueError) as exc:
        raise UserError(str(exc)) from None


# ---------------------------------------------------------------- 2. the settings

def _new_settings(args):
    """The run's settings: each flag given, else the model's recipe's value."""
    model = args.model or DEFAULT_MODEL
    recipe = recipes.RECIPES[model]
    model_args = dict(recipe.model_args)
    if args.latent_dim is not None:
        model_args["latent_dim"] = args.latent_dim
    if args.beta is not None:
        if "beta" not in model_args:
            raise UserError(f"--beta: the {model} takes no beta (its source fixes its loss)")
        model_args["beta"] = args.beta
    pick = lambda flag, default: default if flag is None else flag  # noqa: E731
    return RunSettings(model=model, dataset=args.dataset or recipe.dataset, optimizer=recipe.optimizer,
                       lr=pick(args.lr, recipe.lr), batch_size=pick(args.batch_size, recipe.batch_size),
                       epochs=pick(args.epochs, recipe.epochs), seed=pick(args.seed, 0),
                       limit=args.limit, model_args=model_args, data_path=_data_path(args.data))


def _data_path(path):
    return None if path is None else os.path.abspath(os.path.expanduser(path))


def given_settings(args):
    """{setting name: value} of the flags given on the command line that name a setting."""
    given = {"model": args.model, "dataset": args.dataset, "data_path": _data_path(args.data),
             "limit": args.limit, "seed": args.seed, "batch_size": args.batch_size, "lr": args.lr,
             "beta": args.beta, "latent_dim": args.latent_dim}
    return {k: v for k, v in given.items() if v is not None}


def _resumed_settings(args, saved, out):
    """The saved run's settings, with --epochs as the new total; any other flag that differs
    from the saved value is refused, in one line naming each, before any work."""
    from .run_settings import FLAGS
    settings = saved.settings
    differing = [(FLAGS[k], v, settings.value(k)) for k, v in given_settings(args).items()
                 if v != settings.value(k)]
    if differing:
        said = ", ".join(f"{flag} {_shown(new)} (saved: {_shown(old)})" for flag, new, old in differing)
        verb, them = ("differs", "it") if len(differing) == 1 else ("differ", "them")
        raise UserError(f"--resume continues the run in {out} with its saved "
                        f"settings, and {said} {verb}; drop {them} "
                        "to continue it, or start a new run with these settings in another --out DIR "
                        "(or replace this one with --overwrite, without --resume)")
    if args.epochs is not None and args.epochs < saved.epoch:
        raise UserError(f"--epochs {args.epochs}: the run already has {saved.epoch} epochs; --epochs "
                        "with --resume is the new total, so give more than that")
    return dataclasses.replace(settings, epochs=settings.epochs if args.epochs is None else args.epochs)


def _shown(value):
    return "none" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


# ---------------------------------------------------------------- 3. the data

def _training_data(settings, out):
    """The data set loaded (minivae.data.LoadedData), checked before anything is built or written."""
    try:
        loaded = recipes.load_dataset(settings.dataset, settings.data_path, settings.limit)
    except (FileNotFoundError, data.DatasetNotFound, data.DataFileError) as exc:
        raise UserError(str(exc)) from None
    if len(loaded.train) < settings.batch_size:
        raise UserError(f"--batch-size {settings.batch_size} is larger than the {len(loaded.train)} "
                        "training images; lower it or raise --limit")
    return loaded


def _with_data(settings, loaded, saved, out):
    """The settings with the files read (their hash, a stand-in); a resumed run must read the same."""
    found = dataclasses.replace(settings, data_hash=data.content_hash(loaded.files) if loaded.files else None,
                                stand_in=loaded.data_set.files_of)
    if saved is not None and saved.settings.data_hash not in (None, found.data_hash):
        raise UserError(f"--resume: the data files differ from those the run in {out} was trained on "
                        f"(sha256 {found.data_hash[:12]}, saved {saved.settings.data_hash[:12]}); "
                        "continue it with the same files, or start a new run in another --out DIR")
    return found


# ---------------------------------------------------------------- 4. training

def _run_folder(out):
    """Make the run folder and check that it takes a file, before the first step: a folder
    the system refuses (read-only, a file in the way, a full disk) stops the run here."""
    os.makedirs(out, exist_ok=True)
    with tempfile.TemporaryFile(dir=out):
        pass
    return out


def _model_and_optimizer(settings):
    from . import models, optim
    try:
        model = models.build(settings.model, **settings.model_args)
    except (KeyError, ValueError) as exc:
        raise UserError(str(exc).strip('"')) from None
    model.to(backend.current())
    return model, optim.get(settings.optimizer, model.parameters(), lr=settings.lr)


def _banner(recipe, loaded, settings, out):
    epochs = settings.epochs
    print(f"{recipe.source}: {settings.model} on {loaded.described}: {len(loaded.train):,} training and "
          f"{len(loaded.validation):,} validation images, {epochs} epoch{'s' if epochs != 1 else ''}, "
          f"batch {settings.batch_size}, {settings.optimizer} lr {settings.lr:g}, "
          f"backend {backend.current()}, run folder {out}", flush=True)
    print(settings.banner(), flush=True)


def resume_command(out, backend_name=None):
    """The command that continues the run in ``out`` with its saved settings."""
    return "minivae train --resume --out " + shlex.quote(out) + (f" --backend {backend_name}" if backend_name else "")


def _has_checkpoint(out):
    from .training import CHECKPOINT
    return os.path.exists(os.path.join(out, CHECKPOINT))


def _how_to_go_on(args, out):
    """What an interrupted run says: the command that resumes it, or that nothing was saved yet."""
    if _has_checkpoint(out):
        return f"the last completed epoch's checkpoint is whole; continue with: {resume_command(out, args.backend)}"
    return "no epoch was completed, so nothing was saved; run the same command again"


def _fit(args, model, optimizer, loaded, run, out):
    from .training import CheckpointMismatch, TrainingDiverged, fit
    callbacks = [] if args.no_figures else [_epoch_samples(model, out)]
    if run.settings.recipe.test_elbo:
        callbacks.append(_print_test_elbo)
    settings = run.settings
    try:
        return fit(model, loaded.train, settings.epochs, settings.batch_size, optimizer,
                   validation=loaded.validation, seed=settings.seed, out_dir=out, resume=args.resume,
                   quiet=args.quiet or None, meta=run.to_meta(),
                   on_epoch_end=lambda e, r: [c(e, r) for c in callbacks])
    except TrainingDiverged as exc:
        raise RunInterrupted(f"minivae train: {exc} To go on from the last good checkpoint: "
                             f"{resume_command(out, args.backend)}; other settings start a new run "
                             "(another --out DIR)", 2) from None
    except (CheckpointMismatch, FileNotFoundError) as exc:
        raise UserError(str(exc)) from None


def _epoch_samples(model, out):
    """The TF tutorial's per-epoch sample grid on fixed latent points (the GIF's frames)."""
    from .viz import EpochSamples
    return EpochSamples(model, out)


def _print_test_elbo(epoch, record):
    """The TF tutorial's line: the test-set ELBO is minus the validation total loss."""
    print(f"Epoch: {epoch}, Test set ELBO: {-record['val_total_loss']:.4f}, "
          f"time elapse for current epoch: {record['seconds']:.1f} s", flush=True)


def _figures(model, out, run, loaded, history):
    try:
        from . import viz
    except ImportError:
        return []
    paths = viz.run_figures(model, out, run, loaded.validation, loaded.labels, history,
                            data_set=loaded.data_set)
    for path in paths:
        print(f"figure: {path}", flush=True)
    return paths


def _explorer(model, out, run, loaded, history):
    """explorer.html, written before the report so that report.html links to it."""
    from .viz.explorer import write_explorer
    try:
        path = write_explorer(model, out, loaded.validation, loaded.labels, run, history=history,
                              data_set=loaded.data_set)
    except Exception as exc:  # e.g. a layer engine.js lacks: the run still gets its report
        print(f"explorer: not written: {type(exc).__name__}: {exc}", flush=True)
        return []
    print(f"explorer: {path}", flush=True)
    return [path]


def _closing(out, run, history, written, figures):
    """The last lines: what this run wrote, whether it was long enough, and what to do next."""
    from .short_run import short_run_warning
    from .training import CHECKPOINT, HISTORY
    print(f"done: {os.path.join(out, HISTORY)}, {os.path.join(out, CHECKPOINT)}", flush=True)
    warning = short_run_warning(run, history, figures=figures)
    if warning:
        print(warning, flush=True)
    pages = [p for p in written if os.path.basename(p) in ("report.html", "explorer.html")]
    if pages:
        print(f"next: open {' and '.join(pages)} in a browser; `minivae evaluate {out}` scores the model",
              flush=True)
    else:
        print(f"next: `minivae evaluate {out}` scores the model", flush=True)

