"""WC-SGC (work-conserving re-queueing, B = 1, T = 2): its load is the counting bound, checked
against the covering LP; the backlog argument of its proof; exact decoding at n = 256 on
sampled admitted patterns; refusals. (The scheme and verifier batteries cover the small grid.)"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.bounds import counting_bound
from sgc_theory.design import build_type_lp, solve_type_lp
from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty
from sgc_theory.schemes import WCSGC
from sgc_theory.schemes.wc_sgc import backlog_bound


def F(x) -> Fraction:
    return Fraction(int(x.p), int(x.q))


@pytest.mark.parametrize("n,W,lam", [(4, 2, 1), (4, 2, 3), (5, 2, 2), (4, 3, 2), (6, 2, 4)])
def test_load_is_the_lp_optimum_at_T2_and_the_counting_bound(n, W, lam):
    sch = WCSGC(n, 1, W, lam)
    assert F(sch.load) == F(counting_bound(n, 1, W, lam)) == Fraction(W, n * W - lam)
    res = solve_type_lp(build_type_lp(Bursty(n, 1, W, lam), 2))
    assert res.exact and res.upper == F(sch.load)


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
        (dict(n=4, W=3, lam=1, B=2), "B = 1"),
        (dict(n=4, B=1, W=2, lam=5), "lam <= n"),
        (dict(n=4, B=1, W=1, lam=1), "W"),
    ],
)
def test_refusals(kwargs, needle):
    with pytest.raises(SGCError, match=needle):
        WCSGC(**kwargs)
