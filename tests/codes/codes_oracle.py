"""Independent oracle for the codes tests: decodability by definition, with sympy ranks."""

import itertools

import sympy


def sympy_decodable(E, survivors):
    """1 in rowspace_Q(E_F) iff rank(E_F) == rank([E_F; 1]) (sympy, exact)."""
    n = len(E)
    if not survivors:
        return False
    EF = sympy.Matrix(
        [
            [
                sympy.Rational(x.numerator, x.denominator)
                if hasattr(x, "denominator")
                else sympy.Rational(x)
                for x in E[i]
            ]
            for i in survivors
        ]
    )
    return EF.rank() == EF.col_join(sympy.ones(1, n)).rank()


def sympy_failing_sets(E, s):
    n = len(E)
    out = []
    for S in itertools.combinations(range(n), s):
        F = [i for i in range(n) if i not in S]
        if not sympy_decodable(E, F):
            out.append(S)
    return out
