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

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar, Union

import sympy as sp

from ..errors import SGCError, check_int
from .rules import SCHEME_RULES, Rule, check_scheme_params

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
    "check_scheme_params",
    "SCHEME_RULES",
    "Rule",
    "brsgc_load",
    "wcsgc_load",
    "wcsgc_delay",
    "brsgc_delay",
]


_F = TypeVar("_F", bound=Callable[..., Any])


def _checked_call(fn: _F) -> _F:
    """A missing, extra or unknown argument of a closed form is bad input, not a Python
    ``TypeError``: :class:`SGCError` naming the function and the argument."""
    signature = inspect.signature(fn)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise SGCError(f"{fn.__name__}({', '.join(signature.parameters)}): {exc}") from None
        return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


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


def _check_concrete(scheme: str, **values: Any) -> None:
    """When every value is a concrete number, enforce the rules of ``scheme`` on them
    (:func:`check_scheme_params`); symbols pass unchecked (for closed-form algebra)."""
    ints = {}
    for k, v in values.items():
        v = sp.sympify(v)
        if not v.is_number:
            return
        if not v.is_integer:
            raise SGCError(f"{k} must be an integer (got {k}={v})")
        ints[k] = int(v)
    check_scheme_params(scheme, **ints)


@_checked_call
def nocoding_load(n: Param) -> sp.Expr:
    """Uncoded, straggler-free load ``1/n``."""
    (n,) = _sym(n)
    _check_concrete("nocoding", n=n)
    return 1 / n


@_checked_call
def gc_load(n: Param, s: Param) -> sp.Expr:
    """Load of an (n, s) gradient code, ``(s + 1)/n`` [TLDK17]_.

    >>> gc_load(256, 15)
    1/16
    """
    n, s = _sym(n, s)
    _check_concrete("gc", n=n, s=s)
    return (s + 1) / n


@_checked_call
def gc_delay() -> sp.Expr:
    """Delay of classical GC: every job is decoded in its own round (``T = 0``)."""
    return sp.Integer(0)


@_checked_call
def srsgc_s(B: Param, W: Param, lam: Param) -> sp.Expr:
    """Straggler tolerance ``s = ceil(B lam / (W - 1 + B))`` of SR-SGC's underlying GC [KEK23]_."""
    B, W, lam = _sym(B, W, lam)
    _check_concrete("srsgc", B=B, W=W, lam=lam)
    return sp.ceiling(B * lam / (W - 1 + B))


@_checked_call
def srsgc_load(n: Param, B: Param, W: Param, lam: Param) -> sp.Expr:
    """SR-SGC load ``(ceil(B lam / (W - 1 + B)) + 1)/n`` [KEK23]_.

    >>> srsgc_load(256, 2, 3, 23)
    13/256
    """
    n, B, W, lam = _sym(n, B, W, lam)
    _check_concrete("srsgc", n=n, B=B, W=W, lam=lam)
    return (srsgc_s(B, W, lam) + 1) / n


@_checked_call
def srsgc_delay(B: Param) -> sp.Expr:
    """SR-SGC delay ``T = B``."""
    (B,) = _sym(B)
    _check_concrete("srsgc", B=B)
    return B


@_checked_call
def msgc_delay(B: Param, W: Param) -> sp.Expr:
    """M-SGC delay ``T = W - 2 + B``."""
    B, W = _sym(B, W)
    _check_concrete("msgc", B=B, W=W)
    return W - 2 + B


@_checked_call
def msgc_x(B: Param, W: Param, lam: Param, n: Param | None = None) -> sp.Expr:
    """Fraction ``x`` of each job's data that M-SGC keeps uncoded (D1).

    ``x = (lam + 1)(W - 1) / (B + (lam + 1)(W - 1))``, and ``x = 1`` when ``lam = n``.
    """
    B, W, lam = _sym(B, W, lam)
    if n is not None:
        (n,) = _sym(n)
    _check_concrete("msgc", B=B, W=W, lam=lam, **({} if n is None else {"n": n}))
    if n is not None and lam == n:
        return sp.Integer(1)
    return (lam + 1) * (W - 1) / (B + (lam + 1) * (W - 1))


@_checked_call
def msgc_mu(n: Param, B: Param, W: Param, lam: Param) -> sp.Expr:
    """Size of one M-SGC chunk or coded task, in units of one job's data.

    ``mu = (lam + 1) / (n (B + (lam + 1)(W - 1)))``; for ``lam = n`` (no D2), ``1/(n (W - 1))``.
    """
    n, B, W, lam = _sym(n, B, W, lam)
    _check_concrete("msgc", n=n, B=B, W=W, lam=lam)
    if lam == n:
        return 1 / (n * (W - 1))
    return (lam + 1) / (n * (B + (lam + 1) * (W - 1)))


