"""Sequential gradient coding schemes as explicit, exact state machines (docs/guide/schemes.md).

A scheme is a *stationary* state machine over rounds. Its state records what it needs of the
past, with jobs named by their **age** (job ``r - a`` has age ``a`` in round ``r``), so the same
state can recur at different rounds; that is what makes all-horizon verification possible.
In every round each worker computes a few :class:`Task` objects, each an exact coefficient vector
over the partitions of one job; a straggler's tasks of that round are lost.

Job ``t`` is decodable once the all-ones vector over its partitions lies in the row space of the
received coefficient vectors (exact rationals; :class:`~sgc_theory.linalg.Span`), and it must be
decodable by the end of round ``t + T``.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike

from ..budget import check_work
from ..errors import NotDecodableError, SGCError, check_int
from ..linalg import Span, combination
from ..models.base import StragglerModel, as_pattern

__all__ = ["Task", "Work", "Scheme", "Run", "masks_of", "check_scheme_size"]

#: work units of one worker's task in one round of an exact run (span updates over rationals)
EXACT_TASK_UNITS = 700

#: work units per partition of a scheme's per-partition tables (memory, mostly)
PARTITION_UNITS = 50


def check_scheme_size(name: str, n: int, partitions: int) -> None:
    """Refuse a scheme whose per-partition tables are beyond the work budget (e.g. n = 10^9);
    closed-form loads need no scheme: :func:`sgc_theory.bounds.scheme_load`."""
    check_work(
        PARTITION_UNITS * partitions,
        f"building {name} with n={n} workers ({partitions} exact partition sizes)",
        cheaper="the closed-form load (sgc load, sgc_theory.bounds.scheme_load)",
    )


@dataclass(frozen=True)
class Work:
    """What a worker is scheduled to do, without coefficients: job age and the scheme's tag.

    A scheme's control logic (who computes what, and the state update) only needs this; the
    exact coefficient vector is attached when a :class:`Task` is built from it. Token-level
    decoders therefore run at ``n = 256`` without building any exact code.
    """

    age: int
    tag: tuple


@dataclass(frozen=True)
class Task:
    """One computation of one worker in one round.

    Attributes
    ----------
    age : int
        The task serves job ``round - age``.
    coeffs : tuple of Fraction
        Exact coefficients over that job's partitions: the worker returns
        ``sum_p coeffs[p] * g_p(job)``.
    label : str
        Human-readable name, e.g. ``"D1(2,0)"`` or ``"GC row 3"``.
    tag : tuple
        Machine-readable kind of task for the scheme's own bookkeeping, e.g. ``("D1", j)``.
    """

    age: int
    coeffs: tuple
    label: str = ""
    tag: tuple = ()

    def support(self) -> tuple[int, ...]:
        return tuple(p for p, c in enumerate(self.coeffs) if c)


def masks_of(pattern: ArrayLike, n: int) -> list[int]:
    """Per-round straggler bitmasks of a boolean ``(n, R)`` pattern."""
    S = as_pattern(pattern, n)
    out = []
    for r in range(S.shape[1]):
        m = 0
        for i in np.flatnonzero(S[:, r]):
            m |= 1 << int(i)
        out.append(m)
    return out


@dataclass
class Run:
    """What happened when a scheme ran on a concrete straggler pattern (exact).

    ``assignments[r][i]`` lists worker ``i``'s tasks in round ``r`` as ``(job, Task)``;
    ``received[t]`` the coefficient vectors the master got for job ``t`` (with the round);
    ``decoded_round[t]`` the first round at whose end job ``t`` was decodable (or ``None``).
    """

    scheme: Scheme
    pattern: np.ndarray
    jobs: int
    assignments: list = field(default_factory=list)
    received: dict = field(default_factory=dict)
    decoded_round: list = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every job whose deadline lies inside the pattern was decoded by its deadline."""
        R = self.pattern.shape[1]
        T = self.scheme.T
        return all(
            d is not None and d <= t + T for t, d in enumerate(self.decoded_round) if t + T < R
        )

    def first_missed(self) -> int | None:
        """The first job that missed its deadline inside the pattern, or ``None``."""
        R = self.pattern.shape[1]
        for t, d in enumerate(self.decoded_round):
            if t + self.scheme.T < R and (d is None or d > t + self.scheme.T):
                return t
        return None

    def table(self) -> str:
        """A plain-text table: per round, what each worker computes and what is decoded."""
        lines = []
        for r, per_worker in enumerate(self.assignments):
            lines.append(f"round {r}:")
            for i, tasks in enumerate(per_worker):
                flag = " (straggler)" if self.pattern[i, r] else ""
                desc = ", ".join(f"job {t}: {task.label}" for t, task in tasks) or "idle"
                lines.append(f"  worker {i}{flag}: {desc}")
            done = [t for t, d in enumerate(self.decoded_round) if d == r]
            lines.append(f"  decoded at end of round: {done if done else '-'}")
        return "\n".join(lines)


