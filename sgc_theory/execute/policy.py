"""The master's waiting policy in real time: the simulator's ``paper`` and ``minimal`` rules
(docs/guide/simulation.md) applied to arrival times as they come in.

In a round the master learns, worker by worker, the time at which its results arrived (seconds
from the start of the round). With ``f`` the first arrival and ``thr = (1 + mu) f``:

* ``paper``: at ``thr``, the workers not arrived yet are the stragglers if the scheme's design
  model admits them after the history of effective stragglers; the round then ends at ``thr``
  (at the last arrival if everyone arrived before ``thr``). Otherwise the master waits for every
  worker and records no straggler.
* ``minimal``: the round ends at the first time ``t >= thr`` (``thr`` or an arrival time) at which
  the workers still missing form an admitted set.

Decisions use arrival *timestamps*, never the time at which the master happens to look, so a
master that wakes up late decides what a punctual one would have decided: the same effective
pattern and round times as :func:`sgc_theory.simulate.simulate` on the same delays (tested).
"""

from __future__ import annotations

import numpy as np

from ..errors import SGCError

__all__ = ["Waiter", "RoundWait", "ONLINE_POLICIES", "replay"]

#: the policies a real master can follow (``optimal`` needs the future)
ONLINE_POLICIES = ("paper", "minimal")


def _mask(bools) -> int:
    m = 0
    for i in np.flatnonzero(bools):
        m |= 1 << int(i)
    return m


class Waiter:
    """The waiting policy across rounds: holds the design model's state of effective stragglers."""

    def __init__(self, model, n: int, mu: float, policy: str = "paper"):
        if policy not in ONLINE_POLICIES:
            raise SGCError(
                f"policy must be one of {', '.join(ONLINE_POLICIES)} for a real run (got {policy!r})"
            )
        self.model, self.n, self.mu, self.policy = model, n, float(mu), policy
        self.state = model.initial_state()

    def round(self) -> RoundWait:
        return RoundWait(self)

    def commit(self, mask: np.ndarray) -> None:
        self.state = self.model.advance(self.state, _mask(mask))


class RoundWait:
    """One round: feed ``arrive``, ask ``poll``; the decision is in ``mask`` / ``end``."""

    def __init__(self, waiter: Waiter):
        self.w = waiter
        self.times = np.full(waiter.n, np.inf)
        self.mask: np.ndarray | None = None
        self.end: float | None = None

    def arrive(self, i: int, t: float) -> None:
        self.times[i] = min(self.times[i], t)

    def _allows(self, left) -> bool:
        return self.w.model.allows(self.w.state, _mask(left))

    def poll(self, now: float) -> tuple[bool, float | None]:
        """``(decided, wake_at)``: whether the round is over at time ``now`` (then ``mask`` and
        ``end`` are set and the model advanced), else when to look again at the latest (``None``:
        at the next arrival)."""
        if self.mask is not None:
            return True, None
        arrived = np.isfinite(self.times)
        if not arrived.any():
            return False, None
        thr = (1.0 + self.w.mu) * float(self.times.min())
        everyone = bool(arrived.all())
        if everyone and float(self.times.max()) <= thr:
            return self._decide(np.zeros(self.w.n, dtype=bool), float(self.times.max()))
        if now < thr:
            return False, thr
        if self.w.policy == "paper":
            left = self.times > thr
            if self._allows(left):
                return self._decide(left, thr)
            if everyone:
                return self._decide(np.zeros(self.w.n, dtype=bool), float(self.times.max()))
            return False, None
        for t_try in [thr] + sorted(float(t) for t in self.times if thr < t <= now):
            left = self.times > t_try
            if self._allows(left):
                return self._decide(left, t_try)
        return False, None

    def _decide(self, mask, end):
        self.mask, self.end = mask, float(end)
        self.w.commit(mask)
        return True, None


def replay(waiter: Waiter, delays) -> tuple[np.ndarray, float]:
    """Run one round on a virtual clock where worker ``i`` arrives at ``delays[i]``: the same
    calls a real master makes, in the same order. Returns ``(straggler mask, end time)``."""
    rw = waiter.round()
    order = np.argsort(delays, kind="stable")
    now, k = 0.0, 0
    while True:
        decided, wake = rw.poll(now)
        if decided:
            return rw.mask, rw.end
        nxt = float(delays[order[k]]) if k < len(order) else np.inf
        if wake is not None and wake < nxt:
            now = wake
            continue
        if not np.isfinite(nxt):  # pragma: no cover - everyone arrived decides the round
            raise AssertionError("the waiting policy did not decide after every arrival")
        while k < len(order) and float(delays[order[k]]) == nxt:
            rw.arrive(int(order[k]), nxt)
            k += 1
        now = nxt
