"""Containments and monotonicity between models (SPEC section 2, 'Facts worth tests')."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgc_theory.models import Arbitrary, Bursty, PerRound

from model_oracles import all_patterns, key

HSET = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def bursty_params(draw, max_n=4, max_W=4):
    n = draw(st.integers(1, max_n))
    W = draw(st.integers(1, max_W))
    B = draw(st.integers(1, W))
    lam = draw(st.integers(0, n))
    return n, B, W, lam


@st.composite
def pattern(draw, n, max_rounds=8):
    R = draw(st.integers(0, max_rounds))
    density = draw(st.sampled_from([0.1, 0.2, 0.35, 0.5]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return rng.random((n, R)) < density


def _admitted_set(m, R):
    return {key(P) for P in all_patterns(m.n, R) if m.admits(P)}


# ----- bursty(B, W, lam) is contained in arbitrary(N=B, W, lam) --------------------------------------
@HSET
@given(data=st.data())
def test_bursty_within_arbitrary(data):
    n, B, W, lam = data.draw(bursty_params())
    b, a = Bursty(n, B, W, lam), Arbitrary(n, B, W, lam)
    P = data.draw(pattern(n))
    if b.admits(P):
        assert a.admits(P)
    for P in [b.sample(6, data.draw(st.integers(0, 2**32 - 1)))]:
        assert a.admits(P)


@pytest.mark.parametrize(
    "n,B,W,lam",
    [(2, 1, 2, 1), (2, 2, 3, 2), (3, 2, 3, 2), (3, 1, 3, 3), (2, 2, 4, 2), (3, 3, 3, 2)],
)
def test_bursty_within_arbitrary_exhaustive(n, B, W, lam):
    R = 12 // n if n > 1 else 6
    R = min(R, 4)
    b, a = Bursty(n, B, W, lam), Arbitrary(n, B, W, lam)
    sb = {key(P) for P in b.enumerate(R)}
    sa = {key(P) for P in a.enumerate(R)}
    assert sb <= sa
    assert b.count(R) <= a.count(R)
    # equality exactly when a burst rule and a count rule coincide: B = 1 (one straggle per
    # window either way) or B = W (no per-worker rule either way)
    if B in (1, W):
        assert sb == sa
    else:
        assert len(sb) < len(sa) or R < B + 1


def test_bursty_strictly_smaller_example():
    # worker 0 straggles in rounds 0 and 2: 2 straggles in a window of 3 (ok for N=2),
    # but spanning 3 rounds (not ok for B=2)
    P = np.array([[1, 0, 1]], dtype=bool)
    assert Arbitrary(1, 2, 3, 1).admits(P)
    assert not Bursty(1, 2, 3, 1).admits(P)
    # gaps inside the burst are allowed: rounds 0 and 2 within B = 3 consecutive rounds
    assert Bursty(1, 3, 3, 1).admits(P)


# ----- per-round(s) == bursty(1, 1, s) == arbitrary(1, 1, s) --------------------------------------
@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_per_round_equals_window_one(n):
    R = min(12 // n, 5)
    for s in range(n + 1):
        p, b, a = PerRound(n, s), Bursty(n, 1, 1, s), Arbitrary(n, 1, 1, s)
        sets = [{key(P) for P in m.enumerate(R)} for m in (p, b, a)]
        assert sets[0] == sets[1] == sets[2] == _admitted_set(p, R)
        for Rc in range(8):
            assert p.count(Rc) == b.count(Rc) == a.count(Rc)


@HSET
@given(n=st.integers(1, 6), s=st.integers(0, 6), data=st.data())
def test_per_round_equals_window_one_random(n, s, data):
    s = min(s, n)
    P = data.draw(pattern(n, max_rounds=10))
    v = PerRound(n, s).admits(P)
    assert v == Bursty(n, 1, 1, s).admits(P) == Arbitrary(n, 1, 1, s).admits(P)
    assert v == all(int(c) <= s for c in P.sum(axis=0))


# ----- arbitrary(1, W, lam) == bursty(1, W, lam): both say one straggle per window per worker ------
@pytest.mark.parametrize("n,W,lam", [(3, 2, 2), (4, 3, 2), (20, 3, 5), (64, 4, 7)])
def test_N1_equals_B1(n, W, lam):
    for R in (1, 5, 9):
        assert Arbitrary(n, 1, W, lam).count(R) == Bursty(n, 1, W, lam).count(R)


# ----- monotonicity -----------------------------------------------------------------------------------
@HSET
@given(data=st.data())
def test_monotone_in_lam(data):
    n, B, W, lam = data.draw(bursty_params())
    if lam == n:
        return
    P = data.draw(pattern(n))
    for small, big in [
        (Bursty(n, B, W, lam), Bursty(n, B, W, lam + 1)),
        (Arbitrary(n, B, W, lam), Arbitrary(n, B, W, lam + 1)),
        (PerRound(n, lam), PerRound(n, lam + 1)),
    ]:
        if small.admits(P):
            assert big.admits(P)


@HSET
@given(data=st.data())
def test_monotone_in_B_and_N(data):
    n, B, W, lam = data.draw(bursty_params())
    if B == W:
        return
    P = data.draw(pattern(n))
    for small, big in [
        (Bursty(n, B, W, lam), Bursty(n, B + 1, W, lam)),
        (Arbitrary(n, B, W, lam), Arbitrary(n, B + 1, W, lam)),
    ]:
        if small.admits(P):
            assert big.admits(P)


@HSET
@given(data=st.data())
def test_antitone_in_W(data):
    n, B, W, lam = data.draw(bursty_params(max_W=3))
    P = data.draw(pattern(n))
    # the larger window W+1 gives the smaller model (more is looked at together)
    for small, big in [
        (Bursty(n, B, W + 1, lam), Bursty(n, B, W, lam)),
        (Arbitrary(n, B, W + 1, lam), Arbitrary(n, B, W, lam)),
    ]:
        if small.admits(P):
            assert big.admits(P)


@pytest.mark.parametrize("n", [2, 3])
def test_monotone_counts(n):
    R = 5
    for W in (1, 2, 3):
        for B in range(1, W + 1):
            for lam in range(n + 1):
                cb = Bursty(n, B, W, lam).count(R)
                ca = Arbitrary(n, B, W, lam).count(R)
                assert cb <= ca
                if lam < n:
                    assert cb <= Bursty(n, B, W, lam + 1).count(R)
                    assert ca <= Arbitrary(n, B, W, lam + 1).count(R)
                if B < W:
                    assert cb <= Bursty(n, B + 1, W, lam).count(R)
                    assert ca <= Arbitrary(n, B + 1, W, lam).count(R)
                assert Bursty(n, B, W + 1, lam).count(R) <= cb
                assert Arbitrary(n, B, W + 1, lam).count(R) <= ca
