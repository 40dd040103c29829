"""Exercise 8: the backward of the VAE's KL term.

    KL( N(z_mean, exp(z_log_var)) || N(0, I) )
        = -0.5 * sum over latent dimensions of (1 + z_log_var - z_mean^2 - exp(z_log_var))

one number per sample: (N, latent_dim) in, (N,) out. It is zero exactly when
z_mean = 0 and z_log_var = 0, and it is what pulls every encoding towards the
standard normal. (minivae composes it from primitive ops in
minivae/functional/losses.py; writing its backward by hand is the exercise.)
The forward is written for you; write ``KLNormal.backward``, then check it:

    minivae exercise check tutorials/exercises/08_kl_normal.py
"""
from minivae import Function
from minivae.backend import get_array_module


class KLNormal(Function):
    """z_mean, z_log_var (N, latent_dim) -> KL per sample (N,)."""

    def forward(self, z_mean, z_log_var):
        xp = get_array_module(z_mean)
        self.z_mean, self.var = z_mean, xp.exp(z_log_var)
        return -0.5 * (1 + z_log_var - z_mean * z_mean - self.var).sum(axis=1)  # (N,)

    def backward(self, gy):
        """gy (N,) is d(loss)/d(KL of each sample); return the gradients of z_mean and z_log_var.

        Hints:
        - differentiate one term of the sum, -0.5 * (1 + lv - m^2 - exp(lv)),
          with respect to m and to lv; forward saved m and exp(lv);
        - each sample's gy multiplies all of that sample's latent dimensions:
          gy[:, None] has shape (N, 1) and broadcasts over them.
        """
        # solution; the exercise says: write the backward of the KL term: see the hints in its docstring
        gy = gy[:, None]  # (N, 1)
        return gy * self.z_mean, gy * 0.5 * (self.var - 1)
        # end of solution


def kl_normal(z_mean, z_log_var):
    return KLNormal()(z_mean, z_log_var)


# How `minivae exercise check` tries this file (see minivae/exercises/check.py).
CHECK = {
    "function": kl_normal,
    "reference": "minivae.functional.kl_normal",
    "inputs": {"z_mean": {}, "z_log_var": {}},
    "cases": [
        {"z_mean": (4, 2), "z_log_var": (4, 2)},
        {"z_mean": (3, 5), "z_log_var": (3, 5)},
        {"z_mean": (1, 3), "z_log_var": (1, 3)},
    ],
}
