"""WC-SGC at a delay below ``B + 1``: the largest job split its placement carries, proved.

WC-SGC's placement (:mod:`sgc_theory.schemes.wc_sgc`) is defined for any deadline ``T``, any
capacity ``P`` (units a worker computes per round) and any job size ``K`` (units per job); its
load is ``P / K``.  At ``T = B + 1`` with ``P = W - 1 + B`` and ``K = n P - lam B`` it meets the
counting bound (the theorem of :mod:`sgc_theory.design.theorem`).  At a shorter delay, where the
optimum is open for ``B >= 2`` (``T = B``), this module finds, for each capacity ``P``, the
largest ``K`` that WC-SGC carries: every ``K`` tried is decided exactly, for all horizons, by the
count automaton (:mod:`sgc_theory.verify.counts`), whose lemmas hold for any ``(T, P, K)``.

Why a binary search is exact
    Fewer units per job never hurt the placement (*monotonicity in* ``K``): under the same
    straggler pattern the worker order is the same (it depends on the straggler records only),
    and the stream of a round -- pending units oldest first, then the ``K`` new ones -- has, for
    every age ``a``, at most as many units of age ``>= a`` when the pending tail sums are at most
    as large and ``K`` is smaller.  The units of age ``>= a`` lost at the stragglers' places or
    left beyond ``n P`` are the places below that tail sum, so the next pending tail sums are
    again at most as large, and a unit of age ``T`` lost with ``K - 1`` units is lost with ``K``.
    Hence the ``K`` that work form an interval ``1 .. K*``; the search reports ``K*`` proved and
    ``K* + 1`` refuted by a counterexample replayed through the scheme's exact token decoder.

What it does not say
    ``P / K*`` is the best load of *this placement* at capacity ``P`` (over the capacities tried),
    an upper bound on the optimum at delay ``T``; it is optimal only where it meets a lower bound
    (:func:`~sgc_theory.design.bracket`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import SGCError, check_int

__all__ = ["DelayFit", "DelayDesign", "largest_units", "wcsgc_at_delay"]


@dataclass
class DelayFit:
    """The largest ``K`` WC-SGC carries at deadline ``T`` and capacity ``P``.

    ``proof`` is the verification of ``K`` (all horizons, ``ok``; its ``scheme`` is the
    instance), ``refutation`` that of ``K + 1`` (``ok`` false, with a confirmed counterexample),
    ``None`` when ``P / (K + 1)`` would be below the counting bound (no scheme has such a load);
    ``proofs_run`` counts the instances the search decided."""

    proof: Any
    refutation: Any
    proofs_run: int

    @property
    def scheme(self):
        return self.proof.scheme

    @property
    def T(self) -> int:
        return self.scheme.T

    @property
    def P(self) -> int:
        return self.scheme.P

    @property
    def K(self) -> int:
        return self.scheme.K

    @property
    def load(self) -> Fraction:
        return self.scheme.load


@dataclass
class DelayDesign:
    """The best :class:`DelayFit` over the capacities tried, with every fit."""

    best: DelayFit
    fits: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def scheme(self):
        return self.best.scheme


def largest_units(n, B, W, lam, T, P, *, max_work=None) -> DelayFit:
    """The largest ``K`` such that ``WCSGC(n, B, W, lam, T=T, P=P, K=K)`` decodes every pattern
    of bursty ``(B, W, lam)`` by its deadline ``T``, by binary search (exact: see the module
    docstring).  Raises :class:`~sgc_theory.errors.SGCError` when even ``K = 1`` fails.

    >>> fit = largest_units(8, 2, 3, 2, T=2, P=3)
    >>> fit.K, fit.load, fit.proof.ok, fit.refutation.confirmed
    (20, Fraction(3, 20), True, True)
    """
    from ..bounds import counting_bound
    from ..models.window import Bursty
    from ..rationals import to_fraction
    from ..schemes import WCSGC
    from ..schemes._common import bursty_params
    from ..verify import verify

    n, B, W, lam = bursty_params("wcsgc", n, B, W, lam)
    T, P = check_int("T", T, minimum=1), check_int("P", P, minimum=1)
    model = Bursty(n, B, W, lam)
    runs = 0

    def decide(K):
        nonlocal runs
        runs += 1
        sch = WCSGC(n, B, W, lam, T=T, P=P, K=K)
        return verify(sch, model, all_horizons=True, method="counts", max_work=max_work)

    # the K that work are 1 .. K*; the last failure is at K* + 1, and no K above the counting
    # bound's P / bound can work
    lo, hi = 0, int(P / to_fraction(counting_bound(n, B, W, lam)))
    best = refuted = None
    while lo < hi:
        mid = (lo + hi + 1) // 2
        res = decide(mid)
        if res.ok:
            lo, best = mid, res
        else:
            hi, refuted = mid - 1, res
    if best is None:
        raise SGCError(
            f"WC-SGC with T={T}, P={P} fails under {model!r} even with K = 1 unit per job"
        )
    return DelayFit(best, refuted, runs)


def wcsgc_at_delay(
    n, B, W, lam, T, capacities=range(1, 7), *, max_work=None, progress=False
) -> DelayDesign:
    """:func:`largest_units` for every capacity in ``capacities``; the best load wins (the
    smallest ``P`` among ties).

    >>> d = wcsgc_at_delay(8, 2, 3, 2, T=2, capacities=(1, 2, 3))
    >>> [(f.P, f.K) for f in d.fits], d.best.load
    ([(1, 6), (2, 13), (3, 20)], Fraction(3, 20))
    """
    from tqdm import tqdm

    caps = [check_int("capacities", P, minimum=1) for P in capacities]
    if not caps:
        raise SGCError("capacities must name at least one capacity P >= 1")
    t0 = time.perf_counter()
    bar = tqdm(caps, desc=f"WC-SGC at T={T}", unit="capacity", disable=not progress)
    fits = [largest_units(n, B, W, lam, T, P, max_work=max_work) for P in bar]
    best = min(fits, key=lambda f: (f.load, f.P))
    return DelayDesign(best, fits, time.perf_counter() - t0)
