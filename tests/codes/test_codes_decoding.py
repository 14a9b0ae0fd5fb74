import itertools
import random
from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.codes import cyclic_repetition, fractional_repetition
from sgc_theory.errors import NotDecodableError, SGCError

from codes_oracle import sympy_decodable

CODES = [cyclic_repetition(n, s, seed=3) for n, s in [(4, 1), (5, 2), (7, 3), (6, 5)]] + [
    fractional_repetition(6, 1),
    fractional_repetition(6, 2),
    fractional_repetition(8, 3),
]


@pytest.mark.parametrize("code", CODES, ids=repr)
def test_decoding_vectors_exact_and_on_partial_gradients(code):
    n, s = code.n, code.s
    rng = random.Random(0)
    # exact partial gradients (vectors of dimension 3 with rational entries)
    g = [[Fraction(rng.randint(-50, 50), rng.randint(1, 9)) for _ in range(3)] for _ in range(n)]
    true = [sum(g[p][d] for p in range(n)) for d in range(3)]
    gf = np.array([[float(x) for x in row] for row in g])
    for S in itertools.combinations(range(n), s):
        F = [i for i in range(n) if i not in S]
        a = code.decoding_vector(F)
        assert len(a) == n and all(a[i] == 0 for i in S)
        assert all(sum(a[i] * code.E[i][j] for i in range(n)) == 1 for j in range(n))
        # workers send f_i = sum_p E[i, p] g_p; master forms sum_i a_i f_i
        f = [[sum(code.E[i][p] * g[p][d] for p in range(n)) for d in range(3)] for i in range(n)]
        decoded = [sum(a[i] * f[i][d] for i in F) for d in range(3)]
        assert decoded == true
        # the same decoding vector in floating point gives the gradient up to rounding
        af = np.array([float(x) for x in a])
        ff = code.to_numpy() @ gf
        assert np.allclose(af @ ff, gf.sum(axis=0), rtol=1e-6, atol=1e-6)


def test_not_decodable_raises_and_agrees_with_oracle():
    code = fractional_repetition(6, 2)
    with pytest.raises(NotDecodableError):
        code.decoding_vector([0, 1, 2])  # group 1 (workers 3, 4, 5) missing
    assert not code.is_decodable([0, 1, 2])
    assert code.is_decodable([0, 3, 5])
    assert code.decoding_vector([2, 3, 4]) == [0, 0, 1, 1, 0, 0]
    with pytest.raises(NotDecodableError):
        code.decoding_vector([])


def test_is_decodable_matches_oracle_on_all_subsets():
    code = cyclic_repetition(5, 2, seed=11)
    for k in range(6):
        for F in itertools.combinations(range(5), k):
            assert code.is_decodable(F) == sympy_decodable(code.E, list(F))


def test_worker_validation():
    code = fractional_repetition(4, 1)
    with pytest.raises(SGCError, match="survivors"):
        code.is_decodable([0, 4])
    with pytest.raises(SGCError, match="repeat"):
        code.decoding_vector([0, 0, 2])
