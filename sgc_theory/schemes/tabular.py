"""Tabular schemes: the explicit scheme of an optimal covering ILP (docs/guide/covering_lp.md).

The covering ILP with ``K`` partitions per job (built and solved in :mod:`sgc_theory.design`)
gives, for every age ``d`` and admitted history ``h`` of the ``P + d`` rounds
before round ``t + d``, how many of job ``t``'s still-uncovered partitions each worker set ``A``
computes. The design package turns that into *which* partitions (a table), and
:class:`TabularScheme` runs any such table as a state machine: every task is one uncoded partition of
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

from ..budget import check_work
from ..errors import SGCError, check_int
from .base import Scheme, Task

__all__ = ["TabularScheme"]


class TabularScheme(Scheme):
    """A scheme given by a table from histories to uncoded partition assignments.

    Parameters
    ----------
    table
        Any object with attributes ``n``, ``T``, ``P``, ``K`` (partitions per job), ``model``
        (the straggler model the table was designed for) and a method ``assign(h)`` returning
        ``{worker set bitmask: tuple of partitions}`` for a history ``h`` of ``P + d`` rounds
        (the job's age is ``d``). :meth:`sgc_theory.design.CoveringLP.scheme_table` builds one
        from a solved covering ILP, and :func:`sgc_theory.design.design_tabular` does the whole
        design in one call.

    >>> class Repeat:  # both workers compute the job's single partition in its own round
    ...     n, T, P, K = 2, 0, 0, 1
    ...     from sgc_theory.models import PerRound
    ...     model = PerRound(2, s=1)
    ...     def assign(self, h):
    ...         return {0b11: (0,)}
    >>> sch = TabularScheme(Repeat())
    >>> sch.T, sch.load
    (0, Fraction(1, 1))
    """

    name = "tabular"

    def __init__(self, table):
        for attr in ("n", "T", "P", "K", "model", "assign"):
            if not hasattr(table, attr):
                raise SGCError(f"table must have attribute {attr!r} (n, T, P, K, model, assign)")
        self.table = table
        self.n = check_int("table.n", table.n, minimum=1)
        self.T = check_int("table.T", table.T, minimum=0)
        self.P = check_int("table.P", table.P, minimum=0)
        self.K = check_int("table.K", table.K, minimum=1)
        self.model = table.model
        if getattr(self.model, "n", None) != self.n:
            raise SGCError(
                f"table.model must be a straggler model on table.n={self.n} workers "
                f"(got {self.model!r:.60})"
            )
        self.partition_sizes = (Fraction(1, self.K),) * self.K
        self._units = [tuple(Fraction(int(p == q)) for q in range(self.K)) for p in range(self.K)]
        self._tasks = {}
        self._load = None

    def _histories(self):
        """Every admitted history of ``P + T`` rounds (clean before), as tuples of masks."""
        m = self.model
        R = self.P + self.T
        check_work(m.count(R) * (R + 1), f"listing every admitted history of {R} rounds of {m!r}")
        layer = [(m.initial_state(), ())]
        for _ in range(self.P + self.T):
            layer = [(m.advance(st, S), h + (S,)) for st, h in layer for S in m.next_sets(st)]
        return [h for _, h in layer]

    # ----- Scheme interface ---------------------------------------------------------------
    @property
    def load(self) -> Fraction:
        """Largest per-round load the table asks of a worker, exact (max over all histories)."""
        if self._load is None:
            K = self.K
            worst = 0
            for g in self._histories():
                for ts in self.tasks(g):
                    worst = max(worst, len(ts))
            self._load = Fraction(worst, K)
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
        per_worker: list[list[Task]] = [[] for _ in range(self.n)]
        for d in range(self.T + 1):
            h = state[self.T - d :]
            for A, parts in self.table.assign(h).items():
                for i in range(self.n):
                    if A >> i & 1:
                        for p in parts:
                            per_worker[i].append(
                                Task(
                                    age=d, coeffs=self._units[p], label=f"part {p}", tag=("part", p)
                                )
                            )
        got = tuple(tuple(ts) for ts in per_worker)
        self._tasks[state] = got
        return got

    def next_state(self, state, tasks, mask: int):
        if not state:
            return state
        return state[1:] + (mask,)

    def _params(self) -> str:
        return f"n={self.n}, model={self.model.spec!r}, T={self.T}, P={self.P}, K={self.K}"
