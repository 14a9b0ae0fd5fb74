from fractions import Fraction

import numpy as np
import pytest
import sympy

from sgc_theory.codes import from_csv, from_matrix
from sgc_theory.errors import SGCError


def test_from_matrix_accepts_exact_types():
    a = from_matrix(np.array([[1, 1], [1, 1]]), 1)
    b = from_matrix(sympy.Matrix([[1, 1], [1, 1]]), 1)
    c = from_matrix([["1", "1"], [Fraction(1), sympy.Integer(1)]], 1)
    assert a.E == b.E == c.E
    assert from_matrix([["-3/2", 0], [0, 1]], 0).E[0][0] == Fraction(-3, 2)
    assert from_matrix(sympy.Matrix([[sympy.Rational(1, 3), 0], [0, 1]]), 0).E[0][0] == Fraction(
        1, 3
    )


def test_from_matrix_rejects_bad_input():
    with pytest.raises(SGCError, match="square"):
        from_matrix([[1, 1, 1], [1, 1, 1]], 1)
    with pytest.raises(SGCError, match=r"E\[0\]\[1\].*float"):
        from_matrix([[1, 0.1], [0, 1]], 0)
    with pytest.raises(SGCError, match=r"0 <= s < n"):
        from_matrix([[1, 0], [0, 1]], 2)
    with pytest.raises(SGCError, match="not a rational"):
        from_matrix([[1, "x"], [0, 1]], 0)


def test_from_csv_roundtrip(tmp_path):
    p = tmp_path / "E.csv"
    p.write_text("1/2, 1, 0\n0, 1, -1\n1/2, 0, 1\n\n")
    code = from_csv(p, 1)
    assert code.E[0] == (Fraction(1, 2), 1, 0)
    assert code.verify().ok


@pytest.mark.parametrize(
    "text,match",
    [
        ("1,2\n3\n", "ragged"),
        ("1,2,3\n4,5,6\n", "2 x 3, it must be square"),
        ("1,abc\n0,1\n", "line 1 mixes names and numbers"),
        ("1,1\n0,abc\n", "line 2, column 2: 'abc' is not a rational"),
        ("1,1/0\n0,1\n", "not a rational"),
        ("1e99999999,1\n1,1\n", "exponent 99999999; exact numbers need"),
        ("1e-99999999,1\n1,1\n", "exponent -99999999"),
        ("time,worker,delay\n0,0,1\n", "long format"),
        ("", "empty"),
    ],
)
def test_from_csv_errors_name_file_and_problem(tmp_path, text, match):
    p = tmp_path / "bad.csv"
    p.write_text(text)
    with pytest.raises(SGCError, match=match) as info:
        from_csv(p, 0)
    assert "bad.csv" in str(info.value)


def test_from_csv_missing_file(tmp_path):
    with pytest.raises(SGCError, match="nope.csv: cannot read"):
        from_csv(tmp_path / "nope.csv", 1)


def test_condition_report_float_risk():
    from sgc_theory.codes import cyclic_repetition

    rep = cyclic_repetition(8, 3, seed=0).condition_report()
    assert rep.sets_checked == 56 and not rep.sampled
    assert rep.worst >= rep.median >= 1.0
    sampled = cyclic_repetition(12, 5, seed=0).condition_report(max_sets=50)
    assert sampled.sampled and sampled.sets_checked == 50
