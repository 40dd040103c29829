"""Module bookkeeping: parameter discovery, buffers, modes, state_dict, devices and dtypes."""
import numpy
import pytest

import minivae
from minivae.nn import (BatchNormalization, Conv2D, Dense, Flatten, Module, Parameter, Sequential)


class TwoDense(Module):
    """A hand-written module: a list of layers, a shared layer, a loose parameter."""

    def __init__(self):
        super().__init__()
        self.blocks = [Dense(3), Dense(2)]
        self.shared = self.blocks[0]  # the same layer twice: its parameters count once
        self.scale = Parameter(numpy.ones(2, dtype=numpy.float32))
        self.blocks[0].ensure_built((4,))
        self.blocks[1].ensure_built((3,))

    def forward(self, x):
        return self.blocks[1](self.blocks[0](x)) * self.scale


def small_model():
    return Sequential([Conv2D(2, 3, padding="same"), BatchNormalization(), Flatten(), Dense(3)],
                      input_shape=(1, 4, 4))


def test_parameters_are_found_by_walking_attributes():
    m = TwoDense()
    names = [n for n, _ in m.named_parameters()]
    assert names == ["scale", "blocks.0.kernel", "blocks.0.bias", "blocks.1.kernel", "blocks.1.bias"]
    assert all(isinstance(p, Parameter) and p.requires_grad for p in m.parameters())
    assert m.count_params() == 2 + 4 * 3 + 3 + 3 * 2 + 2


def test_buffers_are_state_but_not_parameters():
    m = small_model()
    buffer_names = [n for n, _ in m.named_buffers()]
    assert buffer_names == ["layers.1.moving_mean", "layers.1.moving_variance"]
    assert all(not isinstance(b, minivae.Tensor) for b in m.buffers())
    param_names = [n for n, _ in m.named_parameters()]
    assert "layers.1.gamma" in param_names and "layers.1.moving_mean" not in param_names
    conv, bn, dense = 1 * 9 * 2 + 2, 2 * 2, 32 * 3 + 3
    assert m.count_params(trainable=True) == conv + bn + dense
    assert m.count_params(trainable=False) == 4
    assert m.count_params() == conv + bn + dense + 4


def test_train_and_eval_set_every_module():
    m = small_model()
    assert m.training and all(layer.training for layer in m.layers)
    assert m.eval() is m
    assert not any(mod.training for mod in m.modules())
    m.train()
    assert all(mod.training for mod in m.modules())


def test_batch_norm_updates_moving_statistics_only_in_training():
    m = small_model()
    bn = m.layers[1]
    x = minivae.Tensor(numpy.random.default_rng(0).standard_normal((4, 1, 4, 4)).astype("float32") + 3)
    m.eval()
    m(x)
    assert numpy.all(bn.moving_mean == 0) and numpy.all(bn.moving_variance == 1)
    m.train()
    m(x)
    assert numpy.all(bn.moving_mean != 0)
    assert bn.moving_mean.dtype == numpy.float32


def test_zero_grad_forgets_gradients():
    m = TwoDense()
    x = minivae.Tensor(numpy.ones((2, 4), dtype=numpy.float32))
    m(x).sum().backward()
    assert all(p.grad is not None for p in m.parameters())
    m.zero_grad()
    assert all(p.grad is None for p in m.parameters())


def test_state_dict_round_trip():
    a, b = small_model(), small_model()
    a.train()(minivae.Tensor(numpy.ones((2, 1, 4, 4), dtype=numpy.float32)))  # move the statistics
    state = a.state_dict()
    assert list(state) == [n for n, _ in a.named_parameters()] + [n for n, _ in a.named_buffers()]
    assert all(isinstance(v, numpy.ndarray) for v in state.values())
    kernel_a = a.layers[0].kernel.numpy().copy()
    state["layers.0.kernel"][...] = 99.0  # a copy: editing it must not touch the model
    numpy.testing.assert_array_equal(a.layers[0].kernel.numpy(), kernel_a)
    state["layers.0.kernel"][...] = kernel_a
    kernel_before = b.layers[0].kernel.data  # loading writes in place: same arrays afterwards
    b.load_state_dict(state)
    assert b.layers[0].kernel.data is kernel_before
    for (name, x), (_, y) in zip(a.state_dict().items(), b.state_dict().items()):
        numpy.testing.assert_array_equal(x, y, err_msg=name)
    x = minivae.Tensor(numpy.random.default_rng(1).random((2, 1, 4, 4), dtype=numpy.float32))
    numpy.testing.assert_array_equal(a.eval()(x).numpy(), b.eval()(x).numpy())


