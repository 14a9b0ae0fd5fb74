"""Worker-symmetric views of the built-in schemes, for the all-horizon verifier at large ``n``.

A view describes a scheme by what ONE worker needs to remember (its *local state*) and a
token-level decodability rule on counts ("at least ``n - s`` results of the job"), which holds
for every certified (n, s)-GC (``sgc_theory.codes`` certifies them exactly). It is sufficient,
not necessary (fractional repetition can decode from fewer results), so counterexamples are
replayed exactly. Tests compare every view against the exact algebraic verifier on small cases.

A view implements:

* ``initial_local()`` -- the local state of every worker before round 0;
* ``plans(groups)`` -- given the multiset of worker kinds ``((h, local), count)`` (``h`` = the
  worker's straggling history, bit 0 = last round), the possible splits of each kind into actions
  for the coming round: an iterable of lists ``(kind, action, count)``. Several plans mean the
  scheme's choice is left open (the verifier then proves every choice);
* ``step(local, action, straggled)`` -- ``(new_local, token)``; the token is what the deadline
  rule needs to know of this worker;
* ``fails(tokens)`` -- given ``{token: count}`` for the round, the age of a job that misses its
  deadline, or ``None``.
"""

from __future__ import annotations


def _splits(total, caps):
    """All ways to write ``total`` as a sum of ``x_k`` with ``0 <= x_k <= caps[k]``
    (lexicographically; an explicit stack, so any number of parts).

    >>> list(_splits(2, [1, 2]))
    [(0, 2), (1, 1)]
    """
    caps = list(caps)
    m = len(caps)
    if m == 0:
        if total == 0:
            yield ()
        return
    room = [0] * (m + 1)  # room[k] = sum(caps[k:])
    for k in range(m - 1, -1, -1):
        room[k] = room[k + 1] + caps[k]
    if not 0 <= total <= room[0]:
        return
    xs = [0] * m
    left = [0] * (m + 1)  # left[k]: what positions k.. must add up to
    left[0] = total
    k = 0
    while True:
        while k < m:  # fill positions k.. with their smallest feasible values
            xs[k] = max(0, left[k] - room[k + 1])
            left[k + 1] = left[k] - xs[k]
            k += 1
        yield tuple(xs)
        k = m - 1
        while k >= 0 and xs[k] >= min(caps[k], left[k]):
            k -= 1
        if k < 0:
            return
        xs[k] += 1
        left[k + 1] = left[k] - xs[k]
        k += 1


class GCView:
    """GC: no memory; job ``r`` fails iff more than ``s`` workers straggle in round ``r``."""

    def __init__(self, scheme):
        self.scheme = scheme
        self.s = scheme.s

    def initial_local(self):
        return ()

    def plans(self, groups):
        yield [(kind, None, c) for kind, c in groups]

    def step(self, local, action, straggled):
        return (), straggled

    def fails(self, tokens):
        return 0 if tokens.get(True, 0) > self.s else None


