"""RWC-SGC: WC-SGC's earliest-deadline-first placement with window-budget-safe replication.

The scheme
----------
Parameters ``n, B, W, lam`` (bursty ``(B, W, lam)``, ``1 <= B <= W - 1``), a deadline ``T``
(default ``B``), a capacity ``P`` (units a worker computes per round, default ``W - 1 + B``) and
a job size ``K`` (units per job, default ``n P - lam B``, the counting bound's); load ``P / K``;
no coding.  It is WC-SGC (:mod:`sgc_theory.schemes.wc_sgc`) with one change, for the units at
their *last chance* (age ``T``: lost now, their job misses its deadline).

In round ``r`` the master knows the stragglers of the last ``W - 1`` rounds.  Let ``u`` be the
number of distinct workers among them and ``b = lam - u`` the *remaining budget of the window*:
in round ``r`` at most ``b`` workers that did not straggle in the last ``W - 1`` rounds
(*fresh* workers) can straggle.  Hence **any ``b + 1`` fresh workers cannot all straggle**, and
a unit computed by each of them is received whatever the adversary does.

1. **Order.**  As WC-SGC: safe workers first (they cannot straggle in round ``r``), then the
   exposed ones; inside each part by record of the last ``W - 1`` rounds (largest first), then
   index.  When ``b >= 1`` the fresh workers are exposed and come last.
2. **Stream.**  Pending units oldest first (age ``T`` down to ``1``), then the ``K`` units of
   the new job.  Let ``A`` be the number of age-``T`` units and ``S = P *`` (safe workers).
3. **Replication.**  If ``A > S`` the first ``S`` age-``T`` units go onto the safe workers and
   the next ``x = min(A - S, floor(f P / (b + 1)))`` are *replicated*, each on ``b + 1``
   distinct fresh workers (``f`` fresh workers; ``x = 0`` when ``b + 1 > f``).  The copies fill
   the fresh workers from the last one backwards, column by column: copy ``g`` (unit
   ``g // (b + 1)``) goes to the fresh worker ``f - 1 - (g mod f)`` of the order, so the
   ``b + 1`` copies of a unit are on distinct workers and the last fresh workers carry one copy
   more than the first ones.
4. **The rest** of the stream (everything not replicated) fills, in the order of step 1, each
   worker's free slots: ``P`` per safe or non-fresh exposed worker, ``P`` minus its copies per
   fresh worker.  What does not fit is pending in the next round.
5. A unit is received when one worker computing it does not straggle.  A straggler's
   non-replicated units, and the units that did not fit, are pending in the next round, one age
   older; a job misses its deadline iff one of its units would become older than ``T``.

Why the replicated units are safe
    Under bursty ``(B, W, lam)`` the round-``r`` window ``[r - W + 1, r]`` holds at most
    ``lam`` distinct stragglers, ``u`` of them already seen in ``[r - W + 1, r - 1]``; so at most
    ``b = lam - u`` workers outside those ``u`` straggle in round ``r``.  A replicated unit sits
    on ``b + 1`` distinct such workers: one of them does not straggle.  (Under a model that
    admits more stragglers, e.g. a larger ``lam``, this fails; the exact verifiers at small
    ``n`` see it.)  When ``A <= S`` the round is exactly WC-SGC's; WC-SGC fails as soon as
    ``A > S`` (the adversary lets the exposed worker holding an age-``T`` unit straggle), so
    this scheme decodes every pattern WC-SGC decodes with the same ``(T, P, K)``.

How correctness is proved
    Per instance, for all horizons, by an exact count automaton
    (:mod:`sgc_theory.verify.rwc_counts`, docs/guide/verification.md, "RWC-SGC on counts"),
    cross-checked against the exact per-worker verifiers at ``n = 3 .. 5``.  WC-SGC's
    monotonicity lemma does *not* hold here (an older pending unit may be better for the
    scheme: at age ``T`` it is protected, at age ``T - 1`` it is not), so that automaton keeps
    every reachable count state and lets the adversary choose freely among workers with
    different work.

The join-padded variant
    ``RWCSGC(..., pad=J)`` places as RWC-SGC does with the pending vector ``J[c]`` of a table
    (``c`` the record counts), real pending units in the oldest slots; it is proved for all
    horizons when the table is closed under the count automaton's transitions, which a join
    fixpoint checks at WC-SGC's join cost (:mod:`sgc_theory.verify.rwc_join`; build it with
    :func:`sgc_theory.verify.rwc_join.padded`).  Outside the table (not reached under the
    design model when the table is closed) it places as RWC-SGC.

Exact tasks (coefficient vectors over the ``K`` units) are built for ``n <= 64``; every
replicated unit is its own task (so overlapping supports never hide a missing unit), and the
token decoder :meth:`RWCSGC.decode_rounds` is exact at any ``n``.  Command line:
``--scheme rwcsgc --B --W --lam [--T --capacity --units]``.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache


from ..errors import SGCError, check_int
from ._common import BurstyDesigned, bursty_params
from .base import Scheme, Task, check_scheme_size
from .wc_sgc import _ranges, _sizes, token_decode_rounds, worker_order

__all__ = ["RWCSGC", "replication_layout"]

#: exact coefficient vectors have ``K`` entries; built for n up to this
EXACT_MAX_N = 64


def replication_layout(f: int, P: int, excess: int, budget: int) -> tuple[int, tuple[int, ...]]:
    """``(x, copies)``: how many last-chance units are replicated and how many copies each of
    the ``f`` fresh workers (in order) carries, for ``excess`` age-``T`` units beyond the safe
    capacity and window budget ``budget`` (each unit on ``budget + 1`` fresh workers).

    >>> replication_layout(5, 3, 2, 2)   # 2 units x 3 copies over 5 workers, from the last
    (2, (1, 1, 1, 1, 2))
    """
    c = budget + 1
    if excess <= 0 or budget < 1 or c > f:
        return 0, (0,) * f
    x = min(excess, (f * P) // c)
    q, rem = divmod(x * c, f)
    return x, tuple(q + (1 if j >= f - rem else 0) for j in range(f))


class RWCSGC(BurstyDesigned, Scheme):
    """WC-SGC with window-budget-safe replication of last-chance units (see the module
    docstring): delay ``T`` (default ``B``), load ``P / K``; correct only where a proof of the
    instance says so (:func:`~sgc_theory.verify.verify`, ``method="counts"`` at any ``n``).

    >>> sch = RWCSGC(8, B=2, W=3, lam=2)
    >>> sch.T, sch.P, sch.K, sch.load
    (2, 4, 28, Fraction(1, 7))
    """

    name = "rwcsgc"
    #: :meth:`decode_rounds` is exact (uncoded units, replicas sent one unit per task)
    exact_token_rule = True

    def __init__(self, n: int, B: int, W: int, lam: int, *, T=None, P=None, K=None, pad=None):
        self.n, self.B, self.W, self.lam = bursty_params("wcsgc", n, B, W, lam)
        self.T = self.B if T is None else check_int("T", T, minimum=1)
        self.P = self.W - 1 + self.B if P is None else check_int("P", P, minimum=1)
        self.K = self.n * self.P - self.lam * self.B if K is None else check_int("K", K, minimum=1)
        if self.K < 1:
            raise SGCError(f"K must be at least 1 (got the default n P - lam B = {self.K})")
        check_scheme_size("RWC-SGC", self.n, self.K)
        self._model = self.design_model
        #: for the join-padded variant, the pending units per age to act on, by record count
        self.pad = None if pad is None else _check_pad(pad, self.W, self.T)

    def _params(self):
        out = super()._params() + f", T={self.T}, P={self.P}, K={self.K}"
        return out + (f", pad=<{len(self.pad)} record counts>" if self.pad is not None else "")

    @property
    def partition_sizes(self):
        """``K`` units of ``1/K`` of a job each."""
        return _sizes(self.K)

    @property
    def load(self) -> Fraction:
        """``P / K``: a worker computes at most ``P`` units (copies included) per round."""
        return Fraction(self.P, self.K)

    def code_basis(self):
        """RWC-SGC uses no gradient code (uncoded units): nothing to assume."""
        return None

    def initial_state(self):
        """``(hist, pending)`` as WC-SGC's: the last ``W - 1`` straggler masks and the missing
        units of the jobs of ages ``1 .. T``."""
        return ((0,) * (self.W - 1), ((),) * self.T)

    def plan_units(self, state):
        """``(per_worker, carry)``: per worker a tuple of ``(age, units, replicated)`` groups for
        the coming round; ``carry`` the ``(age, unit)`` pairs that do not fit."""
        return _plan(self._model, self.P, self.K, self.T, state)

    def tasks(self, state):
        if self.n > EXACT_MAX_N:
            raise SGCError(
                f"RWC-SGC's exact tasks have K = {self.K} coefficients each; they are built for "
                f"n <= {EXACT_MAX_N} (got n={self.n}): use plan_units() and decode_rounds()"
            )
        per_worker, _ = self.plan_units(state)
        out = []
        for groups in per_worker:
            ts = []
            for age, us, rep in groups:
                chunks = [(u,) for u in us] if rep else [us]
                for chunk in chunks:
                    coeffs = [Fraction(0)] * self.K
                    for u in chunk:
                        coeffs[u] = Fraction(1)
                    what = "replica" if rep else ("fresh" if age == 0 else "pending")
                    ts.append(Task(age, tuple(coeffs), f"{what} units {_ranges(chunk)}", (what,)))
            out.append(tuple(ts))
        return tuple(out)

    def next_state(self, state, tasks, mask):
        return _next_from_plan(self.plan_units(state), state, mask, self.T)

    def decode_rounds(self, pattern, jobs=None):
        """Exact token-level decoding: job ``t`` is decoded at the end of the first round by
        which each of its ``K`` units was computed by some non-straggler."""
        return token_decode_rounds(self, pattern, jobs)


@lru_cache(maxsize=4096)
def _plan(model, P, K, T, state):
    hist, pend = state
    order, nsafe = worker_order(model, hist)
    union = 0
    for m in hist:
        union |= m
    budget = model.lam - union.bit_count()
    exposed = order[nsafe:]
    fresh = [i for i in exposed if model._worker_hist(hist, i) == 0] if budget >= 1 else []
    stream = [(a, u) for a in range(T, 0, -1) for u in pend[a - 1]]
    stream.extend((0, u) for u in range(K))
    S = nsafe * P
    x, copies = replication_layout(len(fresh), P, len(pend[T - 1]) - S, budget)
    reps = stream[S : S + x]
    rest = stream[:S] + stream[S + x :]
    held: dict = {i: [] for i in order}
    for g in range(x * (budget + 1)):
        held[fresh[len(fresh) - 1 - g % len(fresh)]].append(reps[g // (budget + 1)] + (True,))
    room = {i: P for i in order}
    for j, i in enumerate(fresh):
        room[i] -= copies[j]
    pos = 0
    for i in order:
        seg = rest[pos : pos + room[i]]
        pos += len(seg)
        held[i] = [(a, u, False) for a, u in seg] + held[i]
    per_worker: list = [()] * model.n
    for i in order:
        groups: dict = {}
        for a, u, rep in held[i]:
            groups.setdefault((a, rep), []).append(u)
        per_worker[i] = tuple((a, tuple(us), rep) for (a, rep), us in groups.items())
    return tuple(per_worker), tuple(rest[pos:])


def record_counts(model, hist) -> tuple:
    """``c[h]`` = how many workers have record ``h`` of the last ``W - 1`` rounds (bit 0 = the
    last round), the count automaton's view of ``hist``."""
    c = [0] * (1 << (model.W - 1))
    for i in range(model.n):
        c[model._worker_hist(hist, i)] += 1
    return tuple(c)


