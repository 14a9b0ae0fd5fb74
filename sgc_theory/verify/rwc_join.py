"""Join-padded RWC-SGC: a variant whose all-horizon proof is a join fixpoint (fast at any ``n``).

RWC-SGC's count automaton (:mod:`sgc_theory.verify.rwc_counts`) keeps every state because no
monotonicity lemma holds for its placement (docs/guide/verification.md has a one-step witness),
so WC-SGC's join proof does not apply to it.  This module changes the *scheme* instead of
looking for a lemma:

**The join-padded variant** (``RWCSGC(..., pad=J)``) holds a table ``J``: record counts ``c``
(workers per record of the last ``W - 1`` rounds) -> a pending vector ``J[c]`` (units per age).
In a state with record counts ``c`` and real pending units ``p`` (``p <= J[c]`` in tail sums:
for every age ``a`` at most as many units of age ``>= a``), it places exactly as RWC-SGC would
with the pending vector ``J[c]``: the ``k``-th oldest real pending unit takes the ``k``-th oldest
virtual slot (of age ``>=`` its own, by the tail sums), the other virtual slots stay empty,
the new job's ``K`` units are the same.

**Why a closed table proves it.**  Call ``J`` *closed* when ``0 <= J[c_0]`` at the start and,
for every ``c`` in ``J``, every transition of RWC-SGC's exact count automaton from ``(c, J[c])``
is non-failing and reaches some ``(c', q)`` with ``c'`` in ``J`` and ``q <= J[c']``.  Then the
invariant "real pending ``<= J[c]``" holds in every reachable state of the variant: under a
straggler set the virtual run loses a set of slots, the real run loses the real units in
exactly those slots (a replicated virtual unit is never lost: it sits on ``b + 1`` fresh
workers, at most ``b`` straggle); each lost real unit is at most as old as its slot, so the
real lost units of age ``>= a`` are at most the virtual ones, and the next real pending vector
is below the virtual one, which is below ``J[c']``.  A real unit misses its deadline only when
it is lost at age ``T``, so its slot has age ``T`` and is lost: a failing transition of the
automaton, which a closed table has none of.  No monotonicity of RWC-SGC is used; the
automaton's transitions are exact by equivariance (as in :mod:`~sgc_theory.verify.rwc_counts`).

:func:`join_table` builds ``J`` as the tail-sum join (maximum) of every pending vector reached
with each record count, iterated to a fixpoint where every entry was last expanded at its
final value (so the fixpoint is closed); :func:`verify_join` checks closure of a scheme's own
table.  Tests compare the padded scheme's verdict with the exact per-worker automaton at small
``n`` (the table's ``K + 1`` that does not close included).
"""

from __future__ import annotations

from collections import deque

from ..errors import SGCError
from .rwc_counts import RWCSGCCounts

__all__ = ["join_table", "padded", "verify_join", "BASIS"]

#: what the proof rests on (quoted in the verification result)
BASIS = (
    "closed join table of the join-padded RWC-SGC: from every (record counts c, pending J[c]) "
    "every transition of RWC-SGC's exact count automaton is non-failing and lands below the "
    "table's entry (invariant: real pending <= J[c] in tail sums, by the slot argument of "
    "sgc_theory.verify.rwc_join)"
)


def _tails(p):
    out, acc = [], 0
    for v in reversed(p):
        acc += v
        out.append(acc)
    return out


def _below(p, q) -> bool:
    """``p <= q`` in tail sums."""
    return all(a <= b for a, b in zip(_tails(p), _tails(q)))


def _join(p, q):
    t = [max(a, b) for a, b in zip(_tails(p), _tails(q))]
    return tuple(
        t[len(t) - a] - (t[len(t) - a - 1] if a < len(t) else 0) for a in range(1, len(t) + 1)
    )


def join_table(scheme, meter=None, max_entries=None):
    """The join fixpoint of RWC-SGC ``scheme`` (unpadded parameters ``n, B, W, lam, T, P, K``):
    ``(closed, table, expansions)``; ``table`` is ``None`` when a transition from an entry fails
    (then the join-padded variant with these parameters is *not proved*, not refuted)."""
    auto = RWCSGCCounts(scheme)
    c0, p0 = auto.initial()
    table = {c0: p0}
    todo, queued, expansions = deque([c0]), {c0}, 0
    while todo:
        c = todo.popleft()
        queued.discard(c)
        expansions += 1
        failed, succ = auto.successors((c, table[c]))
        if meter is not None:
            meter.charge((2 + auto.T) * max(1, len(succ)))
        if failed:
            return False, None, expansions
        for (c2, p2), _ in succ:
            old = table.get(c2)
            if old is not None and _below(p2, old):
                continue
            table[c2] = p2 if old is None else _join(p2, old)
            if c2 not in queued:
                queued.add(c2)
                todo.append(c2)
        if max_entries is not None and len(table) > max_entries:
            from ..budget import StateLimitError

            raise StateLimitError(f"more than max_entries={max_entries} record counts")
    return True, table, expansions


def padded(scheme, meter=None):
    """The join-padded variant of RWC-SGC ``scheme`` with its closed table, or ``None`` when
    the join does not close.

    >>> from sgc_theory.schemes import RWCSGC
    >>> sch = padded(RWCSGC(8, 2, 3, 2, P=4, K=27))
    >>> len(sch.pad), sch.load
    (10, Fraction(4, 27))
    >>> padded(RWCSGC(8, 2, 3, 2, P=4, K=28)) is None
    True
    """
    from ..schemes import RWCSGC

    ok, table, _ = join_table(scheme, meter)
    if not ok:
        return None
    s = scheme
    return RWCSGC(s.n, s.B, s.W, s.lam, T=s.T, P=s.P, K=s.K, pad=table)


def verify_join(scheme, model=None, progress=False):
    """All-horizon proof of a join-padded RWC-SGC (``scheme.pad`` set) under its design model:
    its table is closed (see the module docstring).  A
    :class:`~sgc_theory.verify.result.VerificationResult` with ``method="counts-join"``; a table
    that is not closed gives ``ok`` false with no counterexample (``confirmed`` false): not
    proved, and not refuted."""
    import time

    from .result import VerificationResult

    if scheme.pad is None:
        raise SGCError("verify_join needs a join-padded RWC-SGC (RWCSGC(..., pad=table))")
    t0 = time.perf_counter()
    auto = RWCSGCCounts(scheme, model)
    c0, p0 = auto.initial()
    J = scheme.pad
    ok = c0 in J and _below(p0, J[c0])
    for c, p in J.items() if ok else ():
        failed, succ = auto.successors((c, p))
        if failed or not all(c2 in J and _below(p2, J[c2]) for (c2, p2), _ in succ):
            ok = False
            break
    res = VerificationResult(ok=ok, method="counts-join", scheme=scheme, model=auto.model)
    res.states, res.basis = len(J), BASIS
    res.confirmed = False
    if not ok:
        res.notes.append("the pad table is not closed: not proved (no counterexample sought)")
    res.seconds = time.perf_counter() - t0
    return res
