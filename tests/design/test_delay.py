"""WC-SGC at a delay below B + 1 (sgc_theory.design.delay): the count automaton's verdict on
tuned (T, P, K) against the exact per-worker automaton, the K that work form an interval (the
monotonicity the binary search rests on), the fitted load never below the covering LP's exact
optimum, the n = 256 instance beating PR-SGC, and refusals."""

from __future__ import annotations

import itertools
from fractions import Fraction

import pytest

from sgc_theory.bounds import counting_bound
from sgc_theory.design import design
from sgc_theory.design.delay import largest_units, wcsgc_at_delay
from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty
from sgc_theory.rationals import to_fraction
from sgc_theory.schemes import PRSGC, WCSGC
from sgc_theory.verify import verify
from sgc_theory.verify.counts import WCSGCCounts


def _grid(n):
    for (B, W), lam, P in itertools.product(((1, 2), (1, 3), (2, 3)), range(1, n + 1), (1, 2, 3)):
        for T in sorted({max(1, B - 1), B}):
            for K in range(max(1, n * P - 5), n * P + 1):
                yield n, B, W, lam, T, P, K


FAST = [c for i, c in enumerate(_grid(3)) if i % 4 == 0]
SLOW = [c for i, c in enumerate(_grid(3)) if i % 4] + list(_grid(4))


def _both(n, B, W, lam, T, P, K):
    sch = WCSGC(n, B, W, lam, T=T, P=P, K=K)
    counts = WCSGCCounts(sch).explore()[0]
    exact = verify(sch, all_horizons=True, method="automaton", max_work=1e10)
    return counts, exact


@pytest.mark.parametrize("case", FAST)
def test_count_automaton_decides_tuned_instances_like_the_exact_automaton(case):
    counts, exact = _both(*case)
    assert counts == exact.ok
    if not exact.ok:
        assert exact.confirmed


@pytest.mark.slow
@pytest.mark.parametrize("case", SLOW)
def test_count_automaton_decides_tuned_instances_like_the_exact_automaton_slow(case):
    counts, exact = _both(*case)
    assert counts == exact.ok


@pytest.mark.parametrize(
    "n,B,W,lam,T,P", [(4, 2, 3, 2, 2, 2), (4, 1, 2, 1, 1, 3), (5, 2, 3, 3, 2, 2)]
)
def test_the_units_that_work_are_an_interval_and_the_search_finds_its_end(n, B, W, lam, T, P):
    ok = [WCSGCCounts(WCSGC(n, B, W, lam, T=T, P=P, K=K)).explore()[0] for K in range(1, n * P + 1)]
    top = ok.index(False) if False in ok else len(ok)
    assert all(ok[:top]) and not any(ok[top:])
    fit = largest_units(n, B, W, lam, T, P)
    assert fit.K == top and fit.load == Fraction(P, top)
    assert fit.proof.ok and fit.scheme.K == top
    assert fit.refutation is not None and not fit.refutation.ok and fit.refutation.confirmed
    assert fit.refutation.scheme.K == top + 1


@pytest.mark.parametrize("n,lam", [(6, 1), (6, 2), (8, 2), (8, 3)])
def test_fitted_load_is_never_below_the_exact_optimum_at_delay_B(n, lam):
    """The covering LP's exact optimum at T = B is a lower bound on every scheme: a fit below it
    would be a wrong proof."""
    model = Bursty(n, 2, 3, lam)
    opt = design(n, model, 2)
    assert opt.exact
    d = wcsgc_at_delay(n, 2, 3, lam, T=2, capacities=(1, 2, 3, 4))
    assert d.best.load >= opt.lower
    assert all(f.load >= opt.lower for f in d.fits)


def test_n256_delay_B_beats_pair_replication():
    """Bursty (2, 3, 6) at n = 256, delay 2: capacity 3 carries K = 756 units (load 1/252,
    0.39 % above the proved lower bound 0.0039527 of the restricted LP, where PR-SGC is 1.09 %
    above), and 757 fails."""
    fit = largest_units(256, 2, 3, 6, T=2, P=3)
    assert (fit.K, fit.load) == (756, Fraction(1, 252))
    assert fit.proof.ok and fit.refutation.confirmed
    assert fit.load < PRSGC(256, 2, 3, 6).load
    assert fit.load > to_fraction(counting_bound(256, 2, 3, 6))


