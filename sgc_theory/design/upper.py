"""Upper ends of the bracket: runnable schemes whose guarantee at a delay ``<= T`` is proved.

:data:`UPPER_CANDIDATES` is the table of families tried, in order.  Each entry is
``(name, function, what proves it)``; the function takes ``(model, T, best)`` (``best`` the least
load proved so far, or ``None``) and returns an :class:`~sgc_theory.design.answer.UpperEnd`, or
``None`` when the family does not apply to this model and delay; it raises
:class:`~sgc_theory.budget.WorkTooLargeError` when its proof does not fit the work budget (the
caller turns that into one line of the answer).  A new family is one entry.

A family is listed only with its proof:

* the closed-form families (GC, SR-SGC, BR-SGC, M-SGC, PR-SGC) are proved by hand for every
  parameter set they accept (:doc:`/guide/schemes`);
* WC-SGC at delay ``B + 1`` is proved by hand for ``B = 1`` (its backlog stays below ``lam W``
  units, :func:`~sgc_theory.schemes.backlog_bound`); for ``B >= 2`` the statement is proved per
  instance, here, by the count automaton (all horizons);
* WC-SGC tuned to a delay ``T <= B`` (capacity ``P``, ``K`` units per job) is proved per instance by
  the count automaton: for each capacity the largest ``K`` is found by bisection (fewer units never
  hurt the placement, :mod:`sgc_theory.design.delay`), starting from the least ``K`` that would
  beat the best load already proved (a capacity that cannot beat it costs one refutation);
* RWC-SGC at ``T = B`` (WC-SGC plus window-budget-safe replication, capacity ``P``, ``K`` units
  per job) is proved per instance by its own count automaton
  (:mod:`sgc_theory.verify.rwc_counts`), each ``K`` within ``RWC_MAX_STATES`` states: per
  capacity it starts at the least ``K`` that beats the best load already proved and gallops up.
  Monotonicity in ``K`` is not proved for this placement, so a ``K`` whose automaton is
  refuted or over the state limit just ends the search there; every ``K`` reported is proved.
"""

from __future__ import annotations

import time
from fractions import Fraction

from ..errors import SGCError
from ..rationals import to_fraction
from .answer import UpperEnd

__all__ = [
    "UPPER_CANDIDATES",
    "RWC_CAPACITIES",
    "RWC_MAX_STATES",
    "runnable_upper",
    "bursty_of",
    "max_per_round",
]

#: capacities tried by the tuned WC-SGC at a delay T <= B (as functions of B, W), in order
TUNED_CAPACITIES = (lambda B, W: B + 1, lambda B, W: W - 1 + B, lambda B, W: B)
#: capacities tried by RWC-SGC at T = B (as functions of B, W), in order
RWC_CAPACITIES = (lambda B, W: W - 1 + B, lambda B, W: B + 1)
#: reachable count states beyond which one RWC-SGC instance is left undecided (not proved)
RWC_MAX_STATES = 25_000


def bursty_of(model):
    """``(n, B, W, lam)`` of a bursty model with ``1 <= B <= W - 1``, else ``None``."""
    from ..models.window import Bursty

    if isinstance(model, Bursty) and 1 <= model.B <= model.W - 1:
        return model.n, model.B, model.W, model.lam
    return None


def max_per_round(model) -> int:
    """The most stragglers one round may have after a clean history (window models)."""
    return min(model.lam, model.n) if model.row_ok(1) else 0


def _gc(model, T, best):
    """GC(n, s) with ``s`` the most stragglers a round may have: any model, delay 0."""
    from ..bounds.loads import scheme_load

    s = max_per_round(model)
    if s >= model.n:
        return None
    load, delay = scheme_load("gc", model.n, s=s)
    why = f"by hand: GC tolerates any {s} stragglers in every round ({model.spec} allows no more)"
    return UpperEnd(to_fraction(load), "gc", {"s": s}, int(delay), why)


def _closed(name: str, paper: str):
    """A closed-form bursty family under its own parameters (``(B, W, lam)`` of the model)."""

    def candidate(model, T, best):
        from ..bounds.loads import scheme_load

        p = bursty_of(model)
        if p is None:
            return None
        n, B, W, lam = p
        try:
            load, delay = scheme_load(name, n, B=B, W=W, lam=lam)
        except SGCError:
            return None  # parameters outside the family
        if int(delay) > T:
            return None
        params = {"B": B, "W": W, "lam": lam}
        return UpperEnd(to_fraction(load), name, params, int(delay), f"by hand: {paper}")

    return candidate


def _prove(sch, model, max_work=None):
    """All-horizon verification of ``sch`` (the count automaton for WC-SGC)."""
    from ..verify import verify

    return verify(sch, model, all_horizons=True, max_work=max_work)


