"""RWC-SGC (WC-SGC plus window-budget-safe replication of last-chance units): the placement's
invariants (capacity, distinct fresh holders, budget + 1 copies), the token decoder against the
exact run, its count automaton against the exact per-worker automaton and the exhaustive
finite-horizon verifier at n = 3 .. 5, "correct wherever WC-SGC is", the n = 8 witness against
the covering LP, and refusals."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty
from sgc_theory.schemes import RWCSGC, WCSGC, make_scheme
from sgc_theory.schemes.rwc_sgc import replication_layout
from sgc_theory.verify import verify
from sgc_theory.verify.rwc_counts import RWCSGCCounts


@pytest.mark.parametrize(
    "f,P,excess,budget", itertools.product((1, 3, 5, 8), (1, 3, 4), (0, 1, 2, 7), (0, 1, 2, 4))
)
def test_replication_layout_fits_and_spreads(f, P, excess, budget):
    x, copies = replication_layout(f, P, excess, budget)
    assert sum(copies) == x * (budget + 1) <= f * P and max(copies, default=0) <= P
    assert x <= max(excess, 0)
    if budget >= 1 and budget + 1 <= f and excess > 0:
        assert x == min(excess, f * P // (budget + 1))
    else:
        assert x == 0
    assert list(copies) == sorted(copies) and max(copies, default=0) - min(copies, default=0) <= 1


def _walk(sch, rng, R):
    """Random admitted pattern of R rounds under the design model, mostly greedy."""
    model = sch.design_model
    return model.sample(R, rng)


@pytest.mark.parametrize(
    "n,B,W,lam,T,P,K",
    [
        (4, 2, 3, 2, 2, 4, 11),
        (5, 2, 3, 2, 2, 4, 15),
        (8, 2, 3, 2, 2, 4, 27),
        (6, 1, 2, 2, 1, 3, 12),
        (5, 2, 4, 2, 2, 5, 19),
    ],
)
def test_placement_invariants_and_token_decoder_match_the_exact_run(n, B, W, lam, T, P, K):
    sch = RWCSGC(n, B, W, lam, T=T, P=P, K=K)
    model = sch.design_model
    rng = np.random.default_rng(n * 100 + K)
    for _ in range(4):
        pat = _walk(sch, rng, 9)
        assert model.admits(pat)
        state = sch.initial_state()
        for r in range(pat.shape[1]):
            hist, pend = state
            per_worker, _ = sch.plan_units(state)
            union = 0
            for m in hist:
                union |= m
            budget = lam - union.bit_count()
            holders: dict = {}
            for i, groups in enumerate(per_worker):
                assert sum(len(us) for _, us, _ in groups) <= P
                for a, us, rep in groups:
                    for u in us:
                        holders.setdefault((a, u, rep), []).append(i)
            for (a, _u, rep), hs in holders.items():
                if rep:  # a replica: age T, on budget + 1 distinct fresh workers
                    assert a == T and len(hs) == len(set(hs)) == budget + 1
                    assert all(model._worker_hist(hist, i) == 0 for i in hs)
                else:
                    assert len(hs) == 1
            mask = int(sum(1 << i for i in range(n) if pat[i, r]))
            state = sch.next_state(state, None, mask)
        if n <= 8:
            assert sch.decode_rounds(pat) == list(sch.run(pat).decoded_round)


def _small_grid():
    for n, B, W, lam in [
        (3, 2, 3, 1),
        (3, 2, 3, 2),
        (4, 2, 3, 2),
        (4, 1, 2, 2),
        (3, 2, 4, 2),
    ]:
        for P in (2, 4):
            for K in range(max(1, n * P - 2), n * P + 1):
                yield n, B, W, lam, B, P, K


@pytest.mark.parametrize("case", list(_small_grid()))
def test_count_automaton_agrees_with_the_exact_automaton(case):
    n, B, W, lam, T, P, K = case
    sch = RWCSGC(n, B, W, lam, T=T, P=P, K=K)
    exact = verify(sch, all_horizons=True, method="automaton")
    counts = verify(sch, all_horizons=True, method="counts")
    assert exact.ok == counts.ok
    if not counts.ok:
        assert counts.confirmed and exact.confirmed
        # both shortest: the exact automaton's and the count automaton's counterexamples agree in length
        assert counts.counterexample.shape[1] == exact.counterexample.shape[1]


@pytest.mark.slow
@pytest.mark.parametrize(
    "n,B,W,lam", [(5, 2, 3, 2), (5, 2, 3, 3), (4, 2, 3, 3), (4, 2, 4, 2), (5, 1, 2, 2)]
)
def test_count_automaton_agrees_with_the_exact_automaton_slow(n, B, W, lam):
    for T, P in itertools.product(sorted({B, max(1, B - 1), B + 1}), (1, 2, 3, 4)):
        for K in range(max(1, n * P - 6), n * P + 1):
            sch = RWCSGC(n, B, W, lam, T=T, P=P, K=K)
            a = verify(sch, all_horizons=True, method="automaton")
            c = verify(sch, all_horizons=True, method="counts")
            assert a.ok == c.ok and (c.ok or c.confirmed), (T, P, K)


@pytest.mark.parametrize("n,lam,P,K", [(3, 2, 4, 8), (3, 2, 4, 9), (4, 2, 4, 11), (4, 2, 4, 12)])
def test_exhaustive_finite_horizon_agrees(n, lam, P, K):
    """An independent route: every admitted pattern of 7 rounds, exact algebra."""
    sch = RWCSGC(n, 2, 3, lam, T=2, P=P, K=K)
    fin = verify(sch, rounds=7)
    allh = verify(sch, all_horizons=True, method="counts")
    if allh.ok:
        assert fin.ok
    elif allh.counterexample.shape[1] <= 7:
        assert not fin.ok and fin.confirmed


@pytest.mark.parametrize("n,lam,P", [(4, 2, 3), (5, 2, 4), (8, 2, 3), (16, 3, 3)])
def test_correct_wherever_wcsgc_is(n, lam, P):
    from sgc_theory.design import largest_units

    K = largest_units(n, 2, 3, lam, T=2, P=P).K
    assert verify(RWCSGC(n, 2, 3, lam, T=2, P=P, K=K), all_horizons=True, method="counts").ok


def test_n8_witness_beats_wcsgc_and_prsgc_but_not_the_lp():
    """n = 8, (2, 3, 2), T = 2: K = 27 at P = 4 proved, 28 refuted; 4/27 is below WC-SGC's
    3/20 and PR-SGC's 41/272, above the covering LP's 12687/88784."""
    ok = verify(RWCSGC(8, 2, 3, 2, T=2, P=4, K=27), all_horizons=True, method="counts")
    bad = verify(RWCSGC(8, 2, 3, 2, T=2, P=4, K=28), all_horizons=True, method="counts")
    assert ok.ok and not bad.ok and bad.confirmed
    assert Fraction(12687, 88784) < Fraction(4, 27) < Fraction(3, 20) < Fraction(41, 272)


def test_replicas_fail_under_a_larger_budget():
    """The replicas are safe by the design model's window budget only: under one straggler
    more per window the exact automaton finds a failure where the design model has none."""
    sch = RWCSGC(4, 2, 3, 1, T=2, P=4, K=14)
    assert verify(sch, all_horizons=True, method="counts").ok
    assert not verify(sch, Bursty(4, 2, 3, 2), all_horizons=True, method="automaton").ok


def test_refusals():
    sch = RWCSGC(4, 2, 3, 2, T=2, P=4, K=11)
    with pytest.raises(SGCError, match="design model"):
        RWCSGCCounts(sch, Bursty(4, 2, 3, 3))
    with pytest.raises(SGCError, match="K"):
        RWCSGC(4, 2, 3, 2, K=0)
    with pytest.raises(SGCError):
        RWCSGC(4, 3, 3, 2)
    assert make_scheme("rwcsgc", 4, B=2, W=3, lam=2, K=11).K == 11
    assert RWCSGC(8, 2, 3, 2).load == Fraction(1, 7) == WCSGC(8, 2, 3, 2).load
