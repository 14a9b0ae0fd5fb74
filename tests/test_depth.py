"""Inputs whose size would exceed Python's recursion limit if any routine recursed once per
round, class or part: everything is iterative (cheap inputs, deep structures)."""

from __future__ import annotations

import itertools
import random
import sys

import numpy as np

from sgc_theory import GC, SRSGC, verify
from sgc_theory.models import Bursty, PerRound
from sgc_theory.models.base import bounded_vectors, count_bounded_vectors
from sgc_theory.schemes.symmetric import _splits

DEEP = sys.getrecursionlimit() + 500


def test_enumerate_long_horizon():
    m = Bursty(2, 1, 1, 0)  # a single admitted pattern per length: the clean one
    (P,) = list(m.enumerate(DEEP))
    assert P.shape == (2, DEEP) and not P.any()


def test_exhaustive_verification_long_horizon():
    res = verify(GC(3, 1), rounds=DEEP, max_work="inf")
    assert res.ok and res.patterns == PerRound(3, 1).count(DEEP)
    res = verify(SRSGC(4, 1, 2, 2), PerRound(4, 0), rounds=DEEP)
    assert res.ok and res.patterns == 1


def test_exhaustive_failure_deep_in_the_horizon():
    """GC(3, 0) fails under one straggler; depth first, the first failing pattern in
    lexicographic order is clean until its last round."""
    res = verify(GC(3, 0), PerRound(3, 1), rounds=DEEP)
    assert not res.ok and res.counterexample.shape == (3, DEEP) and res.failed_job == DEEP - 1
    assert res.counterexample[:, :-1].sum() == 0 and res.counterexample[:, -1].sum() == 1
    assert res.patterns == 2  # the clean pattern, then the failing one


def test_bounded_vectors_many_positions():
    tops = [0] * DEEP + [2]
    assert list(bounded_vectors(tops, [1] * len(tops), 1)) == [
        (0,) * DEEP + (0,),
        (0,) * DEEP + (1,),
    ]
    assert count_bounded_vectors(tops, [1] * len(tops), 1) == 2


def test_splits_many_parts():
    assert list(_splits(1, [0] * DEEP + [1])) == [(0,) * DEEP + (1,)]


def _splits_recursive(total, caps):
    if not caps:
        if total == 0:
            yield ()
        return
    first, rest = caps[0], caps[1:]
    for x in range(max(0, total - sum(rest)), min(first, total) + 1):
        for tail in _splits_recursive(total - x, rest):
            yield (x,) + tail


def test_iterative_helpers_match_brute_force():
    rng = random.Random(7)
    for _ in range(500):
        k = rng.randint(0, 4)
        tops = [rng.randint(0, 3) for _ in range(k)]
        costs = [rng.randint(0, 1) for _ in range(k)]
        budget = rng.randint(0, 5)
        brute = [
            v
            for v in itertools.product(*[range(t + 1) for t in tops])
            if sum(x * c for x, c in zip(v, costs)) <= budget
        ]
        assert list(bounded_vectors(tops, costs, budget)) == brute
        assert count_bounded_vectors(tops, costs, budget) == len(brute)
        total = rng.randint(-1, 8)
        assert list(_splits(total, tops)) == list(_splits_recursive(total, tops))


def test_sample_long_window():
    """Histories longer than 63 rounds do not fit in int64."""
    m = Bursty(2, 1, 70, 1)
    P = m.sample(80, 0)
    assert P.shape == (2, 80) and m.admits(P) and P.any()
    assert np.array_equal(P, m.sample(80, 0))
