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
from functools import partial
from typing import Any

from ..errors import SGCError, check_int

__all__ = [
    "DelayFit",
    "DelayDesign",
    "ReplicatedFit",
    "largest_units",
    "replicated_at_delay",
    "wcsgc_at_delay",
]


class _ProvedScheme:
    """The proved instance of a fit (``proof.scheme``) and its ``P``, ``K`` and load."""

    proof: Any

    @property
    def scheme(self):
        return self.proof.scheme

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
class DelayFit(_ProvedScheme):
    """The largest ``K`` WC-SGC carries at deadline ``T`` and capacity ``P``.

    ``proof`` is the verification of ``K`` (all horizons, ``ok``; its ``scheme`` is the
    instance), ``refutation`` that of ``K + 1`` (``ok`` false, with a confirmed counterexample),
    ``None`` when ``P / (K + 1)`` would be below the counting bound (no scheme has such a load);
    ``proofs_run`` counts the instances the search decided."""

    proof: Any
    refutation: Any
    proofs_run: int

    @property
    def T(self) -> int:
        return self.scheme.T


@dataclass
class DelayDesign:
    """The best :class:`DelayFit` over the capacities tried, with every fit."""

    best: DelayFit
    fits: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def scheme(self):
        return self.best.scheme


def _search_largest_K(decide, lo, hi, proved=None):
    """Binary search for the largest ``K`` in ``lo + 1 .. hi`` that ``decide(K)`` proves
    (a verdict with ``ok``, or ``None`` for undecided, taken as not proved); ``lo`` is a ``K``
    already proved by ``proved`` (``0`` and ``None`` when none).  Returns ``(K, its proof,
    the verdict at the last K that failed, whether any K failed)``; exact when the ``K`` that
    work form an interval."""
    above, failed = None, False
    while lo < hi:
        mid = (lo + hi + 1) // 2
        res = decide(mid)
        if res is not None and res.ok:
            lo, proved = mid, res
        else:
            hi, above, failed = mid - 1, res, True
    return lo, proved, above, failed


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
    hi = int(P / to_fraction(counting_bound(n, B, W, lam)))
    _, best, refuted, _ = _search_largest_K(decide, 0, hi)
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


@dataclass
class ReplicatedFit(_ProvedScheme):
    """The best proved RWC-SGC instance found at one delay (:func:`replicated_at_delay`).

    ``proof`` proves ``scheme`` for all horizons (``ok``); ``neighbour`` is the verdict on
    ``K + 1`` at the same capacity: ``ok`` false with a confirmed counterexample, or ``None``
    when ``K + 1`` was not decided (``undecided`` names why: the state limit, or ``P / (K + 1)``
    below the counting bound).  ``tried`` maps each capacity to ``(K proved, K + 1 status)``."""

    proof: Any
    neighbour: Any
    undecided: str | None
    tried: dict
    proofs_run: int
    seconds: float = 0.0


def replicated_at_delay(
    n,
    B,
    W,
    lam,
    T=None,
    capacities=(3, 4),
    *,
    start=None,
    max_states=200_000,
    progress=False,
    refute_rounds=0,
    refute_beam=40,
) -> ReplicatedFit:
    """The best proved RWC-SGC (:class:`~sgc_theory.schemes.RWCSGC`) at delay ``T`` (default
    ``B``): for each capacity ``P``, a binary search over ``K`` between ``start(P)`` (a ``K``
    believed to work, default ``1``) and the counting bound's ``P / bound``, each ``K`` decided
    for all horizons by RWC-SGC's exact count automaton (:mod:`sgc_theory.verify.rwc_counts`).

    A ``K`` whose automaton exceeds ``max_states`` reachable states is *undecided* and treated
    as not proved; with ``refute_rounds`` such a ``K`` is then searched for a counterexample by
    :func:`~sgc_theory.verify.rwc_refute.beam_refute` (``refute_beam`` states a round for at most
    ``refute_rounds`` rounds), and a confirmed one decides it (refuted).  Monotonicity in ``K``
    is not proved for this placement (its count automaton has no monotonicity lemma), so the
    reported ``K`` is proved and ``K + 1`` refuted (or undecided), but a larger ``K`` could in
    principle work.

    >>> fit = replicated_at_delay(8, 2, 3, 2, capacities=(3, 4))
    >>> fit.P, fit.K, fit.load, fit.proof.ok, fit.neighbour.confirmed
    (4, 27, Fraction(4, 27), True, True)
    """
    from tqdm import tqdm

    from ..bounds import counting_bound
    from ..budget import WorkTooLargeError
    from ..rationals import to_fraction
    from ..schemes import RWCSGC
    from ..schemes._common import bursty_params
    from ..verify import verify

    n, B, W, lam = bursty_params("wcsgc", n, B, W, lam)
    T = B if T is None else check_int("T", T, minimum=1)
    caps = [check_int("capacities", P, minimum=1) for P in capacities]
    if not caps:
        raise SGCError("capacities must name at least one capacity P >= 1")
    bound = to_fraction(counting_bound(n, B, W, lam))
    t0 = time.perf_counter()
    runs, tried, best = 0, {}, None

    def decide(P, K):
        nonlocal runs
        runs += 1
        sch = RWCSGC(n, B, W, lam, T=T, P=P, K=K)
        try:
            return verify(sch, all_horizons=True, method="counts", max_states=max_states)
        except WorkTooLargeError:
            if refute_rounds:
                from ..verify.rwc_refute import beam_refute

                return beam_refute(sch, beam=refute_beam, rounds=refute_rounds)
            return None

    bar = tqdm(caps, desc=f"RWC-SGC at T={T}", unit="capacity", disable=not progress)
    for P in bar:
        lo, hi = 0, int(P / bound)
        proved = None
        if start is not None and 1 <= start(P) <= hi:
            res = decide(P, start(P))
            if res is not None and res.ok:
                lo, proved = start(P), res
        lo, proved, above, failed = _search_largest_K(partial(decide, P), lo, hi, proved)
        why = "cap: P / (K + 1) below the counting bound"
        if failed:
            why = None if above is not None else "state limit"
        if proved is None:
            continue
        if above is not None and above.scheme.K != lo + 1:
            above, why = None, "not decided (the search skipped it)"
        tried[P] = (lo, "refuted" if above is not None else why)
        cand = ReplicatedFit(proved, above, None if above is not None else why, tried, runs)
        if best is None or cand.load < best.load:
            best = cand
    if best is None:
        raise SGCError(f"RWC-SGC at T={T} proved for no K at capacities {caps} (n={n})")
    best.proofs_run, best.seconds = runs, time.perf_counter() - t0
    return best
