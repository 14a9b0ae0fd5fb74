"""Straggler models as sliding-window constraints and finite automata (docs/guide/models.md).

A *pattern* is a boolean array ``S`` of shape ``(n, R)``; ``S[i, r]`` is True when worker ``i``
straggles in round ``r`` (True = lost, like galois erasure masks). Rounds before 0 are clean.

All models of the toolkit are *window models*: a pattern is admitted iff, in every window of ``W``
consecutive rounds (windows reaching before round 0 included),

1. at most ``lam`` distinct workers straggle, and
2. every worker's row restricted to the window satisfies a per-worker predicate ``row_ok``
   (bursty: straggles inside ``B`` consecutive rounds; arbitrary: at most ``N`` straggles;
   per-round: no condition, ``W = 1``).

Whether the next round's straggler set is admitted depends only on the last ``W - 1`` rounds, so a
model is a finite automaton whose state is the tuple of the last ``W - 1`` straggler sets, each an
``int`` bitmask (bit ``i`` = worker ``i``). Because the constraints treat workers alike, the
automaton can also be run on *counts*: the state is how many workers have each ``(W - 1)``-round
history, and a transition is how many workers of each history straggle next. That symmetric form
counts patterns at ``n = 256`` exactly.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import combinations
from math import comb
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..budget import Meter, check_work, current_limit, fmt_work, work_budget
from ..errors import SGCError, check_bool, check_int

# the patterns and the symmetric (count) form live in .patterns and .symmetric; their names stay
# importable from here (noqa: re-exports)
from .patterns import MAX_WINDOW, _bits, as_pattern, as_rng, extract_pattern  # noqa: F401
from .symmetric import (  # noqa: F401
    _BIGINT_BITS_PER_UNIT,
    State,
    SymState,
    _bar,
    _bigrand,
    _completions_counter,
    _mul_factor,
    _RowTable,
    _sym_choices,
    _sym_step,
    _sym_transitions,
    bounded_vectors,
    count_bounded_vectors,
)

__all__ = ["StragglerModel", "extract_pattern", "as_pattern", "as_rng"]


class StragglerModel:
    """Base class of straggler models (window constraints + automaton).

    Parameters common to all models: ``n`` workers, window length ``W`` and ``lam``, the largest
    number of distinct workers straggling in a window.

    To implement a model, you need to:

    1. call ``super().__init__(n, W, lam)`` after validating your own parameters (raise
       :class:`~sgc_theory.errors.SGCError` naming the rule);
    2. implement ``_row_ok_by_definition(rounds)`` -- does one worker's set of straggling
       rounds inside a window (offsets ``0..W-1``) satisfy the model -- straight from the
       definition; it is used by :meth:`admits` and tabulated for the automaton;
    3. implement ``spec`` (the CLI model string) and ``_params`` (for ``repr``);
    4. run the shared model battery in ``tests/models`` on it.
    """

    kind = "abstract"

    def __init__(self, n: int, W: int, lam: int) -> None:
        self.n = check_int("n", n, minimum=1)
        self.W = check_int("W", W, minimum=1, maximum=MAX_WINDOW)
        self.lam = check_int("lam", lam, minimum=0, maximum=self.n)
        # row table: row bit k = straggles k rounds before the newest round of the window
        self._row_table = _RowTable(self)
        self._hist_mask = (1 << (self.W - 1)) - 1

    # ----- definition ---------------------------------------------------------------------
    def _row_ok_by_definition(self, rounds: list[int]) -> bool:  # pragma: no cover
        raise NotImplementedError

    def _row_ok_mask(self, row: int) -> bool | None:
        """Optional fast form of the per-worker rule on a ``W``-bit row (``None``: use
        :meth:`_row_ok_by_definition`); tests check that the two agree."""
        return None

    @property
    def spec(self) -> str:  # pragma: no cover
        raise NotImplementedError

    def _params(self) -> str:  # pragma: no cover
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(n={self.n}, {self._params()})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.n == self.n and other.spec == self.spec

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.n, self.spec))

    def admits(self, pattern: ArrayLike) -> bool:
        """Is ``pattern`` (bool ``(n, R)``) admitted? Checked window by window, by definition."""
        S = as_pattern(pattern, self.n)
        R = S.shape[1]
        if R == 0:
            return True
        padded = np.concatenate([np.zeros((self.n, self.W - 1), dtype=bool), S], axis=1)
        for a in range(R):  # windows [a, a + W - 1] in padded coordinates
            win = padded[:, a : a + self.W]
            active = win.any(axis=1)
            if active.sum() > self.lam:
                return False
            for i in np.flatnonzero(active):
                if not self._row_ok_by_definition(list(np.flatnonzero(win[i]))):
                    return False
        return True

    def first_violation(self, pattern: ArrayLike) -> int | None:
        """The first round ``r`` such that ``pattern[:, :r+1]`` is not admitted (``None`` if the
        whole pattern is admitted), found by running the automaton."""
        state = self.initial_state()
        for r, mask in enumerate(self.pattern_masks(pattern)):
            if not self.allows(state, mask):
                return r
            state = self.advance(state, mask)
        return None

    def row_ok(self, row: int) -> bool:
        """Per-worker condition on a ``W``-bit window row (bit 0 = newest round)."""
        return self._row_table[self._check_bits(row, self.W, "row", "a W-bit window row")]

    # ----- argument rules of the automaton (one each) --------------------------------------
    def _check_bits(self, value: Any, width: int, name: str, what: str) -> int:
        """``value`` is an integer of ``width`` bits: ``0 <= value < 2^width``."""
        if type(value) is not int:
            value = check_int(name, value)
        if value < 0 or value >> width:
            raise SGCError(
                f"{name} must be {what}, an integer with 0 <= {name} < 2^{width} (got "
                f"{name}={value if value.bit_length() < 64 else f'a {value.bit_length()}-bit integer'})"
            )
        return value

    def _check_mask(self, mask: Any, name: str = "mask") -> int:
        """A straggler set: a bitmask of the workers ``0..n-1``."""
        return self._check_bits(mask, self.n, name, f"a set of workers 0..{self.n - 1} (a bitmask)")

    def _check_state(self, state: Any) -> State:
        """An automaton state: ``W - 1`` straggler sets, oldest first (as from
        :meth:`initial_state` and :meth:`advance`)."""
        if not isinstance(state, (tuple, list)) or len(state) != self.W - 1:
            raise SGCError(
                f"state must be a tuple of W - 1 = {self.W - 1} straggler sets (bitmasks, oldest "
                f"first, as from initial_state() or advance()); got {type(state).__name__}"
                + (f" of length {len(state)}" if isinstance(state, (tuple, list)) else "")
            )
        for m in state:
            self._check_mask(m, "state entry")
        return tuple(state)

    # ----- explicit automaton (bitmask states) -------------------------------------------
    def initial_state(self) -> tuple[int, ...]:
        """Automaton start: the ``W - 1`` rounds before round 0, all clean (oldest first)."""
        return (0,) * (self.W - 1)

    def _worker_hist(self, state: State, i: int) -> int:
        h = 0
        for k, mask in enumerate(reversed(state)):  # k = 0: most recent round
            if mask >> i & 1:
                h |= 1 << k
        return h

    def allows(self, state: State, mask: int) -> bool:
        """May the straggler set ``mask`` follow the rounds recorded in ``state``?"""
        state = self._check_state(state)
        union = mask = self._check_mask(mask)
        for m in state:
            union |= m
        if union.bit_count() > self.lam:
            return False
        table = self._row_table
        for i in _bits(union):
            if not table[(self._worker_hist(state, i) << 1) | (mask >> i & 1)]:
                return False
        return True

    def next_sets(self, state: State) -> list[int]:
        """All straggler sets (bitmasks) admitted after ``state``, in increasing order."""
        state = self._check_state(state)
        prev = 0
        for m in state:
            prev |= m
        table = self._row_table
        free: list[int] = []
        costly: list[int] = []
        for i in range(self.n):
            h = self._worker_hist(state, i)
            if not table[h << 1]:  # cannot happen for window models; kept for safety
                return []
            if table[(h << 1) | 1]:
                (free if prev >> i & 1 else costly).append(i)
        budget = self.lam - prev.bit_count()
        if budget < 0:
            return []
        size = sum(comb(len(costly), k) for k in range(min(budget, len(costly)) + 1)) << len(free)
        check_work(
            size,
            f"listing the straggler sets {self!r} admits in one round ({fmt_work(size)} sets)",
            cheaper="the symmetric (counting) routes: count(), sample(), "
            "verify(..., all_horizons=True)",
        )
        out: list[int] = []
        free_masks = [0]
        for i in free:
            free_masks += [f | (1 << i) for f in free_masks]
        for size in range(0, min(budget, len(costly)) + 1):
            for combo in combinations(costly, size):
                c = 0
                for i in combo:
                    c |= 1 << i
                out.extend(c | f for f in free_masks)
        out.sort()
        return out

    def advance(self, state: State, mask: int) -> State:
        """State after a round with straggler set ``mask``."""
        state = self._check_state(state)
        mask = self._check_mask(mask)
        if self.W == 1:
            return ()
        return tuple(state[1:]) + (mask,)

    def enumerate(self, rounds: int) -> Iterator[np.ndarray]:
        """All admitted patterns of ``rounds`` rounds, lazily, depth-first (lexicographic)."""
        rounds = check_int("rounds", rounds, minimum=0)
        check_work(
            self.n * rounds,
            f"enumerating the patterns of {self!r} over {rounds} rounds (each an n x rounds array)",
        )
        return self._enumerate(rounds)

    def _enumerate(self, rounds: int) -> Iterator[np.ndarray]:
        # explicit stack (no recursion): frames of (state, iterator over its next sets)
        masks: list[int] = []
        if rounds == 0:
            yield self._masks_to_pattern(masks)
            return
        init = self.initial_state()
        stack = [(init, iter(self.next_sets(init)))]
        while stack:
            state, it = stack[-1]
            m = next(it, None)
            if m is None:
                stack.pop()
                if masks:
                    masks.pop()
                continue
            masks.append(m)
            if len(masks) == rounds:
                yield self._masks_to_pattern(masks)
                masks.pop()
                continue
            nxt = self.advance(state, m)
            stack.append((nxt, iter(self.next_sets(nxt))))

    def _masks_to_pattern(self, masks: Sequence[int]) -> np.ndarray:
        P = np.zeros((self.n, len(masks)), dtype=bool)
        for r, m in enumerate(masks):
            for i in _bits(m):
                P[i, r] = True
        return P

    def pattern_masks(self, pattern: ArrayLike) -> list[int]:
        """The per-round straggler bitmasks of a pattern."""
        S = as_pattern(pattern, self.n)
        weights = 1 << np.arange(self.n, dtype=object)
        return [int(sum(int(w) for w, b in zip(weights, S[:, r]) if b)) for r in range(S.shape[1])]

    # ----- count-level over-approximation --------------------------------------------------
    def counts_feasible(self, counts: Iterable[int]) -> bool:
        """Necessary condition on the straggler COUNTS of one window (oldest first, ``<= W``).

        Every admitted pattern's per-round counts pass it (so a proof over all count sequences
        that pass is a proof for the model); the converse need not hold. The base rule: in a
        window, rounds whose stragglers must be distinct workers add up to at most ``lam``.
        Models refine it through ``_max_disjoint_sum`` (the largest total over rounds of the
        window that cannot share a straggler).
        """
        counts = list(counts)
        if any(c > self.lam for c in counts):
            return False
        return self._max_disjoint_sum(counts) <= self.lam

    def _max_disjoint_sum(self, counts: Sequence[int]) -> int:
        return max(counts, default=0)

    # ----- symmetric automaton (counts of worker histories) ------------------------------
    def history_classes(self, rounds: int | None = None) -> int | None:
        """Number ``H`` of nonzero ``(W - 1)``-round worker histories the model admits (of
        ``min(W - 1, rounds)`` rounds if ``rounds`` is given); ``None`` when too many to list and
        the model has no closed form."""
        m = self.W - 1 if rounds is None else min(self.W - 1, rounds)
        if m > 20:
            return None
        return sum(1 for h in range(1, 1 << m) if self._row_table[h << 1])

    def sym_state_count(self, rounds: int | None = None) -> int | None:
        """Number of states of the symmetric automaton reachable after ``W - 1`` rounds (from
        then on every round reaches the same states): ``C(L + H, H)`` with ``L = min(lam, n)``
        active workers spread over the ``H`` nonzero histories (:meth:`history_classes`).

        Exact for the built-in models (their per-worker rules are monotone: dropping a straggle
        keeps a row admitted), and a lower bound on the work of every symmetric route.
        ``None`` when ``H`` is unknown.

        >>> from sgc_theory.models import Bursty
        >>> m = Bursty(6, B=2, W=3, lam=2)
        >>> m.sym_state_count() == len(m.sym_reachable()[0])
        True
        """
        H = self.history_classes(rounds)
        if H is None:
            return None
        return comb(min(self.lam, self.n) + H, H)

    def _count_lower_bound(self, rounds: int, what: str) -> None:
        """Refuse a symmetric count over ``rounds`` rounds whose visited states alone (round
        ``r`` reaches :meth:`sym_state_count` ``(r)`` states) exceed the budget."""
        limit = current_limit()
        total = 0
        for r in range(min(rounds, self.W)):
            S = self.sym_state_count(r)
            if S is None:
                return
            total += S
            if total > limit:
                break
        else:
            if rounds > self.W and S is not None:
                total += (rounds - self.W) * S
        check_work(total, f"{what} (at least {fmt_work(total)} symmetric states visited)")

    def sym_initial(self) -> tuple:
        """Symmetric start state: ``((history, count), ...)`` sorted, only nonzero counts.

        ``history`` is a worker's last ``W - 1`` rounds as bits (bit 0 = last round); before
        round 0 every worker is clean: ``((0, n),)``.
        """
        return ((0, self.n),)

    def sym_transitions(self, counts: SymState) -> list[tuple[SymState, int]]:
        """Transitions of the symmetric automaton from a state of :meth:`sym_initial`'s form.

        Returns ``(new_state, multiplicity)`` pairs, merged over equal ``new_state``; the
        multiplicity is the number of straggler sets leading there.
        """
        return _sym_transitions(self._row_table, self.W, self.lam, tuple(counts))

    def count(
        self,
        rounds: int,
        method: str = "symmetric",
        *,
        max_work: Any = None,
        progress: bool = False,
    ) -> int:
        """Exact number of admitted patterns of ``rounds`` rounds.

        ``method="symmetric"`` runs dynamic programming on counts of worker histories (fast,
        any ``n``); ``method="automaton"`` on explicit states (small ``n``; an independent route).
        The work (transitions per round x rounds, weighted by the size of the big integers) is
        estimated once the reachable states repeat (after ``W - 1`` rounds) and refused beyond
        the budget (``max_work``, see :mod:`sgc_theory.budget`); ``progress`` shows a bar.
        """
        rounds = check_int("rounds", rounds, minimum=0)
        if method not in ("symmetric", "automaton"):
            raise SGCError(f"method must be 'symmetric' or 'automaton' (got {method!r})")
        progress = check_bool("progress", progress)
        with work_budget(max_work):
            what = f"counting the admitted patterns of {self!r} over {rounds} rounds"
            if method == "symmetric":
                self._count_lower_bound(rounds, what)
            meter = Meter(what)
            bar = _bar(progress, rounds, "count")
            try:
                if method == "symmetric":
                    return self._count_symmetric(rounds, meter, bar)
                return self._count_automaton(rounds, meter, bar)
            finally:
                if bar is not None:
                    bar.close()

    def count_series(self, rounds: int, *, max_work: Any = None) -> list:
        """``[count(0), count(1), ..., count(rounds)]`` in one pass of the symmetric dynamic
        programming (same budget rule as :meth:`count`).

        >>> from sgc_theory.models import Bursty
        >>> Bursty(2, B=1, W=2, lam=1).count_series(3)
        [1, 3, 5, 11]
        """
        rounds = check_int("rounds", rounds, minimum=0)
        with work_budget(max_work):
            what = f"counting the admitted patterns of {self!r} over 0..{rounds} rounds"
            self._count_lower_bound(rounds, what)
            series = [1]
            self._count_symmetric(rounds, Meter(what), None, series)
            return series

    def _count_symmetric(
        self, rounds: int, meter: Any, bar: Any, series: list | None = None
    ) -> int:
        dist = {self.sym_initial(): 1}
        bits = 0  # bits of the number of straggler sets of one round (big-integer growth)
        for r in range(rounds):
            new: dict = {}
            edges = 0
            weight = 1 + r * bits * _mul_factor(bits) / _BIGINT_BITS_PER_UNIT
            for st, c in dist.items():
                trans, listed = _sym_step(self._row_table, self.W, self.lam, st)
                edges += len(trans)
                # each listed choice builds a state over the classes of `st`: measured about
                # 3 microseconds per class (Arbitrary(32, N=3, W=4, lam=16), 7 classes)
                meter.charge(max(3 * listed * (1 + len(st)), len(trans)) * weight)
                for nxt, mult in trans:
                    new[nxt] = new.get(nxt, 0) + c * mult
            dist = new
            if series is not None:
                series.append(sum(dist.values()))
            if r == 0:
                bits = max(1, sum(dist.values()).bit_length())
            if r == self.W - 1 and rounds > r + 1:
                # from round W - 1 on the reachable states repeat: each further round costs
                # `edges` transitions on ever larger integers
                k = rounds - 1 - r
                big = bits * _mul_factor(bits) / _BIGINT_BITS_PER_UNIT
                rest = edges * (k + big * (k * (r + 1) + k * (k - 1) // 2))
                meter.estimate = meter.used + rest
                check_work(meter.estimate, meter.what)
            if bar is not None:
                bar.update(1)
        return sum(dist.values())

    def _count_automaton(self, rounds: int, meter: Any, bar: Any) -> int:
        dist: dict = {self.initial_state(): 1}
        for _ in range(rounds):
            new: dict = {}
            for st, c in dist.items():
                sets = self.next_sets(st)
                meter.charge(len(sets))
                for m in sets:
                    nxt = self.advance(st, m)
                    new[nxt] = new.get(nxt, 0) + c
            dist = new
            if bar is not None:
                bar.update(1)
        return sum(dist.values())

    def sym_reachable(self, meter: Any = None, rounds: int | None = None) -> tuple[list, int]:
        """Reachable states of the symmetric automaton (breadth-first, every round length, or
        within ``rounds`` rounds).

        Returns ``(states, edges)``: the states in order of discovery and the number of
        transitions out of them. ``meter`` (a :class:`~sgc_theory.budget.Meter`) is charged one
        unit per transition.
        """
        start = self.sym_initial()
        index = {start: 0}
        depth = [0]
        order = [start]
        edges = 0
        k = 0
        while k < len(order):
            if rounds is not None and depth[k] >= rounds:
                k += 1
                continue
            trans = self.sym_transitions(order[k])
            edges += len(trans)
            if meter is not None:
                meter.charge(len(trans))
            for nxt, _ in trans:
                if nxt not in index:
                    index[nxt] = len(order)
                    order.append(nxt)
                    depth.append(depth[k] + 1)
            k += 1
        return order, edges

    def sample(self, rounds: int, rng: Any = None, *, max_work: Any = None) -> np.ndarray:
        """A pattern drawn uniformly at random from the admitted patterns of ``rounds`` rounds.

        ``rng``: ``None``, a seed ``>= 0`` or a numpy ``Generator``. The work (the number of
        admitted continuations of every reachable state for every remaining length, plus the
        ``n x rounds`` pattern) is estimated first and refused beyond the budget (``max_work``).
        """
        rounds = check_int("rounds", rounds, minimum=0)
        rng = as_rng(rng)
        with work_budget(max_work):
            what = f"sampling a pattern of {self!r} over {rounds} rounds"
            check_work(self.n * max(rounds, 1), what)
            self._count_lower_bound(rounds, what)
            meter = Meter(what)
            if rounds:
                _, edges = self.sym_reachable(meter, rounds)
                per = rounds * edges
                bits = max(
                    1, sum(m for _, m in self.sym_transitions(self.sym_initial())).bit_length()
                )
                meter.estimate = meter.used + per * (
                    1 + rounds * bits * _mul_factor(bits) / (2 * _BIGINT_BITS_PER_UNIT)
                )
                check_work(meter.estimate, what)
            return self._sample(rounds, rng)

    def _sample(self, rounds: int, rng: np.random.Generator) -> np.ndarray:
        completions = _completions_counter(self)
        counts = self.sym_initial()
        # workers grouped by history class; we track actual identities to place stragglers
        # (histories of more than 62 rounds do not fit in int64: Python integers then)
        hist = np.zeros(self.n, dtype=np.int64 if self.W <= 63 else object)
        P = np.zeros((self.n, rounds), dtype=bool)
        for r in range(rounds):
            left = rounds - r - 1
            options = _sym_choices(self._row_table, self.W, self.lam, counts)
            weights = [mult * completions(nxt, left) for (_, nxt, mult) in options]
            total = sum(weights)
            pick = _bigrand(rng, total)
            acc = 0
            for (choice, nxt, _), w in zip(options, weights):  # noqa: B007 (used after break)
                acc += w
                if pick < acc:
                    break
            # choice[k] workers of the k-th history class straggle, chosen uniformly
            for (h, _), j in zip(counts, choice):
                if j:
                    members = np.flatnonzero(hist == h)
                    P[rng.choice(members, size=j, replace=False), r] = True
            hist = ((hist << 1) | P[:, r].astype(hist.dtype)) & self._hist_mask
            counts = nxt
        return P
