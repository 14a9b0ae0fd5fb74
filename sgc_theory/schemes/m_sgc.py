"""M-SGC: multiplexed gradient coding and repetition (docs/guide/schemes.md, T = W - 2 + B).

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023, Section 4 (M-SGC).
"""

from __future__ import annotations

from fractions import Fraction

from ..bounds import msgc_delay, msgc_load, msgc_mu, msgc_x
from ..errors import check_seed
from ..rationals import to_fraction
from ._common import (
    BurstyDesigned,
    bursty_params,
    check_construction,
    code_basis,
    code_load,
    gradient_code,
)
from .base import Scheme, Task, Work, check_scheme_size, masks_of


class MSGC(BurstyDesigned, Scheme):
    """Multiplexed SGC with parameters ``(n, B, W, lam)``, ``1 <= B <= W - 1``, ``0 <= lam <= n``.

    Each job's data: D1 (uncoded, ``n (W - 1)`` chunks, chunk ``(i, j)`` owned by worker ``i``)
    and D2 (``B`` groups of ``n`` partitions, each coded with an (n, lam)-GC). Slot ``m`` of
    round ``r`` serves job ``r - m``: D1 slots ``m <= W - 2`` compute chunk ``(i, m)``; D2 slot
    ``m = W - 1 + g`` computes coded task ``(i, g)`` if all of worker ``i``'s chunks arrived,
    else re-computes its lowest missing chunk.

    >>> sch = MSGC(256, B=1, W=2, lam=27)
    >>> sch.T, sch.load
    (1, Fraction(7, 928))

    ``construction`` picks the (n, lam)-GC of the D2 groups as for
    :class:`~sgc_theory.schemes.GC`; ``"stable"`` (float64 execution) has tasks of ``c = 29``
    partitions here instead of 28, and D1/D2 are rebalanced for it:

    >>> MSGC(256, B=1, W=2, lam=27, construction="stable").load
    Fraction(29, 3840)
    """

    name = "msgc"
    load_bound = (
        "every worker computes at most one chunk or coded task of size mu per job age "
        "0..T, whatever the stragglers"
    )

    def __init__(self, n: int, B: int, W: int, lam: int, construction="auto", seed=0):
        self.n, self.B, self.W, self.lam = bursty_params("msgc", n, B, W, lam)
        self.coded = self.lam < self.n
        self.construction = check_construction(construction, self.n, self.lam)
        self.seed = check_seed("seed", seed)
        self.T = int(msgc_delay(self.B, self.W))
        check_scheme_size("M-SGC", self.n, self.n * (self.W - 1 + (self.B if self.coded else 0)))
        # a coded task touches c partitions of its group: lam + 1 for the optimal-load codes,
        # more for the stable code; D1 and D2 are balanced for that c (lam + 1 -> c below)
        custom = code_load(self.n, self.lam, self.construction) if self.coded else None
        self.c = self.lam + 1 if custom is None else int(custom * self.n)
        self.mu = to_fraction(msgc_mu(self.n, self.B, self.W, self.c - 1))
        self.x = to_fraction(msgc_x(self.B, self.W, self.c - 1, self.n))
        d1 = (self.mu,) * (self.n * (self.W - 1))
        d2 = ((1 - self.x) / (self.B * self.n),) * (self.B * self.n) if self.coded else ()
        self.partition_sizes = d1 + d2
        self._full = (1 << (self.W - 1)) - 1
        self._task_cache: dict = {}  # exact tasks, built once per scheme instance

    @property
    def load(self) -> Fraction:
        """The closed form of :mod:`sgc_theory.bounds`; with a code whose tasks touch ``c``
        partitions instead of ``lam + 1`` (``construction="stable"``, a given code), the same
        formula with ``lam + 1`` replaced by ``c``: ``c (W - 1 + B) / (n (B + c (W - 1)))``."""
        return to_fraction(
            msgc_load(self.n, self.B, self.W, self.c - 1 if self.coded else self.lam)
        )

    @property
    def code(self):
        """The exact (n, lam)-GC applied to each D2 group (``None`` when ``lam = n``)."""
        return gradient_code(self.n, self.lam, self.construction, self.seed) if self.coded else None

    def code_basis(self):
        """The (n, lam)-GC of the D2 groups and why it decodes (``None`` when ``lam = n``)."""
        return code_basis(self.n, self.lam, self.construction) if self.coded else None

    # ----- partitions and tasks -----------------------------------------------------------
    def d1_index(self, i: int, j: int) -> int:
        return i * (self.W - 1) + j

    def d2_index(self, g: int, p: int) -> int:
        return self.n * (self.W - 1) + g * self.n + p

    def _chunk(self, age, i, j):
        task = self._task_cache.get(("D1", age, i, j))
        if task is None:
            v = [Fraction(0)] * self.num_partitions
            v[self.d1_index(i, j)] = Fraction(1)
            task = Task(age, tuple(v), f"D1({i},{j})", ("D1", j))
            self._task_cache["D1", age, i, j] = task
        return task

    def _coded(self, age, i, g):
        task = self._task_cache.get(("D2", age, i, g))
        if task is None:
            v = [Fraction(0)] * self.num_partitions
            for p, c in enumerate(self.code.E[i]):
                v[self.d2_index(g, p)] = c
            task = Task(age, tuple(v), f"D2 group {g} row {i}", ("D2", g))
            self._task_cache["D2", age, i, g] = task
        return task

    # state: for ages a = 1..T (index a-1): per worker (D1 chunks received, D2 groups received)
    def initial_state(self):
        clean = ((self._full, (1 << self.B) - 1),) * self.n
        return (clean,) * self.T

    def worker_plan(self, i: int, state) -> tuple:
        """Worker ``i``'s :class:`Work` in the coming round (ages ``0..T``), in slot order."""
        out = [Work(0, ("D1", 0))]
        for m in range(1, self.T + 1):
            d1, _ = state[m - 1][i]
            if m <= self.W - 2:
                out.append(Work(m, ("D1", m)))
            elif d1 != self._full:
                out.append(Work(m, ("D1", _lowest_zero(d1))))
            elif self.coded:
                out.append(Work(m, ("D2", m - (self.W - 1))))
        return tuple(out)

    def plan(self, state):
        return tuple(self.worker_plan(i, state) for i in range(self.n))

    def worker_tasks(self, i: int, state) -> tuple:
        """Worker ``i``'s exact tasks in the coming round, in slot order."""
        return tuple(
            self._chunk(w.age, i, w.tag[1]) if w.tag[0] == "D1" else self._coded(w.age, i, w.tag[1])
            for w in self.worker_plan(i, state)
        )

    def tasks(self, state):
        return tuple(self.worker_tasks(i, state) for i in range(self.n))

    def next_state(self, state, tasks, mask):
        ages = [list(state[a - 1]) for a in range(1, self.T)] if self.T > 1 else []
        new0 = [(0, 0)] * self.n
        for i, ts in enumerate(tasks):
            if mask >> i & 1:
                continue
            for t in ts:
                if t.age == self.T:
                    continue  # the job leaves the state after its deadline round
                row = new0 if t.age == 0 else ages[t.age - 1]
                row[i] = _mark(row[i], t.tag)
        return (tuple(new0),) + tuple(tuple(a) for a in ages)

    def decode_rounds(self, pattern, jobs=None):
        """Token rule: all D1 chunks received, and ``n - lam`` coded tasks of every D2 group."""
        P, jobs = self._pattern_and_jobs(pattern, jobs)
        out = [None] * jobs
        state = self.initial_state()
        for r, mask in enumerate(masks_of(P, self.n)):
            tasks = self.plan(state)
            # per-worker status of the job reaching age T this round (after this round)
            for t in range(max(0, r - self.T), min(jobs, r + 1)):
                if out[t] is not None:
                    continue
                a = r - t
                d1s, d2s = [], []
                for i in range(self.n):
                    d1, d2 = state[a - 1][i] if a >= 1 else (0, 0)
                    if not mask >> i & 1:
                        for tk in tasks[i]:
                            if tk.age == a:
                                d1, d2 = _mark((d1, d2), tk.tag)
                    d1s.append(d1)
                    d2s.append(d2)
                if all(d == self._full for d in d1s) and (
                    not self.coded
                    or all(
                        sum(d2 >> g & 1 for d2 in d2s) >= self.n - self.lam for g in range(self.B)
                    )
                ):
                    out[t] = r
            state = self.next_state(state, tasks, mask)
        return out

    def symmetric_view(self):
        from .symmetric import MSGCView

        return MSGCView(self)


def _lowest_zero(x: int) -> int:
    j = 0
    while x >> j & 1:
        j += 1
    return j


def _mark(status, tag):
    """Record a received task in a worker's ``(D1 mask, D2 mask)`` status of one job."""
    d1, d2 = status
    kind, k = tag
    return (d1 | 1 << k, d2) if kind == "D1" else (d1, d2 | 1 << k)
