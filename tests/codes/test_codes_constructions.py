import itertools
from fractions import Fraction

import pytest

from sgc_theory.codes import (
    cyclic_repetition,
    fractional_repetition,
    identity_code,
    make_code,
)
from sgc_theory.errors import SGCError

from codes_oracle import sympy_failing_sets

GRID = [(n, s) for n in range(1, 11) for s in range(n)]
FRC_GRID = [(n, s) for n, s in GRID if n % (s + 1) == 0]


@pytest.mark.parametrize("n,s", GRID)
def test_cyclic_certified_with_optimal_load_and_cyclic_support(n, s):
    code = cyclic_repetition(n, s, seed=n * 100 + s)
    r = code.verify()
    assert r.ok and r.failures == 0 and r.example_failure is None
    assert r.sets_checked == len(list(itertools.combinations(range(n), s)))
    assert code.load == Fraction(s + 1, n)
    for i in range(n):
        assert code.support[i] <= {(i + k) % n for k in range(s + 1)}
        assert code.E[i][i] == 1
    # exact path agrees with the modular certificate
    assert code.verify("exact").failing_sets == ()


@pytest.mark.parametrize("n,s", FRC_GRID)
def test_frc_certified(n, s):
    code = fractional_repetition(n, s)
    assert code.verify().ok
    assert code.load == Fraction(s + 1, n)
    assert code.rank == n // (s + 1)


@pytest.mark.parametrize("n,s", [(3, 1), (4, 2), (5, 2), (6, 3), (5, 4)])
def test_cyclic_against_sympy_oracle(n, s):
    code = cyclic_repetition(n, s, seed=7)
    assert sympy_failing_sets(code.E, s) == []


def test_cyclic_seed_is_deterministic():
    assert cyclic_repetition(7, 3, seed=5).E == cyclic_repetition(7, 3, seed=5).E


def test_cyclic_rows_are_in_null_space_of_a_zero_sum_matrix():
    # Every row of E and the all-ones vector lie in a common (n - s)-dim space: rank(E) = n - s
    for n, s in [(6, 2), (9, 4)]:
        assert cyclic_repetition(n, s, seed=1).rank == n - s


def test_s_zero_is_identity():
    for code in (cyclic_repetition(4, 0), fractional_repetition(4, 0), identity_code(4)):
        assert code.E == tuple(tuple(Fraction(int(i == j)) for j in range(4)) for i in range(4))
        assert code.verify().ok and code.verify().sets_checked == 1


@pytest.mark.parametrize("bad", [dict(n=4, s=4), dict(n=4, s=-1), dict(n=0, s=0), dict(n=4.5, s=1)])
def test_bad_parameters(bad):
    with pytest.raises(SGCError):
        cyclic_repetition(**bad)


def test_frc_divisibility_error_names_rule():
    with pytest.raises(SGCError, match=r"\(s \+ 1\) to divide n.*n=8, s=2"):
        fractional_repetition(8, 2)


def test_make_code():
    assert make_code(6, 2, "frc").name == "frc"
    assert make_code(6, 2, seed=1).name == "cyclic"
    with pytest.raises(SGCError, match="construction"):
        make_code(6, 2, "mds")


def test_cyclic_gives_up_with_clear_error(monkeypatch):
    import sgc_theory.codes.constructions as cons

    monkeypatch.setattr(cons, "H_RANGE", 0)  # H = 0: every sub-system singular
    with pytest.raises(SGCError, match="max_attempts=3"):
        cons.cyclic_repetition(5, 2, seed=0, max_attempts=3)
