"""WC-SGC: work-conserving, earliest-deadline-first placement at the counting bound.

The scheme
----------
Parameters ``n, B, W, lam`` with ``1 <= B <= W - 1`` and ``0 <= lam <= n``; delay
``T = B + 1``; no coding.  Let ``P = W - 1 + B``.  Each job's data is cut into
``K = n P - lam B`` equal units and every worker computes at most ``P`` units per round, so the
load is ``P / (n P - lam B)``: the counting bound of bursty ``(B, W, lam)``, a lower bound on the
load of every scheme whatever its delay.  The load is therefore optimal.

The master keeps, for every job of age ``1 .. T``, the number of its units still missing (units
of one job are interchangeable).  In round ``r``:

1. **Safe workers.**  From the stragglers of the last ``W - 1`` rounds the master knows which
   workers *cannot* straggle in round ``r`` under bursty ``(B, W, lam)``: those whose own record
   forbids it (a straggle now would spread their straggles in one window over more than ``B``
   rounds), and, once ``lam`` distinct workers straggled in the last ``W - 1`` rounds, every
   other worker.  These are *safe*; the others are *exposed*.
2. **Worker order.**  Safe workers first, then the exposed ones; inside each part, workers by
   their record of the last ``W - 1`` rounds read as a binary number (bit 0 = last round),
   largest first (deeper into a burst first: they become safe soonest), then by index.
3. **Placement.**  The *stream* lists the pending units oldest job first (age ``T`` down to
   ``1``), then the ``K`` units of the new job.  The ``j``-th worker of the order computes the
   stream's units ``j P .. (j + 1) P - 1``.  Units beyond ``n P`` wait for the next round.
4. A straggler's units, and the units that did not fit, are pending in the next round, one age
   older.  A job misses its deadline iff one of its units would become older than ``T``.

So the oldest work is always placed first and on the safe workers; every non-straggling
worker-round is used in full when there is work (hence "work-conserving").  For ``B = 1`` a
worker that straggled in the last round is safe, so the oldest work goes back onto the previous
round's stragglers (the re-computation of WC-SGC's first version).

Why it is correct
    There is no closed-form argument for every ``(B, W, lam)``; the guarantee is proved by
    machine, for every horizon: an exact automaton over (how many workers have each record of
    the last ``W - 1`` rounds, pending units per age) explored to a fixpoint
    (:mod:`sgc_theory.verify.counts`, docs/guide/verification.md).  The abstraction is exact
    because the placement depends only on those counts (workers of one record are taken in index
    order), and two facts make it small: more, or older, pending work is never better for the
    scheme (*monotonicity*), and among the workers of one record the adversary loses the most by
    making the first ones straggle (*dominance*).  Proved this way: every ``(B, W)`` with
    ``W <= 5`` for every ``lam`` at ``n <= 8`` (and independently by the exact verifier at
    ``n <= 5``), and ``n = 256`` on the grid of ``benchmarks/bench_verify.py``.  For ``B = 1``
    the backlog argument of :func:`backlog_bound` gives a proof by hand.

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

Other deadlines, capacities and job sizes
    ``WCSGC(n, B, W, lam, T=T, P=P, K=K)`` runs the same placement with deadline ``T``,
    capacity ``P`` and ``K`` units per job (load ``P / K``); ``tuned`` is then true and the
    scheme is correct only where a proof of the instance says so: the count automaton decides
    it exactly for any ``(T, P, K)`` (its three lemmas never use the theorem's values).  At
    ``T = B``, where no scheme reaches the counting bound in general,
    :func:`sgc_theory.design.largest_units` finds the largest ``K`` per capacity.

Where it comes from
    The covering LP by worker types reaches the counting bound at ``T = B + 1`` in every case
    solved, already with single-worker sets; the periodic pattern (``lam`` workers straggling
    ``B`` rounds out of every ``P``) balances exactly ``K`` units of new work against the
    ``n P - lam B`` units the non-stragglers compute per round on average.

Scope
    The exact state machine (tasks with coefficient vectors over the ``K`` units) is built for
    small ``n`` (``EXACT_MAX_N``); :meth:`WCSGC.decode_rounds` is an exact token-level decoder
    (the scheme is uncoded) usable at any ``n``.  On the command line it is
    ``--scheme wcsgc --B --W --lam``.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..bounds.loads import wcsgc_delay
from ..errors import SGCError, check_int
from ._common import BurstyDesigned, bursty_params
from .base import Scheme, Task, check_scheme_size, masks_of

__all__ = ["WCSGC", "backlog_bound", "worker_order"]

#: exact coefficient vectors have ``n P - lam B`` entries; built for n up to this
EXACT_MAX_N = 64


def worker_order(model, hist) -> tuple[tuple[int, ...], int]:
    """``(order, safe)``: WC-SGC's worker order after the rounds ``hist`` (the model automaton's
    state: the last ``W - 1`` straggler masks, oldest first) and how many of its first workers
    are safe (cannot straggle in the coming round under ``model``).

    >>> from sgc_theory.models import Bursty
    >>> worker_order(Bursty(4, 2, 3, 3), (0b0001, 0b0010))   # 0 straggled 2 rounds ago, 1 last
    ((0, 1, 2, 3), 1)
    """
    n, lam = model.n, model.lam
    union = 0
    for m in hist:
        union |= m
    room = union.bit_count() < lam
    keys = []
    for i in range(n):
        h = model._worker_hist(hist, i)
        exposed = model.row_ok((h << 1) | 1) and (h != 0 or room)
        keys.append((exposed, -h, i))
    keys.sort()
    return tuple(k[2] for k in keys), sum(1 for k in keys if not k[0])


class WCSGC(BurstyDesigned, Scheme):
    """Work-conserving SGC for bursty ``(B, W, lam)``: delay ``B + 1``, load
    ``P / (n P - lam B)`` with ``P = W - 1 + B`` (the counting bound).

    See the module docstring for the scheme and how its correctness is proved.

    >>> sch = WCSGC(256, B=2, W=3, lam=23)
    >>> sch.T, sch.load, sch.num_partitions
    (3, Fraction(2, 489), 978)
    >>> per_worker, carry = sch.plan_units(sch.initial_state())
    >>> per_worker[0], len(per_worker[244]), carry       # ((age, units), ...) per worker
    (((0, (0, 1, 2, 3)),), 1, ())
    """

    name = "wcsgc"
    load_bound = (
        "every worker computes at most P units of 1/K of a job per round, whatever the "
        "stragglers (the pending units wait, they are never crowded onto a worker)"
    )
    #: :meth:`decode_rounds` is exact (uncoded units), not only sufficient
    exact_token_rule = True

    def __init__(self, n: int, B: int, W: int, lam: int, *, T: int | None = None, P=None, K=None):
        self.n, self.B, self.W, self.lam = bursty_params("wcsgc", n, B, W, lam)
        defaults = _defaults(self.n, self.B, self.W, self.lam)
        self.T, self.P, self.K = (
            d if v is None else check_int(name, v, minimum=lo)
            for name, v, d, lo in zip(("T", "P", "K"), (T, P, K), defaults, (1, 1, 1))
        )
        #: True when ``T``, ``P`` or ``K`` differ from the theorem's: the load ``P/K`` is then
        #: correct only where a proof of this instance says so (:func:`~sgc_theory.verify.verify`)
        self.tuned = (self.T, self.P, self.K) != defaults
        check_scheme_size("WC-SGC", self.n, self.K)
        self._model = self.design_model

    def _params(self):
        base = super()._params()
        return base + (f", T={self.T}, P={self.P}, K={self.K}" if self.tuned else "")

    @property
    def partition_sizes(self):
        """``K`` units of ``1/K`` of a job each (``K = n P - lam B`` by default)."""
        return _sizes(self.K)

    @property
    def load(self) -> Fraction:
        """``P / K``: each worker computes at most ``P`` units of ``1/K`` of a job per round
        (the closed form :func:`~sgc_theory.bounds.wcsgc_load` for the theorem's values)."""
        return Fraction(self.P, self.K)

    def code_basis(self):
        """WC-SGC uses no gradient code (uncoded units): nothing to assume."""
        return None

    # ----- the control logic (units, no coefficients) ---------------------------------------
    def initial_state(self):
        """``(hist, pending)``: the last ``W - 1`` straggler masks (oldest first) and, for the
        jobs of ages ``1 .. T``, the units still missing (all clean and empty at the start)."""
        return ((0,) * (self.W - 1), ((),) * self.T)

    def plan_units(self, state):
        """Per worker a tuple of ``(age, units)`` for the coming round, and the ``(age, unit)``
        pairs of the stream that do not fit (pending in the next round)."""
        return _plan(self._model, self.P, self.K, self.T, state)

    def tasks(self, state):
        if self.n > EXACT_MAX_N:
            raise SGCError(
                f"WC-SGC's exact tasks have K = {self.K} coefficients each; they are built for "
                f"n <= {EXACT_MAX_N} (got n={self.n}): use plan_units() for the assignment "
                "and decode_rounds() for decodability"
            )
        per_worker, _ = self.plan_units(state)
        out = []
        for groups in per_worker:
            ts = []
            for age, us in groups:
                coeffs = [Fraction(0)] * self.K
                for u in us:
                    coeffs[u] = Fraction(1)
                what = "fresh" if age == 0 else "pending"
                ts.append(Task(age, tuple(coeffs), f"{what} units {_ranges(us)}", (what,)))
            out.append(tuple(ts))
        return tuple(out)

    def next_state(self, state, tasks, mask):
        return _next(self._model, self.P, self.K, self.T, state, mask)

    def decode_rounds(self, pattern, jobs=None):
        """Exact token-level decoding: job ``t`` is decoded at the end of the first round by
        which every one of its ``K`` units was computed by a non-straggler."""
        return token_decode_rounds(self, pattern, jobs)


def token_decode_rounds(scheme, pattern, jobs=None) -> list:
    """The token decoder of the unit-placing families (WC-SGC, RWC-SGC): job ``t`` is decoded
    at the end of the first round by which each of its ``K`` units was computed by some
    non-straggler (a replicated unit counts once). ``scheme.plan_units(state)`` gives per worker
    the groups ``(age, units, ...)`` of a round."""
    P = np.asarray(pattern, dtype=bool)
    R = P.shape[1]
    jobs = R if jobs is None else check_int("jobs", jobs, minimum=0)
    masks = masks_of(P, scheme.n)
    got: list[set] = [set() for _ in range(R + scheme.T + 1)]
    out: list = [None] * jobs
    state = scheme.initial_state()
    for r in range(R):
        per_worker, _ = scheme.plan_units(state)
        for i, groups in enumerate(per_worker):
            if not masks[r] >> i & 1:
                for age, us, *_ in groups:
                    if r - age >= 0:
                        got[r - age].update(us)
        for age in range(scheme.T + 1):
            t = r - age
            if 0 <= t < jobs and out[t] is None and len(got[t]) == scheme.K:
                out[t] = r
        state = scheme.next_state(state, None, masks[r])
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
def _plan(model, P, K, T, state):
    hist, pend = state
    order, _ = worker_order(model, hist)
    stream = [(a, u) for a in range(T, 0, -1) for u in pend[a - 1]]
    stream.extend((0, u) for u in range(K))
    per_worker: list = [()] * model.n
    for j, i in enumerate(order):
        seg = stream[j * P : (j + 1) * P]
        groups: dict = {}
        for a, u in seg:
            groups.setdefault(a, []).append(u)
        per_worker[i] = tuple((a, tuple(us)) for a, us in groups.items())
    return tuple(per_worker), tuple(stream[model.n * P :])


def _next(model, P, K, T, state, mask):
    hist, _ = state
    per_worker, carry = _plan(model, P, K, T, state)
    pend: list[list[int]] = [[] for _ in range(T)]
    for a, u in carry:
        if a < T:  # a unit of age T that does not fit misses its deadline: dropped
            pend[a].append(u)
    for i, groups in enumerate(per_worker):
        if mask >> i & 1:
            for a, us in groups:
                if a < T:  # lost at age T: its job misses the deadline
                    pend[a].extend(us)
    new_hist = (tuple(hist[1:]) + (mask,)) if hist else ()
    return (new_hist, tuple(tuple(sorted(p)) for p in pend))


def _defaults(n: int, B: int, W: int, lam: int) -> tuple[int, int, int]:
    """The theorem's ``(T, P, K)``: delay ``B + 1``, capacity ``W - 1 + B``, ``n P - lam B``
    units."""
    P = W - 1 + B
    return int(wcsgc_delay(B)), P, n * P - lam * B


@lru_cache(maxsize=8)
def _sizes(K: int) -> tuple:
    return (Fraction(1, K),) * K


def backlog_bound(n: int, W: int, lam: int) -> int:
    """For ``B = 1``: the largest pending work (units) of WC-SGC over every straggler-count
    sequence admitted by bursty ``(1, W, lam)``, by the recursion ``S' = max(0, S - lam) + k W``,
    explored exhaustively over the finite states (last ``W - 1`` counts, ``S``).

    This is the proof by hand for ``B = 1``: when the stream's fresh job does not fit, every
    worker computes ``W`` units and the ``k`` stragglers lose at most ``k W``, so
    ``S' <= max(0, S - lam) + k W``; at most ``lam`` stragglers fall in any ``W`` rounds, so
    ``S <= lam W <= n W`` and all pending work is placed.  The oldest work (age 2) was lost by the
    previous round's stragglers, who are safe now and have room for it.

    >>> backlog_bound(256, 2, 27), 27 * 2
    (54, 54)
    """
    n = check_int("n", n, minimum=1)
    W = check_int("W", W, minimum=2)
    lam = check_int("lam", lam, minimum=0)
    from math import comb

    from ..budget import check_work

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
