"""Closed-form loads and delays of the schemes (docs/guide/bounds.md), sympy in, sympy out.

Every formula appears once, here; the schemes' ``load`` and ``T`` properties call these functions.
Integer arguments give exact :class:`sympy.Rational` values; symbols give expressions, so a
notebook can take limits (e.g. M-SGC's load as ``lam`` grows) or ratios to GC.

References
----------
.. [TLDK17] R. Tandon, Q. Lei, A. G. Dimakis, N. Karampatziakis, "Gradient Coding: Avoiding
   Stragglers in Distributed Learning", ICML 2017.
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023.
"""

from __future__ import annotations

from typing import Union

import sympy as sp

from ..errors import SGCError, check_int

#: an integer parameter, or a sympy expression (symbols give symbolic loads)
Param = Union[int, "sp.Expr"]

__all__ = [
    "gc_load", "gc_delay", "srsgc_s", "srsgc_load", "srsgc_delay",
    "msgc_load", "msgc_delay", "msgc_x", "msgc_mu", "nocoding_load", "scheme_load",
    "brsgc_load", "brsgc_delay",
]


def _sym(*values: Param) -> list[sp.Expr]:
    return [sp.sympify(v) for v in values]


def nocoding_load(n: Param) -> sp.Expr:
    """Uncoded, straggler-free load ``1/n``."""
    (n,) = _sym(n)
    return 1 / n


def gc_load(n: Param, s: Param) -> sp.Expr:
    """Load of an (n, s) gradient code, ``(s + 1)/n`` [TLDK17]_.

    >>> gc_load(256, 15)
    1/16
    """
    n, s = _sym(n, s)
    return (s + 1) / n


def gc_delay() -> sp.Expr:
    """Delay of classical GC: every job is decoded in its own round (``T = 0``)."""
    return sp.Integer(0)


def srsgc_s(B: Param, W: Param, lam: Param) -> sp.Expr:
    """Straggler tolerance ``s = ceil(B lam / (W - 1 + B))`` of SR-SGC's underlying GC [KEK23]_."""
    B, W, lam = _sym(B, W, lam)
    return sp.ceiling(B * lam / (W - 1 + B))


def srsgc_load(n: Param, B: Param, W: Param, lam: Param) -> sp.Expr:
    """SR-SGC load ``(ceil(B lam / (W - 1 + B)) + 1)/n`` [KEK23]_.

    >>> srsgc_load(256, 2, 3, 23)
    13/256
    """
    (n,) = _sym(n)
    return (srsgc_s(B, W, lam) + 1) / n


def srsgc_delay(B: Param) -> sp.Expr:
    """SR-SGC delay ``T = B``."""
    (B,) = _sym(B)
    return B


def msgc_delay(B: Param, W: Param) -> sp.Expr:
    """M-SGC delay ``T = W - 2 + B``."""
    B, W = _sym(B, W)
    return W - 2 + B


def msgc_x(B: Param, W: Param, lam: Param, n: Param | None = None) -> sp.Expr:
    """Fraction ``x`` of each job's data that M-SGC keeps uncoded (D1).

    ``x = (lam + 1)(W - 1) / (B + (lam + 1)(W - 1))``, and ``x = 1`` when ``lam = n``.
    """
    B, W, lam = _sym(B, W, lam)
    if n is not None and lam == sp.sympify(n):
        return sp.Integer(1)
    return (lam + 1) * (W - 1) / (B + (lam + 1) * (W - 1))


def msgc_mu(n: Param, B: Param, W: Param, lam: Param) -> sp.Expr:
    """Size of one M-SGC chunk or coded task, in units of one job's data.

    ``mu = (lam + 1) / (n (B + (lam + 1)(W - 1)))``; for ``lam = n`` (no D2), ``1/(n (W - 1))``.
    """
    n, B, W, lam = _sym(n, B, W, lam)
    if lam == n:
        return 1 / (n * (W - 1))
    return (lam + 1) / (n * (B + (lam + 1) * (W - 1)))


def msgc_load(n: Param, B: Param, W: Param, lam: Param) -> sp.Expr:
    """M-SGC load ``(lam + 1)(W - 1 + B) / (n (B + (W - 1)(lam + 1)))`` [KEK23]_.

    For ``lam = n`` there is no coded part and the load is ``(W - 1 + B)/(n (W - 1))``.

    >>> msgc_load(256, 1, 2, 27)
    7/928
    """
    n, B, W, lam = _sym(n, B, W, lam)
    return (W - 1 + B) * msgc_mu(n, B, W, lam)


def brsgc_load(n: Param, lam: Param) -> sp.Expr:
    """BR-SGC load ``(n + lam) / n^2`` (balanced re-computation; any ``1 <= B <= W - 1``).

    A fresh worker computes ``(n + k)/n^2`` of the new job and a worker re-computing its lost
    share computes ``k/n^2`` of it, where ``k`` is the number of re-computing workers; a
    re-computing worker's total is ``(n + k' + k)/n^2`` with ``k' + k <= lam`` (the stragglers of
    two rounds ``B`` apart are distinct workers inside one window).

    >>> brsgc_load(256, 27)
    283/65536
    """
    n, lam = _sym(n, lam)
    return (n + lam) / n ** 2


def brsgc_delay(B: Param) -> sp.Expr:
    """BR-SGC delay ``T = B``: a straggler of round ``t`` re-computes its share in ``t + B``."""
    (B,) = _sym(B)
    return B


def scheme_load(scheme: str, n: int, s: int | None = None, B: int | None = None,
                W: int | None = None, lam: int | None = None) -> tuple[sp.Expr, sp.Expr]:
    """``(load, T)`` of a scheme by name, validating its parameters (sympy Rationals).

    >>> scheme_load("msgc", 256, B=1, W=2, lam=27)
    (7/928, 1)
    """
    key = str(scheme).lower().replace("-", "")
    n = check_int("--n", n, minimum=1)
    if key == "gc":
        s = check_int("--s", s)
        if not 0 <= s < n:
            raise SGCError(f"GC needs 0 <= s < n (got s={s}, n={n})")
        return gc_load(n, s), gc_delay()
    if key not in ("srsgc", "msgc", "brsgc"):
        raise SGCError(f"--scheme must be one of gc, srsgc, msgc, brsgc (got {scheme!r})")
    B, W, lam = (check_int(f"--{k}", v) for k, v in (("B", B), ("W", W), ("lam", lam)))
    label = {"srsgc": "SR-SGC", "msgc": "M-SGC", "brsgc": "BR-SGC"}[key]
    if not 0 <= lam <= n:
        raise SGCError(f"{label} needs 0 <= lam <= n (got lam={lam}, n={n})")
    if key == "brsgc":
        if not 1 <= B <= W - 1:
            raise SGCError(f"BR-SGC needs 1 <= B <= W - 1 (got B={B}, W={W})")
        return brsgc_load(n, lam), brsgc_delay(B)
    if key == "srsgc":
        if B < 1:
            raise SGCError(f"SR-SGC needs B >= 1 (got B={B})")
        if W < B + 1:
            raise SGCError(f"SR-SGC needs W >= B + 1 (got B={B}, W={W})")
        return srsgc_load(n, B, W, lam), srsgc_delay(B)
    if not 1 <= B <= W - 1:
        raise SGCError(f"M-SGC needs 1 <= B <= W - 1 (got B={B}, W={W})")
    return msgc_load(n, B, W, lam), msgc_delay(B, W)
