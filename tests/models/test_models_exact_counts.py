"""Exact counts at scale against independent transfer matrices and recurrences."""

from __future__ import annotations

from math import comb

import pytest

from sgc_theory.models import Arbitrary, Bursty, PerRound

from model_oracles import (
    burst1_count,
    lam_only_count,
    transfer_count,
    transfer_count_mod,
    transfer_matrix,
)

# small enough that int64 matrix products (p^2 x #states) cannot overflow
PRIMES = [67_108_859, 16_777_213, 1_000_003, 999_983]


def test_msgc_design_model_known_number():
    """M-SGC's design model bursty(2, 3, 3), n = 5, 7 rounds."""
    m = Bursty(5, 2, 3, 3)
    assert m.count(7) == 4_426_936
    assert m.count(7, method="automaton") == 4_426_936
    assert transfer_count("bursty", {"B": 2, "W": 3, "lam": 3}, 5, 7) == 4_426_936


def test_bursty_223_n4_1000_rounds_exact():
    params = {"B": 2, "W": 3, "lam": 2}
    m = Bursty(4, 2, 3, 2)
    c = m.count(1000)
    assert c == transfer_count("bursty", params, 4, 1000)
    for p in PRIMES:
        assert c % p == transfer_count_mod("bursty", params, 4, 1000, p)
    # big, and below (1 + 4 + 6)^1000 (any <= 2 stragglers in each round)
    assert 10**500 < c < 11**1000
    assert c == m.count(1000, method="automaton")


def test_transfer_matrix_state_space():
    # bursty(2,3,2), n=4: states are the last two straggler sets; the reachable ones
    states, index, M = transfer_matrix("bursty", {"B": 2, "W": 3, "lam": 2}, 4)
    for a, b in states:
        assert bin(a | b).count("1") <= 2
    # the row sums from the clean state: any <= 2 of 4 workers
    assert sum(M[index[(0, 0)]]) == 1 + 4 + 6


def test_bursty_1_2_27_n256_recurrence():
    """n = 256, bursty(1, 2, 27): k stragglers last round, j new from the other n - k,
    k + j <= 27, multiplicity C(n - k, j)."""
    n, lam, R = 256, 27, 10
    f = {0: 1}
    for _ in range(R):
        g = {}
        for k, c in f.items():
            for j in range(0, lam - k + 1):
                g[j] = g.get(j, 0) + c * comb(n - k, j)
        f = g
    expect = sum(f.values())
    m = Bursty(n, 1, 2, lam)
    assert m.count(R) == expect
    assert burst1_count(n, 2, lam, R) == expect
    assert Arbitrary(n, 1, 2, lam).count(R) == expect


@pytest.mark.parametrize(
    "n,W,lam,R", [(256, 3, 5, 10), (100, 4, 6, 9), (7, 3, 3, 12), (30, 1, 4, 6)]
)
def test_bursty_B1_recurrence(n, W, lam, R):
    assert Bursty(n, 1, W, lam).count(R) == burst1_count(n, W, lam, R)


@pytest.mark.parametrize(
    "n,W,lam,R", [(5, 3, 3, 7), (12, 3, 4, 8), (40, 2, 5, 10), (9, 4, 3, 8), (256, 2, 3, 6)]
)
def test_lam_only_recurrence(n, W, lam, R):
    """B = W (bursty) and N = W (arbitrary) leave only 'lam distinct workers per window'."""
    expect = lam_only_count(n, W, lam, R)
    assert Bursty(n, W, W, lam).count(R) == expect
    assert Arbitrary(n, W, W, lam).count(R) == expect


@pytest.mark.parametrize("n,s,R", [(256, 27, 10), (5, 2, 7), (1, 0, 4), (1, 1, 30)])
def test_per_round_closed_form(n, s, R):
    assert PerRound(n, s).count(R) == sum(comb(n, j) for j in range(s + 1)) ** R


@pytest.mark.parametrize(
    "kind,params,n,R",
    [
        ("bursty", {"B": 2, "W": 3, "lam": 3}, 5, 40),
        ("bursty", {"B": 3, "W": 4, "lam": 2}, 4, 30),
        ("arbitrary", {"N": 2, "W": 3, "lam": 3}, 5, 40),
        ("arbitrary", {"N": 2, "W": 4, "lam": 2}, 4, 30),
    ],
)
def test_mid_size_against_transfer(kind, params, n, R):
    m = (Bursty if kind == "bursty" else Arbitrary)(n, **params)
    assert m.count(R) == transfer_count(kind, params, n, R)
