"""The covering LP by worker types: exact agreement with the set-enumeration LP, sanity facts,
certificates, budgets, and the BR-SGC family against it."""

from fractions import Fraction
from math import factorial

import pytest

from sgc_theory.bounds import brsgc_load, counting_bound, gc_load
from sgc_theory.design import (
    TypeSpace,
    build_covering_lp,
    build_type_lp,
    design,
    orbit_size,
    solve,
    solve_type_lp,
)
from sgc_theory.errors import SGCError
from sgc_theory.models import Arbitrary, Bursty, PerRound
from sgc_theory.rationals import to_fraction as F


def type_opt(model, T, **kw):
    res = solve_type_lp(build_type_lp(model, T, **kw))
    assert res.status == "optimal", res.status
    assert res.lower <= res.upper
    return res


# every case where the set-enumeration LP runs in a few seconds: n <= 5, all three models
AGREE = [
    (Bursty(3, 1, 2, 1), 1, None),
    (Bursty(3, 1, 2, 1), 2, None),
    (Bursty(3, 2, 3, 1), 1, None),
    (Bursty(4, 1, 2, 1), 1, None),
    (Bursty(4, 1, 2, 2), 1, None),
    (Bursty(4, 2, 3, 2), 2, None),
    (Bursty(4, 2, 3, 2), 3, 2),
    (Bursty(4, 1, 3, 2), 2, None),
    (Bursty(5, 1, 2, 2), 1, None),
    (Bursty(5, 1, 2, 3), 2, None),
    (Bursty(4, 1, 2, 1), 0, None),
    (Bursty(4, 2, 3, 3), 1, None),
    (Arbitrary(3, 1, 2, 2), 1, None),
    (Arbitrary(4, 2, 3, 2), 2, None),
    (PerRound(3, 1), 0, None),
    (PerRound(4, 1), 1, None),
    (PerRound(5, 2), 0, None),
]


@pytest.mark.parametrize("model,T,P", AGREE, ids=lambda x: repr(x))
def test_type_lp_equals_set_enumeration_lp_exactly(model, T, P):
    enum = solve(build_covering_lp(model.n, model, T, P=P))
    assert enum.exact
    res = type_opt(model, T, P=P)
    assert res.exact and res.upper == res.lower == enum.load_fraction


@pytest.mark.slow
@pytest.mark.parametrize(
    "model,T",
    [
        (Bursty(5, 2, 3, 3), 3),
        (Bursty(6, 1, 2, 2), 1),
        (Bursty(5, 2, 3, 2), 2),
        (Arbitrary(5, 2, 3, 2), 2),
    ],
    ids=repr,
)
def test_type_lp_equals_set_enumeration_lp_larger(model, T):
    enum = solve(build_covering_lp(model.n, model, T))
    res = type_opt(model, T)
    assert res.exact and res.upper == enum.load_fraction


@pytest.mark.parametrize(
    "model",
    [
        Bursty(4, 1, 2, 1),
        Bursty(5, 2, 3, 3),
        Arbitrary(5, 2, 3, 2),
        PerRound(5, 2),
        Bursty(7, 1, 3, 3),
    ],
    ids=repr,
)
def test_history_orbits_count_the_admitted_patterns(model):
    """Independent route: sum over orbits of n!/prod(count!) = the model's pattern count."""
    sp = TypeSpace(model)
    for L in range(5):
        assert sum(orbit_size(o) for o in sp.orbits(L)) == model.count(L)
        for o in sp.orbits(L):
            assert sum(c for _, c in o) == model.n
    assert orbit_size(((0, 3), (1, 2))) == factorial(5) // (factorial(3) * factorial(2))


@pytest.mark.parametrize(
    "n,B,W,lam", [(8, 1, 2, 3), (16, 2, 3, 4), (256, 1, 2, 27), (256, 2, 3, 23), (256, 1, 3, 100)]
)
def test_T0_is_plain_gc(n, B, W, lam):
    res = type_opt(Bursty(n, B, W, lam), 0)
    assert res.exact and res.upper == F(gc_load(n, lam))


@pytest.mark.parametrize("n", [8, 64, 256])
def test_never_below_counting_bound_and_monotone_in_lam(n):
    prev = Fraction(0)
    for lam in (0, 1, 2, 5, 8):
        res = type_opt(Bursty(n, 1, 2, lam), 1)
        assert res.lower >= F(counting_bound(n, 1, 2, lam))
        assert res.upper >= prev
        prev = res.lower