class SRSGCView:
    """SR-SGC: a worker remembers, for jobs of ages ``1..B``, whether its result of that job was
    missing in the job's round (it is in ``M_t``) and whether it straggled then.

    The re-attempting workers are chosen by the scheme's priority (stragglers of round ``t``
    first); among workers of equal priority the view leaves the choice open, so a proof covers
    every tie-break, the lowest-index rule included.
    """

    def __init__(self, scheme):
        self.scheme = scheme
        self.B = scheme.B
        self.s = scheme.s

    def initial_local(self):
        return ((False, False),) * self.B

    def plans(self, groups):
        groups = list(groups)
        last = self.B - 1
        in_m = [(k, c) for k, c in groups if k[1][last][0]]
        plan = [(k, "fresh", c) for k, c in groups if not k[1][last][0]]
        need = sum(c for _, c in in_m) - self.s
        if need <= 0:
            yield plan + [(k, "fresh", c) for k, c in in_m]
            return
        if self.scheme.rule == "stragglers-first":
            tiers = [
                [(k, c) for k, c in in_m if k[1][last][1]],
                [(k, c) for k, c in in_m if not k[1][last][1]],
            ]
        else:
            tiers = [in_m]
        open_tier = []
        for tier in tiers:  # whole tiers re-attempt until one is split
            size = sum(c for _, c in tier)
            if open_tier or need == 0:
                plan += [(k, "fresh", c) for k, c in tier]
            elif need >= size:
                plan += [(k, "redo", c) for k, c in tier]
                need -= size
            else:
                open_tier = tier
        if not open_tier:
            yield plan
            return
        for split in _splits(need, [c for _, c in open_tier]):
            out = list(plan)
            for (k, c), x in zip(open_tier, split):
                if x:
                    out.append((k, "redo", x))
                if c - x:
                    out.append((k, "fresh", c - x))
            yield out

    def count_proof(self, model, n, meter=None):
        """A fast sufficient proof on straggler COUNTS only, or ``None`` when it does not apply.

        Lemma: under a bursty model with ``W >= B + 1`` a worker that straggled in round ``r'``
        cannot straggle in round ``r`` when ``B <= r - r' <= W - 1`` (both rounds lie in one
        window and span more than ``B`` rounds). With the stragglers-first rule the
        re-attempters of job ``t`` (in round ``t + B``) are taken from ``M_t`` = the stragglers
        of round ``t`` (they straggled ``B`` rounds before: *depth* 0), then the workers that
        were busy re-attempting in round ``t``; a busy worker of depth ``d`` re-attempting again
        has depth ``d + 1``: it straggled ``(d + 2) B`` rounds before. A re-attempter of depth
        ``d`` is therefore safe when ``(d + 1) B <= W - 1``. If every re-attempter is safe, every
        re-attempt arrives and job ``t`` has ``n - s`` results.

        The search runs on counts: the straggler counts of the last ``W - 1`` rounds (every window
        must pass ``model.counts_feasible``, a necessary condition, so this over-approximates the
        model), and per pending job ``(|S_t|, busy_t by depth)``, with ``|M_t| = |S_t| + busy_t``
        and ``|M_t| - s`` re-attempters. The choice among busy workers of different depths is
        left open (every split is explored). Returns ``(True, states)``, or ``None`` if the lemma
        does not apply or some reachable count state would need an unsafe re-attempter (then the
        full explorer decides). ``meter`` (a :class:`~sgc_theory.budget.Meter`) is charged one
        unit per count state expanded.
        """
        from collections import deque

        B, W = self.B, model.W
        if self.scheme.rule != "stragglers-first" or W < B + 1 or model.row_ok(1 | 1 << B):
            return None
        depths = (W - 1) // B  # depths 0 .. depths-1 are safe
        zero = (0,) * depths
        start = ((0,) * (W - 1), ((0, zero),) * B)
        feasible: dict = {}
        seen = {start}
        queue = deque([start])
        while queue:
            if meter is not None:
                meter.charge(1 + W)
            window, ages = queue.popleft()
            options = self._busy_options(*ages[B - 1], zero)
            if options is None:
                return None  # a re-attempter too deep to be safe
            for busy in options:
                total = sum(busy)
                for c in range(0, min(model.lam, n - total) + 1):
                    win = window + (c,)
                    ok = feasible.get(win)
                    if ok is None:
                        ok = feasible[win] = model.counts_feasible(win)
                    if not ok:
                        break  # feasibility only shrinks as the newest count grows
                    nxt = (win[1:], ((c, busy),) + ages[:-1])
                    if nxt not in seen:
                        seen.add(nxt)
                        queue.append(nxt)
        return True, len(seen)

    def _busy_options(self, S_t, busy_t, zero):
        """The re-attempters of the job of age ``B`` by depth, one tuple per admitted choice:
        ``|M_t| - s`` of them, the stragglers of its round first (depth 0), then busy workers
        of any depth split every way (depth ``d`` becomes ``d + 1``); ``None`` when a choice
        takes a worker of the last depth, which is not safe."""
        need = S_t + sum(busy_t) - self.s
        if need <= 0:
            return [zero]
        first = min(need, S_t)
        options = []
        for split in _splits(need - first, list(busy_t)):
            if split and split[-1]:
                return None
            options.append((first,) + split[:-1])
        return options

    def step(self, local, action, straggled):
        missing_t = local[self.B - 1][0]
        new = ((straggled or action == "redo", straggled),) + local[:-1]
        return new, (missing_t, action, straggled)

    def fails(self, tokens):
        m = sum(c for (miss, _, _), c in tokens.items() if miss)
        if m <= self.s:
            return None
        ok = sum(c for (_, a, st), c in tokens.items() if a == "redo" and not st)
        return self.B if ok < m - self.s else None


