"""WC-SGC: work-conserving re-queueing, a scheme that meets the counting bound at delay 2.

The scheme
----------
Parameters ``n, B, W, lam`` with ``B = 1`` and any ``W >= 2``; delay ``T = 2``; no
coding.  Each job's data is cut into ``K = n W - lam`` equal units and every worker computes at
most ``W`` units per round, so the load is ``W / (n W - lam)``: the counting bound of
bursty ``(1, W, lam)``, a lower bound on the load of every scheme, whatever its delay.  The load
is therefore optimal.

In round ``r`` the master has three kinds of work, placed in this order:

1. **redo** (job ``r - 2``): every worker that straggled in round ``r - 1`` re-computes the units
   of job ``r - 2`` it lost then (at most ``W``: it held at most ``W`` units);
2. **leftover** (job ``r - 1``): every unit of job ``r - 1`` not yet computed (not placed in
   round ``r - 1``, or placed on a straggler as a fresh unit) is placed, in worker order, in the
   capacity left (``W`` units per worker);
3. **fresh** (job ``r``): the units of job ``r`` fill the remaining capacity in worker order; the
   units that do not fit are leftover work of the next round.

A unit lost as leftover becomes redo work of its own worker in the next round; a unit lost as
fresh becomes leftover work.  Job ``t`` is complete when all its ``K`` units arrived.

Why it is correct under bursty ``(1, W, lam)``
    *Redo work always arrives*: with ``B = 1`` a worker straggling in round ``r - 1`` cannot
    straggle in round ``r`` (both lie in one window of ``W >= 2`` rounds), and its redo work is at
    most its capacity.  *Leftover work always fits*: let ``S_r`` be the work pending at the start
    of round ``r`` (redo plus leftover, in units) and ``k_r`` the number of stragglers of round
    ``r``.  When the fresh job does not fit, every worker computes exactly ``W`` units and the
    stragglers lose ``k_r W``, so ``S_{r+1} = S_r + K - n W + k_r W = S_r - lam + k_r W``;
    otherwise ``S_{r+1} <= k_r W``.  Hence ``S_{r+1} <= max(0, S_r - lam) + k_r W``.  Over any
    ``W`` consecutive rounds at most ``lam`` distinct workers straggle and, with ``B = 1``, each
    at most once, so ``sum k <= lam`` over every window.  Unrolling the recursion back to the
    last round with ``S <= lam`` and grouping the rounds into windows of ``W`` from the most recent
    one gives ``S_r <= lam W <= n W``: the whole pending work fits in the round's capacity
    ``n W``.  So every unit of job ``t`` is placed by round ``t + 1`` and, if lost there, redone
    safely in round ``t + 2``: the delay is ``T = 2``.

The facts the backlog argument uses, stated
    (i) *With* ``B = 1`` *a straggler holds no redo work*: redo work of round ``r`` is held by the
    stragglers of round ``r - 1``, and none of them straggles in round ``r``; so the work lost
    in round ``r`` is leftover or fresh work only, and redo work is never lost twice.
    (ii) *Every worker holds at most* ``W`` *units per round* (its capacity), so the
    ``k_r`` stragglers of round ``r`` lose at most ``k_r W`` units: the term ``k_r W`` of the
    recursion.  (iii) *Leftover work fits when* ``S_r <= n W``: the pending work is placed
    first, redo on its own worker (at most ``W`` units, within that worker's capacity) and
    leftover in worker order in what is left, so all of it is placed in round ``r`` as soon as
    the total ``S_r`` is at most the round's capacity ``n W``; ``S_r <= lam W`` and
    ``lam <= n`` give exactly that.

Where it comes from
    The covering LP by worker types at ``T = 2`` for bursty ``(1, W, lam)`` reaches the counting
    bound in every case solved (``n = 6 .. 16`` for ``W = 2, 3, 4``; ``n = 256`` for ``(1, 2,
    lam)``, ``lam <= 5``), already with single-worker sets; at ``T = 1`` it lies strictly above.
    The recursion above is the fluid version of those solutions: every non-straggling
    worker-round is used in full (hence "work-conserving").  It needs one round more than BR-SGC
    (``T = B = 1``, load ``(n + lam)/n^2``); for ``W >= 3`` its delay 2 is at most M-SGC's
    ``W - 1``.  For ``B >= 2`` a straggler's burst can cover the next round, so the redo step
    above is not safe; this module builds the ``B = 1`` family only.

Scope
    The exact state machine (tasks with coefficient vectors over the ``K`` units) is built for
    small ``n`` (``EXACT_MAX_N``); :meth:`WCSGC.decode_rounds` is an exact token-level
    decoder (the scheme is uncoded) usable at any ``n``.  There is no worker-symmetric view:
    the all-horizon verifier proves it at small ``n`` on its exact automaton; at ``n = 256`` the
    guarantee rests on the argument above (checked numerically by :func:`backlog_bound`).  On
    the command line it is ``--scheme wcsgc --B 1 --W --lam``.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..bounds.loads import wcsgc_load
from ..errors import SGCError, check_int
from ._common import BurstyDesigned
from .base import Scheme, Task, check_scheme_size, masks_of

__all__ = ["WCSGC", "backlog_bound"]

#: exact coefficient vectors have ``n W - lam`` entries; built for n up to this
EXACT_MAX_N = 64


class WCSGC(BurstyDesigned, Scheme):
    """Work-conserving SGC for bursty ``(1, W, lam)``: delay 2, load ``W / (n W - lam)``.

    Parameters ``(n, B, W, lam)`` like the other bursty-designed schemes; ``B`` must be 1.

    See the module docstring for the scheme, the proof that it meets the counting bound, and
    the LP solutions it comes from.

    >>> sch = WCSGC(256, B=1, W=2, lam=27)
    >>> sch.T, sch.load, sch.num_partitions
    (2, 2/485, 485)
    >>> per_worker, carry = sch.plan_units(sch.initial_state())
    >>> per_worker[0], per_worker[255], carry       # (redo, leftover, fresh) units
    (((), (), (0, 1)), ((), (), ()), ())
    """

    name = "wcsgc"
    #: :meth:`decode_rounds` is exact (uncoded units), not only sufficient
    exact_token_rule = True

    def __init__(self, n: int, B: int, W: int, lam: int):
        self.n = check_int("n", n, minimum=1)
        self.B = check_int("B", B, minimum=1)
        self.W = check_int("W", W, minimum=2)
        self.lam = check_int("lam", lam, minimum=0)
        if self.B != 1:
            raise SGCError(
                f"WC-SGC is built for B = 1 (got B={self.B}): a burst may cover the redo "
                "round; use BR-SGC for B > 1"
            )
        if self.lam > self.n:
            raise SGCError(f"WC-SGC needs 0 <= lam <= n (got lam={self.lam}, n={self.n})")
        self.T = 2
        self.K = self.n * self.W - self.lam
        check_scheme_size("WC-SGC", self.n, self.K)

    @property
    def partition_sizes(self):
        """``K = n W - lam`` units of ``1/K`` of a job each."""
        return _sizes(self.K)

    @property
    def load(self):
        return wcsgc_load(self.n, self.W, self.lam)

    def code_basis(self):
        """WC-SGC uses no gradient code (uncoded units): nothing to assume."""
        return None

    # ----- the control logic (units, no coefficients) ---------------------------------------
    def initial_state(self):
        """``(redo, left)``: per worker the units of the job of age 2 it re-computes, and the
        units of the job of age 1 still to place (all empty: the past is straggler-free)."""
        return (((),) * self.n, ())

    def plan_units(self, state):
        """Per worker ``(redo units, leftover units, fresh units)`` of the coming round, and the
        fresh units that do not fit (carried to the next round).

        Leftover units that do not fit (impossible under the design model, see the module
        docstring) are dropped: their job then misses its deadline.
        """
        return _plan(self.n, self.W, self.K, state)

    def tasks(self, state):
        if self.n > EXACT_MAX_N:
            raise SGCError(
                f"WC-SGC's exact tasks have K = {self.K} coefficients each; they are built for "
                f"n <= {EXACT_MAX_N} (got n={self.n}): use plan_units() for the assignment "
                "and decode_rounds() for decodability"
            )
        per_worker, _ = self.plan_units(state)
        out = []
        for units in per_worker:
            ts = []
            for age, what in ((2, "redo"), (1, "leftover"), (0, "fresh")):
                us = units[2 - age]
                if not us:
                    continue
                coeffs = [Fraction(0)] * self.K
                for u in us:
                    coeffs[u] = Fraction(1)
                ts.append(Task(age, tuple(coeffs), f"{what} units {_ranges(us)}", (what,)))
            out.append(tuple(ts))
        return tuple(out)

    def next_state(self, state, tasks, mask):
        return _next(self.n, self.W, self.K, state, mask)

    def decode_rounds(self, pattern, jobs=None):
        """Exact token-level decoding: job ``t`` is decoded at the end of the first round by
        which every one of its ``K`` units was computed by a non-straggler."""
        P = np.asarray(pattern, dtype=bool)
        R = P.shape[1]
        jobs = R if jobs is None else check_int("jobs", jobs, minimum=0)
        masks = masks_of(P, self.n)
        got = [0] * (R + 2)
        out: list = [None] * jobs
        state = self.initial_state()
        for r in range(R):
            per_worker, _ = self.plan_units(state)
            for i, units in enumerate(per_worker):
                if masks[r] >> i & 1:
                    continue
                for age in (0, 1, 2):
                    t = r - age
                    if t >= 0:
                        got[t] += len(units[2 - age])
            for age in (0, 1, 2):
                t = r - age
                if 0 <= t < jobs and out[t] is None and got[t] == self.K:
                    out[t] = r
            state = self.next_state(state, None, masks[r])
        return out


def _ranges(units) -> str:
    """``(0, 1, 2, 5)`` -> ``"0..2, 5"``."""
    runs: list[list[int]] = []
    for u in units:
        if runs and u == runs[-1][1] + 1:
            runs[-1][1] = u
        else:
            runs.append([u, u])
    return ", ".join(f"{a}..{b}" if b > a else f"{a}" for a, b in runs)


@lru_cache(maxsize=4096)
def _plan(n, W, K, state):
    redo, left = state
    cap = [W - len(r) for r in redo]
    placed_left: list[list[int]] = [[] for _ in range(n)]
    i = 0
    for u in left:
        while i < n and cap[i] <= 0:
            i += 1
        if i == n:
            break  # does not fit: dropped (only outside the design model)
        placed_left[i].append(u)
        cap[i] -= 1
    fresh: list[list[int]] = [[] for _ in range(n)]
    u = 0
    for i in range(n):
        take = max(0, min(cap[i], K - u))
        fresh[i] = list(range(u, u + take))
        u += take
    per_worker = tuple((tuple(redo[i]), tuple(placed_left[i]), tuple(fresh[i])) for i in range(n))
    return per_worker, tuple(range(u, K))


def _next(n, W, K, state, mask):
    per_worker, carry = _plan(n, W, K, state)
    redo = []
    left = list(carry)
    for i, (_, lft, fr) in enumerate(per_worker):
        if mask >> i & 1:
            redo.append(lft)  # lost leftover units: redone by this worker next round
            left.extend(fr)  # lost fresh units: leftover work next round
        else:
            redo.append(())
    return (tuple(redo), tuple(sorted(left)))


@lru_cache(maxsize=8)
def _sizes(K: int) -> tuple:
    return (Fraction(1, K),) * K


def backlog_bound(n: int, W: int, lam: int) -> int:
    """The largest pending work (units) of WC-SGC over every straggler-count sequence admitted
    by bursty ``(1, W, lam)``, by the recursion ``S' = max(0, S - lam) + k W`` of the module
    docstring, explored exhaustively over the finite states (last ``W - 1`` counts, ``S``).

    The scheme is correct when this is at most ``n W`` (the round's capacity); the module's
    argument gives ``lam * W``.

    >>> backlog_bound(256, 2, 27), 27 * 2
    (54, 54)
    """
    n = check_int("n", n, minimum=1)
    W = check_int("W", W, minimum=2)
    lam = check_int("lam", lam, minimum=0)
    from ..budget import check_work

    from math import comb

    # states: W - 1 counts summing to at most lam, and S <= lam W; lam + 1 successors each
    check_work(
        comb(lam + W - 1, W - 1) * (lam * W + 1) * (lam + 1),
        f"exploring WC-SGC's backlog for n={n}, W={W}, lam={lam}",
    )
    start = ((0,) * (W - 1), 0)
    seen = {start}
    todo = [start]
    best = 0
    while todo:
        ks, S = todo.pop()
        room = lam - sum(ks)
        for k in range(0, min(room, n) + 1):
            S2 = max(0, S - lam) + k * W
            nxt = (ks[1:] + (k,), S2)
            best = max(best, S2)
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return best
