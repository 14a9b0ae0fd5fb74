"""Straggler patterns as arrays and bitmasks (docs/guide/models.md): checking a pattern, the
``(1 + mu) x fastest`` rule that extracts one from delays, random generators, and the set bits of a
worker bitmask."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..errors import SGCError, check_real, check_seed

__all__ = ["extract_pattern", "as_pattern", "as_rng"]


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
