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

from functools import lru_cache
from itertools import combinations
from math import comb
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..budget import Meter, check_work, current_limit, fmt_work, work_budget
from ..errors import SGCError, check_bool, check_int, check_real, check_seed

__all__ = ["StragglerModel", "extract_pattern", "as_pattern", "as_rng"]

#: explicit automaton state: the straggler bitmasks of the last ``W - 1`` rounds, oldest first
State = tuple[int, ...]
#: symmetric automaton state: sorted ``((history, count), ...)`` with nonzero counts
SymState = tuple[tuple[int, int], ...]


def as_pattern(pattern: ArrayLike, n: int | None = None, name: str = "pattern") -> np.ndarray:
    """Return ``pattern`` as a boolean ``(n, R)`` array, checking its shape."""
    try:
        arr = np.asarray(pattern)
    except (ValueError, TypeError):
        raise SGCError(
            f"{name} must be a rectangular 2-D (workers, rounds) array of booleans "
            "(got rows of different lengths or mixed types)"
        ) from None
    if arr.ndim == 1 and arr.size == 0 and n is not None:
        arr = np.zeros((n, 0), dtype=bool)
    if arr.ndim != 2:
        raise SGCError(f"{name} must be a 2-D (workers, rounds) array (got shape {arr.shape})")
    if n is not None and arr.shape[0] != n:
        raise SGCError(f"{name} must have n={n} rows, one per worker (got {arr.shape[0]})")
    if arr.dtype != bool:
        if arr.dtype.kind not in "iuf" or not np.isin(arr, (0, 1)).all():
            raise SGCError(f"{name} must be boolean (True = straggler; 0/1 accepted)")
        arr = arr.astype(bool)
    return arr


def as_rng(rng: Any, name: str = "rng") -> np.random.Generator:
    """A numpy ``Generator`` from ``None`` (fresh), a seed ``>= 0`` or a ``Generator``.

    >>> int(as_rng(3).integers(10)) == int(as_rng(3).integers(10))
    True
    """
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(check_seed(name, rng))


def extract_pattern(delays: ArrayLike, mu: float) -> np.ndarray:
    """Straggler pattern of a delay matrix by the ``(1 + mu) x fastest`` rule.

    Worker ``i`` straggles in round ``r`` iff ``delays[i, r] > (1 + mu) * min_j delays[j, r]``.

    >>> extract_pattern([[1.0, 1.0], [2.5, 1.5]], mu=1.0).tolist()
    [[False, False], [True, False]]
    """
    mu = check_real("mu", mu, minimum=0)
    try:
        D = np.asarray(delays, dtype=float)
    except (ValueError, TypeError):
        raise SGCError(
            "delays must be a rectangular 2-D (workers, rounds) array of numbers "
            "(got rows of different lengths or non-numeric entries)"
        ) from None
    if D.ndim != 2:
        raise SGCError(f"delays must be a 2-D (workers, rounds) array (got shape {D.shape})")
    bad = ~np.isfinite(D) | (D < 0)
    if bad.any():
        i, r = (int(x) for x in np.argwhere(bad)[0])
        raise SGCError(f"delays must be finite and non-negative (delays[{i}, {r}] = {D[i, r]})")
    if D.shape[1] == 0:
        return np.zeros(D.shape, dtype=bool)
    with np.errstate(over="ignore"):  # a threshold beyond the float range exceeds every delay
        return D > (1.0 + mu) * D.min(axis=0, keepdims=True)


#: the largest window: worker histories are kept as (W - 1)-bit integers
MAX_WINDOW = 10**6


def _bits(mask: int) -> Iterator[int]:
    i = 0
    while mask:
        if mask & 1:
            yield i
        mask >>= 1
        i += 1


class _RowTable:
    """``table[row]`` = does a ``W``-bit window row satisfy the model's per-worker rule.

    Filled lazily from the definition (``2^W`` rows would be slow to build for large ``W``).
    """

    __slots__ = ("_model", "_cache")

    def __init__(self, model: StragglerModel) -> None:
        self._model = model
        self._cache: dict[int, bool] = {}

    def __getitem__(self, row: int) -> bool:
        out = self._cache.get(row)
        if out is None:
            fast = self._model._row_ok_mask(row)
            if fast is not None:
                out = fast
            else:
                W = self._model.W
                out = self._model._row_ok_by_definition(
                    [W - 1 - k for k in range(W) if row >> k & 1]
                )
            self._cache[row] = out
        return out


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


#: big-integer bits whose addition costs about one work unit (counting and sampling estimates)
_BIGINT_BITS_PER_UNIT = 15000


def _mul_factor(bits: int) -> float:
    """Cost of multiplying a big count by a ``bits``-bit multiplicity, relative to adding it:
    one pass per 64-bit word of the multiplicity (measured: ``PerRound(256, s=128)``, whose
    multiplicities have 252 bits, costs five times its additions)."""
    return 1 + bits / 64


def _bar(enabled: bool, total: int, desc: str) -> Any:
    if not enabled:
        return None
    from tqdm.auto import tqdm  # type: ignore[import-untyped]

    return tqdm(total=total, desc=desc, unit=" rounds", leave=False)


def _bigrand(rng: np.random.Generator, total: int) -> int:
    bits = total.bit_length() + 64
    x = 0
    for _ in range(0, bits, 62):
        x = (x << 62) | int(rng.integers(0, 1 << 62))
    return x % total