def _check_pad(pad, W, T) -> dict:
    if not isinstance(pad, dict) or not all(
        len(c) == 1 << (W - 1) and len(p) == T and min(p, default=0) >= 0 for c, p in pad.items()
    ):
        raise SGCError(
            "pad must map record counts (2^(W-1) entries) to pending units per age (T entries), "
            "e.g. the table of sgc_theory.verify.rwc_join.join_table"
        )
    return {tuple(c): tuple(p) for c, p in pad.items()}


def _plan_padded(model, P, K, T, pad, state):
    """RWC-SGC's plan for the virtual pending vector ``pad[c]``, real units in its oldest slots."""
    hist, pend = state
    c = record_counts(model, hist)
    real = [(a, u) for a in range(T, 0, -1) for u in pend[a - 1]]  # oldest first
    slots = [
        (a, ("slot", a, j)) for a in range(T, 0, -1) for j in range(pad.get(c, (0,) * T)[a - 1])
    ]
    if (
        c not in pad
        or len(real) > len(slots)
        or any(ra > sa for (ra, _), (sa, _) in zip(real, slots))
    ):  # outside the table (not reached under the design model when the table is closed)
        return _plan(model, P, K, T, state)
    where = {sl: r for (_, sl), r in zip(slots, real)}
    vpend = tuple(tuple(("slot", a, j) for j in range(pad[c][a - 1])) for a in range(1, T + 1))
    per_worker, carry = _plan(model, P, K, T, (hist, vpend))

    def real_of(a, u):
        return (0, u) if a == 0 else where.get(u)

    out = []
    for groups in per_worker:
        regroup: dict = {}
        for a, us, rep in groups:
            for u in us:
                r = real_of(a, u)
                if r is not None:
                    regroup.setdefault((r[0], rep), []).append(r[1])
        out.append(tuple((a, tuple(us), rep) for (a, rep), us in regroup.items()))
    real_carry = tuple(r for a, u in carry if (r := real_of(a, u)) is not None)
    return tuple(out), real_carry


def _next_from_plan(plan, state, mask, T):
    hist, _ = state
    per_worker, carry = plan
    lost: dict = {}  # (age, unit) -> still possibly lost (no holder received it)
    for i, groups in enumerate(per_worker):
        straggled = bool(mask >> i & 1)
        for a, us, _rep in groups:
            for u in us:
                lost[(a, u)] = lost.get((a, u), True) and straggled
    pend: list[list[int]] = [[] for _ in range(T)]
    for a, u in carry:
        if a < T:  # a unit of age T that does not fit misses its deadline: dropped
            pend[a].append(u)
    for (a, u), gone in lost.items():
        if gone and a < T:
            pend[a].append(u)
    new_hist = (tuple(hist[1:]) + (mask,)) if hist else ()
    return (new_hist, tuple(tuple(sorted(p)) for p in pend))
