"""All-horizon verification on counts of worker kinds (large ``n``;
docs/guide/verification.md, "Large n: counting worker kinds").

When a scheme treats workers alike (it has a ``symmetric_view()``, see
:mod:`sgc_theory.schemes.symmetric`), a state is the multiset of worker *kinds*
``(h, local)`` -- ``h`` the worker's straggling history in the model's memory (``W - 1`` rounds,
bit 0 = last round), ``local`` what the scheme remembers of it -- written canonically as a sorted
tuple of ``(kind, count)``. A transition only needs how many workers of each (kind, action) group
straggle, subject to the model's per-worker rule ``row_ok`` and its budget ``lam`` of distinct
workers per window. The state space is explored breadth-first, so a failure comes with a shortest
counterexample, which is then turned into a concrete pattern and replayed through the scheme.
"""

from __future__ import annotations

from ..budget import check_work
from ..models.base import bounded_vectors
from .result import Overload
from .search import bfs


def _label(state) -> str:
    """Readable description of a symmetric state: ``count x (history bits, local state)``."""
    return "; ".join(f"{c} x (h={h:b}, {local})" for (h, local), c in state)


def _canon(counter: dict) -> tuple:
    return tuple(sorted((k, c) for k, c in counter.items() if c))


class SymmetricExplorer:
    """The state space of a worker-symmetric view (``view``) under a straggler model on ``n``
    workers: states are counts of worker kinds, transitions split each kind into stragglers and
    non-stragglers (see the module docstring)."""

    def __init__(self, view, model, n):
        self.view = view
        self.model = model
        self.n = n
        self.W = model.W
        self.lam = model.lam
        self.rows = model._row_table
        self.hmask = (1 << (self.W - 1)) - 1
        self.full = (1 << self.W) - 1
        self._step = {}
        #: the view reads a round's work off the counts (else the load is not checked here)
        self.checks_load = bool(getattr(view, "checks_load", False))
        self.load = view.scheme.load if self.checks_load else None

    def step_local(self, local, action, straggled):
        key = (local, action, straggled)
        out = self._step.get(key)
        if out is None:
            out = self.view.step(local, action, straggled)
            self._step[key] = out
        return out

    def initial(self):
        return (((0, self.view.initial_local()), self.n),)

    def transitions(self, state):
        """Yield ``(plan, stragglers_per_group, next_state, failed_age)``."""
        rows, full, hmask = self.rows, self.full, self.hmask
        for plan in self.view.plans(state):
            plan = [g for g in plan if g[2]]
            over = None
            if self.checks_load:
                work = self.view.work(plan)
                if work > self.load:  # every choice fails: the round's work is fixed already
                    over = Overload(work=work, load=self.load)
            active = sum(c for (h, _), _, c in plan if (h << 1) & full)
            budget = self.lam - active
            if budget < 0:
                continue
            caps, costs = [], []
            for (h, _), _, c in plan:
                if not rows[(h << 1) & full]:
                    return  # cannot happen for window models
                can = rows[((h << 1) | 1) & full]
                caps.append(c if can else 0)
                costs.append(0 if (h << 1) & full else 1)
            for choice in bounded_vectors(caps, costs, budget):
                tokens: dict = {}
                nxt: dict = {}
                for ((h, local), action, c), j in zip(plan, choice):
                    for b, cnt in ((True, j), (False, c - j)):
                        if not cnt:
                            continue
                        new_local, tok = self.step_local(local, action, b)
                        tokens[tok] = tokens.get(tok, 0) + cnt
                        key = (((h << 1) | b) & hmask, new_local)
                        nxt[key] = nxt.get(key, 0) + cnt
                yield plan, choice, _canon(nxt), over or self.view.fails(tokens)

    def explore(self, max_states=None, progress=None, graph=False, meter=None):
        """Breadth-first search; ``(ok, states, steps, failed_age, digraph)``.

        ``meter`` (a :class:`~sgc_theory.budget.Meter`) is charged per transition, in
        proportion to the groups of workers it moves and the length of their local memory."""
        unit = 3 * (1 + getattr(getattr(self.view, "scheme", None), "T", 0))

        def successors(state):
            for plan, choice, nxt, failed in self.transitions(state):
                if meter is not None:
                    meter.charge(unit * (1 + len(plan)))
                yield (plan, choice), nxt, failed, sum(choice)

        return bfs(self.initial(), successors, _label, progress, graph, max_states)

    def concretize(self, steps, rng=None):
        """Turn abstract steps into bitmasks: place each group on concrete workers.

        By default the members of a kind are taken in index order; with a ``random.Random``
        ``rng`` each kind's workers are first rotated by a random offset or shuffled (half the
        time each), so that repeated calls reach other placements.
        """
        check_work(
            self.n * (1 + len(steps)),
            f"writing out a counterexample of {len(steps)} rounds worker by worker (n={self.n})",
        )
        kinds = [(0, self.view.initial_local())] * self.n
        masks = []
        for plan, choice in steps:
            free = {}
            for i, k in enumerate(kinds):
                free.setdefault(k, []).append(i)
            if rng is not None:
                for members in free.values():
                    if rng.random() < 0.5:
                        rng.shuffle(members)
                    else:
                        k = rng.randrange(len(members))
                        members[:] = members[k:] + members[:k]
            mask = 0
            new_kinds = list(kinds)
            for ((h, local), action, c), j in zip(plan, choice):
                members = [free[(h, local)].pop(0) for _ in range(c)]
                for pos, i in enumerate(members):
                    b = pos < j
                    if b:
                        mask |= 1 << i
                    new_local, _ = self.step_local(local, action, b)
                    new_kinds[i] = (((h << 1) | b) & self.hmask, new_local)
            kinds = new_kinds
            masks.append(mask)
        return masks