class MSGCView:
    """M-SGC: a worker remembers, for jobs of ages ``1..T``, which of its D1 chunks and which D2
    groups' coded tasks the master received. Its actions follow from that memory."""

    def __init__(self, scheme):
        self.scheme = scheme
        self.T = scheme.T
        self.W = scheme.W
        self.B = scheme.B
        self.full = (1 << (self.W - 1)) - 1
        self.need = scheme.n - scheme.lam

    def initial_local(self):
        return ((self.full, (1 << self.B) - 1),) * self.T

    def plans(self, groups):
        yield [(kind, None, c) for kind, c in groups]

    def _work(self, m, status):
        """What the worker computes in slot ``m`` for the job of that age: a (kind, index) tag."""
        if m <= self.W - 2:
            return ("D1", m)
        d1, _ = status
        if d1 != self.full:
            j = 0
            while d1 >> j & 1:
                j += 1
            return ("D1", j)
        return ("D2", m - (self.W - 1)) if self.scheme.coded else None

    def step(self, local, action, straggled):
        statuses = [(0, 0)] + list(local)  # index = age
        if not straggled:
            for m in range(self.T + 1):
                tag = self._work(m, statuses[m])
                if tag is not None:
                    d1, d2 = statuses[m]
                    statuses[m] = (
                        (d1 | 1 << tag[1], d2) if tag[0] == "D1" else (d1, d2 | 1 << tag[1])
                    )
        return tuple(statuses[: self.T]), statuses[self.T]

    def fails(self, tokens):
        if any(d1 != self.full for (d1, _), c in tokens.items() if c):
            return self.T
        if self.scheme.coded:
            for g in range(self.B):
                if sum(c for (_, d2), c in tokens.items() if d2 >> g & 1) < self.need:
                    return self.T
        return None


class BRSGCView:
    """BR-SGC and PR-SGC: a worker remembers whether it straggled in each of the last ``B``
    rounds; the job of age ``B`` fails when a worker that straggled in its round straggles
    again. The rule is exact for BR-SGC (uncoded, every worker holds part of every job) and
    sufficient for PR-SGC (a straggler whose pieces all arrived from partners lost nothing)."""

    @property
    def token_note(self) -> str:
        """What the verdict's decodability rests on, naming the scheme it ran on."""
        head = (
            "decodability decided per worker: a job fails when a worker straggles in its "
            "round and again B rounds later"
        )
        if self.scheme.name == "prsgc":
            return (
                f"{head} (sufficient for PR-SGC: uncoded pieces, every straggler re-computes "
                "what it lost; a straggler whose pieces all arrived from partners lost nothing, "
                "so a failure on counts is replayed on PR-SGC's exact token rule; no code is "
                "assumed)"
            )
        return (
            f"{head} (exact for BR-SGC: uncoded partitions, every worker holds part of every "
            "job; no code is assumed)"
        )

    def __init__(self, scheme):
        self.scheme = scheme
        self.B = scheme.B
        #: the work of a round depends on the stragglers of rounds r - B and r - 2B: a worker
        #: remembers 2B rounds so that :meth:`work` can be read off the counts
        self._work: dict = {}
        self.track_load(True)

    def track_load(self, on: bool) -> None:
        """Remember ``2B`` rounds and read each round's work off the counts (``on``), or only
        the ``B`` rounds decodability needs (under the design model, where the load is proved
        by the closed form: a smaller state space)."""
        self.checks_load = bool(on)
        self.mask = (1 << ((2 if on else 1) * self.B)) - 1

    def initial_local(self):
        return 0

    def work(self, plan):
        """The most data a worker computes in the round of ``plan`` (exact). It depends only on
        how many workers straggled in round ``r - B`` only, in ``r - 2B`` only, and in both
        (both schemes lay a job out by these counts, equal pieces per class of worker): the
        scheme's own :meth:`~sgc_theory.schemes.BRSGC.worker_work` on a representative state
        with those counts."""
        B = self.B
        a = b = c = 0  # stragglers of both rounds, of r - B only, of r - 2B only
        for (_, local), _, cnt in plan:
            redo, older = local >> (B - 1) & 1, local >> (2 * B - 1) & 1
            a += cnt if redo and older else 0
            b += cnt if redo and not older else 0
            c += cnt if older and not redo else 0
        key = (a, b, c)
        out = self._work.get(key)
        if out is None:
            older = (1 << (a + c)) - 1
            redo = ((1 << (a + b)) - 1) << c
            state = (older,) + (0,) * (B - 1) + (redo,) + (0,) * (B - 1)
            out = self._work[key] = max(self.scheme.worker_work(state))
        return out

    def plans(self, groups):
        yield [(kind, None, c) for kind, c in groups]

    def step(self, local, action, straggled):
        lost = bool(local >> (self.B - 1) & 1)
        return ((local << 1) | int(straggled)) & self.mask, (lost, bool(straggled))

    def fails(self, tokens):
        return self.B if tokens.get((True, True), 0) else None


__all__ = ["GCView", "SRSGCView", "MSGCView", "BRSGCView"]
