"""Floating-point behaviour of gradient codes: how many digits float64 decoding keeps.

A code is exact in rationals, but a run decodes in float64 (docs/guide/codes.md, "Float
decoding"). Two measures, on the straggler sets of size ``s`` (all of them when there are few,
else a seeded random sample):

* :func:`condition_report` -- the condition number ``sigma_1 / sigma_r`` of the decoding system
  ``E_F`` (``r = min(rank E, n - s)``): a system of condition ``kappa`` loses about
  ``log10(kappa)`` digits;
* :func:`decoding_errors` -- the relative error of an actual float64 decoding: random partial
  gradients ``g_p``, encoded results ``f_i = sum_p E[i, p] g_p`` computed in float64, decoded
  with the exact decoding vector rounded to float64, compared with the correctly rounded sum.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from ..budget import check_work, fmt_work
from ..errors import check_int, check_seed
from .results import ConditionReport, FloatReport

#: a :class:`~sgc_theory.codes.GradientCode` (not imported here: base imports this module)
CodeT = Any


__all__ = ["condition_report", "decoding_errors", "float_report"]

#: float64 entries of the stacked decoding systems handled at once (about 32 MB)
_BATCH_FLOATS = 4_000_000


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


def _checked_sets(code: CodeT, max_sets, seed, what) -> tuple[np.ndarray, bool, int]:
    """Check ``max_sets`` and ``seed`` and the work (``what(count)`` describes it), then
    :func:`_straggler_sets` of ``code``; returns ``(sets, sampled, seed)``."""
    max_sets = check_int("max_sets", max_sets, minimum=1)
    seed = check_seed("seed", seed) or 0
    n, s = code.n, code.s
    count = min(math.comb(n, s), max_sets)
    check_work(count * n * n, what(fmt_work(count)), cheaper="a smaller max_sets")
    sets, sampled = _straggler_sets(n, s, max_sets, seed)
    return sets, sampled, seed


def condition_report(code: CodeT, max_sets: int = 20000, seed: int = 0) -> ConditionReport:
    """Worst float64 condition number of ``E_F`` over straggler sets of size ``s``.

    Shows why floating point is risky: the real-valued decoding of a valid code can be
    badly conditioned. Samples ``max_sets`` sets at random when there are more.

    Examples
    --------
    >>> from sgc_theory.codes import fractional_repetition
    >>> round(condition_report(fractional_repetition(4, 1)).worst, 6)
    1.414214
    """
    n, s = code.n, code.s
    sets, sampled, _ = _checked_sets(
        code,
        max_sets,
        seed,
        lambda count: f"condition numbers of {count} decoding systems of size {n - s} x {n}",
    )
    cond = _conditions(code, sets)
    w = int(np.argmax(cond))
    return ConditionReport(
        worst=float(cond[w]),
        worst_stragglers=[int(x) for x in sets[w]],
        median=float(np.median(cond)),
        sets_checked=len(sets),
        sampled=sampled,
    )


def _conditions(code: CodeT, sets: np.ndarray) -> np.ndarray:
    """``sigma_1 / sigma_r`` of ``E_F`` for each straggler set (row of ``sets``), ``inf`` when
    ``sigma_r`` is below ``1e-14 sigma_1``; ``r = min(rank_Q E, n - s)``."""
    n, s = code.n, sets.shape[1]
    E = code.to_numpy()
    r = max(1, min(code.rank, n - s))
    step = max(1, _BATCH_FLOATS // (n * n))  # batches bound the memory of the stacked E_F
    top, low = np.empty(len(sets)), np.empty(len(sets))
    for a in range(0, len(sets), step):
        chunk = sets[a : a + step]
        mask = np.ones((len(chunk), n), dtype=bool)
        if s:
            np.put_along_axis(mask, chunk, False, axis=1)
        survivors = np.nonzero(mask)[1].reshape(len(chunk), n - s)
        sv = np.linalg.svd(E[survivors], compute_uv=False)  # E_F stacked: (chunk, n - s, n)
        top[a : a + step], low[a : a + step] = sv[:, 0], sv[:, r - 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(low > top * 1e-14, top / low, np.inf)


def _exact_vector(code: CodeT, stragglers) -> list:
    """The exact decoding vector for exactly ``s`` stragglers: the structural one when the code
    has a proof (no exact solve), else the exact solve of :meth:`GradientCode.decoding_vector`."""
    S = tuple(int(x) for x in stragglers)
    if code.structure is not None:
        a = code.structural_vector(S)
        if a is not None:
            return a
    return code.decoding_vector(sorted(set(range(code.n)) - set(S)))


def decoding_errors(code: CodeT, sets: np.ndarray, dim: int = 8, seed: int = 0) -> np.ndarray:
    """Relative float64 decoding error of ``code`` for each straggler set (row of ``sets``).

    Partial gradients: standard normal float64 vectors of ``dim`` coordinates; their exact sum
    is taken correctly rounded (``math.fsum``). Worker ``i`` sends
    ``f_i = E[i] @ g`` in float64 (``E`` rounded to float64); the master forms
    ``sum_i a_i f_i`` with the exact decoding vector ``a`` rounded to float64; the error is
    ``|decoded - sum_p g_p| / |sum_p g_p|`` (Euclidean norms), ``inf`` when it overflows.

    Examples
    --------
    >>> from sgc_theory.codes import fractional_repetition
    >>> float(decoding_errors(fractional_repetition(4, 1), np.array([[0], [3]])).max()) < 1e-15
    True
    """
    dim = check_int("dim", dim, minimum=1)
    rng = np.random.default_rng(seed)
    G = rng.standard_normal((code.n, dim))
    exact = np.array([math.fsum(G[:, d]) for d in range(dim)])
    f = code.to_numpy() @ G  # (n, dim): what the workers send
    A = np.array([[float(x) for x in _exact_vector(code, S)] for S in sets], dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        decoded = A @ f
        err = np.linalg.norm(decoded - exact, axis=1) / np.linalg.norm(exact)
    return np.where(np.isfinite(err), err, np.inf)


def float_report(code: CodeT, max_sets: int = 2000, seed: int = 0, dim: int = 8) -> FloatReport:
    """Condition numbers and float64 decoding errors of ``code`` on straggler sets of size
    ``s``: every one of the ``C(n, s)`` sets when there are at most ``max_sets`` (then the
    worst values are the exact maxima over all sets, for the drawn gradients), else
    ``max_sets`` random sets (seeded).

    Examples
    --------
    >>> from sgc_theory.codes import reed_solomon, stable_code
    >>> r = float_report(stable_code(10, 2))
    >>> r.name, str(r.load), r.sets_checked, r.sampled, r.worst_error < 1e-15
    ('ufrc', '2/5', 45, False, True)
    >>> float_report(reed_solomon(64, 7), max_sets=50).worst_error > 1e-9
    True
    """
    n, s = code.n, code.s
    sets, sampled, seed = _checked_sets(
        code,
        max_sets,
        seed,
        lambda count: (
            f"float64 decoding of {count} straggler sets of the ({n}, {s}) code {code.name!r}"
        ),
    )
    cond = _conditions(code, sets)
    err = decoding_errors(code, sets, dim=dim, seed=seed)
    w = int(np.argmax(err))
    return FloatReport(
        name=code.name,
        n=n,
        s=s,
        load=code.load,
        worst_condition=float(cond.max()),
        median_condition=float(np.median(cond)),
        worst_error=float(err[w]),
        median_error=float(np.median(err)),
        worst_stragglers=[int(x) for x in sets[w]],
        sets_checked=len(sets),
        sampled=sampled,
    )
