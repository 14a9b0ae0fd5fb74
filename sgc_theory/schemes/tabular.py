"""Tabular schemes: the explicit scheme of an optimal covering ILP (SPEC section 6).

The covering ILP with ``K`` partitions per job (:func:`sgc_theory.design.build_covering_lp` with
``partitions=K``) gives, for every age ``d`` and admitted history ``h`` of the ``P + d`` rounds
before round ``t + d``, how many of job ``t``'s still-uncovered partitions each worker set ``A``
computes.  :class:`~sgc_theory.design.PartitionTable` turns that into *which* partitions, and
:class:`TabularScheme` runs the table as a state machine: every task is one uncoded partition of
one job (its coefficient vector is a unit vector), so job ``t`` is decodable exactly when each of
its ``K`` partitions was returned by some non-straggler.

The state is the straggler sets of the last ``P + T`` rounds (oldest first; clean before round
0), which names jobs by age as the verifier requires: the job of age ``d`` sees the last ``P + d``
of them.

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from ..errors import SGCError
from .base import Scheme, Task

__all__ = ["TabularScheme"]


class TabularScheme(Scheme):
    """A scheme given by a solved covering ILP (a table from histories to assignments).

    Parameters
    ----------
    lp : sgc_theory.design.CoveringLP
        A *solved* stationary covering ILP (``partitions=K``).

    Use :meth:`design` to build, solve and wrap in one call.

    >>> from sgc_theory.models import Bursty
    >>> sch = TabularScheme.design(3, Bursty(3, B=1, W=2, lam=1), T=1, partitions=2)
    >>> sch.T, sch.num_partitions
    (1, 2)
    """

    name = "tabular"

    def __init__(self, lp):
        from ..design.covering_lp import PartitionTable

        if lp.kind != "stationary" or not lp.partitions:
            raise SGCError("TabularScheme needs a stationary covering ILP (partitions=K)")
        import pulp

        if lp.problem.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
            raise SGCError("TabularScheme needs a solved covering ILP (an integer solution)")
        self.lp = lp
        self.table = PartitionTable(lp)
        self.n = lp.n
        self.T = lp.T
        self.P = lp.P
        self.K = lp.partitions
        self.model = lp.model
        self.partition_sizes = (Fraction(1, self.K),) * self.K
        self._units = [tuple(Fraction(int(p == q)) for q in range(self.K))
                       for p in range(self.K)]
        self._tasks = {}
        self._load = None

    @classmethod
    def design(cls, n, model, T, partitions, P=None, solver=None, symmetric=True,
               time_limit=None):
        """Solve the covering ILP with ``partitions`` per job and wrap its table."""
        from ..design.covering_lp import build_covering_lp, solve

        lp = build_covering_lp(n, model, T, P=P, partitions=partitions, symmetric=symmetric)
        res = solve(lp, solver=solver, time_limit=time_limit)
        if res.status not in ("optimal", "feasible"):
            raise SGCError(f"covering ILP ended with status {res.status!r}")
        sch = cls(lp)
        sch.result = res
        return sch

    # ----- Scheme interface ---------------------------------------------------------------
    @property
    def load(self):
        """Largest per-round load the table asks of a worker, exact (max over all histories)."""
        if self._load is None:
            K = self.K
            worst = 0
            space = self.lp.space
            for g in space.reps(self.P + self.T):
                for ts in self.tasks(tuple(g)):
                    worst = max(worst, len(ts))
            self._load = sp.Rational(worst, K)
        return self._load

    @property
    def design_model(self):
        return self.model

    def initial_state(self):
        return (0,) * (self.P + self.T)

    def tasks(self, state) -> tuple:
        got = self._tasks.get(state)
        if got is not None:
            return got
        per_worker = [[] for _ in range(self.n)]
        for d in range(self.T + 1):
            h = state[self.T - d:]
            for A, parts in self.table.assign(h).items():
                for i in range(self.n):
                    if A >> i & 1:
                        for p in parts:
                            per_worker[i].append(Task(age=d, coeffs=self._units[p],
                                                      label=f"part {p}", tag=("part", p)))
        got = tuple(tuple(ts) for ts in per_worker)
        self._tasks[state] = got
        return got

    def next_state(self, state, tasks, mask: int):
        if not state:
            return state
        return state[1:] + (mask,)

    def _params(self) -> str:
        return f"n={self.n}, model={self.model.spec!r}, T={self.T}, P={self.P}, K={self.K}"