@_checked_call
def msgc_load(n: Param, B: Param, W: Param, lam: Param) -> sp.Expr:
    """M-SGC load ``(lam + 1)(W - 1 + B) / (n (B + (W - 1)(lam + 1)))`` [KEK23]_.

    For ``lam = n`` there is no coded part and the load is ``(W - 1 + B)/(n (W - 1))``.

    >>> msgc_load(256, 1, 2, 27)
    7/928
    """
    n, B, W, lam = _sym(n, B, W, lam)
    _check_concrete("msgc", n=n, B=B, W=W, lam=lam)
    return (W - 1 + B) * msgc_mu(n, B, W, lam)


@_checked_call
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
    _check_concrete("brsgc", n=n, lam=lam)
    return (n + lam) / n**2


@_checked_call
def brsgc_delay(B: Param) -> sp.Expr:
    """BR-SGC delay ``T = B``: a straggler of round ``t`` re-computes its share in ``t + B``."""
    (B,) = _sym(B)
    _check_concrete("brsgc", B=B)
    return B


@_checked_call
def wcsgc_load(n: Param, B: Param, W: Param, lam: Param) -> sp.Expr:
    """WC-SGC load ``P / (n P - lam B)`` with ``P = W - 1 + B`` (bursty ``(B, W, lam)``, delay
    ``B + 1``): ``K = n P - lam B`` units per job, at most ``P`` per worker and round; equal to
    the counting bound, hence optimal.

    >>> wcsgc_load(256, 1, 2, 27), wcsgc_load(256, 2, 3, 23)
    (2/485, 2/489)
    """
    n, B, W, lam = _sym(n, B, W, lam)
    _check_concrete("wcsgc", n=n, B=B, W=W, lam=lam)
    P = W - 1 + B
    return P / (n * P - lam * B)


@_checked_call
def wcsgc_delay(B: Param = 1) -> sp.Expr:
    """WC-SGC delay ``T = B + 1``: the oldest pending work is placed on workers that cannot
    straggle, one round after a burst may have ended."""
    (B,) = _sym(B)
    _check_concrete("wcsgc", B=B)
    return B + 1


#: closed-form (load, delay) of each family from its integer parameters
_CLOSED_FORMS: dict[str, Callable[..., tuple[sp.Expr, sp.Expr]]] = {
    "gc": lambda n, s: (gc_load(n, s), gc_delay()),
    "srsgc": lambda n, B, W, lam: (srsgc_load(n, B, W, lam), srsgc_delay(B)),
    "msgc": lambda n, B, W, lam: (msgc_load(n, B, W, lam), msgc_delay(B, W)),
    "brsgc": lambda n, B, W, lam: (brsgc_load(n, lam), brsgc_delay(B)),
    "wcsgc": lambda n, B, W, lam: (wcsgc_load(n, B, W, lam), wcsgc_delay(B)),
    "prsgc": lambda n, B, W, lam: (_prsgc_load(n, lam), brsgc_delay(B)),
}


def _prsgc_load(n: int, lam: int) -> sp.Expr:
    """PR-SGC's load: the optimum of its small exact parameter LP (:mod:`.pair_replication`)."""
    from .pair_replication import prsgc_parameters

    q = prsgc_parameters(n, lam)[2]
    return sp.Rational(q.numerator, q.denominator)


@_checked_call
def scheme_load(
    scheme: str,
    n: int,
    s: int | None = None,
    B: int | None = None,
    W: int | None = None,
    lam: int | None = None,
) -> tuple[sp.Expr, sp.Expr]:
    """``(load, T)`` of a scheme by name, validating its parameters by the same rules as its
    constructor (:func:`check_scheme_params`); sympy Rationals.

    >>> scheme_load("msgc", 256, B=1, W=2, lam=27)
    (7/928, 1)
    """
    key = str(scheme).lower().replace("-", "")
    n = check_int("--n", n, minimum=1)
    if key not in _CLOSED_FORMS:
        raise SGCError(
            f"--scheme must be one of gc, srsgc, msgc, brsgc, wcsgc, prsgc (got {scheme!r})"
        )
    given = {"s": s} if key == "gc" else {"B": B, "W": W, "lam": lam}
    params = {k: check_int(f"--{k}", v) for k, v in given.items()}
    check_scheme_params(key, n=n, **params)
    return _CLOSED_FORMS[key](n, **params)
