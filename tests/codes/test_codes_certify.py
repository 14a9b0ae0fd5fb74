"""The modular certificate, the exact fallback and a sympy oracle must agree."""

import itertools
from fractions import Fraction

import flint
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sgc_theory.codes import GradientCode, cyclic_repetition, from_matrix
from sgc_theory.codes.certify import PRIMES, Certifier, full_row_rank_mod_p, integer_rows

from codes_oracle import sympy_decodable, sympy_failing_sets


def test_hand_made_matrix_fails_exactly_one_set():
    # n = 4, s = 1: worker 1 holds the whole gradient; without it, rows 0, 2, 3 never touch
    # partition 3. Every other single straggler leaves worker 1 alive.
    E = [[1, 1, 0, 0], [1, 1, 1, 1], [0, 0, 1, 0], [0, 0, 2, 0]]
    code = from_matrix(E, 1)
    r = code.verify()
    assert sympy_failing_sets(code.E, 1) == [(1,)]  # independent oracle
    assert (r.ok, r.failures, r.example_failure, r.failing_sets) == (False, 1, [1], ((1,),))
    assert code.verify("exact").failing_sets == ((1,),)


def test_broken_cyclic_code_is_caught_with_its_set():
    # Take a certified cyclic code and replace row 3 by a multiple of row 2: the straggler
    # sets are now fragile exactly where the oracle says.
    code = cyclic_repetition(6, 2, seed=4)
    rows = [list(r) for r in code.E]
    rows[3] = [2 * x for x in rows[2]]
    broken = from_matrix(rows, 2)
    expected = sympy_failing_sets(broken.E, 2)
    assert expected  # the oracle sees failures
    r = broken.verify()
    assert list(r.failing_sets) == expected
    assert r.example_failure == list(expected[0])


def test_full_rank_matrix_uses_exact_fallback():
    # rank(E) = n > n - s: the certificate cannot apply, every set goes to the exact rule.
    # (With s >= 1 such a code always fails: 1 has a unique expansion in the rows.)
    code = from_matrix([[1, 0, 0], [0, 1, 0], [1, 1, 2]], 1)
    assert code.rank == 3
    r = code.verify()
    assert r.exact_checks == 3 and r.certified_modular == 0
    assert list(r.failing_sets) == sympy_failing_sets(code.E, 1) == [(0,), (1,), (2,)]


def test_ones_outside_row_space_fails_every_set():
    code = from_matrix([[1, 0, 0], [0, 1, 0], [1, 1, 0]], 1)
    r = code.verify()
    assert r.failures == r.sets_checked == 3


def test_unlucky_prime_is_skipped():
    p = PRIMES[0]
    # rank over Q is 2 but rank mod PRIMES[0] is 1
    cert = Certifier([[1, 1], [1, 1 + p]])
    assert cert.rank == 2 and cert.prime == PRIMES[1]


def test_inconclusive_modular_test_falls_back_to_exact():
    # r2 = r0 + p r1: the left kernel is (1, p, -1), which vanishes at worker 1 modulo p, so
    # the certificate is inconclusive for stragglers {1}; over Q, r1 = (r2 - r0) / p and the
    # set decodes. The exact fallback must say so.
    p = PRIMES[0]
    code = from_matrix([[1, 0, 1], [0, 1, 0], [1, p, 1]], 1)
    assert code.certifier.prime == p
    r = code.verify()
    assert r.ok and r.certified_modular == 2 and r.exact_checks == 1
    assert sympy_failing_sets(code.E, 1) == []


@st.composite
def matrices(draw):
    n = draw(st.integers(2, 5))
    r = draw(st.integers(1, n))
    # E = C B with B's first row all ones: low rank and 1 often in the row space
    B = [[1] * n] + [[draw(st.integers(-2, 2)) for _ in range(n)] for _ in range(r - 1)]
    C = [[draw(st.integers(-2, 2)) for _ in range(r)] for _ in range(n)]
    E = [[sum(C[i][k] * B[k][j] for k in range(r)) for j in range(n)] for i in range(n)]
    if draw(st.booleans()):  # rational rows
        E = [
            [Fraction(x, d) for x in row]
            for row, d in zip(E, [draw(st.integers(1, 5)) for _ in range(n)])
        ]
    s = draw(st.integers(0, n - 1))
    return E, s


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices())
def test_modular_exact_and_sympy_agree(Es):
    E, s = Es
    code = GradientCode(E, s)
    expected = tuple(sympy_failing_sets(code.E, s))
    assert code.verify("auto").failing_sets == expected
    assert code.verify("exact").failing_sets == expected
    n = code.n
    for F in itertools.combinations(range(n), n - s):
        assert code.is_decodable(F) == sympy_decodable(code.E, list(F))


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 2**32), st.sampled_from([2, 3, 7]))
def test_batched_rank_mod_p_matches_flint(r, m, seed, p):
    rng = np.random.default_rng(seed)
    A = rng.integers(0, p, size=(20, r, m))
    got = full_row_rank_mod_p(A, p)
    want = [flint.nmod_mat(a.tolist(), p).rank() == r for a in A]
    assert got.tolist() == want


def test_integer_rows_keep_row_space():
    rows = [[Fraction(1, 2), Fraction(-3, 4), 0], [Fraction(2), Fraction(4), Fraction(6)]]
    assert integer_rows(rows) == [[2, -3, 0], [1, 2, 3]]