def _ledger(what="the search of WC-SGC's units per job"):
    """``left()``: the work budget in force minus the computing time spent since this call (a
    search of several proofs stays within one budget)."""
    import math

    from ..budget import WorkTooLargeError, current_limit

    limit, t0 = current_limit(), time.process_time()

    def left():
        if math.isinf(limit):
            return None
        rest = int(limit - (time.process_time() - t0) * 1e6)
        if rest < 1:
            raise WorkTooLargeError(
                f"{what}: stopped at the budget of {limit} work "
                "units; raise the budget with --max-work N (Python: max_work=N)"
            )
        return rest

    return left


def _wcsgc(model, T, best):
    """WC-SGC at delay ``B + 1`` (the counting bound's load)."""
    from ..schemes import WCSGC

    p = bursty_of(model)
    if p is None or T < p[1] + 1:
        return None
    n, B, W, lam = p
    try:
        sch = WCSGC(n, B, W, lam)
    except SGCError:
        return None
    params = {"B": B, "W": W, "lam": lam}
    if B == 1:
        why = "by hand (B = 1): the pending work never exceeds lam W units (the guide's proof)"
        return UpperEnd(to_fraction(sch.load), "wcsgc", params, B + 1, why)
    t0 = time.perf_counter()
    res = _prove(sch, model)
    if not res.ok:
        return None  # not expected: the instance is refuted, so it is not an upper end
    why = f"proved for this instance, all horizons: {res.method} automaton, {res.states} states"
    return UpperEnd(to_fraction(sch.load), "wcsgc", params, B + 1, why, time.perf_counter() - t0)


def _tuned_capacities(B, W, table=TUNED_CAPACITIES):
    out = []
    for f in table:
        P = f(B, W)
        if P not in out:
            out.append(P)
    return out


def _largest(ok, P, lo, hi, hint):
    """The largest ``K`` in ``lo .. hi`` with ``ok(P, K).ok`` (those ``K`` form an interval from
    below) and its proof, or ``None`` when ``lo`` fails.  Gallops from ``hint``, then bisects: a
    good hint costs two runs (``hint`` proved, ``hint + 1`` refuted)."""
    good, bad, step = None, hi + 1, 1
    K = min(max(hint, lo), hi)
    r = ok(P, K)
    if r.ok:
        good = (K, r)
        while K + step < bad:
            r = ok(P, K + step)
            if not r.ok:
                bad = K + step
                break
            K += step
            good, step = (K, r), step * 2
    else:
        bad = K
        while good is None:
            if K == lo:
                return None
            K = max(lo, K - step)
            r = ok(P, K)
            if r.ok:
                good = (K, r)
            else:
                bad, step = K, step * 2
    while good[0] + 1 < bad:
        mid = (good[0] + bad) // 2
        r = ok(P, mid)
        if r.ok:
            good = (mid, r)
        else:
            bad = mid
    return good


def _wcsgc_tuned(model, T, best):
    """WC-SGC with deadline ``T <= B``: per capacity ``P`` the largest proved ``K``."""
    from ..bounds import counting_bound
    from ..schemes import WCSGC

    p = bursty_of(model)
    if p is None or not 1 <= T <= p[1]:
        return None
    n, B, W, lam = p
    bound = to_fraction(counting_bound(n, B, W, lam))
    t0 = time.perf_counter()
    found = None  # (load, P, K, result)

    left = _ledger()

    def ok(P, K):
        return _prove(WCSGC(n, B, W, lam, T=T, P=P, K=K), model, left())

    for P in _tuned_capacities(B, W):
        target = found[0] if found else best
        lo = 1 if target is None else int(P / target) + 1  # least K that beats the target
        hi = int(P / bound)  # no K above can work (a lower bound on every scheme)
        if lo > hi:
            continue
        good = _largest(ok, P, lo, hi, max(lo, min(hi, int(P * (n - Fraction(B * lam, B + 1))))))
        if good is None:
            continue
        K, res = good
        if found is None or Fraction(P, K) < found[0]:
            found = (Fraction(P, K), P, K, res)
    if found is None:
        return None
    load, P, K, res = found
    params = {"B": B, "W": W, "lam": lam, "T": T, "capacity": P, "units": K}
    why = (
        f"proved for this instance, all horizons: {res.method} automaton, {res.states} states "
        f"(K = {K} the largest at capacity {P})"
    )
    return UpperEnd(load, "wcsgc", params, T, why, time.perf_counter() - t0)


class _Undecided:
    """The verdict on an RWC-SGC instance whose automaton passed the state limit."""

    ok = False


