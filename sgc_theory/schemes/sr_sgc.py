"""SR-SGC: gradient coding with selective re-attempts (docs/guide/schemes.md, T = B).

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023, Section 3 (SR-SGC).
"""

from __future__ import annotations

from fractions import Fraction

from ..bounds import srsgc_delay, srsgc_load, srsgc_s
from ..errors import SGCError, check_seed
from ..rationals import to_fraction
from ._common import (
    BurstyDesigned,
    bits,
    bursty_params,
    check_construction,
    code_basis,
    code_load,
    gradient_code,
)
from .base import Scheme, Task, Work, check_scheme_size, masks_of

RULES = ("stragglers-first", "lowest-index")


class SRSGC(BurstyDesigned, Scheme):
    """Selective-reattempt SGC with parameters ``(n, B, W, lam)``.

    ``s = ceil(B lam / (W - 1 + B))``; in round ``r`` each worker computes its (n, s)-GC task for
    job ``r``, except that when more than ``s`` workers (the set ``M_t``) failed to return job
    ``t = r - B`` in round ``t``, ``|M_t| - s`` of them compute their job-``t`` task instead.

    Parameters
    ----------
    rule : {"stragglers-first", "lowest-index"}
        Which workers of ``M_t`` re-attempt: those that straggled in round ``t`` first, then
        the lowest indices (default); or simply the lowest indices.
    construction : str or GradientCode
        The (n, s)-GC, as for :class:`~sgc_theory.schemes.GC` (``"stable"`` or
        :func:`sgc_theory.codes.float_safe_code` for float64 execution).

    >>> sch = SRSGC(256, B=2, W=3, lam=23)
    >>> sch.s, sch.T, sch.load
    (12, 2, Fraction(13, 256))
    """

    name = "srsgc"
    load_bound = (
        "every worker computes one row of the code per round (its new task or a re-attempt, "
        "never both)"
    )

    def __init__(
        self,
        n: int,
        B: int,
        W: int,
        lam: int,
        rule: str = "stragglers-first",
        construction="auto",
        seed=0,
    ):
        self.n, self.B, self.W, self.lam = bursty_params("srsgc", n, B, W, lam)
        if rule not in RULES:
            raise SGCError(f"rule must be one of {', '.join(RULES)} (got {rule!r})")
        self.rule = rule
        self.s = int(srsgc_s(self.B, self.W, self.lam))  # < n: a rule of the table
        self.construction = check_construction(construction, self.n, self.s)
        self.seed = check_seed("seed", seed)
        self.T = int(srsgc_delay(self.B))
        check_scheme_size("SR-SGC", self.n, self.n)
        self.partition_sizes = (Fraction(1, self.n),) * self.n

    @property
    def load(self) -> Fraction:
        """``(s + 1) / n``; the code's own load for ``construction="stable"`` or a given code."""
        custom = code_load(self.n, self.s, self.construction)
        if custom is not None:
            return custom
        return to_fraction(srsgc_load(self.n, self.B, self.W, self.lam))

    @property
    def code(self):
        return gradient_code(self.n, self.s, self.construction, self.seed)

    def code_basis(self):
        """The (n, s)-GC this scheme uses and why it decodes (not built; see ``_common``)."""
        return code_basis(self.n, self.s, self.construction)

    # state: for ages a = 1..B (index a-1): (M mask, straggler mask) of job r - a
    def initial_state(self):
        return ((0, 0),) * self.B

    def reattempters(self, state) -> int:
        """Bitmask of the workers that re-attempt job ``r - B`` in the coming round."""
        M, S = state[self.B - 1]
        k = M.bit_count() - self.s
        if k <= 0:
            return 0
        members = list(bits(M))
        if self.rule == "stragglers-first":
            members.sort(key=lambda i: (not S >> i & 1, i))
        out = 0
        for i in members[:k]:
            out |= 1 << i
        return out

    def plan(self, state):
        """Per worker, its one :class:`Work` of the coming round (no coefficients)."""
        redo = self.reattempters(state)
        return tuple((Work(self.B if redo >> i & 1 else 0, ("GC", i)),) for i in range(self.n))

    def tasks(self, state):
        E = self.code.E
        return tuple(
            tuple(
                Task(w.age, E[i], f"GC row {i}" + (" (re-attempt)" if w.age else ""), w.tag)
                for w in ws
            )
            for i, ws in enumerate(self.plan(state))
        )

    def next_state(self, state, tasks, mask):
        busy = 0
        for i, ts in enumerate(tasks):
            if ts[0].age == self.B:
                busy |= 1 << i
        return ((mask | busy, mask),) + tuple(state[:-1])

    def decode_rounds(self, pattern, jobs=None):
        """Token rule: job ``t`` is decoded once ``n - s`` distinct workers returned its task."""
        P, jobs = self._pattern_and_jobs(pattern, jobs)
        got = [0] * jobs
        out = [None] * jobs
        state = self.initial_state()
        for r, mask in enumerate(masks_of(P, self.n)):
            tasks = self.plan(state)
            for i, ts in enumerate(tasks):
                if not mask >> i & 1:
                    t = r - ts[0].age
                    if 0 <= t < jobs:
                        got[t] += 1
            for t in (r, r - self.B):
                if 0 <= t < jobs and out[t] is None and got[t] >= self.n - self.s:
                    out[t] = r
            state = self.next_state(state, tasks, mask)
        return out

    def symmetric_view(self):
        from .symmetric import SRSGCView

        return SRSGCView(self)
