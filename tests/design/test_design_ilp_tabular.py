"""ILP with K partitions and the tabular scheme it defines, through the shared verifier."""

from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.design import build_covering_lp, solve
from sgc_theory.models import Bursty
from sgc_theory.design import design_tabular
from sgc_theory.schemes.tabular import TabularScheme
from sgc_theory.verify import verify


@pytest.mark.parametrize(
    "n,model,T,K",
    [
        (3, Bursty(3, B=1, W=2, lam=1), 1, 3),
        (3, Bursty(3, B=1, W=2, lam=1), 2, 5),
        (3, Bursty(3, B=2, W=3, lam=1), 2, 4),
        (4, Bursty(4, B=1, W=2, lam=1), 1, 4),
    ],
    ids=repr,
)
def test_tabular_scheme_verifies_all_horizons(n, model, T, K):
    sch = design_tabular(n, model, T, partitions=K)
    lp_opt = solve(build_covering_lp(n, model, T)).load_fraction
    ilp = sch.result.load_fraction
    assert ilp >= lp_opt  # integrality can only raise the optimum
    assert sch.load == ilp  # the table's actual load
    assert verify(sch, model, all_horizons=True).ok
    assert verify(sch, model, rounds=T + 3).ok


@pytest.mark.slow
def test_best_integer_design_of_the_issue_example():
    """n = 4, bursty(2, 3, 2), T = 3, P = 2, K = 3: the per-orbit integer restriction reported
    load 1 as optimal; the best integer design has load 1/3 (= the LP optimum) and verifies."""
    m = Bursty(4, B=2, W=3, lam=2)
    assert solve(build_covering_lp(4, m, 3, P=2, partitions=3)).load_fraction == 1
    sch = design_tabular(4, m, 3, partitions=3, P=2)
    assert sch.result.load_fraction == Fraction(1, 3) == sch.result.lp_bound
    assert verify(sch, m, all_horizons=True).ok


def test_best_integer_design_beats_the_orbit_restriction():
    """n = 3, bursty(1, 2, 1), T = 1: with K = 2 the per-orbit integer restriction is stuck at
    load 1, the best integer design (unreduced ILP) reaches 1/2, and the table verifies."""
    m = Bursty(3, B=1, W=2, lam=1)
    assert solve(build_covering_lp(3, m, 1, partitions=2)).load_fraction == 1
    sch = design_tabular(3, m, 1, partitions=2)
    assert sch.result.load_fraction == Fraction(1, 2)
    assert sch.result.lp_bound == Fraction(11, 27) <= Fraction(1, 2)
    assert verify(sch, m, all_horizons=True).ok


def test_symmetric_ilp_never_below_unreduced_ilp():
    m = Bursty(3, B=1, W=2, lam=1)
    for K in (2, 3):
        sym = solve(build_covering_lp(3, m, 1, partitions=K)).load_fraction
        full = solve(build_covering_lp(3, m, 1, partitions=K, symmetric=False)).load_fraction
        assert sym >= full


def test_table_decodes_every_job_on_random_patterns():
    """Independent of the verifier: run the table's partition sets by hand (a partition counts
    when a non-straggler of its set computed it) on sampled admitted patterns."""
    m = Bursty(3, B=2, W=3, lam=1)
    sch = design_tabular(3, m, 2, partitions=4)
    tab, P, T, K = sch.table, sch.P, sch.T, sch.K
    rng = np.random.default_rng(1)
    for _ in range(20):
        S = m.sample(10, rng=rng)
        masks = [int(sum(1 << i for i in range(3) if S[i, r])) for r in range(10)]
        full = [0] * P + masks
        for t in range(10 - T):
            got = set()
            for d in range(T + 1):
                h = tuple(full[t : t + P + d])
                for A, parts in tab.assign(h).items():
                    if A & ~masks[t + d]:
                        got.update(parts)
            assert got == set(range(K)), (t, S)


def test_tabular_rejects_lp_without_partitions():
    from sgc_theory.errors import SGCError

    lp = build_covering_lp(3, Bursty(3, B=1, W=2, lam=1), 1)
    solve(lp)
    with pytest.raises(SGCError, match="partitions"):
        lp.scheme_table()
    with pytest.raises(SGCError, match="attribute"):
        TabularScheme(lp)
