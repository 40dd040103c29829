"""SGD, Adam and RMSprop against their update rules written out by hand in NumPy."""
import numpy
import pytest

import minivae
from minivae.nn import Dense, Parameter
from minivae.optim import SGD, Adam, RMSprop, get

STEPS = 5


def setup(xp, seed=0):
    """Two float32 parameters on xp's device and a fixed sequence of gradients for each."""
    rng = numpy.random.default_rng(seed)
    init = [rng.standard_normal((3, 4)).astype(numpy.float32),
            rng.standard_normal((4,)).astype(numpy.float32)]
    grads = [[rng.standard_normal(w.shape).astype(numpy.float32) for w in init] for _ in range(STEPS)]
    params = [Parameter(xp.array(w)) for w in init]  # copies: updates must not touch init
    return params, init, grads


def run(optimizer, params, grads, xp):
    arrays = [p.data for p in params]
    for step_grads in grads:
        optimizer.zero_grad()
        for p, g in zip(params, step_grads):
            p.grad = xp.asarray(g)
        optimizer.step()
    for p, a in zip(params, arrays):
        assert p.data is a, "the update must be in place"
        assert p.dtype == numpy.float32, "no float64 creeping into a float32 model"
    return [minivae.backend.to_numpy(p.data) for p in params]


def sgd_by_hand(w, grads, lr, momentum):
    w, velocity = w.astype(numpy.float64), numpy.zeros(w.shape)
    for g in grads:
        velocity = momentum * velocity - lr * g
        w = w + velocity
    return w


def adam_by_hand(w, grads, lr, beta1, beta2, eps):
    w, m, v = w.astype(numpy.float64), numpy.zeros(w.shape), numpy.zeros(w.shape)
    for t, g in enumerate(grads, start=1):
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        alpha = lr * numpy.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)  # bias correction of m and v
        w = w - alpha * m / (numpy.sqrt(v) + eps)  # Keras adds eps to sqrt(v), not to sqrt(v_hat)
    return w


def rmsprop_by_hand(w, grads, lr, rho, eps):
    w, v = w.astype(numpy.float64), numpy.zeros(w.shape)
    for g in grads:
        v = rho * v + (1 - rho) * g ** 2
        w = w - lr * g / numpy.sqrt(v + eps)
    return w


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd(xp, momentum):
    params, init, grads = setup(xp)
    got = run(SGD(params, lr=0.1, momentum=momentum), params, grads, xp)
    for i, w in enumerate(init):
        want = sgd_by_hand(w, [g[i] for g in grads], 0.1, momentum)
        numpy.testing.assert_allclose(got[i], want, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("lr, betas, eps", [(1e-3, (0.9, 0.999), 1e-7), (0.05, (0.5, 0.9), 1e-3)])
def test_adam(xp, lr, betas, eps):
    params, init, grads = setup(xp)
    opt = Adam(params, lr=lr, betas=betas, eps=eps)
    got = run(opt, params, grads, xp)
    assert opt.iterations == STEPS
    for i, w in enumerate(init):
        want = adam_by_hand(w, [g[i] for g in grads], lr, *betas, eps)
        numpy.testing.assert_allclose(got[i], want, rtol=1e-5, atol=1e-6)


def test_adam_first_step_moves_every_weight_by_about_lr(xp):
    """With bias correction the first step is lr * g / (|g| + eps): about lr per weight."""
    params, init, grads = setup(xp)
    run(Adam(params, lr=0.01), params, grads[:1], xp)
    moved = numpy.abs(minivae.backend.to_numpy(params[0].data) - init[0])
    numpy.testing.assert_allclose(moved, 0.01, rtol=1e-3)


@pytest.mark.parametrize("lr, rho, eps", [(1e-3, 0.9, 1e-7), (0.01, 0.5, 1e-2)])
def test_rmsprop(xp, lr, rho, eps):
    params, init, grads = setup(xp)
    got = run(RMSprop(params, lr=lr, rho=rho, eps=eps), params, grads, xp)
    for i, w in enumerate(init):
        want = rmsprop_by_hand(w, [g[i] for g in grads], lr, rho, eps)
        numpy.testing.assert_allclose(got[i], want, rtol=1e-5, atol=1e-6)


def test_keras_defaults():
    p = [Parameter(numpy.zeros(2, dtype=numpy.float32))]
    adam, rms, sgd = Adam(p), RMSprop(p), SGD(p)
    assert (adam.lr, adam.betas, adam.eps) == (1e-3, (0.9, 0.999), 1e-7)
    assert (rms.lr, rms.rho, rms.eps) == (1e-3, 0.9, 1e-7)
    assert (sgd.lr, sgd.momentum) == (0.01, 0.0)
    assert isinstance(get("adam", p), Adam) and isinstance(get("RMSprop", p, lr=0.1), RMSprop)
    with pytest.raises(ValueError, match="unknown optimizer 'adagrad'.*adam"):
        get("adagrad", p)


def test_parameters_without_gradient_are_skipped():
    params, init, grads = setup(numpy)
    opt = Adam(params)
    params[0].grad = grads[0][0]
    opt.step()
    numpy.testing.assert_array_equal(params[1].data, init[1])
    assert not numpy.array_equal(params[0].data, init[0])


@pytest.mark.parametrize("make", [lambda ps: SGD(ps, lr=0.1, momentum=0.9), lambda ps: Adam(ps, lr=0.01),
                                  lambda ps: RMSprop(ps, lr=0.01)], ids=["sgd", "adam", "rmsprop"])
def test_state_dict_resumes_exactly(xp, make):
    params, _, grads = setup(xp)
    first = make(params)
    run(first, params, grads[:2], xp)
    state = first.state_dict()
    assert all(isinstance(a, numpy.ndarray) for slots in state["slots"] for a in slots.values())
    assert state["iterations"] == 2

    copies = [Parameter(xp.asarray(minivae.backend.to_numpy(p.data))) for p in params]
    second = make(copies)
    second.lr = 123.0  # overwritten by load_state_dict, with the other hyperparameters
    second.load_state_dict(state)
    assert second.lr == first.lr and second.iterations == 2
    a = run(first, params, grads[2:], xp)
    b = run(second, copies, grads[2:], xp)
    for x, y in zip(a, b):
        numpy.testing.assert_array_equal(x, y)


def test_load_state_dict_rejects_another_model():
    params, _, _ = setup(numpy)
    state = Adam(params).state_dict()
    with pytest.raises(ValueError, match="holds 2 parameters but this optimizer has 1"):
        Adam(params[:1]).load_state_dict(state)
    with pytest.raises(ValueError, match="saved by Adam"):
        RMSprop(params).load_state_dict(state)


def test_optimizer_takes_a_module_and_trains_it():
    """Least squares with Dense: a few hundred Adam steps fit y = 2x - 1."""
    minivae.manual_seed(0)
    layer = Dense(1)
    layer.ensure_built((1,))
    opt = Adam(layer, lr=0.05)
    x = minivae.Tensor(numpy.linspace(-1, 1, 16, dtype=numpy.float32).reshape(16, 1))
    y = 2 * x - 1
    for _ in range(300):
        opt.zero_grad()
        loss = ((layer(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
    assert loss.item() < 1e-3
    numpy.testing.assert_allclose(layer.kernel.numpy(), [[2.0]], atol=0.05)


def test_no_parameters_is_an_error():
    with pytest.raises(ValueError, match="no parameters"):
        Adam([])
    with pytest.raises(TypeError, match="parameter 0"):
        SGD([minivae.Tensor([1.0])])