def _rwcsgc(model, T, best):
    """RWC-SGC at ``T = B``: per capacity, the largest proved ``K`` found by galloping up from
    the least ``K`` that beats ``best`` (an instance over :data:`RWC_MAX_STATES` is undecided)."""
    from ..bounds import counting_bound
    from ..budget import StateLimitError, WorkTooLargeError
    from ..schemes import RWCSGC

    p = bursty_of(model)
    if p is None or T != p[1] or p[1] < 2:
        return None  # B = 1: PR-SGC meets the look-back bound there; T != B: not this family
    n, B, W, lam = p
    bound = to_fraction(counting_bound(n, B, W, lam))
    t0 = time.perf_counter()
    left = _ledger("the search of RWC-SGC's units per job")
    proved: list = []  # (load, P, K, result) of every instance proved
    undecided: list = []  # (P, K) over the state limit
    refuted: set = set()  # (P, K) with a confirmed counterexample

    def ok(P, K):
        try:
            res = _prove_rwc(RWCSGC(n, B, W, lam, T=T, P=P, K=K), model, left())
        except StateLimitError:
            undecided.append((P, K))
            return _Undecided()
        if res.ok:
            proved.append((Fraction(P, K), P, K, res))
        else:
            refuted.add((P, K))
        return res

    try:
        for P in _tuned_capacities(B, W, RWC_CAPACITIES):
            target = min(proved, key=lambda x: x[0])[0] if proved else best
            lo = 1 if target is None else int(P / target) + 1  # least K that beats the target
            hi = int(P / bound)  # no K above can work (a lower bound on every scheme)
            if lo <= hi:
                _largest(ok, P, lo, hi, lo)
    except WorkTooLargeError:
        if not proved:
            raise  # nothing proved within the budget: one line of the answer
    if not proved:
        if undecided:
            P, K = undecided[0]
            raise WorkTooLargeError(
                f"RWC-SGC at T = {T}: undecided, no K beating the best proved load was "
                f"decided within {RWC_MAX_STATES} count states (first: P = {P}, K = {K})"
            )
        return None
    found = min(proved, key=lambda x: (x[0], x[1]))
    load, P, K, res = found
    params = {"B": B, "W": W, "lam": lam, "T": T, "capacity": P, "units": K}
    if (P, K + 1) in refuted:
        above = "K + 1 refuted"
    elif (P, K + 1) in undecided:
        above = f"K + 1 undecided within {RWC_MAX_STATES} states"
    elif K == int(P / bound):
        above = "P / (K + 1) below the counting bound"
    else:
        above = "K + 1 not decided (work budget)"
    why = (
        f"proved per instance (RWC-SGC count automaton), all horizons: {res.states} states "
        f"(K = {K} the largest found at capacity {P}; {above})"
    )
    return UpperEnd(load, "rwcsgc", params, T, why, time.perf_counter() - t0)


def _prove_rwc(sch, model, max_work):
    """All-horizon verification of an RWC-SGC instance on its count automaton, at most
    :data:`RWC_MAX_STATES` states (:class:`~sgc_theory.budget.StateLimitError` beyond)."""
    from ..verify import verify

    return verify(
        sch,
        model,
        all_horizons=True,
        method="counts",
        max_states=RWC_MAX_STATES,
        max_work=max_work,
    )


_PAPER = "Krishnan, Ebrahimi, Khisti (ICLR 2023)"

#: the upper-end candidates, tried in this order, as ``(name, function, what proves it)``
UPPER_CANDIDATES = (
    ("gc", _gc, "by hand: tolerates any s stragglers a round, delay 0"),
    ("srsgc", _closed("srsgc", f"SR-SGC, delay B ({_PAPER})"), "by hand, delay B"),
    ("brsgc", _closed("brsgc", "BR-SGC, delay B (the guide)"), "by hand, delay B"),
    ("msgc", _closed("msgc", f"M-SGC, delay W - 2 + B ({_PAPER})"), "by hand"),
    ("prsgc", _closed("prsgc", "PR-SGC, delay B (the guide)"), "by hand, delay B"),
    ("wcsgc", _wcsgc, "delay B + 1: by hand for B = 1, count automaton per instance for B >= 2"),
    ("wcsgc-tuned", _wcsgc_tuned, "delay T <= B: count automaton per (T, P, K)"),
    ("rwcsgc", _rwcsgc, "proved per instance (RWC-SGC count automaton)"),
)


def runnable_upper(model, T) -> tuple[Fraction | None, str | None]:
    """The least load of a family proved by hand at a delay ``<= T`` (the closed forms, and
    WC-SGC for ``B = 1``; no automaton run), with its command line; ``(None, None)`` when none
    applies."""
    best = None
    p = bursty_of(model)
    for name, f, _ in UPPER_CANDIDATES:
        if name in ("wcsgc-tuned", "rwcsgc") or (name == "wcsgc" and (p is None or p[1] != 1)):
            continue  # proved per instance only: not without running the automaton
        up = f(model, T, None)
        if up is not None and (best is None or up.value < best.value):
            best = up
    if best is None:
        return None, None
    return best.value, f"{best.scheme} ({best.command} --n {model.n}, delay {best.delay})"
