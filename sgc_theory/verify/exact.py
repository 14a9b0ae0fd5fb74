"""Exact verification of a scheme under a straggler model (docs/guide/verification.md).

Both methods run the scheme's own state machine and decide decodability on the real coefficient
vectors: for each job still in play the master's received row space is kept as a canonical
:class:`~sgc_theory.linalg.Span` (incremental rank update), and a job is decodable once the
all-ones vector lies in it.

* :func:`exhaustive` -- every admitted pattern of ``R`` rounds, depth-first. A node of the search
  is (model automaton state, scheme state, received spans of the pending jobs), with jobs named by
  age; two prefixes reaching the same node have the same futures, so each node is expanded once
  and its pattern count is reused (the work shared across common prefixes extends to common
  states).
* :func:`automaton` -- every pattern of every length: breadth-first search of the finite set of
  reachable nodes; the first failing transition found gives a shortest counterexample.

Both also check the work: the tasks of a round are fixed by the scheme state it is played from,
so each reachable scheme state's per-worker work is compared with the scheme's load once
(:meth:`~sgc_theory.schemes.Scheme.worker_work`), and a state whose round makes a worker
compute more fails the verdict like a missed deadline (an :class:`~sgc_theory.verify.result.Overload`, with the
round and the worker). Inside the design model this never happens for the built-in schemes (it
is what their load proves); outside it, it can.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..linalg import Span
from .result import Overload
from .search import bfs

DONE = -1  # a job already decodable (its span is no longer needed)
ABSENT = -2  # a job before round 0, which does not exist


class _Stepper:
    """One round of (model, scheme, received spans), with caches for the exact algebra.

    Spans and coefficient vectors are interned as small integers so that search nodes hash fast:
    a node is ``(model state, scheme state, span ids of the jobs of ages 1..T)``.
    """

    def __init__(self, scheme, model):
        self.scheme = scheme
        self.model = model
        self.T = scheme.T
        self.dim = scheme.num_partitions
        self.ones = scheme.ones
        self.spans = [Span(self.dim)]  # id -> Span; id 0 is the empty span
        self._span_id = {self.spans[0]: 0}
        self._vec_id: dict = {}
        self._by_obj: dict = {}
        self._keep: list = []
        self._cost: list = []
        self._add: dict = {}
        self._tasks: dict = {}
        self.max_load = Fraction(0)
        self.claimed = scheme.load
        self._over: dict = {}  # scheme state -> Overload of its round, or None

    def tasks(self, sstate):
        """``(tasks, per-worker tuple of (age, vector id))`` of a scheme state (cached)."""
        hit = self._tasks.get(sstate)
        if hit is None:
            ts = self.scheme.tasks(sstate)
            ids = tuple(tuple((t.age, self._vid(t)) for t in w) for w in ts)
            load = max(
                (sum((self._cost[v] for _, v in w), Fraction(0)) for w in ids), default=Fraction(0)
            )
            self.max_load = max(self.max_load, load)
            hit = (ts, ids)
            self._tasks[sstate] = hit
            self._over[sstate] = self._overload(ids)
        return hit

    def _overload(self, ids):
        """The :class:`~sgc_theory.verify.Overload` of a round with per-worker vector ids ``ids`` (lowest busiest
        worker), or ``None`` when no worker computes more than the load."""
        work = [sum((self._cost[v] for _, v in w), Fraction(0)) for w in ids]
        top = max(work, default=Fraction(0))
        if top <= self.claimed:
            return None
        return Overload(work=top, load=self.claimed, worker=work.index(top))

    def _vid(self, task):
        """Integer id of a task's coefficient vector (by object identity first, then value)."""
        vid = self._by_obj.get(id(task.coeffs))
        if vid is None:
            vid = self._vec_id.get(task.coeffs)
            if vid is None:
                vid = len(self._vec_id)
                self._vec_id[task.coeffs] = vid
                self._cost.append(self.scheme.task_cost(task))
            self._by_obj[id(task.coeffs)] = vid
            self._keep.append(task.coeffs)  # keep the object alive so its id stays unique
        return vid

    def _add_vec(self, sid, vid, vec):
        key = (sid, vid)
        out = self._add.get(key)
        if out is None:
            span = self.spans[sid].add(vec)
            if span.contains(self.ones):
                out = DONE
            else:
                out = self._span_id.get(span)
                if out is None:
                    out = len(self.spans)
                    self.spans.append(span)
                    self._span_id[span] = out
            self._add[key] = out
        return out

    def initial(self):
        return (self.model.initial_state(), self.scheme.initial_state(), (ABSENT,) * self.T)

    def step(self, node, mask, check=True):
        """Next node after a round with straggler set ``mask``; ``(node, failure)``: the age of
        a job that misses its deadline, an :class:`~sgc_theory.verify.Overload` when the round's work exceeds the
        load, or ``None``."""
        mstate, sstate, spans = node
        tasks, ids = self.tasks(sstate)
        if check and self._over[sstate] is not None:
            return None, self._over[sstate]
        cur = [0] + list(spans)
        for i, w in enumerate(ids):
            if mask >> i & 1:
                continue
            for k, (age, vid) in enumerate(w):
                sid = cur[age]
                if sid >= 0:
                    cur[age] = self._add_vec(sid, vid, tasks[i][k].coeffs)
        failed = self.T if check and cur[self.T] >= 0 else None
        nxt = (
            self.model.advance(mstate, mask),
            self.scheme.next_state(sstate, tasks, mask),
            tuple(cur[: self.T]),
        )
        return nxt, failed


