"""The random-burst bound holds for every scheme whatever its memory: it can never exceed a load
some scheme reaches.  Checked against the exact optimum of the covering LP by worker types
(schemes that look back W - 1 rounds, an achievable load) at small n, where it is also tight."""

from fractions import Fraction

import pytest

from sgc_theory.bounds import counting_bound
from sgc_theory.design import build_type_lp, solve_type_lp
from sgc_theory.design.any_memory import any_memory_lower_bound, random_burst_lp
from sgc_theory.models import Bursty
from sgc_theory.rationals import to_fraction

CASES = [(n, W, lam) for n in (4, 5, 6, 8) for W in (2, 3) for lam in range(1, n - 1)]


@pytest.mark.parametrize("n,W,lam", CASES)
def test_bound_is_between_counting_bound_and_an_achievable_load(n, W, lam):
    m = Bursty(n, 1, W, lam)
    res = any_memory_lower_bound(m, 1)
    assert res.tight and sum(res.weights) == 1 and all(w >= 0 for w in res.weights)
    assert res.bound >= to_fraction(counting_bound(n, 1, W, lam))
    lp = solve_type_lp(build_type_lp(m, 1), time_limit=60)
    assert lp.upper is not None
    assert res.bound <= lp.upper


def test_paper_configuration_equals_the_look_back_optimum():
    """(1, 2, 27), T = 1 at n = 256: the bound is PR-SGC's load, the look-back LP optimum."""
    from sgc_theory.schemes import PRSGC

    res = any_memory_lower_bound(Bursty(256, 1, 2, 27), 1)
    assert res.bound == Fraction(6529, 1524544) == PRSGC(256, 1, 2, 27).load


def test_certificate_is_recomputed_exactly():
    jobs = random_burst_lp(8, 2, 2)
    res = any_memory_lower_bound(Bursty(8, 1, 2, 2), 1)
    w = res.weights
    value = sum(min(sum(a * b for a, b in zip(w, v)) for _, v in opts) for opts in jobs)
    assert value / 8 == res.bound == Fraction(19, 128)


def test_not_claimed_elsewhere():
    assert any_memory_lower_bound(Bursty(8, 2, 3, 2), 2) is None
    assert any_memory_lower_bound(Bursty(8, 1, 2, 2), 2) is None
