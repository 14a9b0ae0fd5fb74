"""WC-SGC (work-conserving EDF placement, 1 <= B <= W - 1, T = B + 1): its load is the counting
bound, checked against the covering LP; the backlog argument for B = 1; the count automaton
against the exact verifier; exact decoding at n = 16 .. 256 on sampled and adversarial admitted
patterns; refusals. (The scheme and verifier batteries cover the small grid.)"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.bounds import counting_bound
from sgc_theory.design import build_type_lp, solve_type_lp
from sgc_theory.rationals import to_fraction
from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty
from sgc_theory.schemes import WCSGC
from sgc_theory.schemes.wc_sgc import backlog_bound


F = to_fraction  # sympy closed forms and Fraction loads alike


@pytest.mark.parametrize(
    "n,B,W,lam",
    [(4, 1, 2, 1), (4, 1, 2, 3), (5, 1, 2, 2), (4, 1, 3, 2), (6, 1, 2, 4), (4, 2, 3, 2)]
    + [
        pytest.param(*a, marks=pytest.mark.slow) for a in [(4, 2, 3, 4), (5, 2, 3, 3), (3, 3, 4, 2)]
    ],
)
def test_load_is_the_lp_optimum_at_T_and_the_counting_bound(n, B, W, lam):
    """The theorem's value (design by theorem) equals the covering LP's exact optimum."""
    from sgc_theory.design.theorem import settle

    sch = WCSGC(n, B, W, lam)
    P = W - 1 + B
    assert F(sch.load) == F(counting_bound(n, B, W, lam)) == Fraction(P, n * P - lam * B)
    res = solve_type_lp(build_type_lp(Bursty(n, B, W, lam), B + 1))
    assert res.exact and res.upper == F(sch.load)
    th = settle(Bursty(n, B, W, lam), B + 1)
    assert th.exact and th.status == "optimal" and th.upper == res.upper == th.lower


@pytest.mark.parametrize("n,lam", [(4, 1), (5, 3), (6, 2)])
def test_one_round_less_costs_more(n, lam):
    """At T = 1 the optimum of bursty(1, 2, lam) lies strictly above WC-SGC's load."""
    res = solve_type_lp(build_type_lp(Bursty(n, 1, 2, lam), 1))
    assert res.lower > F(WCSGC(n, 1, 2, lam).load)


@pytest.mark.parametrize("n,W,lam", [(3, 2, 3), (5, 3, 2), (16, 2, 9), (256, 2, 27), (256, 4, 20)])
def test_backlog_never_exceeds_lam_W_and_fits_a_round(n, W, lam):
    b = backlog_bound(n, W, lam)
    assert b == lam * W <= n * W


def _greedy_pattern(n, W, lam, R, rng):
    """A random admitted bursty(1, W, lam) pattern that mostly uses every straggler allowed:
    each round, a random number (often the maximum) of workers that did not straggle in the
    last W - 1 rounds."""
    P = np.zeros((n, R), dtype=bool)
    for r in range(R):
        recent = P[:, max(0, r - W + 1) : r].any(axis=1)
        room = lam - int(recent.sum())
        k = room if rng.random() < 0.6 else int(rng.integers(0, room + 1))
        P[rng.choice(np.flatnonzero(~recent), size=k, replace=False), r] = True
    return P


@pytest.mark.parametrize("W,lam", [(2, 27), (3, 100), (2, 255), (4, 60)])
def test_every_job_on_time_at_n256_on_heavy_patterns(W, lam):
    sch = WCSGC(256, 1, W, lam)
    model = Bursty(256, 1, W, lam)
    rng = np.random.default_rng(lam)
    R = 24
    for _ in range(5):
        P = _greedy_pattern(256, W, lam, R, rng)
        assert model.admits(P)
        d = sch.decode_rounds(P)
        assert all(d[t] is not None and d[t] <= t + 2 for t in range(R - 2)), d


def _burst_pattern(n, B, W, lam, R, rng, periodic):
    """An admitted bursty(B, W, lam) pattern built greedily: each round, workers allowed by
    the model straggle (continuing bursts first); ``periodic`` makes the first lam workers
    straggle B rounds out of every W - 1 + B (the counting bound's pattern)."""
    model = Bursty(n, B, W, lam)
    P = np.zeros((n, R), dtype=bool)
    if periodic:
        for r in range(R):
            P[:lam, r] = r % (W - 1 + B) < B
        return P
    state = model.initial_state()
    for r in range(R):
        mask = 0
        for i in rng.permutation(n):
            if rng.random() < 0.7 and model.allows(state, mask | 1 << int(i)):
                mask |= 1 << int(i)
                P[i, r] = True
        state = model.advance(state, mask)
    return P


