"""The symmetric (count) form of a window model's automaton (docs/guide/models.md).

Because the constraints treat workers alike, the automaton can be run on *counts*: the state is
how many workers have each ``(W - 1)``-round history, and a transition is how many workers of each
history straggle next, with multiplicity the product of binomials. This module holds the
transitions of that form, the enumeration and counting of the bounded choice vectors behind them,
and the memoised completion counts used by exact sampling;
:class:`~sgc_theory.models.StragglerModel` runs them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from math import comb
from typing import Any

import numpy as np

from ..budget import check_work, fmt_work

__all__ = ["bounded_vectors", "count_bounded_vectors"]

#: explicit automaton state: the straggler bitmasks of the last ``W - 1`` rounds, oldest first
State = tuple[int, ...]
#: symmetric automaton state: sorted ``((history, count), ...)`` with nonzero counts
SymState = tuple[tuple[int, int], ...]


class _RowTable:
    """``table[row]`` = does a ``W``-bit window row satisfy the model's per-worker rule.

    Filled lazily from the definition (``2^W`` rows would be slow to build for large ``W``).
    """

    __slots__ = ("_model", "_cache")

    def __init__(self, model: Any) -> None:
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


def _completions_counter(model: Any) -> Callable[[SymState, int], int]:
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
