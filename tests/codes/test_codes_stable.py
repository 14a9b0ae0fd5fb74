"""The float-stable gradient code (sgc_theory.codes.stable) and the float64 reports
(sgc_theory.codes.numerics): exact decodability by an independent route (brute force / the
exhaustive certificate), exact loads, and float64 errors against the correctly rounded sum."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.codes import (
    code_guarantee,
    float_report,
    float_safe_code,
    fractional_repetition,
    group_sizes,
    make_code,
    reed_solomon,
    stable_code,
    stable_load,
    stable_worst_condition,
    unequal_repetition,
)
from sgc_theory.codes.numerics import _conditions, decoding_errors

SMALL = [(n, s) for n in range(2, 11) for s in range(n)]


@pytest.mark.parametrize("n,s", SMALL)
def test_groups_and_load(n, s):
    sizes = group_sizes(n, s)
    assert sum(sizes) == n and min(sizes) >= s + 1 and max(sizes) - min(sizes) <= 1
    assert len(sizes) == max(1, n // (s + 1))  # as many groups as s + 1 allows
    code = stable_code(n, s)
    assert code.load == stable_load(n, s) == Fraction(max(sizes), n)
    assert code.load >= Fraction(s + 1, n)
    assert (code.load == Fraction(s + 1, n)) == (n % (s + 1) == 0 or s == 0)
    assert code.name == ("identity" if s == 0 else "frc" if n % (s + 1) == 0 else "ufrc")


@pytest.mark.parametrize("n,s", [(n, s) for n, s in SMALL if s and n % (s + 1)])
def test_unequal_repetition_certified_exhaustively(n, s):
    """The structural lemma against the exhaustive exact certificate (independent route)."""
    code = unequal_repetition(n, s)
    assert code.verify(method="exhaustive").ok
    assert code.verify().basis == "structural" and code.verify().ok


@pytest.mark.parametrize("n,s", [(5, 1), (7, 2), (8, 2), (9, 3)])
def test_decodes_iff_meets_every_group(n, s):
    """Brute force over every set of workers: exact span membership equals 'meets every group'."""
    code = unequal_repetition(n, s)
    for k in range(n + 1):
        for F in itertools.combinations(range(n), k):
            meets = all(set(F) & set(g) for g in code.groups)
            assert code.is_decodable(F) == meets


@pytest.mark.parametrize("n,s", [(7, 2), (10, 3), (11, 4)])
def test_condition_closed_form(n, s):
    """cond(E_F) = sqrt(max c_k m_k / min c_k m_k), c_k survivors of group k of size m_k."""
    code = unequal_repetition(n, s)
    sets = np.array(list(itertools.combinations(range(n), s)))
    cond = _conditions(code, sets)
    for S, c in zip(sets, cond):
        prods = [len(set(g) - set(S)) * len(g) for g in code.groups]
        assert c == pytest.approx(math.sqrt(max(prods) / min(prods)), rel=1e-9)


@pytest.mark.parametrize("n,s", [(n, s) for n, s in SMALL if s])
def test_worst_condition_closed_form_exhaustive(n, s):
    """stable_worst_condition against the SVD of every decoding system."""
    sets = np.array(list(itertools.combinations(range(n), s)))
    worst = float(_conditions(stable_code(n, s), sets).max())
    assert worst == pytest.approx(stable_worst_condition(n, s), rel=1e-9)


def test_construction_names_and_guarantees():
    assert make_code(7, 2, "stable").name == "ufrc"
    assert make_code(6, 2, "stable").name == "frc"
    assert code_guarantee(7, 2, "stable").kind == "structural"
    assert "groups" in code_guarantee(256, 12, "stable").statement
    assert float_safe_code(256, 12).E == stable_code(256, 12).E


def test_loads_at_paper_scale():
    """Exact loads of the stable code next to the optimal (Reed-Solomon) one at n = 256."""
    expect = {12: (14, 13), 15: (16, 16), 23: (26, 24), 27: (29, 28), 40: (43, 41), 64: (86, 65)}
    for s, (stable, optimal) in expect.items():
        assert stable_load(256, s) == Fraction(stable, 256)
        assert optimal == s + 1  # the Reed-Solomon load (s + 1) / n


def test_float_report_exhaustive_small():
    r = float_report(stable_code(10, 3))
    assert not r.sampled and r.sets_checked == math.comb(10, 3)
    assert r.worst_error < 1e-15 and r.worst_condition < 3


def test_decoding_error_measures_the_problem():
    """The Reed-Solomon code loses digits in float64 where the stable code does not."""
    rs = float_report(reed_solomon(64, 7), max_sets=30, seed=2)
    st = float_report(stable_code(64, 7), max_sets=30, seed=2)
    assert rs.worst_error > 1e-9 and rs.worst_condition > 1e8
    assert st.worst_error < 1e-14 and st.worst_condition < 3


def test_decoding_errors_zero_for_exact_vectors_small():
    code = fractional_repetition(6, 2)
    errs = decoding_errors(code, np.array([[0, 1], [2, 5]]), dim=3)
    assert errs.shape == (2,) and (errs < 1e-15).all()
