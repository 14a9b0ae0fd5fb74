"""Covering LP/ILP: sanity facts of SPEC section 6, each by an independent route."""

from fractions import Fraction

import pytest

from sgc_theory.bounds import counting_bound, density_bound, gc_load, msgc_load
from sgc_theory.design import build_covering_lp, build_finite_horizon_lp, design, solve
from sgc_theory.errors import SGCError, SolverUnavailableError
from sgc_theory.models import Arbitrary, Bursty, PerRound
from sgc_theory.rationals import to_fraction as F


def opt(n, model, T, **kw):
    res = solve(build_covering_lp(n, model, T, **kw))
    assert res.status == "optimal" and res.exact, res.certificate
    return res.load_fraction


TINY = [
    (3, Bursty(3, B=1, W=2, lam=1), 1),
    (3, Bursty(3, B=1, W=2, lam=1), 2),
    (3, Bursty(3, B=2, W=3, lam=1), 1),
    (3, Arbitrary(3, N=1, W=2, lam=2), 1),
    (3, PerRound(3, s=1), 1),
]


@pytest.mark.parametrize("n,model,T", TINY, ids=lambda x: repr(x))
def test_symmetric_lp_equals_unreduced_lp(n, model, T):
    """Worker symmetry does not change the optimum (orbit LP vs brute-force full LP)."""
    sym = solve(build_covering_lp(n, model, T))
    full = solve(build_covering_lp(n, model, T, symmetric=False))
    assert sym.exact and full.exact
    assert sym.load_fraction == full.load_fraction
    assert sym.variables < full.variables


def test_symmetric_equals_unreduced_n4():
    m = Bursty(4, B=2, W=3, lam=2)
    assert opt(4, m, 2) == opt(4, m, 2, symmetric=False) == Fraction(659, 1976)


@pytest.mark.parametrize("n,lam", [(3, 0), (3, 1), (4, 2), (5, 3), (5, 1)])
def test_T0_is_plain_gc(n, lam):
    for model in (Bursty(n, B=1, W=2, lam=lam), PerRound(n, s=lam), Bursty(n, B=2, W=3, lam=lam)):
        assert opt(n, model, 0) == F(gc_load(n, lam))


@pytest.mark.parametrize(
    "n,B,W,lam", [(3, 1, 2, 1), (4, 1, 2, 1), (4, 2, 3, 2), (4, 1, 3, 2), (5, 1, 2, 2)]
)
def test_bounds_and_msgc_sandwich(n, B, W, lam):
    """counting <= density <= LP(T) <= M-SGC at M-SGC's T; LP non-increasing in T."""
    m = Bursty(n, B=B, W=W, lam=lam)
    Tm = W - 2 + B
    vals = [opt(n, m, T) for T in range(0, Tm + 2)]
    assert all(a >= b for a, b in zip(vals, vals[1:])), vals
    lb = F(density_bound(m))
    assert lb >= F(counting_bound(n, B, W, lam))
    assert all(v >= lb for v in vals)
    assert vals[Tm] <= F(msgc_load(n, B, W, lam))


def test_larger_P_never_increases():
    m = Bursty(3, B=1, W=2, lam=1)
    vals = [opt(3, m, 1, P=P) for P in (1, 2, 3)]
    assert vals[0] >= vals[1] >= vals[2]
    m = Bursty(4, B=2, W=3, lam=2)
    assert opt(4, m, 1, P=2) >= opt(4, m, 1, P=3)


@pytest.mark.parametrize(
    "n,model,T",
    [
        (3, Bursty(3, B=1, W=2, lam=1), 1),
        (3, Bursty(3, B=1, W=2, lam=1), 2),
        (4, Bursty(4, B=2, W=3, lam=2), 1),
        (4, Bursty(4, B=2, W=3, lam=2), 3),
    ],
    ids=repr,
)
def test_finite_horizon_brackets(n, model, T):
    """finite-horizon LP (lower bound, whole history) <= stationary LP (a scheme); more rounds
    never lower the finite-horizon bound; symmetric == unreduced on the finite horizon too."""
    stat = opt(n, model, T)
    prev = Fraction(0)
    for R in range(T + 1, T + 4):
        fh = solve(build_finite_horizon_lp(n, model, T, R))
        assert fh.exact
        assert prev <= fh.load_fraction <= stat
        prev = fh.load_fraction
    if n == 3:
        full = solve(build_finite_horizon_lp(n, model, T, T + 3, symmetric=False))
        assert full.load_fraction == prev


def test_finite_horizon_T0_one_round_is_gc():
    m = Bursty(4, B=1, W=2, lam=2)
    assert solve(build_finite_horizon_lp(4, m, 0, 1)).load_fraction == Fraction(3, 4)


@pytest.mark.parametrize("solver", ["cbc", "highs"])
def test_both_solvers_agree(solver):
    res = design(4, Bursty(4, B=2, W=3, lam=2), 3, P=2, solver=solver)
    assert res.load_fraction == Fraction(1, 3) and res.exact


def test_exact_certificate_of_a_non_obvious_value():
    res = solve(build_covering_lp(3, Bursty(3, B=1, W=2, lam=1), 1))
    assert res.load_fraction == Fraction(11, 27)
    assert res.certificate == "exact primal and dual certificates"


def test_orbit_sizes_count_the_unreduced_variables():
    m = Bursty(3, B=1, W=2, lam=1)
    sym = build_covering_lp(3, m, 2)
    full = build_covering_lp(3, m, 2, symmetric=False)
    assert sum(sym.orbit_size.values()) == full.num_variables - 1  # minus L


def test_errors():
    m = Bursty(4, B=2, W=3, lam=2)
    with pytest.raises(SGCError, match="P must be >= W - 1"):
        build_covering_lp(4, m, 1, P=1)
    with pytest.raises(SGCError, match="n=5"):
        build_covering_lp(5, m, 1)
    with pytest.raises(SolverUnavailableError, match="cbc, highs"):
        solve(build_covering_lp(4, m, 1), solver="gurobi")
    res = solve(build_covering_lp(3, PerRound(3, s=3), 1))
    assert res.status == "infeasible"
