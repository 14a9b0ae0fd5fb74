"""Restricted-adversary lower bounds: valid (never above the full LP), never below the counting
bound, and built on a family that is a suffix-closed sub-family of the model's histories."""

from fractions import Fraction

import pytest

from sgc_theory.bounds import brsgc_load, counting_bound
from sgc_theory.design import bracket, build_type_lp, restricted_lower_bound, solve_type_lp
from sgc_theory.design.restricted import FullBurstSpace, runnable_upper
from sgc_theory.design.types import TypeSpace, orbit_size
from sgc_theory.rationals import to_fraction
from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty, PerRound
from sgc_theory.schemes import PRSGC


F = to_fraction  # sympy closed forms and Fraction loads alike


GRID = [
    (4, 2, 3, 1, 2),
    (4, 2, 3, 2, 2),
    (5, 2, 3, 2, 2),
    (6, 2, 3, 2, 2),
    (6, 2, 3, 3, 2),
    (5, 2, 4, 2, 2),
    (6, 3, 4, 2, 3),
    (8, 2, 3, 3, 2),
    (5, 1, 2, 2, 1),
]


@pytest.mark.parametrize("n,B,W,lam,T", GRID)
def test_restricted_bound_is_below_the_full_lp_and_above_counting(n, B, W, lam, T):
    m = Bursty(n, B, W, lam)
    rb = restricted_lower_bound(m, T)
    full = solve_type_lp(build_type_lp(m, T))
    assert rb.lower is not None and full.upper is not None
    assert rb.lower <= rb.upper
    assert rb.lower <= full.upper  # a relaxation of the full LP
    assert rb.lower >= F(counting_bound(n, B, W, lam))  # raw dual, not raised to the bound
    if B == 1:  # the family is the whole model: the same LP
        assert rb.lower == full.lower


@pytest.mark.parametrize("n,B,W,lam", [(4, 2, 3, 2), (4, 3, 4, 2), (5, 2, 4, 3)])
def test_full_burst_histories_are_admitted_and_suffix_closed(n, B, W, lam):
    m = Bursty(n, B, W, lam)
    fam, full = FullBurstSpace(m), TypeSpace(m)
    for L in range(1, 6):
        mine = set(fam.orbits(L))
        assert mine <= set(full.orbits(L))
        if B >= 2 and L >= 3:
            assert len(mine) < len(full.orbits(L))  # strictly fewer histories
        for o in mine:
            assert fam.suffix(o, 1)[0] in set(fam.orbits(L - 1))
    # brute force on one level: the orbits count exactly the patterns of the definition
    L = 3
    count = sum(orbit_size(o) for o in fam.orbits(L))
    assert count == _brute_count(m, L)


def _brute_count(m, L):
    """Admitted patterns of L rounds in which every run starting after round 0 lasts B rounds
    unless it reaches the last round (then it may be shorter)."""
    import itertools

    import numpy as np

    rows = []
    for bits in itertools.product((0, 1), repeat=L):
        ok = True
        k = 0
        while k < L:
            if bits[k]:
                e = k
                while e + 1 < L and bits[e + 1]:
                    e += 1
                if k >= 1 and e < L - 1 and e - k + 1 < m.B:
                    ok = False
                k = e + 1
            else:
                k += 1
        if ok:
            rows.append(bits)
    total = 0
    for combo in itertools.product(range(len(rows)), repeat=m.n):
        S = np.array([rows[i] for i in combo], dtype=bool)
        total += bool(m.admits(S))
    return total


def test_bracket_and_runnable_upper():
    m = Bursty(16, 2, 3, 3)
    rb = restricted_lower_bound(m, 2)
    br = bracket(m, 2, restricted=rb)
    assert Fraction(br["upper"]) == F(PRSGC(16, 2, 3, 3).load) <= F(brsgc_load(16, 3))
    assert br["upper_scheme"].startswith("prsgc")
    assert Fraction(br["lower"]) >= F(counting_bound(16, 2, 3, 3))
    assert br["ratio"] >= 1
    assert runnable_upper(Bursty(16, 1, 2, 3), 2)[1].startswith("wcsgc")
    assert runnable_upper(Bursty(16, 1, 2, 3), 0)[1].startswith("gc")


def test_bad_input():
    with pytest.raises(SGCError, match="family"):
        restricted_lower_bound(Bursty(6, 2, 3, 2), 2, family="aligned")
    with pytest.raises(SGCError, match="bursty"):
        restricted_lower_bound(PerRound(5, 1), 1)