def test_load_state_dict_lists_every_problem_at_once():
    m = small_model()
    state = m.state_dict()
    del state["layers.3.bias"]
    del state["layers.1.moving_variance"]
    state["layers.9.kernel"] = numpy.zeros(3)
    state["layers.0.kernel"] = numpy.zeros((4, 1, 3, 3))
    with pytest.raises(ValueError) as err:
        m.load_state_dict(state)
    text = str(err.value)
    assert "missing: layers.3.bias, layers.1.moving_variance" in text
    assert "unexpected: layers.9.kernel" in text
    assert "layers.0.kernel: expected (2, 1, 3, 3), got (4, 1, 3, 3)" in text


def test_astype_converts_parameters_and_buffers_in_place():
    m = small_model()
    params = m.parameters()
    m.astype("float64")
    assert m.parameters() == params  # the same Parameter objects
    assert all(p.dtype == numpy.float64 for p in m.parameters())
    assert all(b.dtype == numpy.float64 for b in m.buffers())
    out = m(minivae.Tensor(numpy.ones((2, 1, 4, 4))))
    assert out.dtype == numpy.float64


def test_new_weights_are_float32_and_lazy_ones_follow_the_input():
    layer = Dense(3)
    assert layer.parameters() == []  # deferred: no input shape yet
    layer.ensure_built((5,))
    assert layer.kernel.dtype == numpy.float32 and layer.kernel.shape == (5, 3)
    lazy = Dense(3)
    y = lazy(minivae.Tensor(numpy.ones((2, 5))))  # float64 input
    assert lazy.kernel.dtype == numpy.float64 and y.shape == (2, 3)


class Pair(minivae.nn.Layer):
    """A composite layer written by hand, as VAEEncoder is: two children it never places itself."""

    def __init__(self):
        super().__init__()
        self.body = Sequential([Dense(4), Dense(3)])
        self.head = Dense(2)

    def build(self, input_shape):
        return self.head.ensure_built(self.body.ensure_built(input_shape))

    def forward(self, x):
        return self.head(self.body(x))


def test_a_composite_layers_children_build_where_its_first_input_lives(device):
    """Device and dtype reach every child through Module.place, nested Sequentials included."""
    pair = Pair()
    y = pair(minivae.Tensor(numpy.ones((2, 5)), device=device))  # float64 input
    assert y.dtype == numpy.float64 and y.device == device
    assert all(p.dtype == numpy.float64 and p.device == device for p in pair.parameters())
    grown = Sequential([Dense(3)])
    grown(minivae.Tensor(numpy.ones((2, 5)), device=device))
    grown.add(Dense(2))  # added after the build: placed like the rest
    assert grown.layers[1].kernel.dtype == numpy.float64 and grown.layers[1].kernel.device == device


def test_inference_is_eval_without_a_graph_and_puts_the_mode_back():
    m = small_model()
    x = minivae.Tensor(numpy.ones((2, 1, 4, 4), dtype=numpy.float32))
    with m.inference() as same:
        assert same is m and not any(mod.training for mod in m.modules())
        assert not minivae.is_grad_enabled() and not m(x).requires_grad
    assert m.training and all(mod.training for mod in m.modules()) and minivae.is_grad_enabled()
    with pytest.raises(RuntimeError), m.inference():
        raise RuntimeError("a figure failed")
    assert m.training  # put back after an error too
    m.eval()
    with m.inference():
        pass
    assert not m.training  # a model in eval mode stays in it


def test_glorot_uniform_limits_and_zero_bias():
    import math
    conv = Conv2D(64, 3)
    conv.ensure_built((32, 8, 8))
    limit = math.sqrt(6 / (32 * 9 + 64 * 9))
    w = conv.kernel.numpy()
    assert w.shape == (64, 32, 3, 3)
    assert numpy.abs(w).max() <= limit and numpy.abs(w).max() > 0.9 * limit
    assert abs(w.std() - limit / math.sqrt(3)) < 0.05 * limit  # the variance of U(-a, a) is a^2 / 3
    assert numpy.all(conv.bias.numpy() == 0)


def test_weights_come_from_the_seeded_generator():
    minivae.manual_seed(3)
    a = small_model().state_dict()
    minivae.manual_seed(3)
    b = small_model().state_dict()
    for name in a:
        numpy.testing.assert_array_equal(a[name], b[name])


def test_to_device_moves_parameters_and_buffers(device):
    m = small_model().to(device)
    assert m.device == device
    assert all(p.device == device for p in m.parameters())
    assert all(minivae.backend.device_of(b) == device for b in m.buffers())
    x = minivae.Tensor(numpy.ones((2, 1, 4, 4), dtype=numpy.float32), device=device)
    y = m(x)
    assert y.device == device
    y.sum().backward()
    assert all(minivae.backend.device_of(p.grad) == device for p in m.parameters())
    state = m.state_dict()
    assert all(isinstance(v, numpy.ndarray) for v in state.values())
    m.to("cpu").load_state_dict(state)


def test_repr_names_the_layers():
    text = repr(small_model())
    assert "Conv2D(2, kernel_size=(3, 3)" in text and "name='dense'" in text
