"""PR-SGC's parameters: the share of each job replicated on pairs, by a small exact LP.

PR-SGC (:class:`sgc_theory.schemes.PRSGC`) splits job ``r`` according to ``k``, the number of
workers that straggled in round ``r - B`` (they cannot straggle in round ``r``: they are *safe*),
``f = n - k`` the others (*fresh*):

* a part ``x_k`` spread evenly over the ``C(f, 2)`` pairs of fresh workers (both compute it),
* a part ``y_k`` spread evenly over the ``k`` safe workers,
* the rest ``1 - x_k - y_k`` spread evenly over the ``f`` fresh workers.

A worker that straggled in round ``t`` re-computes, in round ``t + B``, its lost single share and
half of every pair it shares with another straggler of round ``t``.  Its load then is
``y_k / k + (1 - x' - y') / f' + (k - 1) x' / (f' (f' - 1))`` (``k'`` the stragglers of round
``t - B``, ``f' = n - k'``), a fresh worker's is ``(1 + x_k - y_k) / f``, and ``k + k' <= lam``.
:func:`prsgc_parameters` minimises the largest of these over every admitted ``(k', k)``: a linear
program in ``2 (lam + 1) + 1`` variables, solved by HiGHS and made exact (rational parameters,
exact load as the largest exact constraint value).  With ``x = 0`` it is BR-SGC's load
``(n + lam) / n^2``, so PR-SGC never does worse.
"""

from __future__ import annotations

import math
from fractions import Fraction
from collections.abc import Sequence
from functools import lru_cache

from ..errors import SGCError, check_int
from .rules import check_scheme_params

__all__ = ["prsgc_parameters", "prsgc_load_of"]


def _pairs(f: int) -> int:
    return f * (f - 1) // 2


def prsgc_load_of(n: int, lam: int, x: Sequence[Fraction], y: Sequence[Fraction]) -> Fraction:
    """The exact largest load of PR-SGC with parameters ``x[k], y[k]`` (sequences over
    ``k = 0 .. min(lam, n)``) over every admitted ``(k', k)``."""
    K = min(lam, n)
    worst = Fraction(0)
    for k in range(K + 1):
        f = n - k
        if f:
            worst = max(worst, (1 + x[k] - y[k]) / f)
        if k == 0:
            continue
        for kp in range(0, min(lam - k, n - k) + 1):
            fp = n - kp
            val = y[k] / k + (1 - x[kp] - y[kp]) / fp
            if fp >= 2:
                val += (k - 1) * x[kp] / (fp * (fp - 1))
            worst = max(worst, val)
    return worst


@lru_cache(maxsize=64)
def prsgc_parameters(n: int, lam: int) -> tuple[tuple, tuple, Fraction]:
    """``(x, y, load)``: PR-SGC's exact parameters per ``k = 0 .. min(lam, n)`` and its exact
    load (see the module docstring).

    >>> x, y, L = prsgc_parameters(6, 2)
    >>> L <= Fraction(6 + 2, 36)   # never above BR-SGC's (n + lam)/n^2
    True
    """
    from ..budget import check_work

    n, lam = check_int("n", n), check_int("lam", lam)
    check_scheme_params("prsgc", n=n, lam=lam)
    K = min(lam, n)
    check_work(
        50 * (K + 1) ** 2,
        f"PR-SGC's parameter LP for n={n}, lam={lam} ({(K + 1) ** 2 // 2} constraints)",
    )
    values = _solve_parameter_lp(n, K, *_parameter_rows(n, lam, K))
    x, y = _exact_parameters(n, K, values)
    return tuple(x), tuple(y), prsgc_load_of(n, lam, x, y)


def _parameter_rows(n: int, lam: int, K: int) -> tuple[list, list, list]:
    """``(lower, upper, rows)`` of the LP's constraints, ``rows`` as ``{variable: coefficient}``
    over the variables ``x_k = k``, ``y_k = K + 1 + k`` and the load ``L = 2 (K + 1)``: a fresh
    worker's load, ``x_k + y_k <= 1``, and a safe worker's load for every admitted ``(k', k)``,
    each ``<= L``."""
    lo: list = []
    up: list = []
    rows: list = []
    iL = 2 * (K + 1)

    def add(coefs: dict, low: float, high: float) -> None:
        rows.append(coefs)
        lo.append(low)
        up.append(high)

    for k in range(K + 1):
        f = n - k
        if f:
            add({k: 1 / f, K + 1 + k: -1 / f, iL: -1.0}, -math.inf, -1 / f)
        add({k: 1.0, K + 1 + k: 1.0}, 1.0 if f == 0 else -math.inf, 1.0)
        if k == 0:
            continue
        for kp in range(0, min(lam - k, n - k) + 1):
            fp = n - kp
            c = {kp: -1 / fp + ((k - 1) / (fp * (fp - 1)) if fp >= 2 else 0.0)}
            c[K + 1 + kp] = c.get(K + 1 + kp, 0.0) - 1 / fp
            c[K + 1 + k] = c.get(K + 1 + k, 0.0) + 1 / k
            c[iL] = -1.0
            add(c, -math.inf, -1 / fp)
    return lo, up, rows


def _solve_parameter_lp(n: int, K: int, lo: list, up: list, rows: list) -> list:
    """Minimise ``L`` by HiGHS (``x_k = 0`` when fewer than two workers are fresh, ``y_0 = 0``:
    nobody is safe); the floating-point optimum."""
    from ..lp.highs import HighsLP

    iL = 2 * (K + 1)
    hl = HighsLP(lo, up)
    cols: list = [[] for _ in range(iL + 1)]
    for r, coefs in enumerate(rows):
        for v, a in coefs.items():
            cols[v].append((r, a))
    upper = [0.0 if n - k < 2 else None for k in range(K + 1)]
    upper += [0.0] + [None] * K  # y_0 = 0: nobody is safe
    hl.add_columns([0.0] * iL + [1.0], cols, upper + [None])
    hl.solve()
    if hl.status != "optimal":  # pragma: no cover - the LP is always feasible (x = y = 0)
        raise SGCError(f"PR-SGC's parameter LP ended with status {hl.status!r}")
    return list(hl.x)


def _exact_parameters(n: int, K: int, values: list) -> tuple[list, list]:
    """Rational ``x, y`` near the LP's values, made feasible exactly (non-negative, ``x_k = 0``
    below two fresh workers, ``y_0 = 0``, ``x_k + y_k <= 1`` with equality when all are safe);
    the load is then computed exactly from them (:func:`prsgc_load_of`)."""
    x, y = [], []
    for k in range(K + 1):
        xv = Fraction(max(0.0, float(values[k]))).limit_denominator(10**9)
        yv = Fraction(max(0.0, float(values[K + 1 + k]))).limit_denominator(10**9)
        if n - k < 2:
            xv = Fraction(0)
        if k == 0:
            yv = Fraction(0)
        if n - k == 0:
            yv = 1 - xv
        elif xv + yv > 1:
            xv, yv = xv / (xv + yv), yv / (xv + yv)
        x.append(xv)
        y.append(yv)
    return x, y
