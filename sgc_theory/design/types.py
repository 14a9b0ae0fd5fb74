"""Admitted straggler histories up to worker permutations: *history orbits* by worker types.

A history of ``L`` rounds is an ``(n, L)`` straggler pattern (clean before its first round).
Each worker's row of it is the worker's **type**, stored as an ``int`` whose bit ``k`` is round
``k`` of the history (bit 0 = the oldest round).  Permuting workers does not change which
patterns a window model admits, so what matters of a history is how many workers have each type:
its **orbit**, written canonically as the sorted tuple ``((type, count), ...)`` of the types
that occur.  :class:`TypeSpace` lists the admitted orbits of every length and how each one
continues: a *child* of an orbit of length ``L`` says how many workers of each type straggle in
round ``L`` (a vector ``s`` aligned with the orbit's types).

The number of orbits does not grow with ``2^n`` but with the number of ways to spread at most
``lam`` stragglers per window over the types, which keeps ``n = 256`` in reach for short
histories.  An independent check (in the tests): summing ``n! / prod(count!)`` over the orbits of
length ``L`` gives ``model.count(L)``.

Two maps between lengths are used by the covering LP by types
(:mod:`sgc_theory.design.type_lp`): *children* (append a round) and *suffix* (forget the oldest
rounds; the suffix of an admitted history is admitted, since the constraints of a window model
only get looser when stragglers are removed).
"""

from __future__ import annotations

from math import factorial

from ..errors import SGCError

__all__ = ["TypeSpace", "orbit_size"]


def orbit_size(orbit) -> int:
    """Number of concrete histories (worker labelings) in an orbit: ``n! / prod(count!)``."""
    n = sum(c for _, c in orbit)
    out = factorial(n)
    for _, c in orbit:
        out //= factorial(c)
    return out


