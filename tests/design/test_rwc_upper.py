"""RWC-SGC as one of design()'s upper ends at T = B (sgc_theory.design.upper): the instance it
reports is re-checked by the exact per-worker automaton at small n (and K + 1 refuted by it),
the bracket contains the covering LP's exact optimum where that LP runs (n = 8), the n = 256
row at lam = 6 beats tuned WC-SGC, and an undecided search is a line of ``not_run``."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sgc_theory.bounds import counting_bound
from sgc_theory.design import design, upper
from sgc_theory.models import Bursty
from sgc_theory.rationals import to_fraction
from sgc_theory.schemes import RWCSGC
from sgc_theory.verify import verify

#: (n, B, W, lam) at small n; T = B
SMALL = [(5, 2, 3, 1), (6, 2, 3, 2), (8, 2, 3, 2), (5, 3, 4, 1), (6, 2, 4, 2)]
#: the refutations of K + 1 by the exact automaton take 10 s or more on these
_LONG = {(8, 2, 3, 2), (6, 2, 4, 2)}
REFUTE = [pytest.param(*c, marks=pytest.mark.slow) if c in _LONG else c for c in SMALL]


def _candidate(n, B, W, lam, best=None):
    return upper._rwcsgc(Bursty(n, B, W, lam), B, best)


@pytest.mark.parametrize("n,B,W,lam", SMALL)
def test_rwc_upper_end_rechecked_by_the_exact_automaton(n, B, W, lam):
    up = _candidate(n, B, W, lam)
    assert up is not None and up.scheme == "rwcsgc" and up.delay == B
    P, K = up.params["capacity"], up.params["units"]
    assert up.value == Fraction(P, K)
    assert up.value >= to_fraction(counting_bound(n, B, W, lam))
    sch = RWCSGC(n, B, W, lam, T=B, P=P, K=K)
    exact = verify(sch, all_horizons=True, method="automaton", max_work=1e10)
    assert exact.ok and exact.method == "automaton"


@pytest.mark.parametrize("n,B,W,lam", REFUTE)
def test_rwc_search_stops_where_the_exact_automaton_refutes(n, B, W, lam):
    """The search stopped at K + 1: the exact automaton refutes it too (or no scheme has its
    load)."""
    up = _candidate(n, B, W, lam)
    P, K = up.params["capacity"], up.params["units"]
    if Fraction(P, K + 1) >= to_fraction(counting_bound(n, B, W, lam)):
        above = RWCSGC(n, B, W, lam, T=B, P=P, K=K + 1)
        assert not verify(above, all_horizons=True, method="automaton", max_work=1e10).ok


def test_bracket_contains_the_lp_optimum_at_n8():
    a = design(8, "bursty:B=2,W=3,lam=2", 2)
    lp_opt = Fraction(12687, 88784)  # the covering LP's exact optimum (results witness)
    assert a.lp is not None and a.lp.exact and a.lp.upper == a.lp.lower == lp_opt
    assert a.upper.scheme == "rwcsgc" and a.upper.value == Fraction(4, 27)
    assert "K + 1 refuted" in a.upper.proof  # the search decided its neighbour
    assert a.lower.value <= lp_opt <= a.upper.value
    # RWC-SGC beats the families proved by hand and tuned WC-SGC here
    others = [s.value for s in a.schemes if s.scheme != "rwcsgc"]
    assert min(others) == Fraction(3, 20) > a.upper.value


def test_n256_lam6_beats_tuned_wcsgc():
    up = _candidate(256, 2, 3, 6, best=Fraction(1, 252))  # tuned WC-SGC's proved load
    assert up is not None and (up.params["capacity"], up.params["units"]) == (4, 1009)
    assert up.value == Fraction(4, 1009) < Fraction(1, 252)
    assert "RWC-SGC count automaton" in up.proof


def test_not_this_family():
    assert _candidate(8, 1, 2, 1) is None  # B = 1
    assert upper._rwcsgc(Bursty(8, 2, 3, 2), 1, None) is None  # T != B
    assert upper._rwcsgc(Bursty(8, 2, 3, 2), 3, None) is None
    # nothing beats a load at the counting bound
    assert _candidate(8, 2, 3, 2, best=to_fraction(counting_bound(8, 2, 3, 2))) is None


def test_undecided_is_a_not_run_line(monkeypatch):
    monkeypatch.setattr(upper, "RWC_MAX_STATES", 3)
    a = design(8, "bursty:B=2,W=3,lam=2", 2)
    assert all(s.scheme != "rwcsgc" for s in a.schemes)
    assert any(line.startswith("rwcsgc") and "undecided" in line for line in a.not_run)
    assert a.upper.value == Fraction(3, 20)


def test_runnable_upper_does_not_use_rwcsgc():
    value, command = upper.runnable_upper(Bursty(8, 2, 3, 2), 2)
    assert value == Fraction(41, 272) and "rwcsgc" not in command
