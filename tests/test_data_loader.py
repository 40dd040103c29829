"""Mini-batches: every sample once per epoch, aligned across arrays, reproducible per (seed, epoch)."""
import numpy
import pytest

from minivae import backend
from minivae.data import DataLoader, batches, epoch_order


def data(n=10):
    x = numpy.arange(n * 3, dtype=numpy.float32).reshape(n, 3)  # row i is 3i, 3i+1, 3i+2
    y = numpy.arange(n, dtype=numpy.uint8)
    return x, y


def order_of(loader_or_batches):
    return [int(i) for _, y in loader_or_batches for i in backend.to_numpy(y)]


def test_each_sample_once_aligned_and_on_the_device(device):
    x, y = data(10)
    seen = []
    for xb, yb in batches(x, y, batch_size=4, seed=0, device=device):
        assert backend.device_of(xb) == device and backend.device_of(yb) == device
        assert xb.dtype == numpy.float32 and yb.dtype == numpy.uint8
        xb, yb = backend.to_numpy(xb), backend.to_numpy(yb)
        numpy.testing.assert_array_equal(xb[:, 0], 3 * yb.astype(numpy.float32))  # rows stay paired
        seen.extend(yb.tolist())
    assert sorted(seen) == list(range(10)) and seen != list(range(10))


def test_arrays_already_on_the_device(device):
    xp = backend.module(device)
    x, y = (xp.asarray(a) for a in data(10))
    got = order_of(batches(x, y, batch_size=3, seed=1, device=device))
    assert got == order_of(batches(*data(10), batch_size=3, seed=1, device="cpu"))


def test_default_device_is_the_current_backend():
    xb, = next(iter(batches(data(6)[0], batch_size=2)))
    assert backend.device_of(xb) == backend.DEVICES[backend.current()]


def test_no_shuffle_is_in_order_and_partial_batch_kept():
    sizes, order = [], []
    for xb, yb in batches(*data(10), batch_size=4, shuffle=False):
        sizes.append(len(xb))
        order.extend(yb.tolist())
    assert sizes == [4, 4, 2] and order == list(range(10))


def test_drop_last():
    sizes = [len(xb) for xb, _ in batches(*data(10), batch_size=4, seed=0, drop_last=True)]
    assert sizes == [4, 4]
    assert len(DataLoader(*data(10), batch_size=4, drop_last=True)) == 2
    assert len(DataLoader(*data(10), batch_size=4)) == 3
    assert len(DataLoader(*data(12), batch_size=4, drop_last=True)) == 3


def test_same_seed_and_epoch_same_order_other_epoch_other_order():
    a = order_of(batches(*data(50), batch_size=7, seed=3, epoch=2))
    assert a == order_of(batches(*data(50), batch_size=7, seed=3, epoch=2))
    assert a != order_of(batches(*data(50), batch_size=7, seed=3, epoch=1))
    assert a != order_of(batches(*data(50), batch_size=7, seed=4, epoch=2))
    numpy.testing.assert_array_equal(epoch_order(50, True, 3, 2), a)
    numpy.testing.assert_array_equal(epoch_order(5, False, 3, 2), numpy.arange(5))


def test_dataloader_epochs_and_resume():
    loader = DataLoader(*data(30), batch_size=8, seed=7)
    epochs = [order_of(loader) for _ in range(3)]
    assert loader.epoch == 3
    assert epochs[0] != epochs[1] != epochs[2]
    assert all(sorted(e) == list(range(30)) for e in epochs)
    resumed = DataLoader(*data(30), batch_size=8, seed=7, epoch=2)  # a run restarted at epoch 2
    assert order_of(resumed) == epochs[2]
    loader.epoch = 1
    assert order_of(loader) == epochs[1]


def test_unseeded_shuffles_differ():
    orders = {tuple(order_of(batches(*data(40), batch_size=40))) for _ in range(3)}
    assert len(orders) > 1


def test_batch_larger_than_data_names_both_numbers():
    with pytest.raises(ValueError, match=r"batch_size=128 is larger than the data \(100 samples\)"):
        batches(*data(100), batch_size=128)  # at the call, before any iteration
    with pytest.raises(ValueError, match=r"DataLoader: batch_size=11 is larger than the data \(10 samples\)"):
        DataLoader(*data(10), batch_size=11)


def test_different_lengths_are_named():
    with pytest.raises(ValueError, match="same length .*got lengths 10, 9"):
        batches(data(10)[0], data(9)[1], batch_size=2)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True])
def test_batch_size_must_be_a_positive_int(bad):
    with pytest.raises(ValueError, match="batch_size must be a positive int"):
        DataLoader(*data(10), batch_size=bad)


def test_needs_an_array():
    with pytest.raises(ValueError, match="give at least one array"):
        batches(batch_size=2)
