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

from typing import Any, Union

import sympy as sp

from ..errors import SGCError, check_int

#: an integer parameter, or a sympy expression (symbols give symbolic loads)
Param = Union[int, "sp.Expr"]

__all__ = [
    "gc_load",
    "gc_delay",
    "srsgc_s",
    "srsgc_load",
    "srsgc_delay",
    "msgc_load",
    "msgc_delay",
    "msgc_x",
    "msgc_mu",
    "nocoding_load",
    "scheme_load",
    "brsgc_load",
    "wcsgc_load",
    "wcsgc_delay",
    "brsgc_delay",
]


def _sym(*values: Any) -> list[sp.Expr]:
    out = []
    for v in values:
        if isinstance(v, bool) or v is None:
            raise SGCError(f"expected an integer or a sympy expression (got {v!r})")
        try:
            out.append(sp.sympify(v, strict=True))
        except (sp.SympifyError, TypeError, ValueError):
            raise SGCError(f"expected an integer or a sympy expression (got {v!r:.40})") from None
    return out


def _check_concrete(rules: Any, **values: Any) -> None:
    """When every value is a concrete number, enforce ``rules`` (``(condition, message)``
    pairs over the values as Python ints); symbols pass unchecked (for closed-form algebra)."""
    ints = {}
    for k, v in values.items():
        v = sp.sympify(v)
        if not v.is_number:
            return
        if not v.is_integer:
            raise SGCError(f"{k} must be an integer (got {k}={v})")
        ints[k] = int(v)
    for cond, msg in rules:
        if not cond(**ints):
            raise SGCError(msg.format(**ints))


_N_RULE = (lambda n, **_: n >= 1, "n must be >= 1 (got n={n})")
_BURSTY_RULES = (
    _N_RULE,
    (lambda B, W, **_: 1 <= B <= W, "needs 1 <= B <= W (got B={B}, W={W})"),
    (lambda lam, n, **_: 0 <= lam <= n, "needs 0 <= lam <= n (got lam={lam}, n={n})"),
)


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
    _check_concrete(
        (_N_RULE, (lambda n, s: 0 <= s < n, "GC needs 0 <= s < n (got s={s}, n={n})")), n=n, s=s
    )
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
    n, B, W, lam = _sym(n, B, W, lam)
    _check_concrete(
        _BURSTY_RULES
        + ((lambda B, W, **_: W >= B + 1, "SR-SGC needs W >= B + 1 (got B={B}, W={W})"),),
        n=n,
        B=B,
        W=W,
        lam=lam,
    )
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
    _check_concrete(
        _BURSTY_RULES
        + ((lambda B, W, **_: B <= W - 1, "M-SGC needs 1 <= B <= W - 1 (got B={B}, W={W})"),),
        n=n,
        B=B,
        W=W,
        lam=lam,
    )
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
    return (n + lam) / n**2


def brsgc_delay(B: Param) -> sp.Expr:
    """BR-SGC delay ``T = B``: a straggler of round ``t`` re-computes its share in ``t + B``."""
    (B,) = _sym(B)
    return B


def wcsgc_load(n: Param, B: Param, W: Param, lam: Param) -> sp.Expr:
    """WC-SGC load ``P / (n P - lam B)`` with ``P = W - 1 + B`` (bursty ``(B, W, lam)``, delay
    ``B + 1``): ``K = n P - lam B`` units per job, at most ``P`` per worker and round; equal to
    the counting bound, hence optimal.

    >>> wcsgc_load(256, 1, 2, 27), wcsgc_load(256, 2, 3, 23)
    (2/485, 2/489)
    """
    n, B, W, lam = _sym(n, B, W, lam)
    P = W - 1 + B
    return P / (n * P - lam * B)


def wcsgc_delay(B: Param = 1) -> sp.Expr:
    """WC-SGC delay ``T = B + 1``: the oldest pending work is placed on workers that cannot
    straggle, one round after a burst may have ended."""
    (B,) = _sym(B)
    return B + 1


def scheme_load(
    scheme: str,
    n: int,
    s: int | None = None,
    B: int | None = None,
    W: int | None = None,
    lam: int | None = None,
) -> tuple[sp.Expr, sp.Expr]:
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
    if key not in ("srsgc", "msgc", "brsgc", "wcsgc"):
        raise SGCError(f"--scheme must be one of gc, srsgc, msgc, brsgc, wcsgc (got {scheme!r})")
    B, W, lam = (check_int(f"--{k}", v) for k, v in (("B", B), ("W", W), ("lam", lam)))
    label = {"srsgc": "SR-SGC", "msgc": "M-SGC", "brsgc": "BR-SGC", "wcsgc": "WC-SGC"}[key]
    if not 0 <= lam <= n:
        raise SGCError(f"{label} needs 0 <= lam <= n (got lam={lam}, n={n})")
    if key == "wcsgc":
        if not 1 <= B <= W - 1:
            raise SGCError(f"WC-SGC needs 1 <= B <= W - 1 (got B={B}, W={W})")
        return wcsgc_load(n, B, W, lam), wcsgc_delay(B)
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
