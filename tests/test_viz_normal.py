"""minivae.viz.normal: N(0, 1) density, CDF and quantiles without SciPy."""
import math
from statistics import NormalDist

import numpy

from minivae.viz import normal


def test_cdf_and_pdf_match_the_standard_library():
    x = numpy.linspace(-5, 5, 41)
    numpy.testing.assert_allclose(normal.cdf(x), [NormalDist().cdf(v) for v in x], atol=1e-12)
    numpy.testing.assert_allclose(normal.pdf(x), [NormalDist().pdf(v) for v in x], rtol=1e-12)
    assert normal.cdf(numpy.zeros((2, 3))).shape == (2, 3)


def test_quantile_inverts_the_cdf():
    p = numpy.array([0.05, 0.25, 0.5, 0.975])
    numpy.testing.assert_allclose(normal.cdf(normal.quantile(p)), p, rtol=1e-9)
    assert math.isclose(float(normal.quantile(0.975)), 1.959963984540054, rel_tol=1e-9)


def test_grid_quantiles_are_symmetric_and_cover_the_middle_90_percent():
    q = normal.grid_quantiles(15)
    assert q.shape == (15,)
    numpy.testing.assert_allclose(q, -q[::-1], atol=1e-12)
    assert math.isclose(q[0], NormalDist().inv_cdf(0.05), rel_tol=1e-12)
    assert abs(q[7]) < 1e-12
