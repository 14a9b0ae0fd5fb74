"""Floating-point behaviour of gradient codes: how many digits float64 decoding keeps.

A code is exact in rationals, but a run decodes in float64 (docs/guide/codes.md, "Float
decoding"). Two measures, on the straggler sets of size ``s`` (all of them when there are few,
else a seeded random sample):

* :func:`condition_report` -- the condition number ``sigma_1 / sigma_r`` of the decoding system
  ``E_F`` (``r = min(rank E, n - s)``): a system of condition ``kappa`` loses about
  ``log10(kappa)`` digits;
* :func:`decoding_error` -- the relative error of an actual float64 decoding: random integer
  partial gradients ``g_p`` (so the exact sum is exact in float64), encoded results
  ``f_i = sum_p E[i, p] g_p`` computed in float64, decoded with the exact decoding vector rounded
  to float64, compared with the exact sum.
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

import numpy as np

from ..budget import check_work, fmt_work
from ..errors import check_int, check_seed
from .results import ConditionReport

if TYPE_CHECKING:
    from .base import GradientCode

__all__ = ["condition_report"]


def _straggler_sets(n: int, s: int, max_sets: int, seed: int) -> tuple[np.ndarray, bool]:
    """All ``C(n, s)`` straggler sets (lexicographic) when at most ``max_sets``, else
    ``max_sets`` random ones (sorted rows; repeats possible); and whether they are sampled."""
    total = math.comb(n, s)
    if total <= max_sets:
        sets = np.array(list(itertools.combinations(range(n), s)), dtype=np.int64)
        return sets.reshape(total, s), False
    rng = np.random.default_rng(seed)
    sets = np.sort(
        np.array([rng.choice(n, size=s, replace=False) for _ in range(max_sets)]), axis=1
    )
    return sets.reshape(max_sets, s), True


def condition_report(code: GradientCode, max_sets: int = 20000, seed: int = 0) -> ConditionReport:
    """Worst float64 condition number of ``E_F`` over straggler sets of size ``s``.

    Shows why floating point is risky: the real-valued decoding of a valid code can be
    badly conditioned. Samples ``max_sets`` sets at random when there are more.

    Examples
    --------
    >>> from sgc_theory.codes import fractional_repetition
    >>> round(condition_report(fractional_repetition(4, 1)).worst, 6)
    1.414214
    """
    max_sets = check_int("max_sets", max_sets, minimum=1)
    seed = check_seed("seed", seed) or 0
    n, s = code.n, code.s
    total = math.comb(n, s)
    check_work(
        min(total, max_sets) * n * n,
        f"condition numbers of {fmt_work(min(total, max_sets))} decoding systems "
        f"of size {n - s} x {n}",
        cheaper="a smaller max_sets",
    )
    sets, sampled = _straggler_sets(n, s, max_sets, seed)
    mask = np.ones((len(sets), n), dtype=bool)
    if s:
        np.put_along_axis(mask, sets, False, axis=1)
    survivors = np.nonzero(mask)[1].reshape(len(sets), n - s)
    Ef = code.to_numpy()[survivors]  # (sets, n - s, n)
    sv = np.linalg.svd(Ef, compute_uv=False)
    r = max(1, min(code.rank, n - s))
    top, low = sv[:, 0], sv[:, r - 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = np.where(low > top * 1e-14, top / low, np.inf)
    w = int(np.argmax(cond))
    return ConditionReport(
        worst=float(cond[w]),
        worst_stragglers=[int(x) for x in sets[w]],
        median=float(np.median(cond)),
        sets_checked=len(sets),
        sampled=sampled,
    )
