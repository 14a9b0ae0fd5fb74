"""The statistics of a delay matrix that matter to the schemes, and the comparison of a trace
with a process (docs/guide/processes.md)."""

from __future__ import annotations

import numpy as np

from ..errors import SGCError, check_int
from ._checks import check_float

__all__ = ["straggler_stats", "fit_quality", "check_delay_matrix"]


def check_delay_matrix(D, name: str = "D", positive: bool = False) -> np.ndarray:
    """``D`` as a float ``(workers, rounds)`` matrix of finite delays ``>= 0`` (``> 0`` when
    ``positive``); else :class:`~sgc_theory.errors.SGCError` naming ``name``."""
    try:
        D = np.asarray(D, dtype=float)
    except (TypeError, ValueError):
        raise SGCError(f"{name} must be a numeric (workers, rounds) matrix") from None
    if D.ndim != 2 or D.size == 0:
        raise SGCError(f"{name} must be a non-empty (workers, rounds) matrix (got shape {D.shape})")
    bad = ~np.isfinite(D) | ((D <= 0) if positive else (D < 0))
    if bad.any():
        i, r = (int(x) for x in np.argwhere(bad)[0])
        rule = "> 0" if positive else ">= 0"
        raise SGCError(f"{name}[{i}, {r}] is {float(D[i, r])!r}: delays must be finite and {rule}")
    return D


def straggler_stats(D, mu: float, window: int = 3) -> dict:
    """Straggler rate at ``mu``, burst lengths, distinct stragglers per window, quantiles.

    A worker straggles in a round when its delay exceeds ``(1 + mu)`` times the fastest of the
    round. ``burst_lengths``: fraction of maximal runs of consecutive straggling rounds of one
    worker with length 1, 2, 3, 4 and >= 5 (runs touching the ends of the matrix included).
    ``distinct_per_window``: mean number of distinct workers straggling in ``window``
    consecutive rounds. ``slowest_over_median`` / ``fastest_over_median``: quantiles 0.5, 0.9,
    0.99 of the slowest (fastest) worker's time over the round's median.
    """
    D = check_delay_matrix(D)
    mu = check_float("mu", mu, minimum=0.0)
    window = check_int("window", window, minimum=1)
    n, R = D.shape
    S = D > (1.0 + mu) * D.min(axis=0)
    pad = np.zeros((n, 1), dtype=bool)
    edges = np.diff(np.concatenate([pad, S, pad], axis=1).astype(np.int8), axis=1)
    starts = np.argwhere(edges == 1)
    ends = np.argwhere(edges == -1)
    lengths = ends[:, 1] - starts[:, 1]  # both in row-major order: paired
    hist = np.bincount(np.minimum(lengths, 5), minlength=6)[1:].astype(float)
    total = hist.sum()
    w = min(window, R)
    cs = np.concatenate([np.zeros((n, 1), np.int64), np.cumsum(S, axis=1)], axis=1)
    distinct = ((cs[:, w:] - cs[:, :-w]) > 0).sum(axis=0)
    med = np.median(D, axis=0)
    med = np.where(med > 0, med, np.inf)
    qs = (0.5, 0.9, 0.99)
    return {
        "straggler_rate": float(S.mean()),
        "stragglers_per_round": float(S.sum(axis=0).mean()),
        "burst_lengths": {
            str(k + 1) if k < 4 else ">=5": (float(hist[k] / total) if total else 0.0)
            for k in range(5)
        },
        "mean_burst": float(lengths.mean()) if lengths.size else 0.0,
        "window": w,
        "distinct_per_window": float(distinct.mean()),
        "slowest_over_median": [float(x) for x in np.quantile(D.max(axis=0) / med, qs)],
        "fastest_over_median": [float(x) for x in np.quantile(D.min(axis=0) / med, qs)],
        "quantiles": list(qs),
    }


def fit_quality(proc, D, mu: float, seed: int = 0, rounds: int | None = None) -> dict:
    """:func:`straggler_stats` of the trace next to those of the process: one stationary
    generated run of ``rounds`` rounds (default ``max(2000, 2 x trace rounds)``, capped at
    about 2e6 values)."""
    from .process_model import StragglerProcess

    if not isinstance(proc, StragglerProcess):
        raise SGCError(f"proc must be a StragglerProcess (got {type(proc).__name__})")
    D = check_delay_matrix(D, positive=True)
    mu = check_float("mu", mu, minimum=0.0)
    seed = check_int("seed", seed, minimum=0)
    if D.shape[0] != proc.n:
        raise SGCError(
            f"D has {D.shape[0]} workers but the process was fitted on n={proc.n}: the straggler "
            "statistics depend on n"
        )
    R = long_rounds(proc.n, D.shape[1]) if rounds is None else check_int("rounds", rounds, 1)
    G = proc.generate(R, seed=np.random.default_rng(seed + 1))
    model = straggler_stats(G, mu)
    model.pop("quantiles")
    return {"mu": mu, "trace": straggler_stats(D, mu), "model": model, "model_rounds": R}


def long_rounds(n: int, trace_rounds: int) -> int:
    """Rounds of the long generated run a trace is checked against: ``max(2000, 2 R)``, capped
    at ``2e6 / n`` (but never below 2000)."""
    return int(max(2000, min(2 * trace_rounds, 2_000_000 // max(n, 1))))
