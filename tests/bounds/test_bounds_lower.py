"""Lower bounds: counting bound, maximum straggler density (Karp vs periodic ILP), density bound."""

from fractions import Fraction

import pytest
import sympy as sp

from sgc_theory.bounds import (
    counting_bound,
    density_bound,
    max_straggler_density,
    model_counting_bound,
    msgc_load,
)
from sgc_theory.models import Arbitrary, Bursty, PerRound

SMALL_MODELS = [
    Bursty(3, B=1, W=2, lam=1),
    Bursty(4, B=2, W=3, lam=2),
    Bursty(4, B=1, W=3, lam=2),
    Bursty(3, B=2, W=2, lam=1),
    Bursty(4, B=3, W=3, lam=2),
    Bursty(5, B=2, W=4, lam=3),
    Arbitrary(4, N=2, W=3, lam=2),
    Arbitrary(3, N=1, W=3, lam=2),
    PerRound(4, s=2),
    PerRound(3, s=0),
]


def test_counting_bound_symbolic_and_paper_values():
    n, B, W, lam = sp.symbols("n B W lam", positive=True)
    assert (
        sp.simplify(counting_bound(n, B, W, lam) - (W - 1 + B) / (n * (W - 1 + B) - lam * B)) == 0
    )
    assert counting_bound(256, 1, 2, 27) == sp.Rational(2, 485)
    # no stragglers: the uncoded load 1/n
    assert counting_bound(7, 2, 3, 0) == sp.Rational(1, 7)


@pytest.mark.parametrize("model", SMALL_MODELS, ids=repr)
def test_karp_density_equals_periodic_ilp(model):
    """Two independent routes: maximum mean cycle of the symmetric automaton vs the best
    periodic pattern found by an ILP over periods 1..2W."""
    assert max_straggler_density(model, "karp") == max_straggler_density(model, "ilp")


def _brute_density(model, max_period):
    """Best density over explicit periodic patterns (tiny n), checked with ``admits`` on three
    periods laid end to end: an independent oracle of the definition."""
    import itertools

    import numpy as np

    best = Fraction(0)
    n = model.n
    for p in range(1, max_period + 1):
        for cols in itertools.product(range(1 << n), repeat=p):
            tot = sum(bin(c).count("1") for c in cols)
            if Fraction(tot, p) <= best:
                continue
            pat = np.array([[c >> i & 1 for c in cols * 3] for i in range(n)], dtype=bool)
            if model.admits(pat):
                best = Fraction(tot, p)
    return best


@pytest.mark.parametrize(
    "model",
    [
        Bursty(3, B=1, W=2, lam=1),
        Bursty(3, B=2, W=3, lam=1),
        Arbitrary(3, N=1, W=3, lam=2),
        Bursty(2, B=1, W=3, lam=2),
    ],
    ids=repr,
)
def test_karp_density_matches_brute_force_periodic_patterns(model):
    assert max_straggler_density(model) == _brute_density(model, 4)


@pytest.mark.parametrize(
    "n,B,W,lam", [(3, 1, 2, 1), (4, 2, 3, 2), (5, 1, 3, 2), (6, 2, 4, 3), (5, 3, 4, 5)]
)
def test_bursty_density_is_the_counting_pattern_when_B_below_W(n, B, W, lam):
    """For B <= W - 1 the counting pattern (lam workers, B rounds out of W - 1 + B) is optimal,
    so the density bound equals the counting bound."""
    m = Bursty(n, B=B, W=W, lam=lam)
    assert max_straggler_density(m) == Fraction(lam * B, W - 1 + B)
    assert density_bound(m) == counting_bound(n, B, W, lam)


@pytest.mark.parametrize("model", SMALL_MODELS, ids=repr)
def test_density_bound_dominates_counting_bound(model):
    cb = model_counting_bound(model)
    db = density_bound(model)
    assert isinstance(db, sp.Rational)
    if cb is not None:
        assert db >= cb


def test_density_bound_values():
    assert density_bound(PerRound(4, s=2)) == sp.Rational(1, 2)  # GC's (s + 1)/n is 3/4
    assert density_bound(Bursty(4, B=3, W=3, lam=2)) == sp.Rational(1, 2)  # B = W: continuous
    assert density_bound(PerRound(3, s=3)) == sp.oo
    assert model_counting_bound(Arbitrary(4, N=2, W=3, lam=2)) is None


@pytest.mark.parametrize("n,B,W,lam", [(4, 1, 2, 1), (8, 2, 3, 3), (256, 1, 2, 27), (10, 3, 5, 4)])
def test_msgc_load_respects_bounds(n, B, W, lam):
    m = Bursty(n, B=B, W=W, lam=lam)
    assert msgc_load(n, B, W, lam) >= density_bound(m) >= counting_bound(n, B, W, lam)


def test_density_monotone_in_lam_and_B():
    vals = [max_straggler_density(Bursty(5, B=2, W=4, lam=l)) for l in range(6)]
    assert vals == sorted(vals)
    vals = [max_straggler_density(Bursty(4, B=b, W=4, lam=2)) for b in range(1, 5)]
    assert vals == sorted(vals)


def test_karp_refuses_huge_state_spaces():
    from sgc_theory.errors import SGCError

    with pytest.raises(SGCError, match="symmetric automaton states"):
        max_straggler_density(Bursty(16, B=3, W=5, lam=15))