@pytest.mark.parametrize(
    "n,B,W,lam", [(16, 2, 3, 7), (32, 2, 3, 16), (64, 3, 4, 20), (24, 2, 4, 24), (40, 1, 3, 9)]
)
def test_long_random_and_adversarial_patterns_decode_on_time(n, B, W, lam):
    """The token decoder (exact: uncoded units) on long admitted patterns at n = 16 .. 64, and
    the exact run on one of them: every job by its deadline B + 1."""
    sch = WCSGC(n, B, W, lam)
    model = Bursty(n, B, W, lam)
    rng = np.random.default_rng(n + B + W + lam)
    R = 40
    for periodic in (True, False, False):
        P = _burst_pattern(n, B, W, lam, R, rng, periodic)
        assert model.admits(P)
        d = sch.decode_rounds(P)
        assert all(d[t] is not None and d[t] <= t + B + 1 for t in range(R - B - 1)), d
    if n <= 16:
        assert sch.run(P[:, :12]).decoded_round == sch.decode_rounds(P[:, :12])


@pytest.mark.parametrize(
    "n,B,W,lam",
    [(4, 3, 4, 2), (5, 1, 3, 4), (4, 2, 3, 2)]
    + [
        pytest.param(*a, marks=pytest.mark.slow) for a in [(5, 2, 3, 3), (4, 2, 4, 3), (6, 2, 3, 4)]
    ],
)
def test_count_automaton_agrees_with_the_exact_verifier(n, B, W, lam):
    """Proved by both routes under the design model; both fail (confirmed) with one straggler
    more per window or a burst one round longer, with counterexamples of the same length."""
    from sgc_theory.verify import verify

    sch = WCSGC(n, B, W, lam)
    models = [None, Bursty(n, B, W, lam + 1) if lam < n else None]
    if B + 1 <= W - 1 or (B + 1 == W):
        models.append(Bursty(n, B + 1, W, lam))
    for m in models:
        if m is None and models.index(m) > 0:
            continue
        a = verify(sch, m, all_horizons=True, method="automaton")
        c = verify(sch, m, all_horizons=True, method="counts")
        assert a.ok == c.ok, (m, a.ok, c.ok)
        if not c.ok:
            assert c.confirmed and a.confirmed
            assert c.counterexample.shape[1] == a.counterexample.shape[1]
            assert (m or sch.design_model).admits(c.counterexample)


@pytest.mark.parametrize("B,W,lam", [(1, 2, 27), (2, 3, 5), (2, 4, 6)])
def test_count_automaton_proves_at_n256(B, W, lam):
    from sgc_theory.verify import verify

    res = verify(WCSGC(256, B, W, lam), all_horizons=True)
    assert res.ok and res.method == "counts" and "count automaton" in res.basis
    # bursts one round longer: a shortest counterexample, replayed exactly
    bad = verify(WCSGC(256, B, W, lam), Bursty(256, B + 1, W, lam), all_horizons=True)
    assert not bad.ok and bad.confirmed and Bursty(256, B + 1, W, lam).admits(bad.counterexample)


def test_heavy_alternating_pattern_uses_the_whole_backlog():
    """lam stragglers every other round: the pending work reaches lam W units and still fits."""
    n, W, lam = 8, 2, 5
    sch = WCSGC(n, 1, W, lam)
    P = np.zeros((n, 12), dtype=bool)
    for r in range(0, 12, 2):
        P[:lam, r] = True
    assert Bursty(n, 1, W, lam).admits(P)
    run = sch.run(P)
    assert run.ok and run.decoded_round == sch.decode_rounds(P)
    for _, _, tasks, _ in sch.states(P):
        assert sch.round_load(tasks) <= sch.load


@pytest.mark.parametrize(
    "kwargs,needle",
    [
        (dict(n=4, W=3, lam=1, B=3), "B <= W - 1"),
        (dict(n=4, B=1, W=2, lam=5), "lam <= n"),
        (dict(n=4, B=1, W=1, lam=1), "W"),
    ],
)
def test_refusals(kwargs, needle):
    with pytest.raises(SGCError, match=needle):
        WCSGC(**kwargs)
