"""BR-SGC: balanced re-computation, a sequential scheme found from the covering LP's optima.

The scheme
----------
Parameters ``n, B, W, lam`` with ``1 <= B <= W - 1``; delay ``T = B``; no coding.  Each job's
data is cut into ``n^2`` equal partitions.  In round ``r`` let ``R`` be the workers that
straggled in round ``r - B`` (``k = |R|``):

* every worker of ``R`` **re-computes its own share of job** ``r - B`` (the partitions it held
  and lost), and computes ``k`` partitions of job ``r``;
* every other worker computes ``n + k`` partitions of job ``r``

(consecutive partitions in worker order: ``k * k + (n - k)(n + k) = n^2``, so job ``r`` is
covered exactly once).  Job ``t`` is decoded at the end of round ``t`` when nobody straggled,
otherwise at the end of round ``t + B``: its partitions come from the non-stragglers of round
``t`` and from the stragglers' re-computations in round ``t + B``.

Why it is correct under bursty ``(B, W, lam)``
    A worker straggling in round ``t`` cannot straggle in round ``t + B``: both rounds lie in one
    window of ``W >= B + 1`` rounds and span ``B + 1 > B`` of them.  So every re-computation
    arrives, and job ``t`` is decodable exactly when no worker straggles in both ``t`` and
    ``t + B`` (the token rule of :meth:`BRSGC.decode_rounds` is therefore exact, with no code
    behind it).

Load ``(n + lam) / n^2``
    Let ``k`` be the number of stragglers of round ``r - B`` and ``k'`` that of round ``r - 2B``.

    1. A fresh worker of round ``r`` computes ``(n + k)/n^2``, and ``k <= lam`` (the stragglers of
       one round lie in one window).
    2. A re-computing worker ``i`` of round ``r`` straggled in round ``r - B``.  It did not
       straggle in round ``r - 2B``: rounds ``r - 2B`` and ``r - B`` span ``B + 1 <= W`` rounds,
       so they share a window, and by the argument above no worker straggles in two rounds
       ``B`` apart.  Hence in round ``r - B`` worker ``i`` was fresh: it carried no
       re-computation then (only stragglers of round ``r - 2B`` re-compute in round ``r - B``),
       and its share of job ``r - B`` was ``(n + k')/n^2``.
    3. In round ``r`` it re-computes exactly that share and computes ``k/n^2`` of job ``r``:
       ``(n + k' + k)/n^2`` in all.
    4. The stragglers of rounds ``r - 2B`` and ``r - B`` are ``k' + k`` distinct workers (step 2)
       inside one window, so ``k' + k <= lam``, and the load is at most ``(n + lam)/n^2``; it is
       reached when ``lam`` workers straggle in round ``r - B`` (``k = lam``).

Where it comes from
    The covering LP by worker types (:mod:`sgc_theory.design.type_lp`) for bursty ``(1, 2,
    lam)``, ``T = 1``, restricted to single-worker sets (``max_replication=1``), has optimum
    ``(n + lam)/n^2`` exactly on every case solved (``n = 6 .. 256``, ``lam <= 100``), and its
    solutions give the fresh workers ``(n + k)/n^2`` and the ``k`` safe workers ``k/n^2`` of the
    new job: this scheme is that solution, written for every ``B <= W - 1``.  The unrestricted LP
    is lower (it also replicates part of each job on pairs of workers): at ``n = 256``, bursty
    ``(1, 2, 27)``, ``T = 1`` its optimum is 0.00428259 against ``283/65536 = 0.00431824`` here
    (0.83 % above) and M-SGC's ``7/928 = 0.00754``.  For ``W > B + 1`` or ``B > 1`` the LP gains
    more over this scheme (it uses the workers made safe by older bursts as well).

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023 (the bursty model; SR-SGC and M-SGC, which this scheme is compared to).
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..bounds import brsgc_delay, brsgc_load
from ..errors import SGCError, check_int
from ..rationals import to_fraction
from ._common import BurstyDesigned, bursty_params
from .base import Scheme, Task, Work, masks_of

__all__ = ["BRSGC"]

#: exact coefficient vectors have n^2 entries; beyond this n use shares()/decode_rounds()
EXACT_MAX_N = 64


class BRSGC(BurstyDesigned, Scheme):
    """Balanced re-computation SGC with parameters ``(n, B, W, lam)``, ``1 <= B <= W - 1``.

    See the module docstring for the scheme, its proof and the LP solutions it comes from.

    >>> sch = BRSGC(256, B=1, W=2, lam=27)
    >>> sch.T, sch.load
    (1, Fraction(283, 65536))
    >>> sch.shares((0, 0b101), 0)   # after workers 0 and 2 straggled: 2 new, 256 redone
    [(0, 0, 2), (1, 0, 256)]
    >>> sch.shares((0, 0b101), 1)   # a fresh worker: n + k = 258 partitions of the new job
    [(0, 2, 260)]
    """

    name = "brsgc"
    #: :meth:`decode_rounds` is exact (see the module docstring), not only sufficient
    exact_token_rule = True
    #: the state is the last 2B straggler masks, so no task is needed to advance it
    next_state_needs_tasks = False

    def __init__(self, n: int, B: int, W: int, lam: int):
        # the rules of this family (PR-SGC's too, when called for it) from the one table
        self.n, self.B, self.W, self.lam = bursty_params(self.name, n, B, W, lam)
        self.T = int(brsgc_delay(self.B))
        self.K = self.n * self.n

    @property
    def partition_sizes(self):
        """``n^2`` partitions of ``1/n^2`` of a job each (one shared tuple per ``n``)."""
        return _sizes(self.n)

    @property
    def load(self) -> Fraction:
        return to_fraction(brsgc_load(self.n, self.lam))

    def code_basis(self):
        """BR-SGC uses no gradient code (uncoded partitions): nothing to assume."""
        return None

    # ----- shares ---------------------------------------------------------------------------
    def _ranges(self, redo_mask: int) -> list:
        """Per worker ``(start, stop)`` of its partitions of a job whose round had re-computing
        workers ``redo_mask``."""
        k = redo_mask.bit_count()
        out = []
        pos = 0
        for i in range(self.n):
            size = k if redo_mask >> i & 1 else self.n + k
            out.append((pos, pos + size))
            pos += size
        return out

    def _range(self, redo_mask: int, i: int) -> tuple:
        """Worker ``i``'s entry of :meth:`_ranges` without listing the others: workers before
        ``i`` take ``n + k`` partitions each, less ``n`` for each re-computing one."""
        k = redo_mask.bit_count()
        start = i * (self.n + k) - self.n * (redo_mask & ((1 << i) - 1)).bit_count()
        return start, start + (k if redo_mask >> i & 1 else self.n + k)

    def shares(self, state, i: int) -> list:
        """Worker ``i``'s work in the coming round: ``(age, start, stop)`` partition ranges.

        ``state`` is the scheme state: the straggler masks of the last ``2B`` rounds, oldest
        first (or any tuple whose last ``2B`` entries are those masks).
        """
        return self._work(state, i)

    # ----- what BR-SGC and PR-SGC share: own-share re-computation B rounds later ------------
    def _new_ranges(self, redo: int, i: int) -> list:
        """Worker ``i``'s ``(start, stop)`` ranges of the new job when ``redo`` re-compute."""
        return [self._range(redo, i)]

    def _lost_ranges(self, older: int, redo: int, i: int) -> list:
        """What straggler ``i`` re-computes of job ``r - B``: its ranges of that job, laid out
        when ``older`` re-computed, that no other worker returned (``redo`` straggled then)."""
        return [self._range(older, i)]

    def _work(self, state, i: int) -> list:
        """``(age, start, stop)``: worker ``i``'s ranges of the new job (age 0) and, when it
        straggled ``B`` rounds ago, what it lost then (age ``B``), from the last ``2B`` masks."""
        st = tuple(state)[-2 * self.B :]
        older, redo = st[0], st[self.B]
        out = [(0, a, b) for a, b in self._new_ranges(redo, i)]
        if redo >> i & 1:
            out += [(self.B, a, b) for a, b in self._lost_ranges(older, redo, i)]
        return out

    def worker_work(self, state) -> tuple:
        """Exact data each worker computes in the round played from ``state``, from its ranges
        (:meth:`shares`; at any ``n``, without building the exact tasks): BR-SGC's ranges count
        partitions of ``1/n^2``, PR-SGC's are fractions of the job. Under the design model it
        is at most the load (the module docstring's proof); outside it, not always: ``k``
        stragglers of round ``r - B`` give a fresh BR-SGC worker ``(n + k)/n^2``."""
        unit = Fraction(1, self.K) if self.name == "brsgc" else Fraction(1)
        return tuple(
            sum((unit * (b - a) for _, a, b in self._work(state, i)), Fraction(0))
            for i in range(self.n)
        )

    def _partition_ids(self, start, stop) -> range:
        """The partitions of the range ``[start, stop)``."""
        return range(start, stop)

    def _label(self, age: int, start, stop) -> str:
        what = "share" if age == 0 else "re-computed share"
        return f"{what}: partitions {start}..{stop - 1}"

    def _range_tasks(self, state, partitions: int) -> tuple:
        """Per worker, one uncoded :class:`Task` per range of :meth:`_work` (ones on its
        partitions), over ``partitions`` partitions per job."""
        out = []
        for i in range(self.n):
            ts = []
            for age, a, b in self._work(state, i):
                coeffs = [Fraction(0)] * partitions
                for p in self._partition_ids(a, b):
                    coeffs[p] = Fraction(1)
                tag = ("share" if age == 0 else "redo",)
                ts.append(Task(age, tuple(coeffs), self._label(age, a, b), tag))
            out.append(tuple(ts))
        return tuple(out)

    def _losers(self, masks: list, t: int) -> int:
        """Bitmask of the workers of round ``t`` that lost data of job ``t`` (every straggler:
        each holds a share of its own)."""
        return masks[t]

    # ----- state machine ----------------------------------------------------------------------
    def initial_state(self):
        return (0,) * (2 * self.B)

    def plan(self, state):
        """Per worker, its :class:`Work` of the coming round (no coefficients)."""
        redo = state[self.B]
        return tuple(
            (Work(0, ("share",)),) + ((Work(self.B, ("redo",)),) if redo >> i & 1 else ())
            for i in range(self.n)
        )

    def tasks(self, state):
        if self.n > EXACT_MAX_N:
            raise SGCError(
                f"BR-SGC's exact tasks have n^2 = {self.K} coefficients each; they are "
                f"built for n <= {EXACT_MAX_N} (got n={self.n}): use shares() for "
                "the assignment and decode_rounds() / verify() for decodability"
            )
        return self._range_tasks(state, self.K)

    def next_state(self, state, tasks, mask):
        return tuple(state[1:]) + (mask,)

    def decode_rounds(self, pattern, jobs=None):
        """Exact token rule: job ``t`` is decoded in round ``t`` if no straggler of round ``t``
        lost data of it (for BR-SGC: nobody straggled then), else in round ``t + B`` if none of
        those that lost data straggles again in ``t + B`` (each re-computes exactly what it
        lost; PR-SGC says which stragglers lost data in ``_losers``)."""
        P = np.asarray(pattern, dtype=bool)
        R = P.shape[1]
        jobs = R if jobs is None else check_int("jobs", jobs, minimum=0)
        masks = masks_of(P, self.n)
        out = [None] * jobs
        for t in range(min(jobs, R)):
            losers = self._losers(masks, t)
            if not losers:
                out[t] = t
            elif t + self.B < R and not masks[t + self.B] & losers:
                out[t] = t + self.B
        return out

    def symmetric_view(self):
        from .symmetric import BRSGCView

        return BRSGCView(self)


@lru_cache(maxsize=8)
def _sizes(n: int) -> tuple:
    return (Fraction(1, n * n),) * (n * n)
