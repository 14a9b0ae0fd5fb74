"""PR-SGC: exact decoding on every admitted pattern (small n), all horizons at n = 256 by the
worker-symmetric verifier, the token rule against the exact run, and its load against the
covering LP by worker types."""

from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.bounds import brsgc_load, scheme_load
from sgc_theory.bounds.pair_replication import prsgc_load_of, prsgc_parameters
from sgc_theory.design import build_type_lp, solve_type_lp
from sgc_theory.rationals import to_fraction
from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty
from sgc_theory.schemes import PRSGC, make_scheme
from sgc_theory.verify import verify


F = to_fraction  # sympy closed forms and Fraction loads alike


FAST = [(4, 1, 2, 1), (4, 1, 2, 2), (4, 1, 3, 2), (5, 1, 2, 2), (4, 2, 3, 2), (4, 1, 2, 4)]
SLOW = [(5, B, W, lam) for B, W in ((1, 2), (1, 3), (2, 3)) for lam in range(0, 6)]


def _check_small(n, B, W, lam):
    sch = PRSGC(n, B, W, lam)
    assert sum(sch.partition_sizes) == 1
    res = verify(sch, rounds=4 + B, method="exhaustive")
    assert res.ok, res
    assert verify(sch, all_horizons=True).ok
    # the token rule is exact: it agrees with the exact run, also outside the model
    rng = np.random.default_rng(n * 100 + lam)
    for _ in range(20):
        P = rng.random((n, 6)) < 0.35
        assert sch.run(P).decoded_round == list(sch.decode_rounds(P))


@pytest.mark.parametrize("n,B,W,lam", FAST)
def test_prsgc_decodes_every_admitted_pattern_small(n, B, W, lam):
    _check_small(n, B, W, lam)


@pytest.mark.slow
@pytest.mark.parametrize("n,B,W,lam", SLOW)
def test_prsgc_decodes_every_admitted_pattern_n5(n, B, W, lam):
    _check_small(n, B, W, lam)


@pytest.mark.parametrize("n,lam", [(6, 2), (8, 3), (16, 4), (256, 27)])
def test_prsgc_load_equals_pairs_lp_and_beats_brsgc(n, lam):
    """The covering LP by worker types (bursty(1, 2, lam), T = 1, sets of at most two workers)
    has every PR-SGC as a feasible point, so its exact optimum is at most PR-SGC's load; at
    n = 256, lam = 27 they are equal (and equal the unrestricted optimum)."""
    sch = PRSGC(n, 1, 2, lam)
    L = F(sch.load)
    assert L <= F(brsgc_load(n, lam))
    lp = solve_type_lp(build_type_lp(Bursty(n, 1, 2, lam), 1, max_replication=2))
    assert lp.exact and lp.upper <= L
    if n == 256:
        assert L == lp.upper == Fraction(6529, 1524544)
    x, y, load = prsgc_parameters(n, lam)
    assert prsgc_load_of(n, lam, x, y) == load == L


def test_prsgc_measured_load_is_the_claimed_load():
    sch = PRSGC(5, 1, 2, 2)
    res = verify(sch, rounds=5, method="exhaustive")
    assert res.ok and F(sch.load) == Fraction(17, 65)
    assert "17/65" in str(res)  # measured load equals the claimed load


def test_prsgc_all_horizons_n256_paper_configuration():
    res = verify(PRSGC(256, 1, 2, 27), all_horizons=True)
    assert res.ok and res.method == "symmetric"


@pytest.mark.slow
def test_prsgc_all_horizons_n256_srsgc_configuration():
    res = verify(PRSGC(256, 2, 3, 23), all_horizons=True)
    assert res.ok and res.method == "symmetric"


def test_prsgc_fails_under_longer_bursts():
    """Under bursty(B + 1, W, lam) a straggler may straggle again when it re-computes."""
    sch = PRSGC(4, 1, 2, 1)
    res = verify(sch, Bursty(4, 2, 3, 1), rounds=4, method="exhaustive")
    assert not res.ok


def test_prsgc_by_name_and_errors():
    assert make_scheme("PR-SGC", 6, B=1, W=2, lam=2).load == PRSGC(6, 1, 2, 2).load
    load, T = scheme_load("prsgc", 256, B=2, W=3, lam=23)
    assert T == 2 and F(load) <= F(brsgc_load(256, 23))
    with pytest.raises(SGCError, match="1 <= B <= W - 1"):
        PRSGC(6, 2, 2, 1)
    with pytest.raises(SGCError, match="n <= 8"):
        _ = PRSGC(12, 1, 2, 2).partition_sizes
