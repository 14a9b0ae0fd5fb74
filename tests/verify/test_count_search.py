"""WC-SGC's layer-by-layer exact search on counts (sgc_theory.verify.count_search) against the
reference breadth-first search (WCSGCCounts.explore): same verdict, same shortest length, and
counterexamples that the exact token decoder replays as failures."""

import importlib

import numpy as np
import pytest

from sgc_theory.schemes import WCSGC
from sgc_theory.verify.count_search import _distinct_rows, _survivors, batch_explore
from sgc_theory.verify.counts import WCSGCCounts
from wc_grid import GRID
from wc_grid import scheme as _scheme


rwc_counts = importlib.import_module("sgc_theory.verify.rwc_counts")


def _replays_as_failure(sch, auto, steps):
    masks = auto.concretize(steps)
    P = np.array([[m >> i & 1 for m in masks] for i in range(sch.n)], dtype=bool)
    return rwc_counts.token_first_missed(sch, P) is not None


@pytest.mark.parametrize("n,B,W,lam,dT,dK", GRID)
def test_layer_search_equals_reference_search(n, B, W, lam, dT, dK):
    sch = _scheme(n, B, W, lam, dT, dK)
    auto = WCSGCCounts(sch)
    ok, _, steps = auto.explore()
    ok2, _, steps2 = batch_explore(auto)
    assert ok2 == ok
    if not ok:
        assert len(steps2) == len(steps)
        assert _replays_as_failure(sch, auto, steps2)


@pytest.mark.parametrize("K,proved", [(722, True), (723, False)])
def test_layer_search_at_n256_on_both_sides_of_the_largest_K(K, proved):
    sch = WCSGC(256, 2, 3, 23, T=2, P=3, K=K)
    auto = WCSGCCounts(sch)
    ok, _, steps = batch_explore(auto)
    assert ok is proved
    assert auto.explore()[0] is proved
    if not proved:
        assert len(steps) == len(auto.explore()[2])
        assert _replays_as_failure(sch, auto, steps)


def test_survivors_keeps_an_antichain_and_the_old_rows():
    keys = np.array([5, 5, 5, 5, 7, 7])
    Q = np.array([[3, 1], [2, 1], [3, 1], [1, 2], [0, 0], [0, 0]])
    old = np.array([False, True, False, False, False, False])
    keep = _survivors(keys, Q, old).tolist()
    # [2, 1] is old (kept); one of the two equal [3, 1] survives and drops nothing else;
    # [1, 2] is incomparable; of the equal [0, 0] one survives
    assert keep[1] and keep[3]
    assert keep[0] + keep[2] == 1 and keep[4] + keep[5] == 1


def test_distinct_rows_never_loses_a_row():
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 4, 500)
    Q = rng.integers(0, 3, (500, 2))
    idx = _distinct_rows(keys, Q)
    rows = {(int(k), *map(int, q)) for k, q in zip(keys, Q)}
    assert {(int(keys[i]), *map(int, Q[i])) for i in idx} == rows
    assert len(idx) == len(rows)