class TypeSpace:
    """History orbits of a window model, level by level (level ``L`` = histories of ``L`` rounds).

    Parameters
    ----------
    model : StragglerModel
        A window model (per-round, bursty or arbitrary) on ``model.n`` workers.
    max_orbits : int
        Refuse (``SGCError`` naming ``max_orbits``) when a level would hold more orbits.

    Attributes
    ----------
    levels : list of list
        ``levels[L]`` = the orbits of length ``L``, each a sorted tuple of ``(type, count)``.
    index : list of dict
        ``index[L][orbit]`` = position of the orbit in ``levels[L]``.

    Examples
    --------
    >>> from sgc_theory.models import Bursty
    >>> sp = TypeSpace(Bursty(4, B=1, W=2, lam=1))
    >>> sorted(sp.orbits(2))   # clean; one straggler in the first round; in the second
    [((0, 3), (1, 1)), ((0, 3), (2, 1)), ((0, 4),)]
    >>> sum(orbit_size(o) for o in sp.orbits(2)) == Bursty(4, B=1, W=2, lam=1).count(2)
    True
    """

    def __init__(self, model, max_orbits: int = 2_000_000, meter=None):
        self.model = model
        self.meter = meter  # a sgc_theory.budget.Meter charged per history continuation
        self.n = model.n
        self.W = model.W
        self.lam = model.lam
        self.max_orbits = max_orbits
        self.levels: list[list] = [[((0, self.n),)]]
        self.index: list[dict] = [{self.levels[0][0]: 0}]
        self._children: list[list] = []
        self._type_info: dict = {}

    # ----- per-type facts -------------------------------------------------------------------
    def _info(self, typ: int, length: int):
        """``(can_straggle_next, already_active_in_window)`` for a type of ``length`` rounds."""
        key = (typ, length)
        out = self._type_info.get(key)
        if out is None:
            prev = 0  # model convention: bit j = j rounds before the coming round
            for j in range(1, self.W):
                r = length - j
                if r >= 0 and typ >> r & 1:
                    prev |= 1 << j
            out = (bool(self.model.row_ok(prev | 1)), prev != 0)
            self._type_info[key] = out
        return out

    # ----- levels ---------------------------------------------------------------------------
    def orbits(self, length: int) -> list:
        """The admitted history orbits of ``length`` rounds (built on demand)."""
        while len(self.levels) <= length:
            self._extend()
        return self.levels[length]

    def children(self, length: int, idx: int) -> list:
        """``[(child index at length + 1, s), ...]`` of orbit ``idx`` of ``length`` rounds;
        ``s[j]`` = stragglers among the workers of the orbit's ``j``-th type."""
        self.orbits(length + 1)
        return self._children[length][idx]

    #: whether :meth:`forced` can be true (a subclass that forces stragglers sets it)
    forces = False

    def forced(self, typ: int, length: int) -> bool:
        """Whether a worker of this type must straggle in the next round (never, here: a
        restricted family overrides it, :mod:`sgc_theory.design.restricted`)."""
        return False

    def next_round(self, orbit, length: int) -> tuple[list, list, int]:
        """``(caps, costly, budget)`` after a history in ``orbit`` of ``length`` rounds: per type,
        how many of its workers may straggle next (all or none) and whether a straggler of it
        is new in the window; and how many new stragglers the window still allows."""
        caps, costly = [], []
        active = 0
        for typ, c in orbit:
            can, act = self._info(typ, length)
            caps.append(c if can else 0)
            costly.append(not act)
            if act:
                active += c
        return caps, costly, self.lam - active

    def straggler_vectors(self, orbit, length: int) -> list:
        """Every admitted next-round straggler count vector ``s`` (aligned with the orbit's
        types) after a history in ``orbit``: closed downwards, except that the workers of a
        :meth:`forced` type all straggle."""
        caps, costly, budget = self.next_round(orbit, length)
        forced = [self.forces and self.forced(typ, length) for typ, _ in orbit]
        if any(f and not cap for f, cap in zip(forced, caps)):  # pragma: no cover
            return []  # a forced worker that may not straggle: not reached (a run < B goes on)
        if budget < 0:  # pragma: no cover - cannot happen for an admitted history
            return []
        # extend prefixes type by type (no recursion: the depth would be the number of types)
        partial = [((), budget)]
        for cap, cost, f in zip(caps, costly, forced):
            if f:
                partial = [(pre + (cap,), left) for pre, left in partial]
                continue
            partial = [
                (pre + (x,), left - x if cost else left)
                for pre, left in partial
                for x in range((min(cap, left) if cost else cap) + 1)
            ]
        return [pre for pre, _ in partial]

    def _extend(self) -> None:
        length = len(self.levels) - 1
        level = self.levels[length]
        nxt: list = []
        nidx: dict = {}
        kids: list = []
        bit = 1 << length
        for orbit in level:
            mine = []
            vecs = self.straggler_vectors(orbit, length)
            if self.meter is not None:
                self.meter.charge(len(vecs) * (1 + len(orbit)))
            for s in vecs:
                child: dict = {}
                for (typ, c), x in zip(orbit, s):
                    if x:
                        child[typ | bit] = x
                    if c - x:
                        child[typ] = c - x
                key = tuple(sorted(child.items()))
                j = nidx.get(key)
                if j is None:
                    j = nidx[key] = len(nxt)
                    nxt.append(key)
                    if len(nxt) > self.max_orbits:
                        raise SGCError(
                            f"histories of {length + 1} rounds of {self.model.spec} on "
                            f"n={self.n} workers have more than max_orbits={self.max_orbits} "
                            "orbits; lower T or P, or raise max_orbits"
                        )
                mine.append((j, s))
            kids.append(mine)
        self.levels.append(nxt)
        self.index.append(nidx)
        self._children.append(kids)

    # ----- suffixes ---------------------------------------------------------------------------
    def suffix(self, orbit, drop: int):
        """The orbit of the history without its ``drop`` oldest rounds, and the map from this
        orbit's type positions to the suffix orbit's type positions."""
        agg: dict = {}
        for typ, c in orbit:
            t2 = typ >> drop
            agg[t2] = agg.get(t2, 0) + c
        suf = tuple(sorted(agg.items()))
        pos = {t: j for j, (t, _) in enumerate(suf)}
        return suf, [pos[typ >> drop] for typ, _ in orbit]