def test_monotone_in_replication_and_certificates():
    m = Bursty(256, 1, 2, 27)
    r1 = type_opt(m, 1, max_replication=1)
    r2 = type_opt(m, 1, max_replication=2)
    free = type_opt(m, 1)
    assert r1.lower >= r2.upper - Fraction(1, 10**15) and r2.lower >= free.upper - Fraction(
        1, 10**15
    )
    assert r1.exact and r1.upper == F(brsgc_load(256, 27))  # singles only: BR-SGC's load
    assert free.upper - free.lower < Fraction(1, 10**15)  # a tight exact bracket
    assert free.lower > F(counting_bound(256, 1, 2, 27))
    assert r1.upper < Fraction(7, 928)  # far below M-SGC


@pytest.mark.parametrize(
    "n,B,W,lam",
    [(6, 1, 2, 2), (8, 1, 2, 3), (6, 1, 3, 2), (6, 2, 3, 2), (5, 2, 4, 2), (16, 1, 2, 4)],
)
def test_brsgc_is_a_feasible_point_of_its_lp(n, B, W, lam):
    """BR-SGC looks back P = B rounds and has delay B: its load can never beat that LP, and
    with single-worker sets only and (B, W) = (1, 2) it is that LP's optimum."""
    m = Bursty(n, B, W, lam)
    res = type_opt(m, B, P=B)
    assert F(brsgc_load(n, lam)) >= res.lower
    if (B, W) == (1, 2):
        assert type_opt(m, 1, P=1, max_replication=1).upper == F(brsgc_load(n, lam))


def test_memory_never_hurts():
    m = Bursty(8, 2, 3, 3)
    vals = [type_opt(m, 2, P=P).lower for P in (0, 1, 2)]
    ups = [type_opt(m, 2, P=P).upper for P in (0, 1, 2)]
    assert ups[0] >= vals[1] and ups[1] >= vals[2]


def test_strict_replication_bound_and_infeasible():
    res = solve_type_lp(build_type_lp(PerRound(5, 2), 0, max_replication=2))
    assert res.status == "infeasible"  # a GC needs sets of s + 1 = 3 workers
    assert type_opt(PerRound(5, 2), 0, max_replication=3).upper == Fraction(3, 5)


def test_cbc_route_agrees():
    m = Bursty(4, 1, 2, 2)
    a = solve_type_lp(build_type_lp(m, 1), solver="cbc")
    b = solve_type_lp(build_type_lp(m, 1), solver="highs")
    assert a.upper == b.upper == Fraction(11, 32)


def test_time_limit_never_reports_below_a_lower_bound():
    m = Bursty(256, 1, 2, 40)
    exact = type_opt(m, 1)
    res = solve_type_lp(build_type_lp(m, 1), time_limit=1e-4)
    if res.status != "optimal":
        assert res.status.startswith("stopped early")
    if res.upper is not None:
        assert res.upper >= exact.lower
    if res.lower is not None:
        assert res.lower <= exact.upper


def test_budgets_and_errors():
    with pytest.raises(SGCError, match="max_orbits"):
        build_type_lp(Bursty(256, 2, 3, 23), 3, max_orbits=10_000)
    with pytest.raises(SGCError, match="time_limit"):
        solve_type_lp(build_type_lp(Bursty(4, 1, 2, 1), 1), time_limit=0)
    with pytest.raises(SGCError, match="time_limit"):
        solve_type_lp(build_type_lp(Bursty(4, 1, 2, 1), 1), time_limit=float("nan"))
    with pytest.raises(SGCError, match="max_variables"):
        design(6, Bursty(6, 2, 3, 3), 3, partitions=4)
    with pytest.raises(SGCError, match="model must be"):
        design(4, "bursty:B=1,W=2,lam=1", 1, partitions=None) and design(4, 3.5, 1)
    with pytest.raises(SGCError, match="solver"):
        design(4, "bursty:B=1,W=2,lam=1", 1, solver="glpk")
    assert design(4, "bursty:B=1,W=2,lam=1", 1).lp.upper == Fraction(7, 24)


@pytest.mark.parametrize("n,lam", [(64, 7), (16, 3), (8, 2)])
def test_any_size_bound_never_below_the_counting_bound(n, lam):
    """Regression: the duals of the pairs-only LP re-priced over every set size gave 5/1688 at
    n = 64, bursty(1, 2, 7), T = 1, below the counting bound 2/121.  Every reported bound is at
    least the counting bound and at most the unrestricted optimum (computed independently)."""
    m = Bursty(n, 1, 2, lam)
    cb = F(counting_bound(n, 1, 2, lam))
    r2 = type_opt(m, 1, max_replication=2)
    free = type_opt(m, 1)
    assert r2.lower_any_size >= cb and r2.lower >= cb
    assert r2.lower_any_size <= free.upper  # valid: below the true (unrestricted) optimum
    assert r2.lower <= r2.upper
