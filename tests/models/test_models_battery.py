"""Shared battery over a list of model instances (SPEC section 2), each test against an
independent oracle from ``model_oracles`` (brute force, the SPEC words, transfer matrices)."""

from __future__ import annotations

from math import comb

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgc_theory.models import Arbitrary, Bursty, PerRound, parse_model

from model_oracles import CASES, all_patterns, case_id, key, ref_admits, transfer_count

_CLS = {"per-round": PerRound, "bursty": Bursty, "arbitrary": Arbitrary}


def build(case):
    kind, n, params = case
    return _CLS[kind](n, **params)


def spec_string(case):
    kind, _, params = case
    return f"{kind}:" + ",".join(f"{k}={v}" for k, v in params.items())


cases = pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])

HSET = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@st.composite
def patterns(draw, n, max_rounds=7):
    """Random (n, R) boolean arrays, biased sparse so that both verdicts occur."""
    R = draw(st.integers(0, max_rounds))
    density = draw(st.sampled_from([0.1, 0.2, 0.35, 0.6]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    P = rng.random((n, R)) < density
    # a few hand-flipped cells let hypothesis shrink toward small counterexamples
    flips = draw(
        st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, max(R - 1, 0))), max_size=4)
    )
    for i, r in flips:
        if R:
            P[i, r] = not P[i, r]
    return P


# ----- construction ------------------------------------------------------------------------------
@cases
def test_parse_model_roundtrip(case):
    m = build(case)
    assert parse_model(spec_string(case), case[1]) == m
    assert parse_model(m.spec, m.n) == m
    assert m.n == case[1]


# ----- brute force over all 2^(n R) arrays ---------------------------------------------------------
def _brute_rounds(n):
    return [R for R in range(0, 5) if n * R <= 12]


@cases
def test_brute_force_admits_equals_enumerate_equals_count(case):
    m = build(case)
    kind, n, params = case
    for R in _brute_rounds(n):
        admitted = set()
        for P in all_patterns(n, R):
            verdict = m.admits(P)
            assert verdict == ref_admits(kind, params, P), (R, P.astype(int).tolist())
            if verdict:
                admitted.add(key(P))
        enumerated = [key(P) for P in m.enumerate(R)]
        assert len(enumerated) == len(set(enumerated)), "enumerate repeats a pattern"
        assert set(enumerated) == admitted
        assert m.count(R) == len(admitted)
        assert m.count(R, method="symmetric") == len(admitted)
        assert m.count(R, method="automaton") == len(admitted)
        for P in m.enumerate(R):
            assert P.shape == (n, R) and P.dtype == bool
            break


# ----- the model's admits vs. the SPEC words on random arrays --------------------------------------
@cases
@HSET
@given(data=st.data())
def test_admits_matches_reference(case, data):
    m = build(case)
    kind, n, params = case
    P = data.draw(patterns(n, max_rounds=9))
    assert m.admits(P) == ref_admits(kind, params, P)
    # int 0/1 input is accepted and means the same
    assert m.admits(P.astype(int)) == m.admits(P)


# ----- counting --------------------------------------------------------------------------------------
@cases
def test_count_methods_agree_with_enumerate(case):
    m = build(case)
    for R in range(0, 6):
        sym = m.count(R, method="symmetric")
        aut = m.count(R, method="automaton")
        assert sym == aut, R
        if sym <= 20000:
            assert sum(1 for _ in m.enumerate(R)) == sym, R


@cases
def test_count_growth(case):
    m = build(case)
    n, lam = m.n, m.lam
    counts = [m.count(R) for R in range(0, 8)]
    assert counts[0] == 1
    # one round: any set of <= lam workers (a single straggle satisfies every per-worker rule)
    assert counts[1] == sum(comb(n, j) for j in range(lam + 1))
    for R in range(7):
        # appending a clean round keeps a pattern admitted; prefixes of admitted are admitted
        assert counts[R] <= counts[R + 1] <= counts[R] * 2**n
        assert counts[R + 1] <= counts[R] * counts[1]


@cases
def test_count_matches_transfer_matrix(case):
    kind, n, params = case
    m = build(case)
    for R in (0, 1, 6, 13):
        assert m.count(R) == transfer_count(kind, params, n, R)


# ----- automaton vs admits ---------------------------------------------------------------------------
def _run_automaton(m, P):
    state = m.initial_state()
    for mask in m.pattern_masks(P):
        if not m.allows(state, mask):
            return False
        state = m.advance(state, mask)
    return True


@cases
@HSET
@given(data=st.data())
def test_automaton_accepts_iff_admits(case, data):
    m = build(case)
    P = data.draw(patterns(m.n, max_rounds=9))
    assert _run_automaton(m, P) == m.admits(P)


@cases
def test_next_sets_is_allows_filter(case):
    """Over every reachable state: next_sets == sorted sets allowed; sym multiplicities add up."""
    m = build(case)
    seen, frontier = {m.initial_state()}, [m.initial_state()]
    while frontier:
        st_ = frontier.pop()
        ns = m.next_sets(st_)
        assert ns == [x for x in range(1 << m.n) if m.allows(st_, x)]
        for x in ns:
            nxt = m.advance(st_, x)
            assert len(nxt) == m.W - 1
            if nxt not in seen:
                seen.add(nxt)
                frontier.append(nxt)
    assert sum(mult for _, mult in m.sym_transitions(m.sym_initial())) == len(
        m.next_sets(m.initial_state())
    )
    assert sum(c for _, c in m.sym_initial()) == m.n


@cases
def test_row_ok_table(case):
    """row_ok(row) (bit 0 = newest round) against the per-worker rule of the SPEC table."""
    kind, _, params = case
    m = build(case)
    W = m.W
    for row in range(1 << W):
        rounds = sorted(W - 1 - k for k in range(W) if row >> k & 1)
        if kind == "per-round":
            expect = True
        elif kind == "bursty":
            expect = not rounds or rounds[-1] - rounds[0] + 1 <= params["B"]
        else:
            expect = len(rounds) <= params["N"]
        assert m.row_ok(row) == expect, row


# ----- sampling ------------------------------------------------------------------------------------
@cases
def test_samples_are_admitted_and_reproducible(case):
    m = build(case)
    rng = np.random.default_rng(12345)
    for R in (0, 1, 3, 8):
        for _ in range(15):
            P = m.sample(R, rng)
            assert P.shape == (m.n, R) and P.dtype == bool
            assert m.admits(P)
    assert np.array_equal(m.sample(10, 7), m.sample(10, 7))
