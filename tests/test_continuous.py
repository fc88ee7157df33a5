"""xentlib.continuous: closed forms against hand values and against numerical integrals (SciPy)."""
from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from xentlib import continuous


def test_closed_forms_by_hand():
    # h(N(0, 1)) = 0.5 ln(2 pi e) = 1.4189385332 nats
    assert float(continuous.gaussian_entropy(1.0)) == pytest.approx(0.5 * math.log(2 * math.pi * math.e), rel=1e-15)
    # sigma = 2 adds ln 2 nats = 1 bit
    assert float(continuous.gaussian_entropy(2.0, base=2) - continuous.gaussian_entropy(1.0, base=2)) == \
        pytest.approx(1.0, rel=1e-12)
    assert float(continuous.uniform_entropy(0.0, 0.5, base=2)) == pytest.approx(-1.0, rel=1e-15)   # negative
    # KL(N(0,1) || N(1,1)) = 1/2; KL(N(0,1) || N(0,2)) = ln 2 + 1/8 - 1/2
    assert float(continuous.gaussian_kl(0.0, 1.0, 1.0, 1.0)) == pytest.approx(0.5, rel=1e-15)
    assert float(continuous.gaussian_kl(0.0, 1.0, 0.0, 2.0)) == pytest.approx(math.log(2) + 0.125 - 0.5, rel=1e-14)
    assert float(continuous.gaussian_pdf(1.0, 0.0, 1.0)) == pytest.approx(math.exp(-0.5) / math.sqrt(2 * math.pi))


def test_cross_entropy_is_entropy_plus_kl_and_matches_scipy():
    mp, sp, mq, sq = 0.3, 0.7, -0.5, 1.3
    h_pq = float(continuous.gaussian_cross_entropy(mp, sp, mq, sq))
    assert h_pq == pytest.approx(float(continuous.gaussian_entropy(sp) + continuous.gaussian_kl(mp, sp, mq, sq)),
                                 rel=1e-14)
    # SciPy quadrature of -p log q
    ref, _ = integrate.quad(lambda x: -stats.norm.pdf(x, mp, sp) * stats.norm.logpdf(x, mq, sq), -20, 20)
    assert h_pq == pytest.approx(ref, rel=1e-9)
    assert float(continuous.gaussian_entropy(sp)) == pytest.approx(float(stats.norm(mp, sp).entropy()), rel=1e-14)


def test_numerical_integrals_agree_with_closed_forms():
    h = continuous.differential_entropy(lambda x: continuous.gaussian_pdf(x, 0.0, 0.5), -10, 10)
    assert h == pytest.approx(float(continuous.gaussian_entropy(0.5)), abs=1e-8)
    hpq = continuous.differential_cross_entropy(continuous.gaussian_pdf,
                                                lambda x: continuous.gaussian_pdf(x, 1.0, 2.0), -15, 15)
    assert hpq == pytest.approx(float(continuous.gaussian_cross_entropy(0.0, 1.0, 1.0, 2.0)), abs=1e-8)
    # q = 0 where p > 0: infinite cross-entropy
    def uniform01(x):
        return ((x >= 0) & (x <= 1)).astype(float)
    assert continuous.differential_cross_entropy(continuous.gaussian_pdf, uniform01, -3, 3) == math.inf


@pytest.mark.parametrize("call, name", [
    (lambda: continuous.gaussian_entropy(0.0), "sigma"),
    (lambda: continuous.gaussian_entropy(-1.0), "sigma"),
    (lambda: continuous.gaussian_pdf(np.nan), "x"),
    (lambda: continuous.gaussian_kl(0.0, 1.0, 0.0, 0.0), "sigma_q"),
    (lambda: continuous.uniform_entropy(1.0, 1.0), "b"),
    (lambda: continuous.gaussian_entropy(1.0, base=1), "base"),
    (lambda: continuous.differential_entropy(continuous.gaussian_pdf, 1.0, -1.0), "lo"),
    (lambda: continuous.differential_entropy(continuous.gaussian_pdf, -1.0, 1.0, n=2), "n"),
])
def test_bad_input_is_named(call, name):
    with pytest.raises(ValueError, match=f"^{name}:"):
        call()
