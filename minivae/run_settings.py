"""A run's settings as one record, and what its checkpoint holds besides the weights.

:class:`RunSettings` is everything that decides what a run computes: the model
and its arguments, the recipe (optimizer, learning rate, beta, batch size,
epochs, limit, seed) and the data (its name, the folder given, a hash of the
files read). ``minivae train`` builds it once, prints it, saves it in the
checkpoint; ``--resume`` continues with it; the report shows it. Two runs with
equal settings but ``epochs`` compute the same epochs.

:class:`SavedRun` is a checkpoint's record: the settings, and how far the run
went (epochs trained, the history, the random generator's state). Its
``from_meta`` is the one place that reads a checkpoint's ``meta`` dict, including
those written before this record existed.
"""
import dataclasses
from dataclasses import dataclass, field
from typing import Optional

from . import data, recipes

# the settings a resumed run must share with the saved one, as `minivae train` spells them
FLAGS = {"model": "--model", "dataset": "--dataset", "data_path": "--data", "limit": "--limit",
         "seed": "--seed", "batch_size": "--batch-size", "lr": "--lr", "beta": "--beta",
         "latent_dim": "--latent-dim"}


@dataclass(frozen=True)
class RunSettings:
    """What a run computes with; ``epochs`` is the only one that --resume may change.

    model_args: the model's constructor arguments (latent_dim, beta, ...), as the registry
    builds it (a dict: read it, never change it). limit: only the first N training and validation images (None: all).
    data_path: the folder given with --data (None: where minivae finds the data set).
    data_hash: sha256 of the data files read (minivae.data.content_hash; None: not recorded).
    stand_in: the data set whose files were read in place of ``dataset``'s (Fashion-MNIST for
    MNIST), or None.
    """
    model: str
    dataset: str
    optimizer: str
    lr: float
    batch_size: int
    epochs: int
    seed: int = 0
    limit: Optional[int] = None
    model_args: dict = field(default_factory=dict)
    data_path: Optional[str] = None
    data_hash: Optional[str] = None
    stand_in: Optional[str] = None

    @property
    def beta(self):
        return self.model_args.get("beta")

    @property
    def latent_dim(self):
        return self.model_args.get("latent_dim")

    @property
    def data_set(self):
        """The record (minivae.data.DataSet) of the data the run read, a stand-in saying so."""
        return data.data_set(self.dataset, self.stand_in)

    @property
    def recipe(self):
        """The model's recipe (minivae.recipes.Recipe), or None for a model without one."""
        return recipes.RECIPES.get(self.model)

    def value(self, name):
        """A setting by its name in FLAGS (beta and latent_dim live in model_args)."""
        return self.model_args.get(name) if name in ("beta", "latent_dim") else getattr(self, name)

    def to_json(self):
        """The settings as a JSON-able dict (the checkpoint's ``meta`` keys)."""
        return dataclasses.asdict(self)

    def lines(self):
        """(name in words, value) of each setting, for the report's table."""
        rows = [("model", self.model)]
        rows += [(PLAIN_NAMES.get(k, k.replace("_", " ")), v) for k, v in self.model_args.items()]
        rows += [("data set", self.dataset), ("data folder (--data)", self.data_path or "where minivae finds it"),
                 ("data files (sha256)", self.data_hash), ("optimizer", self.optimizer),
                 ("learning rate", self.lr), ("batch size (images per step)", self.batch_size),
                 ("epochs asked for", self.epochs), ("images used (--limit; None: all)", self.limit),
                 ("random seed", self.seed)]
        if self.stand_in:
            rows.insert(3, ("files read instead (stand-in)", self.stand_in))
        return rows

    def banner(self):
        """The settings in one line, as `minivae train` prints them at its start."""
        args = "".join(f", {k.replace('_', ' ')} {v:g}" if isinstance(v, float) else f", {k.replace('_', ' ')} {v}"
                       for k, v in self.model_args.items())
        return (f"settings: {self.model}{args}; {self.optimizer} lr {self.lr:g}, batch {self.batch_size}, "
                f"{self.epochs} epoch{'s' if self.epochs != 1 else ''}, seed {self.seed}, "
                f"limit {self.limit if self.limit is not None else 'none'}; data {self.dataset}"
                + (f" (read: {self.stand_in})" if self.stand_in else "")
                + (f" from {self.data_path}" if self.data_path else "")
                + (f", sha256 {self.data_hash[:12]}" if self.data_hash else ""))


PLAIN_NAMES = {"beta": "beta: weight of the reconstruction loss against the KL",
               "latent_dim": "latent dimensions"}


@dataclass(frozen=True)
class SavedRun:
    """A checkpoint's record: the run's settings and how far it went.

    epoch: epochs trained; train_images: training images per epoch (after --limit; None: not
    recorded); backend: where it last trained; history: one dict of mean losses per epoch;
    rng: the random generator's state after the last epoch (None: not recorded).
    """
    settings: RunSettings
    epoch: int = 0
    train_images: Optional[int] = None
    backend: Optional[str] = None
    history: list = field(default_factory=list)
    rng: Optional[dict] = None

    def to_meta(self):
        """The checkpoint's ``meta`` dict: the settings' keys, then the progress."""
        return dict(self.settings.to_json(), epoch=self.epoch, train_images=self.train_images,
                    backend=self.backend, history=self.history, rng=self.rng)

    def progress_lines(self):
        """(name in words, value) of how far the run went, for the report's table."""
        return [("epochs trained", self.epoch), ("training images", self.train_images),
                ("array backend (numpy: CPU, cupy: GPU)", self.backend)]

    @classmethod
    def from_meta(cls, meta, where="checkpoint"):
        """The record of a checkpoint's ``meta`` dict, also one written before the record existed
        (minivae before issue 23: flat keys, no data_path/data_hash/stand_in). A meta that names no
        model is a ValueError that says so."""
        if "model" not in meta:
            raise ValueError(f"{where} does not say which model it holds (no 'model' in its meta); "
                             "it was not written by `minivae train`")
        recipe = recipes.RECIPES.get(meta["model"])
        default = (lambda key: getattr(recipe, key)) if recipe is not None else (lambda key: None)
        history = list(meta.get("history") or [])
        settings = RunSettings(
            model=meta["model"], dataset=meta.get("dataset") or default("dataset"),
            optimizer=meta.get("optimizer") or default("optimizer"),
            lr=meta.get("lr", default("lr")), batch_size=meta.get("batch_size", default("batch_size")),
            epochs=meta.get("epochs", meta.get("epoch", len(history))), seed=meta.get("seed", 0),
            limit=meta.get("limit"), model_args=dict(meta.get("model_args") or {}),
            data_path=meta.get("data_path"), data_hash=meta.get("data_hash"),
            stand_in=meta.get("stand_in"))
        return cls(settings, epoch=meta.get("epoch", len(history)), train_images=meta.get("train_images"),
                   backend=meta.get("backend"), history=history, rng=meta.get("rng"))