class Scheme:
    """Base class of sequential schemes.

    Attributes every scheme has: ``n`` (workers), ``T`` (delay), ``load`` (exact, a
    :class:`~fractions.Fraction`: the closed form of :mod:`sgc_theory.bounds` made concrete by
    :func:`sgc_theory.rationals.to_fraction`), ``design_model`` (the straggler model it is designed
    for), ``partition_sizes`` (sizes of one job's partitions, as Fractions summing to 1).

    To implement a scheme, you need to:

    1. validate the parameters in ``__init__`` (raise :class:`~sgc_theory.errors.SGCError`
       naming the rule) and set ``n``, ``T``, ``partition_sizes``, ``name``;
    2. give ``load`` (a :class:`~fractions.Fraction`: ``to_fraction`` of the closed form in
       :mod:`sgc_theory.bounds`) and ``design_model``;
    3. implement the state machine: ``initial_state()`` (hashable; the past is straggler-free),
       ``tasks(state)`` (per worker, a tuple of :class:`Task` with ages ``0..T``) and
       ``next_state(state, tasks, mask)`` (``mask`` = bitmask of this round's stragglers); the
       state must name jobs by age, never by absolute index;
    4. optionally ``decode_rounds(pattern, jobs)`` -- a fast token-level decoder (it must agree
       with the exact :meth:`run`; test it) -- and ``symmetric_view()`` for the worker-symmetric
       all-horizon verifier;
    5. run the scheme battery in ``tests/schemes`` on it.
    """

    name = "scheme"
    n: int
    T: int
    partition_sizes: tuple

    # ----- to implement -------------------------------------------------------------------
    @property
    def load(self) -> Fraction:  # pragma: no cover
        raise NotImplementedError

    @property
    def design_model(self) -> StragglerModel:  # pragma: no cover
        raise NotImplementedError

    def initial_state(self) -> Hashable:  # pragma: no cover
        raise NotImplementedError

    def tasks(self, state: Any) -> tuple:  # pragma: no cover
        raise NotImplementedError

    def next_state(
        self, state: Any, tasks: tuple | None, mask: int
    ) -> Hashable:  # pragma: no cover
        raise NotImplementedError

    def symmetric_view(self) -> Any:
        """Worker-symmetric abstraction for the all-horizon verifier (``None``: not available)."""
        return None

    # ----- generic machinery ---------------------------------------------------------------
    @property
    def num_partitions(self) -> int:
        return len(self.partition_sizes)

    @property
    def ones(self) -> tuple:
        return (Fraction(1),) * self.num_partitions

    def task_cost(self, task: Task) -> Fraction:
        """Data a task touches, in units of one job's data set."""
        return sum((self.partition_sizes[p] for p in task.support()), Fraction(0))

    #: why no round can make a worker compute more than ``load``, whatever the stragglers (an
    #: argument from the construction alone, e.g. "one row of the code per round"), or ``None``:
    #: then the verifiers check every reachable round's work against ``load``
    #: (``worker_work``, ``overload``)
    load_bound: str | None = None

    def worker_work(self, state: Any) -> tuple[Fraction, ...]:
        """Exact data each worker computes in the round played from scheme state ``state``
        (in units of one job's data set), stragglers included: a straggler computes too, its
        results are only late. The base implementation sums the supports of ``tasks(state)``."""
        return tuple(sum((self.task_cost(t) for t in ts), Fraction(0)) for ts in self.tasks(state))

    #: whether ``next_state`` reads the round's tasks (``False``: the control logic alone
    #: decides, and :meth:`walk` follows a pattern without building any exact task)
    next_state_needs_tasks = True

    def walk(self, pattern: ArrayLike) -> Iterator[tuple[int, Any, int]]:
        """Yield ``(round, state, mask)`` along a pattern, building the exact tasks only when
        ``next_state`` needs them (so BR-SGC and PR-SGC walk at any ``n``)."""
        state = self.initial_state()
        for r, mask in enumerate(self._masks(pattern)):
            yield r, state, mask
            tasks = self.tasks(state) if self.next_state_needs_tasks else None
            state = self.next_state(state, tasks, mask)

    def overload(self, state: Any) -> tuple[int, Fraction] | None:
        """``(worker, work)`` of the busiest worker when the round played from ``state`` makes
        it compute more than ``load`` (the lowest index among the busiest), else ``None``."""
        work = self.worker_work(state)
        top = max(work, default=Fraction(0))
        if top <= self.load:
            return None
        return work.index(top), top

    def round_load(self, tasks: Iterable[Iterable[Task]]) -> Fraction:
        """Largest data any worker processes under the per-worker ``tasks`` of one round."""
        return max(
            (sum((self.task_cost(t) for t in ts), Fraction(0)) for ts in tasks), default=Fraction(0)
        )

    def _masks(self, pattern: ArrayLike) -> list[int]:
        return masks_of(pattern, self.n)

    def _pattern_and_jobs(self, pattern: ArrayLike, jobs: int | None) -> tuple[np.ndarray, int]:
        """Validated ``(pattern as a bool (n, R) array, number of jobs)``."""
        P = as_pattern(pattern, self.n)
        jobs = P.shape[1] if jobs is None else check_int("jobs", jobs, minimum=0)
        return P, jobs

    def exact_work(self, rounds: int) -> int:
        """Work units of an exact run over ``rounds`` rounds: every worker's tasks of every
        round go through exact span updates, a few hundred microseconds each at small ``n`` and
        growing like ``n^2`` (span dimension times vector length; measured about ``0.7 n^2`` to
        ``1.1 n^2`` microseconds per task at ``n = 32 .. 96``, estimated as ``1.5 n^2``)."""
        per_task = max(EXACT_TASK_UNITS, (3 * self.n * self.n) // 2)
        return per_task * max(1, rounds) * self.n * (self.T + 1)

    def states(self, pattern: ArrayLike) -> Iterator[tuple[int, Any, tuple, int]]:
        """Yield ``(round, state, tasks, mask)`` along a pattern."""
        state = self.initial_state()
        for r, mask in enumerate(self._masks(pattern)):
            tasks = self.tasks(state)
            yield r, state, tasks, mask
            state = self.next_state(state, tasks, mask)

    def assignment(
        self, round: int, history: ArrayLike | None = None
    ) -> list[list[tuple[int, tuple]]]:
        """What every worker computes in ``round`` given the stragglers seen so far.

        Parameters
        ----------
        round : int
        history : bool array ``(n, round)`` of the previous rounds' stragglers (default: none).

        Returns
        -------
        list (per worker) of lists of ``(job, coeffs)`` with ``coeffs`` exact Fractions over the
        job's partitions. Tasks of jobs before 0 (which do not exist) are left out.
        """
        round = check_int("round", round, minimum=0)
        check_work(
            self.n * (self.T + 1) * (round + 1),
            f"replaying {round} rounds of {self!r} worker by worker",
        )
        if history is None:
            history = np.zeros((self.n, round), dtype=bool)
        history = as_pattern(history, self.n, "history")
        if history.shape[1] != round:
            raise SGCError(
                f"history must have exactly round={round} columns (got {history.shape[1]})"
            )
        state = self.initial_state()
        for mask in self._masks(history):
            tasks = self.tasks(state)
            state = self.next_state(state, tasks, mask)
        return [
            [(round - t.age, t.coeffs) for t in ts if round - t.age >= 0]
            for ts in self.tasks(state)
        ]

    def run(self, pattern: ArrayLike, jobs: int | None = None) -> Run:
        """Run the scheme exactly on ``pattern``; decodability by exact span membership.

        ``jobs`` limits the job sequence to ``0..jobs-1`` (default: one job per round).
        """
        P, jobs = self._pattern_and_jobs(pattern, jobs)
        R = P.shape[1]
        check_work(
            self.exact_work(R),
            f"an exact run of {self!r} over {R} rounds",
            cheaper="decode_rounds() (the token rule, no exact algebra)",
        )
        run = Run(self, P, jobs)
        spans = {t: Span(self.num_partitions) for t in range(jobs)}
        run.received = {t: [] for t in range(jobs)}
        run.decoded_round = [None] * jobs
        ones = self.ones
        for r, _, tasks, mask in self.states(P):
            per_worker = []
            for i, ts in enumerate(tasks):
                mine = [(r - t.age, t) for t in ts if 0 <= r - t.age < jobs]
                per_worker.append(mine)
                if not mask >> i & 1:
                    for job, t in mine:
                        run.received[job].append((r, i, t))
                        if run.decoded_round[job] is None:
                            spans[job] = spans[job].add(t.coeffs)
            run.assignments.append(per_worker)
            for job in range(max(0, r - self.T - 1), min(jobs, r + 1)):
                if run.decoded_round[job] is None and spans[job].contains(ones):
                    run.decoded_round[job] = r
        return run

    def decode(self, job: int, received: Iterable[Any]) -> list[Fraction]:
        """Exact coefficients turning the received tasks of ``job`` into ``sum_p g_p(job)``.

        ``received`` is a sequence of coefficient vectors (or :class:`Task` objects, or the
        ``(round, worker, Task)`` triples of ``Run.received``).

        Raises
        ------
        NotDecodableError
            When the all-ones vector is not in their span.
        """
        vecs = []
        for item in received:
            if isinstance(item, tuple) and len(item) == 3 and isinstance(item[2], Task):
                item = item[2]
            vecs.append(item.coeffs if isinstance(item, Task) else tuple(item))
        a = combination(vecs, self.ones)
        if a is None:
            raise NotDecodableError(
                f"job {job} is not decodable from the {len(vecs)} "
                "received tasks: the all-ones vector is not in their span"
            )
        return a

    def decode_rounds(self, pattern: ArrayLike, jobs: int | None = None) -> list:
        """First round at whose end each job is decodable (``None``: not within the pattern).

        The base implementation runs the exact algebra; schemes override it with a fast
        token-level rule that tests compare against this one.
        """
        return list(self.run(pattern, jobs).decoded_round)

    def symbolic(self, round: int, history: ArrayLike | None = None) -> sp.Matrix:
        """Round ``round`` as a sympy matrix: row ``i`` lists worker ``i``'s tasks as
        expressions in the partial gradients ``g[t, p]`` (job ``t``, partition ``p``)."""
        rows = []
        for tasks in self.assignment(round, history):
            exprs = [
                sum(
                    (
                        sp.Rational(c.numerator, c.denominator) * sp.Symbol(f"g[{t},{p}]")
                        for p, c in enumerate(coeffs)
                        if c
                    ),
                    sp.Integer(0),
                )
                for t, coeffs in tasks
            ]
            rows.append(exprs)
        width = max((len(r) for r in rows), default=0)
        return sp.Matrix([r + [sp.Integer(0)] * (width - len(r)) for r in rows])

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._params()})"

    def _params(self) -> str:  # pragma: no cover
        return f"n={self.n}"
