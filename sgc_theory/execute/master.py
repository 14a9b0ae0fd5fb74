"""The master of a coded training run: assigns each round's tasks, decodes each job in float64 by
its deadline, and takes the gradient steps (docs/guide/execute.md).

Training is gradient descent with the scheme's delay ``T``: job ``t`` is the full gradient at the
model ``w_t`` the master holds when the job is released (start of round ``t``), and at the end of
round ``t + T`` -- the job's deadline -- the master decodes it and steps
``w <- w - lr * g_t``. So ``w_t`` has absorbed the jobs ``0 .. t - T - 1`` exactly: the
trajectory is the uncoded delayed gradient descent of :func:`reference_losses`, whatever the
stragglers, as long as every job decodes by its deadline (which the scheme guarantees on every
pattern its design model admits, and the waiting policy only produces such patterns). After the
last job is released the run continues while jobs remain, and ends with the round that makes the
last one decodable, as in the simulator.
"""

from __future__ import annotations

import numpy as np

from ..errors import SGCError
from .decode import decode_job, float_rows
from .problem import Problem, partition_bounds

__all__ = ["Master", "reference_losses"]


class Master:
    """State of the master: the scheme's state machine, the model iterates, the received results.

    ``plan(r)`` gives per worker a list of ``(job, partitions, coefficients)`` and the parameters
    of every job involved; ``finish(r, mask, results)`` records what arrived in time (``results[i]``
    the vectors of worker ``i``'s tasks, in plan order; stragglers' entries are ignored).
    """

    def __init__(self, scheme, problem: Problem, jobs: int, lr: float, check: bool = True):
        self.scheme, self.problem, self.jobs, self.lr = scheme, problem, int(jobs), float(lr)
        self.check = check
        self.T = int(scheme.T)
        #: PR-SGC beyond its exact partitions, where every sample is a partition, a piece of a job
        #: (an interval of ``[0, 1)``) the samples ``floor(N a) .. floor(N b) - 1``
        self.by_sample = scheme.name == "prsgc" and scheme.n > scheme.exact_max_n
        if self.by_sample:
            self.P = problem.samples
            self.bounds = np.arange(problem.samples + 1, dtype=np.int64)
        else:
            self.P = scheme.num_partitions
            self.bounds = partition_bounds(scheme.partition_sizes, problem.samples)
        self._plans: dict = {}  # (tasks, plan) by scheme state
        self._solved: dict = {}  # float decoding coefficients by received set
        self.state = scheme.initial_state()
        self.w = np.zeros(problem.dim)
        self.params: dict[int, np.ndarray] = {}
        self.rows: dict[int, list] = {}
        self.values: dict[int, list] = {}
        self.decoded: dict[int, np.ndarray] = {}
        self.applied = 0
        self.iterates: list[np.ndarray] = []  # the model after each step
        self.applied_rounds: list[int] = []
        self.conditions: list[float] = []
        self.masks: list[np.ndarray] = []
        self._float: dict = {}
        self._tasks = None
        self._assignment()  # warms the float rows of the first round's tasks
        decode_job(-1, [(np.arange(2), np.ones(2))], [np.ones(1)], 2)  # and the solver's paths

    # ----- one round ---------------------------------------------------------------------
    def _rows_of(self, task):
        """Float support and coefficients of a task, cached by its coefficient tuple (schemes
        reuse the same tuples round after round; the cache keeps them alive, so ids stay valid)."""
        key = id(task.coeffs)
        hit = self._float.get(key)
        if hit is None or hit[0] is not task.coeffs:
            hit = (task.coeffs, *float_rows(task.coeffs))
            self._float[key] = hit
        return hit[1], hit[2]

    def _assignment(self):
        """``(exact tasks or None, per worker [(age, partitions, float coefficients)])`` of the
        coming round: the exact tasks of ``scheme.tasks``, or, for the uncoded families whose
        exact tasks stop at moderate ``n`` (WC-SGC's units, BR-SGC's partition ranges), their
        coefficient-free assignment (``plan_units``, ``shares``) with coefficient 1 on every
        partition it names; their state update does not look at the tasks."""
        state = self.state
        try:  # the assignment is a function of the scheme's state: cached by state
            hit = self._plans.get(state)
        except TypeError:  # pragma: no cover - every state of the toolkit is hashable
            return self._build(state)
        if hit is None:
            if len(self._plans) > 256:
                self._plans.clear()
            hit = self._plans[state] = self._build(state)
        return hit

    def _build(self, state):
        sch = self.scheme
        if sch.name in ("wcsgc", "brsgc") or self.by_sample:
            return None, self._free_plan(state)
        tasks = sch.tasks(state)
        return tasks, [[(t.age, *self._rows_of(t)) for t in ts] for ts in tasks]

    def _free_plan(self, state):
        """Per worker ``[(age, partitions, ones)]`` from the coefficient-free assignment:
        WC-SGC's units, BR-SGC's partition ranges, PR-SGC's job intervals as sample ranges
        (pieces holding no sample are left out: their partial gradient is zero)."""
        sch = self.scheme
        if sch.name == "wcsgc":
            per_worker, _ = sch.plan_units(state)
            return [[(a, _ints(us), np.ones(len(us))) for a, us in groups] for groups in per_worker]
        if self.by_sample:
            N = self.P
            out = []
            for i in range(sch.n):
                cuts = [
                    (a, (x * N).__floor__(), (y * N).__floor__())
                    for a, x, y in sch.intervals(state, i)
                ]
                out.append([_ones(a, lo, hi) for a, lo, hi in cuts if hi > lo])
            return out
        return [[_ones(a, lo, hi) for a, lo, hi in sch.shares(state, i)] for i in range(sch.n)]

    def plan(self, r: int):
        """``(items per worker, params by job)`` of round ``r``."""
        if r < self.jobs:
            self.params[r] = self.w.copy()
            self.rows[r], self.values[r] = [], []
        self._tasks, plan = self._assignment()
        items = []
        for groups in plan:
            mine = []
            for age, parts, coefs in groups:
                job = r - age
                if 0 <= job < self.jobs and job not in self.decoded:
                    mine.append((job, parts, coefs))
            items.append(mine)
        jobs = {j for mine in items for j, _, _ in mine}
        return items, {j: self.params[j] for j in sorted(jobs)}

    def finish(self, r: int, items, mask: np.ndarray, results) -> None:
        """Record round ``r``: the results of the workers not in ``mask``, the state update,
        the decodes that are due and the steps."""
        mask = np.asarray(mask, dtype=bool)
        for i, mine in enumerate(items):
            if mask[i]:
                continue
            if results[i] is None or len(results[i]) != len(mine):
                raise AssertionError(f"round {r}: worker {i} arrived without its results")
            for (job, parts, coefs), vec in zip(mine, results[i]):
                self.rows[job].append((parts, coefs))
                self.values[job].append(np.asarray(vec, dtype=np.float64))
        smask = 0
        for i in np.flatnonzero(mask):
            smask |= 1 << int(i)
        self.state = self.scheme.next_state(self.state, self._tasks, smask)
        self.masks.append(mask.copy())
        while self.applied <= min(r - self.T, self.jobs - 1):  # deadlines: must decode
            self._step(self.applied, r)
        if r >= self.jobs - 1:  # the last rounds: stop as soon as every job is decodable
            while self.applied < self.jobs and self._step(self.applied, r, required=False):
                pass

    def _step(self, t: int, r: int, required: bool = True) -> bool:
        try:
            dec = decode_job(t, self.rows[t], self.values[t], self.P, self._solved)
        except SGCError as exc:
            if not required:
                return False
            raise SGCError(self._why(t, r, exc)) from None
        g = dec.gradient
        self.conditions.append(dec.condition)
        self.w = self.w - self.lr * g
        self.decoded[t] = g
        self.iterates.append(self.w)  # loss and check after the run: off the critical path
        self.applied_rounds.append(r)
        self.applied += 1
        del self.rows[t], self.values[t]  # results of a decoded job are never used again
        return True

    def _why(self, t, r, exc) -> str:
        """Why job ``t`` failed at its deadline: the stragglers (the scheme's exact token rule
        says so too) or float64 (the exact algebra decodes, the float solve does not)."""
        dec = self.scheme.decode_rounds(np.column_stack(self.masks), self.jobs)[t]
        if dec is None or dec > t + self.T:
            return (
                f"round {r}: job {t} is not decodable by its deadline ({exc}): the straggler "
                f"pattern left the design model of {self.scheme!r}"
            )
        return (
            f"round {r}: job {t} is decodable in exact arithmetic but not in float64 ({exc}): "
            f"the inner code of {self.scheme!r} is too ill-conditioned at n={self.scheme.n} "
            "(GradientCode.condition_report; use a fractional repetition code where s + 1 "
            "divides n)"
        )

    @property
    def losses(self) -> list[float]:
        """The loss after each job's step."""
        return [self.problem.loss(w) for w in self.iterates]

    @property
    def errors(self) -> list[float]:
        """Relative error of each job's decoded gradient against the uncoded gradient at the
        same model (empty without ``check``). Computed after the run, like :attr:`losses`:
        the master's time per round is only what a deployed master does."""
        if not self.check:
            return []
        out = []
        for t in range(self.applied):
            ref = self.problem.gradient(self.params[t])
            scale = float(np.linalg.norm(ref)) or 1.0
            out.append(float(np.linalg.norm(self.decoded[t] - ref)) / scale)
        return out

    @property
    def done(self) -> bool:
        return self.applied >= self.jobs


def reference_losses(problem: Problem, jobs: int, T: int, lr: float) -> list[float]:
    """Uncoded gradient descent with delay ``T``: loss after each job's step (job ``t`` evaluated
    at the model after jobs ``0 .. t - T - 1``)."""
    w = np.zeros(problem.dim)
    grads, losses = {}, []
    for r in range(jobs + T):
        if r < jobs:
            grads[r] = problem.gradient(w)
        t = r - T
        if 0 <= t < jobs:
            w = w - lr * grads.pop(t)
            losses.append(problem.loss(w))
    return losses


def _ones(age, lo, hi):
    return age, np.arange(lo, hi, dtype=np.int64), np.ones(hi - lo)


def _ints(units) -> np.ndarray:
    return np.asarray(units, dtype=np.int64)
