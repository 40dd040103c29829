"""fit: true epoch means, the history file, determinism, resume, NaN stop, Ctrl-C."""
import json
import math
import os

import numpy
import pytest

from minivae import backend, models, optim
from minivae.training import (CHECKPOINT, HISTORY, TrainingDiverged, fit, read_checkpoint,
                              save_checkpoint)

HISTORY_KEYS = {"epoch", "total_loss", "reconstruction_loss", "kl_loss", "val_total_loss",
                "val_reconstruction_loss", "val_kl_loss", "seconds"}


def tiny_images(n, seed=0):
    rng = numpy.random.default_rng(seed)
    return rng.uniform(0, 1, (n, 1, 32, 32)).astype(numpy.float32)


def fresh_vae(seed=0):
    backend.manual_seed(seed)
    model = models.fashion_vae()
    return model, optim.Adam(model.parameters(), lr=5e-4)


class ScriptedModel:
    """A stand-in model whose losses are scripted, to test fit's bookkeeping exactly."""

    def __init__(self, losses=None, fail_at=None, error=None):
        self.losses, self.fail_at, self.error = losses, fail_at, error
        self.calls = 0

    def train_step(self, x, optimizer):
        self.calls += 1
        if self.fail_at == self.calls:
            raise self.error
        value = float(len(x)) if self.losses is None else self.losses(self.calls, x)
        return {"total_loss": value, "reconstruction_loss": value, "kl_loss": 0.0}

    def test_step(self, x):
        return {"total_loss": float(x.sum()), "reconstruction_loss": 0.0, "kl_loss": 0.0}

    def state_dict(self):
        return {"w": numpy.zeros(2, numpy.float32)}

    def load_state_dict(self, state):
        pass


class NoOptimizer:
    def state_dict(self):
        return {}

    def load_state_dict(self, state):
        pass


def test_epoch_means_weight_each_batch_by_its_size(tmp_path):
    # 10 examples, batch 4: batches of 4, 4, 2; each batch's loss is its size
    data = numpy.arange(10, dtype=numpy.float32).reshape(10, 1)
    history = fit(ScriptedModel(), data, 1, 4, NoOptimizer(), validation=data, out_dir=tmp_path,
                  quiet=True)
    assert history[0]["total_loss"] == pytest.approx((4 * 4 + 4 * 4 + 2 * 2) / 10)
    # validation: test_step returns the batch's sum, so the weighted mean is sum(x * batch) / n
    assert history[0]["val_total_loss"] == pytest.approx((6 * 4 + 22 * 4 + 17 * 2) / 10)
    written = json.loads((tmp_path / HISTORY).read_text())
    assert set(written[0]) == HISTORY_KEYS
    assert written == history


def test_same_seed_gives_identical_losses():
    data, val = tiny_images(48), tiny_images(16, seed=1)
    runs = []
    for _ in range(2):
        model, opt = fresh_vae(seed=3)
        runs.append(fit(model, data, 2, 16, opt, validation=val, seed=3, quiet=True))
    for a, b in zip(*runs):
        a, b = dict(a), dict(b)
        a.pop("seconds"), b.pop("seconds")
        assert a == b


def test_resume_gives_the_uninterrupted_losses(tmp_path):
    data, val = tiny_images(48), tiny_images(16, seed=1)
    model, opt = fresh_vae(seed=5)
    whole = fit(model, data, 3, 16, opt, validation=val, seed=5, out_dir=tmp_path / "a", quiet=True)

    model, opt = fresh_vae(seed=5)
    fit(model, data, 1, 16, opt, validation=val, seed=5, out_dir=tmp_path / "b", quiet=True)
    backend.manual_seed(999)  # a new process: its generator is not where the first run left it
    model, opt = fresh_vae(seed=123)  # and its weights are different until the checkpoint loads
    resumed = fit(model, data, 3, 16, opt, validation=val, seed=5, out_dir=tmp_path / "b",
                  resume=True, quiet=True)
    strip = [{k: v for k, v in r.items() if k != "seconds"} for r in whole]
    assert [{k: v for k, v in r.items() if k != "seconds"} for r in resumed] == strip


