"""One Python type for concrete exact values (``sgc_theory.rationals``): every scheme and every
gradient-code constructor gives its ``load`` as a :class:`fractions.Fraction`, equal to the
closed form of :mod:`sgc_theory.bounds` (which stays sympy), and the verifier's measured
``max_load`` is a Fraction equal to it."""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy as sp

from sgc_theory.bounds import (
    brsgc_load,
    gc_load,
    msgc_load,
    scheme_load,
    srsgc_load,
    wcsgc_load,
)
from sgc_theory.bounds.pair_replication import prsgc_load_of, prsgc_parameters
from sgc_theory.codes import (
    cyclic_repetition,
    fractional_repetition,
    identity_code,
    make_code,
    reed_solomon,
)
from sgc_theory.models import PerRound
from sgc_theory.schemes import BRSGC, GC, MSGC, PRSGC, SRSGC, WCSGC, TabularScheme, make_scheme
from sgc_theory.verify import verify

BURSTY = [(4, 1, 2, 1), (6, 2, 3, 3), (256, 1, 2, 27), (256, 2, 3, 23)]

CASES = (
    [(GC(n, s), gc_load(n, s)) for n, s in ((4, 1), (6, 2), (256, 15))]
    + [(SRSGC(n, B, W, lam), srsgc_load(n, B, W, lam)) for n, B, W, lam in BURSTY]
    + [(MSGC(n, B, W, lam), msgc_load(n, B, W, lam)) for n, B, W, lam in BURSTY]
    + [(BRSGC(n, B, W, lam), brsgc_load(n, lam)) for n, B, W, lam in BURSTY]
    + [(WCSGC(n, B, W, lam), wcsgc_load(n, B, W, lam)) for n, B, W, lam in BURSTY]
)


def _id(case):
    sch, _ = case
    return repr(sch)


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_scheme_load_is_fraction_equal_to_closed_form(case):
    sch, closed = case
    assert isinstance(closed, sp.Rational)  # the closed form stays sympy
    assert type(sch.load) is Fraction
    assert sch.load == closed
    assert sch.load.numerator == closed.p and sch.load.denominator == closed.q


@pytest.mark.parametrize("n,B,W,lam", BURSTY)
def test_prsgc_load_is_fraction_equal_to_its_lp_optimum(n, B, W, lam):
    """PR-SGC has no closed form: its load is the exact largest constraint value at the
    parameters of its LP, recomputed here from the parameters."""
    sch = PRSGC(n, B, W, lam)
    assert type(sch.load) is Fraction
    x, y, _ = prsgc_parameters(n, lam)
    assert sch.load == prsgc_load_of(n, lam, x, y) == scheme_load("prsgc", n, B=B, W=W, lam=lam)[0]
    assert sch.load <= brsgc_load(n, lam)


@pytest.mark.parametrize("key", ["gc", "srsgc", "msgc", "brsgc", "wcsgc", "prsgc"])
def test_make_scheme_load_is_fraction_equal_to_scheme_load(key):
    params = dict(s=2) if key == "gc" else dict(B=1, W=3, lam=2)
    sch = make_scheme(key, 6, **params)
    load, T = scheme_load(key, 6, **params)
    assert type(sch.load) is Fraction and sch.load == load and sch.T == T


def test_tabular_load_is_fraction():
    class Repeat:  # both workers compute the job's two partitions in its own round
        n, T, P, K = 2, 0, 0, 2
        model = PerRound(2, s=1)

        def assign(self, h):
            return {0b11: (0, 1)}

    sch = TabularScheme(Repeat())
    assert type(sch.load) is Fraction and sch.load == 1
    assert verify(sch, all_horizons=True).ok


@pytest.mark.parametrize(
    "code,n,s",
    [
        (identity_code(5), 5, 0),
        (fractional_repetition(6, 2), 6, 2),
        (cyclic_repetition(6, 2, seed=1), 6, 2),
        (reed_solomon(7, 3), 7, 3),
        (make_code(8, 3, "rs"), 8, 3),
    ],
    ids=["identity", "frc", "cyclic", "rs", "make_code"],
)
def test_code_load_is_fraction_equal_to_gc_closed_form(code, n, s):
    assert type(code.load) is Fraction and code.load == gc_load(n, s)


@pytest.mark.parametrize(
    "sch",
    [GC(4, 1), SRSGC(4, 1, 2, 1), MSGC(4, 1, 2, 1), BRSGC(4, 1, 2, 1), WCSGC(4, 1, 2, 1)],
    ids=repr,
)
def test_measured_max_load_is_fraction_equal_to_claimed_load(sch):
    """An independent route: the exact automaton measures the largest load met in any reachable
    state, which is the claimed load (each scheme reaches it under its design model)."""
    res = verify(sch, all_horizons=True, method="automaton")
    assert res.ok and type(res.max_load) is Fraction and res.max_load == sch.load