def _label(node) -> str:
    """Readable description of an exact search node: model masks, scheme state, job spans."""
    mstate, sstate, spans = node
    jobs = ",".join("-" if s == ABSENT else "done" if s == DONE else f"span{s}" for s in spans)
    return f"stragglers {[bin(m)[2:] for m in mstate]} | scheme {sstate} | jobs {jobs}"


def _pattern(n, masks):
    P = np.zeros((n, len(masks)), dtype=bool)
    for r, m in enumerate(masks):
        for i in range(n):
            if m >> i & 1:
                P[i, r] = True
    return P


def exhaustive(scheme, model, rounds, progress=None, meter=None):
    """Exact check of every admitted pattern of ``rounds`` rounds.

    Depth-first with an explicit stack (the depth is ``rounds``, not bounded by Python's
    recursion limit). ``meter`` (a :class:`~sgc_theory.budget.Meter`) is charged per step.

    Returns ``(ok, patterns_checked, counterexample, failed_job, stepper, nodes)``.
    """
    st = _Stepper(scheme, model)
    step_cost = step_units(scheme)
    memo: dict = {}
    path: list[int] = []
    root = st.initial()

    def expand(node):
        sets = model.next_sets(node[0])
        if meter is not None:
            meter.charge(len(sets))
        return iter(sets)

    if rounds == 0:
        return True, 1, None, None, st, 0
    sets0 = model.next_sets(root[0])
    if meter is not None:
        meter.charge(len(sets0))
    if progress is not None:
        progress.total = len(sets0)
    # a frame: [node, rounds left, iterator over the next straggler sets, patterns so far]
    stack = [[root, rounds, iter(sets0), 0]]
    while stack:
        frame = stack[-1]
        node, left, it, _ = frame
        mask = next(it, None)
        if mask is None:  # every continuation of this node passed
            stack.pop()
            memo[(node, left)] = frame[3]
            if not stack:
                return True, frame[3], None, None, st, len(memo)
            path.pop()
            stack[-1][3] += frame[3]
            if progress is not None and len(stack) == 1:
                progress.update(1)
            continue
        if meter is not None:
            meter.charge(step_cost)
        nxt, failed = st.step(node, mask)
        path.append(mask)
        if failed is not None:
            checked = sum(f[3] for f in stack) + 1  # the failing pattern itself was checked
            return False, checked, _pattern(scheme.n, path), failure(path, failed), st, len(memo)
        sub = 1 if left == 1 else memo.get((nxt, left - 1))
        if sub is None:
            stack.append([nxt, left - 1, expand(nxt), 0])
            continue
        path.pop()
        frame[3] += sub
        if progress is not None and len(stack) == 1:
            progress.update(1)
    raise AssertionError("unreachable")  # pragma: no cover


def step_units(scheme) -> int:
    """Work units of one exact step of ``scheme`` (every worker's tasks of one round, each an
    exact vector over the job's partitions)."""
    dim = scheme.num_partitions
    return max(1, scheme.n * (scheme.T + 1)) * (1 + dim * dim // 300)


def automaton(scheme, model, max_states=None, progress=None, graph=False, meter=None):
    """Breadth-first search of all reachable nodes; shortest counterexample on failure.

    Returns ``(ok, states, counterexample, failed_job, stepper, digraph_or_None)``.
    """
    st = _Stepper(scheme, model)
    step_cost = step_units(scheme)

    def successors(node):
        sets = model.next_sets(node[0])
        if meter is not None:
            meter.charge(len(sets) * (1 + step_cost))
        for mask in sets:
            nxt, failed = st.step(node, mask)
            yield mask, nxt, failed, mask.bit_count()

    ok, states, masks, failed, G = bfs(
        st.initial(), successors, _label, progress, graph, max_states
    )
    if ok:
        return True, states, None, None, st, G
    return False, states, _pattern(scheme.n, masks), failure(masks, failed), st, G


def failure(masks, failed):
    """What failed on the path ``masks`` (the last round is the failing one): the index of the
    job that misses its deadline, or the :class:`~sgc_theory.verify.Overload` with its round filled in."""
    if isinstance(failed, Overload):
        failed.round = len(masks) - 1
        return failed
    return len(masks) - 1 - failed