def test_nan_loss_stops_with_epoch_step_and_last_finite_value(tmp_path):
    data = tiny_images(40)
    # 4 steps per epoch (batch 10): the 7th call is epoch 2, step 3
    model = ScriptedModel(losses=lambda call, x: math.nan if call == 7 else 1.0 + call)
    with pytest.raises(TrainingDiverged) as info:
        fit(model, data, 3, 10, NoOptimizer(), out_dir=tmp_path, quiet=True)
    message = str(info.value)
    assert "epoch 2" in message and "step 3" in message and "7.0" in message  # last finite: call 6
    assert "epoch 1 is kept" in message
    _, _, meta = read_checkpoint(str(tmp_path / CHECKPOINT))
    assert meta["epoch"] == 1


def test_ctrl_c_leaves_the_last_checkpoint_whole(tmp_path):
    data = tiny_images(40)
    model = ScriptedModel(fail_at=6, error=KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        fit(model, data, 3, 10, NoOptimizer(), out_dir=tmp_path, quiet=True)
    _, _, meta = read_checkpoint(str(tmp_path / CHECKPOINT))
    assert meta["epoch"] == 1
    assert [p for p in os.listdir(tmp_path) if p.startswith(".checkpoint-")] == []


def test_checkpoint_write_is_atomic(tmp_path, monkeypatch):
    model, opt = fresh_vae()
    path = str(tmp_path / CHECKPOINT)
    save_checkpoint(path, model, opt, {"epoch": 1})
    before = read_checkpoint(path)[0]

    def crash(f, **arrays):
        f.write(b"PK\x03\x04 half a zip file")
        raise OSError("disk full")

    monkeypatch.setattr(numpy, "savez", crash)
    with pytest.raises(OSError):
        save_checkpoint(path, model, opt, {"epoch": 2})
    after, _, meta = read_checkpoint(path)
    assert meta["epoch"] == 1
    assert all(numpy.array_equal(before[k], after[k]) for k in before)
    assert os.listdir(tmp_path) == [CHECKPOINT]


def test_checkpoint_round_trip_restores_optimizer_and_rng(tmp_path):
    model, opt = fresh_vae()
    data = tiny_images(16)
    model.train_step(data, opt)
    path = str(tmp_path / CHECKPOINT)
    save_checkpoint(path, model, opt, {"rng": backend.rng_state()})
    state, optim_state, meta = read_checkpoint(path)
    other, other_opt = fresh_vae(seed=9)
    other.load_state_dict(state)
    other_opt.load_state_dict(optim_state)
    backend.set_rng_state(meta["rng"])
    expected = model.train_step(data, opt)
    backend.set_rng_state(meta["rng"])
    assert other.train_step(data, other_opt) == expected


def test_checkpoint_from_another_architecture_lists_the_mismatches(tmp_path):
    vae, opt = fresh_vae()
    path = str(tmp_path / CHECKPOINT)
    save_checkpoint(path, vae, opt, {})
    state, _, _ = read_checkpoint(path)
    autoencoder = models.fashion_autoencoder()
    with pytest.raises(ValueError) as info:
        autoencoder.load_state_dict(state)
    assert "z_mean" in str(info.value) or "unexpected" in str(info.value).lower()


def test_a_file_that_is_not_a_checkpoint_is_named(tmp_path):
    bad = tmp_path / "checkpoint.npz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="checkpoint.npz"):
        read_checkpoint(str(bad))


def test_batch_larger_than_the_data_is_a_clear_error():
    with pytest.raises(ValueError, match="larger than the data"):
        fit(ScriptedModel(), tiny_images(8), 1, 16, NoOptimizer(), quiet=True)


def test_keep_freed_memory_takes_effect_on_glibc():
    import platform
    from minivae.memory import keep_freed_memory
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("mallopt is glibc's; elsewhere keep_freed_memory does nothing")
    assert keep_freed_memory() is True
    assert keep_freed_memory() is True  # a second call is harmless
