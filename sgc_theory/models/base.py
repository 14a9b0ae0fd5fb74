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

import numpy as np
from numpy.typing import ArrayLike

from ..errors import SGCError, check_int

__all__ = ["StragglerModel", "extract_pattern", "as_pattern"]

#: explicit automaton state: the straggler bitmasks of the last ``W - 1`` rounds, oldest first
State = tuple[int, ...]
#: symmetric automaton state: sorted ``((history, count), ...)`` with nonzero counts
SymState = tuple[tuple[int, int], ...]


def as_pattern(pattern: ArrayLike, n: int | None = None, name: str = "pattern") -> np.ndarray:
    """Return ``pattern`` as a boolean ``(n, R)`` array, checking its shape."""
    arr = np.asarray(pattern)
    if arr.ndim == 1 and arr.size == 0 and n is not None:
        arr = np.zeros((n, 0), dtype=bool)
    if arr.ndim != 2:
        raise SGCError(f"{name} must be a 2-D (workers, rounds) array (got shape {arr.shape})")
    if n is not None and arr.shape[0] != n:
        raise SGCError(f"{name} must have n={n} rows, one per worker (got {arr.shape[0]})")
    if arr.dtype != bool:
        if not np.isin(arr, (0, 1)).all():
            raise SGCError(f"{name} must be boolean (True = straggler)")
        arr = arr.astype(bool)
    return arr


def extract_pattern(delays: ArrayLike, mu: float) -> np.ndarray:
    """Straggler pattern of a delay matrix by the ``(1 + mu) x fastest`` rule.

    Worker ``i`` straggles in round ``r`` iff ``delays[i, r] > (1 + mu) * min_j delays[j, r]``.

    >>> extract_pattern([[1.0, 1.0], [2.5, 1.5]], mu=1.0).tolist()
    [[False, False], [True, False]]
    """
    D = np.asarray(delays, dtype=float)
    if D.ndim != 2:
        raise SGCError(f"delays must be a 2-D (workers, rounds) array (got shape {D.shape})")
    if not np.isfinite(D).all() or (D < 0).any():
        raise SGCError("delays must be finite and non-negative")
    if mu < 0:
        raise SGCError(f"mu must be >= 0 (got mu={mu})")
    if D.shape[1] == 0:
        return np.zeros(D.shape, dtype=bool)
    return D > (1.0 + mu) * D.min(axis=0, keepdims=True)


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
            W = self._model.W
            out = self._model._row_ok_by_definition([W - 1 - k for k in range(W) if row >> k & 1])
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
        self.W = check_int("W", W, minimum=1)
        self.lam = check_int("lam", lam, minimum=0, maximum=self.n)
        # row table: row bit k = straggles k rounds before the newest round of the window
        self._row_table = _RowTable(self)
        self._hist_mask = (1 << (self.W - 1)) - 1

    # ----- definition ---------------------------------------------------------------------
    def _row_ok_by_definition(self, rounds: list[int]) -> bool:  # pragma: no cover
        raise NotImplementedError

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
            win = padded[:, a:a + self.W]
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
        return self._row_table[row]

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
        union = mask
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
        if self.W == 1:
            return ()
        return tuple(state[1:]) + (mask,)

    def enumerate(self, rounds: int) -> Iterator[np.ndarray]:
        """All admitted patterns of ``rounds`` rounds, lazily, depth-first (lexicographic)."""
        rounds = check_int("rounds", rounds, minimum=0)
        masks: list[int] = []

        def rec(state: State, depth: int) -> Iterator[np.ndarray]:
            if depth == rounds:
                yield self._masks_to_pattern(masks)
                return
            for m in self.next_sets(state):
                masks.append(m)
                yield from rec(self.advance(state, m), depth + 1)
                masks.pop()

        yield from rec(self.initial_state(), 0)

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
    def sym_initial(self) -> SymState:
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

    def count(self, rounds: int, method: str = "symmetric") -> int:
        """Exact number of admitted patterns of ``rounds`` rounds.

        ``method="symmetric"`` runs dynamic programming on counts of worker histories (fast,
        any ``n``); ``method="automaton"`` on explicit states (small ``n``; an independent route).
        """
        rounds = check_int("rounds", rounds, minimum=0)
        if method == "symmetric":
            dist = {self.sym_initial(): 1}
            for _ in range(rounds):
                new: dict = {}
                for st, c in dist.items():
                    for nxt, mult in self.sym_transitions(st):
                        new[nxt] = new.get(nxt, 0) + c * mult
                dist = new
            return sum(dist.values())
        if method == "automaton":
            states: dict[State, int] = {self.initial_state(): 1}
            for _ in range(rounds):
                after: dict[State, int] = {}
                for cur, c in states.items():
                    for m in self.next_sets(cur):
                        succ = self.advance(cur, m)
                        after[succ] = after.get(succ, 0) + c
                states = after
            return sum(states.values())
        raise SGCError(f"method must be 'symmetric' or 'automaton' (got {method!r})")

    def sample(self, rounds: int, rng: np.random.Generator | int | None = None) -> np.ndarray:
        """A pattern drawn uniformly at random from the admitted patterns of ``rounds`` rounds."""
        rounds = check_int("rounds", rounds, minimum=0)
        rng = np.random.default_rng(rng)
        completions = _completions_counter(self)
        counts = self.sym_initial()
        # workers grouped by history class; we track actual identities to place stragglers
        hist = np.zeros(self.n, dtype=np.int64)
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
            hist = ((hist << 1) | P[:, r]) & self._hist_mask
            counts = nxt
        return P


def _bigrand(rng: np.random.Generator, total: int) -> int:
    bits = total.bit_length() + 64
    x = 0
    for _ in range(0, bits, 62):
        x = (x << 62) | int(rng.integers(0, 1 << 62))
    return x % total


def _sym_choices(row_table: _RowTable, W: int, lam: int, state: SymState
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
    results = []
    choice = [0] * nh
    tops = []
    costs = []
    for h, c in state:
        newly = not ((h << 1) & full)  # a straggler of this class is newly active in the window
        tops.append(c if row_table[((h << 1) | 1) & full] else 0)
        costs.append(1 if newly else 0)

    def rec(k: int, budget: int, mult: int) -> None:
        if k == nh:
            new: dict = {}
            for g in range(nh):
                h, c, j = classes[g], counts[g], choice[g]
                if j:
                    key = ((h << 1) | 1) & hist_mask
                    new[key] = new.get(key, 0) + j
                if c - j:
                    key = (h << 1) & hist_mask
                    new[key] = new.get(key, 0) + c - j
            results.append((tuple(choice), tuple(sorted(new.items())), mult))
            return
        top = tops[k] if not costs[k] else min(tops[k], budget)
        for j in range(top + 1):
            choice[k] = j
            rec(k + 1, budget - j * costs[k], mult * comb(counts[k], j))
        choice[k] = 0

    rec(0, budget, 1)
    return results


@lru_cache(maxsize=4096)
def _sym_transitions(row_table: _RowTable, W: int, lam: int, counts: SymState
                     ) -> list[tuple[SymState, int]]:
    merged: dict = {}
    for _, new, mult in _sym_choices(row_table, W, lam, counts):
        merged[new] = merged.get(new, 0) + mult
    return list(merged.items())


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
