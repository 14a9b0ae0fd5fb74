"""``design()`` answers every request with a proved bracket, and labels it honestly."""

from fractions import Fraction
from types import SimpleNamespace

import pytest

from sgc_theory.bounds import counting_bound
from sgc_theory.design import build_type_lp, design, solve_type_lp
from sgc_theory.design.answer import EVERY_SCHEME
from sgc_theory.design.upper import UPPER_CANDIDATES, _largest, runnable_upper
from sgc_theory.models import Bursty
from sgc_theory.rationals import to_fraction
from sgc_theory.schemes import RWCSGC
from sgc_theory.verify import verify


@pytest.mark.parametrize("lo,hi", [(1, 1), (1, 9), (3, 14)])
def test_the_galloping_search_finds_the_largest_good_K(lo, hi):
    for star in range(0, hi + 2):
        for hint in range(0, hi + 3):

            def ok(P, K, star=star):
                assert lo <= K <= hi
                return SimpleNamespace(ok=K <= star)

            got = _largest(ok, 1, lo, hi, hint)
            assert (got[0] if got else None) == (None if star < lo else min(star, hi))


@pytest.mark.parametrize("T", [0, 1, 2, 3])
def test_every_delay_gets_a_bracket_that_contains_the_lp_optimum(T):
    m = Bursty(8, 2, 3, 2)
    ans = design(8, m, T)
    assert ans.lower is not None and ans.upper is not None
    assert ans.lower.value <= ans.upper.value
    assert ans.upper.delay <= T
    lp = solve_type_lp(build_type_lp(m, T))  # independent route: the LP of W - 1 look-back
    assert lp.exact and ans.lower_every_scheme.value <= lp.lower
    assert ans.status == ("optimal" if ans.lower.value == ans.upper.value else "bracket")
    if T in (0, 3):  # GC at delay 0 and WC-SGC at delay B + 1 meet bounds on every scheme
        assert ans.optimal and ans.optimal_among == EVERY_SCHEME


def test_the_upper_end_is_a_scheme_whose_proof_ran():
    ans = design(8, "bursty:B=2,W=3,lam=2", 2)
    up = ans.upper
    # RWC-SGC (replication) beats tuned WC-SGC here: 4/27 < 3/20
    assert up.scheme == "rwcsgc" and up.params["T"] == 2 and "automaton" in up.proof
    sch = RWCSGC(8, 2, 3, 2, T=2, P=up.params["capacity"], K=up.params["units"])
    assert sch.load == up.value
    assert verify(sch, Bursty(8, 2, 3, 2), all_horizons=True, method="automaton").ok  # independent
    assert up.value >= to_fraction(counting_bound(8, 2, 3, 2))


def test_labels_name_the_lp_only_when_it_ran_and_the_class_of_the_optimum():
    settled = design(16, "bursty:B=2,W=3,lam=5", 3)  # WC-SGC proved at delay 3: no LP
    d = settled.as_dict()
    assert settled.lp is None and d["lp"] is None and "lp_lower" not in d
    assert d["optimal_among"] == EVERY_SCHEME and "automaton" in d["scheme"]["proof"]
    lp = design(6, "bursty:B=1,W=2,lam=2", 1)  # T = B: the LP decides, for W - 1 look-back
    if lp.optimal and lp.lower.kind == "covering LP by worker types":
        assert lp.optimal_among == "schemes looking back P=1 rounds"
    assert lp.as_dict()["lp"]["variables"] > 0
    rep = design(64, "bursty:B=1,W=2,lam=16", 1, max_replication=1)
    d = rep.as_dict()["lp"]
    assert d["lp_upper"]["fraction"] == "5/256"  # BR-SGC's (n + lam)/n^2: optimal without pairs
    assert "at most 1 workers" in d["optimal_among"]
    assert rep.lower.holds_for == EVERY_SCHEME and rep.lower.value <= rep.upper.value
    assert rep.upper.value < Fraction(5, 256) and rep.upper.scheme == "prsgc"  # pairs help


def test_wcsgc_is_never_listed_without_its_proof():
    for name, _, _ in UPPER_CANDIDATES:
        assert name  # the table is the one place the candidates live
    assert not runnable_upper(Bursty(16, 2, 3, 3), 3)[1].startswith("wcsgc")  # B = 2: no proof run
    assert runnable_upper(Bursty(16, 1, 2, 3), 2)[1].startswith("wcsgc")  # B = 1: by hand
    ans = design(16, "bursty:B=2,W=3,lam=3", 3, P=1)  # the LP with less memory, and WC-SGC
    assert all("automaton" in s.proof or "by hand" in s.proof for s in ans.schemes)


def test_theorem_range_answers_without_counting_patterns():
    ans = design(256, "bursty:B=1,W=2,lam=27", 100)
    assert ans.optimal and ans.upper.value == Fraction(2, 485) and "by hand" in ans.upper.proof


def test_issue29_inputs_answer_within_seconds():
    ans = design(3, "bursty:B=1,W=1000000,lam=1", 0)
    assert ans.optimal and ans.upper.value == Fraction(2, 3)
    ans = design(6, "arbitrary:N=3,W=4,lam=3", 3, max_work=10**6)
    assert ans.lower.value <= ans.upper.value and ans.not_run
    assert ans.lp is None


@pytest.mark.slow
@pytest.mark.parametrize(
    "T,lower,upper,optimal",
    [
        (0, Fraction(3, 32), Fraction(3, 32), True),
        (1, Fraction(2, 489), Fraction(3, 32), False),
        (2, Fraction(2, 489), Fraction(3, 722), False),
        (3, Fraction(2, 489), Fraction(2, 489), True),
    ],
)
def test_the_paper_second_configuration_answers_at_every_delay(T, lower, upper, optimal):
    """bursty(2, 3, 23) at n = 256 on the default budget: a bracket at T = 0..3 (issue 27)."""
    ans = design(256, "bursty:B=2,W=3,lam=23", T)
    assert (ans.lower.value, ans.upper.value, ans.optimal) == (lower, upper, optimal)
    assert ans.lower.holds_for == EVERY_SCHEME
    if optimal:
        assert ans.optimal_among == EVERY_SCHEME