def test_theorem_parameters_are_not_tuned():
    s = WCSGC(16, 2, 3, 3)
    same = WCSGC(16, 2, 3, 3, T=3, P=4, K=16 * 4 - 6)
    assert (
        not s.tuned and not same.tuned and repr(same) == repr(s) == "WCSGC(n=16, B=2, W=3, lam=3)"
    )
    t = WCSGC(16, 2, 3, 3, T=2, P=3, K=40)
    assert t.tuned and t.load == Fraction(3, 40) and t.T == 2
    assert repr(t) == "WCSGC(n=16, B=2, W=3, lam=3, T=2, P=3, K=40)"
    assert len(t.partition_sizes) == 40 and sum(t.partition_sizes) == 1


@pytest.mark.parametrize(
    "kw,word", [({"T": 0}, "T"), ({"P": 0}, "P"), ({"K": 0}, "K"), ({"T": 1.5}, "T")]
)
def test_bad_tuning_is_refused_naming_it(kw, word):
    with pytest.raises(SGCError, match=word):
        WCSGC(8, 2, 3, 2, **kw)


def test_search_refusals():
    with pytest.raises(SGCError, match="capacities"):
        wcsgc_at_delay(8, 2, 3, 2, T=2, capacities=())
    with pytest.raises(SGCError, match="B <= W - 1"):
        largest_units(8, 3, 3, 2, T=2, P=1)
    with pytest.raises(SGCError, match="K = 1"):  # all 4 workers straggle twice: T = 1 fails
        largest_units(4, 2, 3, 4, T=1, P=1)


@pytest.mark.slow
@pytest.mark.parametrize("lam", [7, 9, 11, 12, 13, 14])
def test_n256_within_one_percent_of_the_counting_bound_up_to_lam_14(lam):
    """docs/optimal_design.md: every lam <= 14 is within 1 % of the counting bound at T = 2 (the
    rows of the results table, plus these)."""
    fit = largest_units(256, 2, 3, lam, T=2, P=3)
    assert fit.K == 768 - 2 * lam and fit.refutation.confirmed
    assert fit.load / to_fraction(counting_bound(256, 2, 3, lam)) < Fraction(101, 100)


@pytest.mark.slow
def test_n256_paper_configuration_at_its_own_delay():
    """The README's claim: bursty (2, 3, 23), n = 256, delay 2, capacity 3 carries 722 units
    (load 3/722, 1.6 % above the counting bound 2/489), 723 fail; M-SGC needs delay 3 for 3/400."""
    fit = largest_units(256, 2, 3, 23, T=2, P=3)
    assert (fit.K, fit.load) == (722, Fraction(3, 722))
    assert fit.refutation.confirmed and fit.refutation.scheme.K == 723
    cb = to_fraction(counting_bound(256, 2, 3, 23))
    assert cb == Fraction(2, 489) and 1.015 < fit.load / cb < 1.016


@pytest.mark.parametrize("n,lam", [(8, 2), (8, 5), (16, 7), (16, 10), (32, 19)])
def test_observation_capacity_three_carries_3n_minus_2lam(n, lam):
    """The observation of docs/optimal_design.md, on instances where it is stated to hold (and
    its edge: at n = 8 it stops after lam = 5)."""
    assert largest_units(n, 2, 3, lam, T=2, P=3).K == 3 * n - 2 * lam
    if n == 8 and lam == 5:
        assert largest_units(n, 2, 3, 6, T=2, P=3).K != 3 * n - 12


def test_replicated_at_delay_n8_witness():
    """RWC-SGC at n = 8, (2, 3, 2), T = 2: the search returns the proved K = 27 at P = 4
    (K + 1 refuted by a confirmed counterexample), below tuned WC-SGC's 3/20."""
    from sgc_theory.design import replicated_at_delay

    fit = replicated_at_delay(8, 2, 3, 2, capacities=(3, 4))
    assert (fit.P, fit.K, fit.load) == (4, 27, Fraction(4, 27))
    assert fit.proof.ok and fit.neighbour.confirmed and fit.neighbour.scheme.K == 28
    assert fit.load < wcsgc_at_delay(8, 2, 3, 2, T=2, capacities=(3, 4)).best.load
    assert fit.tried[3][0] == 20  # at P = 3 replication adds nothing (WC-SGC's 3n - 2 lam)


def test_replicated_at_delay_refusals():
    from sgc_theory.design import replicated_at_delay

    with pytest.raises(SGCError, match="capacities"):
        replicated_at_delay(8, 2, 3, 2, capacities=())
    with pytest.raises(SGCError):
        replicated_at_delay(8, 3, 3, 2)
