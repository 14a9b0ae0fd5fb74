"""The exact optimal vertex of an LP from a floating-point solver's basis.

A simplex solver ends on a *basis*: as many basic variables (columns, or the logical variable of
a row) as there are rows, the other variables at their bounds.  The vertex of that basis solves a
square linear system ``B x_B = b`` with exact rational data, and so does its dual
(``y^T B = c_B``).  We recover both exactly by **iterative refinement and rational
reconstruction**: solve with the solver's own factorization in floating point, compute the
residual in exact rational arithmetic, solve again for the correction, ... until the
approximation is good enough to guess each entry as the simplest nearby fraction; the guess is
then *checked* exactly (``B x_B = b``, ``y^T B = c_B``), so nothing rests on floating point.
Whether the vertex is optimal (primal and dual feasible) is checked by the caller.

HiGHS conventions (checked on a small case in the tests): ``getBasicVariables`` lists column
``j >= 0`` or row ``i`` as ``-1 - i``; the logical variable of row ``i`` has column ``+e_i`` and
equals minus the row activity.

References
----------
.. [Wan06] D. Wan, "Accurate solutions of linear systems by iterative refinement and rational
   reconstruction" (ISSAC 2006); the same idea underlies exact LP solvers such as QSopt_ex.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
import time
from math import isqrt
from typing import Any

import flint
import numpy as np

from ..rationals import to_fraction

__all__ = ["exact_vertex"]


def _q(x: Fraction | int) -> flint.fmpq:
    x = Fraction(x)
    return flint.fmpq(x.numerator, x.denominator)


def _fq(x: float) -> flint.fmpq:
    n, d = float(x).as_integer_ratio()
    return flint.fmpq(n, d)


def exact_vertex(
    h: Any,
    column: Callable[[int], Sequence[tuple[int, Fraction]]],
    row_bounds: Sequence[tuple[Fraction | None, Fraction | None]],
    costs: Callable[[int], Fraction],
    max_iter: int = 30,
    seconds: float = 30.0,
) -> tuple[dict[int, Fraction], list[Fraction]] | None:
    """Exact primal values of the basic columns and exact row duals of HiGHS's final basis.

    Parameters
    ----------
    h : highspy.Highs
        A solved instance (its basis is used).
    column : callable
        ``column(j)`` -> the exact entries ``(row, value)`` of column ``j``.
    row_bounds : sequence
        Exact ``(lower, upper)`` of every row (``None`` for an infinite side).
    costs : callable
        ``costs(j)`` -> exact objective coefficient of column ``j``.
    seconds : float
        Give up (return ``None``) after about this long.

    Returns
    -------
    ``(x, y)`` with ``x[j]`` the exact value of every basic column ``j`` (non-basic columns sit
    at 0 here) and ``y`` the exact row duals; ``None`` when refinement did not converge to a
    checked exact solution.
    """
    m = len(row_bounds)
    bv, cols, b = _basis_system(h, column, row_bounds)
    mul, tmul = _products([[(i, _q(a)) for i, a in col] for col in cols], m)
    stop = time.perf_counter() + seconds
    x = _refine(mul, lambda r: h.getBasisSolve(r)[1], [_q(v) for v in b], max_iter, stop)
    zero = flint.fmpq(0)
    cb = [_q(costs(v)) if v >= 0 else zero for v in bv]
    y = (
        None
        if x is None
        else _refine(tmul, lambda r: h.getBasisTransposeSolve(r)[1], cb, max_iter, stop)
    )
    if x is None or y is None:
        return None
    return {v: to_fraction(x[k]) for k, v in enumerate(bv) if v >= 0}, [to_fraction(v) for v in y]


def _basis_system(h: Any, column: Callable, row_bounds: Sequence) -> tuple[list, list, list]:
    """The basis of the solved ``h``: ``(basic variables, their exact columns, exact right-hand
    side)``, every non-basic row's activity sitting at the bound the basis says."""
    _, bv = h.getBasicVariables()
    bv = [int(v) for v in bv]
    status = [str(s) for s in h.getBasis().row_status]
    cols: list[list[tuple[int, Fraction]]] = []
    for v in bv:
        cols.append(list(column(v)) if v >= 0 else [(-1 - v, Fraction(1))])
    b = [Fraction(0)] * len(row_bounds)
    basic_rows = {-1 - v for v in bv if v < 0}
    for i, (lo, up) in enumerate(row_bounds):
        if i in basic_rows:
            continue
        val = up if status[i].endswith("kUpper") and up is not None else lo
        if val is None:
            val = up
        b[i] = val if val is not None else Fraction(0)
    return bv, cols, b


def _products(qcols: list, m: int) -> tuple[Callable[[list], list], Callable[[list], list]]:
    """``(x -> B x, y -> y^T B)`` in exact arithmetic for the basis matrix ``B`` whose columns
    are ``qcols`` (sparse ``(row, fmpq)`` lists) with ``m`` rows."""
    zero = flint.fmpq(0)

    def mul(x: list) -> list:
        out = [zero] * m
        for k, xk in enumerate(x):
            if xk != 0:
                for i, a in qcols[k]:
                    out[i] = out[i] + a * xk
        return out

    def tmul(y: list) -> list:
        out = []
        for col in qcols:
            acc = zero
            for i, a in col:
                yi = y[i]
                if yi != 0:
                    acc = acc + a * yi
            out.append(acc)
        return out

    return mul, tmul


def _refine(
    mul: Callable[[list], list],
    fsolve: Callable[[np.ndarray], np.ndarray],
    b: list,
    max_iter: int,
    stop: float = float("inf"),
) -> list | None:
    """Solve ``M x = b`` exactly: float solves of exact residuals, then rational guesses that
    are checked exactly.  Gives up when the residual stops shrinking (an ill-conditioned or
    inaccurate factorization)."""
    m = len(b)
    zero = flint.fmpq(0)
    x = [zero] * m
    r = list(b)
    prev = None
    last_guess = None
    for _ in range(max_iter):
        if time.perf_counter() > stop:
            return None
        scale = max((abs(v) for v in r), default=zero)
        if scale == 0:
            return x
        d = np.asarray(fsolve(np.array([float(v / scale) for v in r])), dtype=float)
        if not np.all(np.isfinite(d)):
            return None
        x = [xi + _fq(di) * scale if di else xi for xi, di in zip(x, d)]
        r = [bi - ai for bi, ai in zip(b, mul(x))]
        res = max((abs(v) for v in r), default=zero)
        if res == 0:
            return x
        if prev is not None and res * 2**20 > prev:
            return None  # not converging
        prev = res
        size = max((abs(v) for v in x), default=zero)
        if size == 0:
            size = flint.fmpq(1)
        rel = res / size
        # guess when 1e-12 accurate, then again only after 12 more digits (guesses are costly)
        if rel < flint.fmpq(1, 10**12) and (last_guess is None or rel * 10**12 < last_guess):
            last_guess = rel
            bound = max(2, isqrt(int(1 / (2 * rel))) // 4)
            guess = [_q(to_fraction(v).limit_denominator(bound)) if v != 0 else zero for v in x]
            if mul(guess) == b:
                return guess
    return None
