"""Per-op benchmark at the shapes of the book's two VAEs: forward and backward.

The Fashion-MNIST VAE's layers at batch N (the book trains it at 100) and the
faces VAE's at its own batch (the book's 128): its 128-channel convolutions,
batch norms and LeakyReLUs at 32x32 and 16x16.

For the matrix-product ops the table gives the achieved GFLOP/s, to compare
with the machine's measured matrix-product peak (``timing.matmul_peak``).
"""
import numpy

from .. import functional as F
from ..backend import get_array_module
from ..autograd.tensor import Tensor
from .timing import measure


def _conv_flops(n, grid_hw, c_grid, c_image, k):
    """2 * multiply-adds of one pass: every grid value is a dot product of length C_image*k*k."""
    return 2 * n * grid_hw[0] * grid_hw[1] * c_grid * c_image * k * k


def book_vae_cases(n):
    """(name, make inputs, op, forward FLOPs) for each layer type of the book's VAE."""
    conv, convt, dense, batchnorm, _, bce, kl = _cases(n)
    return [
        ("conv2d 1->32, 32x32, s2", *conv(1, 32, 32, 2)),
        ("conv2d 32->64, 16x16, s2", *conv(32, 64, 16, 2)),
        ("conv2d 64->128, 8x8, s2", *conv(64, 128, 8, 2)),
        ("dense 2048->2", *dense(2048, 2)),
        ("dense 2->2048", *dense(2, 2048)),
        ("conv_transpose2d 128->128, 4x4", *convt(128, 128, 4)),
        ("conv_transpose2d 128->64, 8x8", *convt(128, 64, 8)),
        ("conv_transpose2d 64->32, 16x16", *convt(64, 32, 16)),
        ("conv2d 32->1, 32x32, s1", *conv(32, 1, 32, 1)),
        ("binary_cross_entropy", *bce()),
        ("kl_normal", *kl()),
    ]


def faces_vae_cases(n):
    """The faces VAE's heaviest layers at batch n: 128 channels at 32x32 and 16x16."""
    conv, convt, _, batchnorm, leaky_relu, _, _ = _cases(n)
    return [
        ("faces: conv2d 3->128, 32x32, s2", *conv(3, 128, 32, 2)),
        ("faces: conv2d 128->128, 16x16, s2", *conv(128, 128, 16, 2)),
        ("faces: batch_norm 128 ch, 16x16", *batchnorm(128, 16)),
        ("faces: leaky_relu 128 ch, 16x16", *leaky_relu(128, 16)),
        ("faces: conv_transpose2d 128->128, 8x8", *convt(128, 128, 8)),
        ("faces: conv_transpose2d 128->128, 16x16", *convt(128, 128, 16)),
        ("faces: batch_norm 128 ch, 32x32", *batchnorm(128, 32)),
        ("faces: leaky_relu 128 ch, 32x32", *leaky_relu(128, 32)),
        ("faces: conv_transpose2d 128->3, 32x32, s1", *convt(128, 3, 32, stride=1)),
    ]


def _cases(n):
    """Builders of (make inputs, op, forward FLOPs) at batch n, one per kind of layer."""
    def conv(c_in, c_out, hw, stride):
        def make(xp):
            return (_rand(xp, (n, c_in, hw, hw)), _rand(xp, (c_out, c_in, 3, 3)), _rand(xp, (c_out,)))
        out = -(-hw // stride)
        return make, lambda x, w, b: F.conv2d(x, w, b, stride, "same"), _conv_flops(n, (out, out), c_out, c_in, 3)

    def convt(c_in, c_out, hw, stride=2):
        def make(xp):
            return (_rand(xp, (n, c_in, hw, hw)), _rand(xp, (c_in, c_out, 3, 3)), _rand(xp, (c_out,)))
        return (make, lambda x, w, b: F.conv_transpose2d(x, w, b, stride, "same"),
                _conv_flops(n, (hw, hw), c_in, c_out, 3))

    def dense(i, o):
        return (lambda xp: (_rand(xp, (n, i)), _rand(xp, (i, o)), _rand(xp, (o,))),
                lambda x, w, b: F.linear(x, w, b), 2 * n * i * o)

    def batchnorm(c, hw):
        def make(xp):
            return (_rand(xp, (n, c, hw, hw)), _rand(xp, (c,)), _rand(xp, (c,)))
        def op(x, w, b):
            xp = get_array_module(x.data)
            return F.batch_norm(x, xp.zeros(c, x.dtype), xp.ones(c, x.dtype), w, b, training=True)
        return make, op, 0

    def leaky_relu(c, hw):
        return (lambda xp: (_rand(xp, (n, c, hw, hw)),)), (lambda x: F.leaky_relu(x, 0.3)), 0

    def bce():
        def make(xp):
            return (_rand(xp, (n, 1, 32, 32), low=0.01, high=0.99), _rand(xp, (n, 1, 32, 32), grad=False))
        return make, lambda p, t: F.binary_cross_entropy(p, t), 0

    def kl():
        return (lambda xp: (_rand(xp, (n, 2)), _rand(xp, (n, 2)))), (lambda m, v: F.kl_normal(m, v)), 0

    return conv, convt, dense, batchnorm, leaky_relu, bce, kl


def _rand(xp, shape, low=-1.0, high=1.0, grad=True):
    data = xp.asarray(numpy.random.default_rng(0).uniform(low, high, shape), dtype=numpy.float32)
    return Tensor(data, requires_grad=grad)


def run(xp, n=100, repeat=7, faces_n=128):
    """One row per op: forward ms, forward+backward ms, GFLOP/s of forward+backward.

    The book VAE's ops at batch n, then (unless faces_n is None) the faces VAE's at faces_n.
    """
    rows = []
    cases = book_vae_cases(n) + (faces_vae_cases(faces_n) if faces_n else [])
    for name, make, op, flops in cases:
        inputs = make(xp)
        out = op(*inputs)
        upstream = xp.ones(out.shape, dtype=out.dtype)

        def forward_backward():
            op(*inputs).backward(upstream)

        fwd = measure(lambda: op(*inputs), xp, repeat=repeat)
        both = measure(forward_backward, xp, repeat=repeat)
        total_flops = 3 * flops  # backward = two products of the forward's size
        rows.append({"op": name, "forward_ms": fwd * 1e3, "forward_backward_ms": both * 1e3,
                     "gflops": total_flops / both / 1e9 if flops else None})
    return rows
