"""Exercise 3: the backward of a matrix product whose leading (batch) dimensions broadcast.

    out = a @ b        a (..., n, k), b (..., k, m) -> out (..., n, m)

The dense layer is x @ W, and attention-style code multiplies whole stacks of
matrices at once, with the leading dimensions broadcast like any NumPy
operation. The forward is written for you; write ``MatMul.backward``, then check it:

    minivae exercise check tutorials/exercises/03_matmul.py
"""
from minivae import Function


class MatMul(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        return a @ b  # (..., n, k) @ (..., k, m) -> (..., n, m)

    def backward(self, gy):
        """gy (..., n, m) is d(loss)/d(out); return (d(loss)/da, d(loss)/db).

        Hints:
        - for plain matrices: d(loss)/da = gy @ b^T and d(loss)/db = a^T @ gy
          (check the shapes: (n, m) @ (m, k) is (n, k), like a);
        - for stacks of matrices transpose only the last two axes:
          x.swapaxes(-1, -2). x.T reverses *all* axes, which is wrong for 3-D x;
        - broadcasting: return gradients of the broadcast shape (..., n, k) and
          (..., k, m). The engine sums them back to a's and b's own shapes
          (sum_to in minivae/autograd/graph.py), as it does for every op.
        """
        # solution; the exercise says: write the backward of matmul: see the hints in its docstring
        ga = gy @ self.b.swapaxes(-1, -2)  # (..., n, m) @ (..., m, k) -> (..., n, k)
        gb = self.a.swapaxes(-1, -2) @ gy  # (..., k, n) @ (..., n, m) -> (..., k, m)
        return ga, gb
        # end of solution


def matmul(a, b):
    return MatMul()(a, b)


# How `minivae exercise check` tries this file (see minivae/exercises/check.py).
CHECK = {
    "function": matmul,
    "reference": "minivae.matmul",
    "inputs": {"a": {}, "b": {}},
    "cases": [
        {"a": (3, 4), "b": (4, 5)},
        {"a": (2, 3, 4), "b": (2, 4, 5)},
        {"a": (2, 3, 4), "b": (4, 5)},        # one b for every a in the stack
        {"a": (2, 1, 3, 4), "b": (5, 4, 2)},  # both broadcast: the output is (2, 5, 3, 2)
    ],
}
