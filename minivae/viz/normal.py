"""The standard normal distribution N(0, 1): density, CDF and quantiles, without SciPy.

    pdf(x)      = exp(-x**2 / 2) / sqrt(2 * pi)
    cdf(x)      = (1 + erf(x / sqrt(2))) / 2        the p-value view of figure 3-14
    quantile(p) = cdf^-1(p)                         scipy's norm.ppf, used for the latent grid
"""
import math
from statistics import NormalDist

import numpy

_erf = numpy.vectorize(math.erf, otypes=[numpy.float64])
_inv_cdf = numpy.vectorize(NormalDist().inv_cdf, otypes=[numpy.float64])


def pdf(x):
    """Density of N(0, 1) at each x."""
    x = numpy.asarray(x, dtype=numpy.float64)
    return numpy.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)


def cdf(x):
    """P(Z <= x) for Z ~ N(0, 1), elementwise: maps the real line onto (0, 1)."""
    x = numpy.asarray(x, dtype=numpy.float64)
    return 0.5 * (1.0 + _erf(x / math.sqrt(2.0)))


def quantile(p):
    """The x with cdf(x) = p, elementwise (the inverse CDF, scipy's ``norm.ppf``)."""
    return _inv_cdf(numpy.asarray(p, dtype=numpy.float64))


def grid_quantiles(n, low=0.05, high=0.95):
    """``n`` latent coordinates at evenly spaced probabilities from ``low`` to ``high``.

    Evenly spaced in probability, not in z: each cell of the grid holds the same
    share of N(0, 1), so the grid is dense near 0 where most encodings lie.
    """
    if n < 1:
        raise ValueError(f"grid_quantiles: n must be at least 1, got {n}")
    return quantile(numpy.linspace(low, high, n))