def _sym_choices(
    row_table: _RowTable, W: int, lam: int, state: SymState
) -> list[tuple[tuple[int, ...], SymState, int]]:
    """All ``(choice, new_state, multiplicity)`` from a sparse symmetric state.

    ``choice[k]`` = how many workers of the ``k``-th class of ``state`` straggle next.
    """
    hist_mask = (1 << (W - 1)) - 1
    full = (1 << W) - 1
    classes = [h for h, _ in state]
    counts = [c for _, c in state]
    nh = len(classes)
    base_active = sum(c for h, c in state if (h << 1) & full)
    for h, c in state:
        if c and not row_table[(h << 1) & full]:
            return []
    budget = lam - base_active
    if budget < 0:
        return []
    tops = []
    costs = []
    for h, c in state:
        newly = not ((h << 1) & full)  # a straggler of this class is newly active in the window
        tops.append(c if row_table[((h << 1) | 1) & full] else 0)
        costs.append(1 if newly else 0)
    size = count_bounded_vectors(tops, costs, budget)
    check_work(
        size,
        f"one step of the symmetric automaton (W={W}, lam={lam}) from a state "
        f"with {nh} worker classes ({fmt_work(size)} choices)",
    )
    results = []
    for choice in bounded_vectors(tops, costs, budget):
        mult = 1
        new: dict = {}
        for g in range(nh):
            h, c, j = classes[g], counts[g], choice[g]
            if j:
                mult *= comb(c, j)
                key = ((h << 1) | 1) & hist_mask
                new[key] = new.get(key, 0) + j
            if c - j:
                key = (h << 1) & hist_mask
                new[key] = new.get(key, 0) + c - j
        results.append((choice, tuple(sorted(new.items())), mult))
    return results


def bounded_vectors(
    tops: Sequence[int], costs: Sequence[int], budget: int
) -> Iterator[tuple[int, ...]]:
    """Every integer vector ``j`` with ``0 <= j[k] <= tops[k]`` and ``sum j[k] costs[k] <=
    budget`` (costs 0 or 1), lexicographically, as tuples; an explicit stack, no recursion.

    >>> list(bounded_vectors([1, 2], [1, 1], 2))
    [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1)]
    """
    nh = len(tops)
    choice = [0] * nh
    left = [0] * (nh + 1)  # left[k]: budget left before position k
    left[0] = budget

    def cap(k: int) -> int:
        return tops[k] if not costs[k] else min(tops[k], left[k])

    k = 0
    while True:
        while k < nh:  # descend with zeros
            choice[k] = 0
            left[k + 1] = left[k]
            k += 1
        yield tuple(choice)
        k = nh - 1  # advance the odometer from the last position
        while k >= 0 and choice[k] >= cap(k):
            k -= 1
        if k < 0:
            return
        choice[k] += 1
        left[k + 1] = left[k] - choice[k] * costs[k]
        k += 1


def count_bounded_vectors(tops: Sequence[int], costs: Sequence[int], budget: int) -> int:
    """How many vectors :func:`bounded_vectors` yields (without listing them).

    >>> count_bounded_vectors([1, 2], [1, 1], 2)
    5
    """
    if budget < 0:
        return 0
    free = 1
    costly = []
    for t, c in zip(tops, costs):
        if c:
            costly.append(t)
        else:
            free *= t + 1
    budget = min(budget, sum(costly))
    k = len(costly)
    if k <= 12:
        # inclusion-exclusion over the positions forced above their cap:
        # #{x >= 0, sum x <= b} = C(b + k, k)
        total = 0
        for mask in range(1 << k):
            over = sum(costly[i] + 1 for i in range(k) if mask >> i & 1)
            if over <= budget:
                total += (-1) ** bin(mask).count("1") * comb(budget - over + k, k)
        return free * total
    if k * budget > 10**7:  # too large to count exactly: an upper bound (only huge cases)
        prod = 1
        for t in costly:
            prod *= t + 1
        return free * min(prod, comb(budget + k, k))
    ways = [1] + [0] * budget  # ways[b]: costly prefixes using exactly b of the budget
    for t in costly:
        t = min(t, budget)
        prefix = [0]
        for w in ways:
            prefix.append(prefix[-1] + w)
        ways = [prefix[b + 1] - prefix[max(0, b - t)] for b in range(budget + 1)]
    return free * sum(ways)


@lru_cache(maxsize=4096)
def _sym_step(
    row_table: _RowTable, W: int, lam: int, counts: SymState
) -> tuple[list[tuple[SymState, int]], int]:
    """The merged transitions from ``counts`` and the number of choices listed to find them
    (the work of the step: many choices can merge into few transitions)."""
    merged: dict = {}
    choices = _sym_choices(row_table, W, lam, counts)
    for _, new, mult in choices:
        merged[new] = merged.get(new, 0) + mult
    return list(merged.items()), len(choices)


def _sym_transitions(
    row_table: _RowTable, W: int, lam: int, counts: SymState
) -> list[tuple[SymState, int]]:
    return _sym_step(row_table, W, lam, counts)[0]


def _completions_counter(model: StragglerModel) -> Callable[[SymState, int], int]:
    """``completions(counts, left)``: admitted continuations of ``left`` rounds from ``counts``.

    Memoised and evaluated with an explicit stack (not recursion), so that long horizons do not
    hit Python's recursion limit.
    """
    memo: dict = {}

    def completions(counts: SymState, left: int) -> int:
        stack = [(counts, left)]
        while stack:
            c, l = stack[-1]
            if (c, l) in memo:
                stack.pop()
                continue
            if l == 0:
                memo[(c, l)] = 1
                stack.pop()
                continue
            trans = model.sym_transitions(c)
            missing = [(nxt, l - 1) for nxt, _ in trans if (nxt, l - 1) not in memo]
            if missing:
                stack.extend(missing)
                continue
            memo[(c, l)] = sum(m * memo[(nxt, l - 1)] for nxt, m in trans)
            stack.pop()
        return memo[(counts, left)]

    return completions
