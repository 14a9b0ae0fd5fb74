"""Is a fitted straggler process credible for this trace? Outlier rounds and the verdict
(docs/guide/processes.md, "The credibility verdict").

The verdict compares a long *stationary* generated run of the process (at least 2000 rounds,
:func:`~sgc_theory.simulate.process_stats.long_rounds`) with the trace, on the statistics the
schemes depend on. A statistic passes when ``|model - trace| <= tolerance`` with

    tolerance = max(rel x |trace|, 3 x sd_R, floor)

where ``sd_R`` is the standard deviation of the statistic over a trace-sized stretch of the
process (from the spread over chunks of the long run, scaled to the trace's rounds): a short
trace cannot tell the process apart from what the process itself would show by chance.

=====================  =====  ======
statistic               rel   floor
=====================  =====  ======
straggler rate          0.10   0.002
mean burst (rounds)     0.10   0.05
distinct per window 3   0.10   0.1
slowest/median q0.5     0.15   0.02
slowest/median q0.9     0.15   0.02
=====================  =====  ======

It also flags too few rounds for the parameters (fewer than 20 delays per free parameter, or
fewer than 10 expected transitions out of a state per free entry of its row), and reports
outlier rounds (:func:`outlier_rounds`, e.g. a cold start), dropped by the fit by default.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import SGCError, check_bool, check_int
from ._checks import check_float
from .process_stats import check_delay_matrix, long_rounds, straggler_stats

__all__ = ["assess_credibility", "outlier_rounds", "TOLERANCES", "n_parameters"]

#: (relative tolerance, absolute floor) per checked statistic
TOLERANCES = {
    "straggler_rate": (0.10, 0.002),
    "mean_burst": (0.10, 0.05),
    "distinct_per_window": (0.10, 0.1),
    "slowest_over_median_q0.5": (0.15, 0.02),
    "slowest_over_median_q0.9": (0.15, 0.02),
}

#: a round is an outlier when at least this fraction of its workers (and at least 3) are above
#: OUTLIER_FACTOR times the median delay of the whole trace
OUTLIER_FRACTION = 0.05
OUTLIER_FACTOR = 10.0

#: at most this fraction of the rounds are dropped as outliers (more is the process itself)
MAX_DROPPED = 0.10


def outlier_rounds(D) -> dict:
    """Rounds where at least 5 % of the workers (and at least 3) take more than 10 times the
    trace's median delay: a cold start (the first rounds of a fresh deployment) or an incident.

    Returns ``{"rounds": [...], "counts": [...], "median": m, "droppable": bool}``;
    ``droppable`` when they are at most 10 % of the rounds and enough remain."""
    D = check_delay_matrix(D, positive=True)
    n, R = D.shape
    med = float(np.median(D))
    counts = (D > OUTLIER_FACTOR * med).sum(axis=0)
    need = max(3, math.ceil(OUTLIER_FRACTION * n))
    rounds = [int(r) for r in np.flatnonzero(counts >= need)]
    return {
        "rounds": rounds,
        "counts": [int(counts[r]) for r in rounds],
        "workers": n,
        "median": med,
        "droppable": 0 < len(rounds) <= MAX_DROPPED * R and R - len(rounds) >= 5,
    }


def outlier_note(out: dict, dropped: bool) -> str:
    """One sentence on the outlier rounds of :func:`outlier_rounds`."""
    shown = ", ".join(
        f"round {r} ({c} of {out['workers']} workers)"
        for r, c in list(zip(out["rounds"], out["counts"]))[:5]
    )
    more = f" and {len(out['rounds']) - 5} more" if len(out["rounds"]) > 5 else ""
    what = (
        f"{shown}{more} above {OUTLIER_FACTOR:g} x the trace median {out['median']:.4g} s "
        "(a cold start or an incident)"
    )
    if dropped:
        return f"dropped {what}; keep them with keep_outliers=True (--keep-outliers)"
    return f"kept {what}: the process models them as ordinary stragglers"


def n_parameters(proc) -> int:
    """Free parameters of a process: transitions, first-round law, emissions, common factor."""
    from .process_families import n_params

    K = proc.states
    em = sum(n_params(proc.emission(k)) for k in range(K))
    return K * (K - 1) + (K - 1) + em + 3


def _check(name, t, m, sd_R):
    rel, floor = TOLERANCES[name]
    tol = max(rel * abs(t), 3.0 * sd_R, floor)
    return {
        "trace": t,
        "model": m,
        "tolerance": tol,
        "sd_at_trace_size": sd_R,
        "ok": bool(abs(m - t) <= tol),
    }


def _pick(s: dict) -> dict:
    return {
        "straggler_rate": s["straggler_rate"],
        "mean_burst": s["mean_burst"],
        "distinct_per_window": s["distinct_per_window"],
        "slowest_over_median_q0.5": s["slowest_over_median"][0],
        "slowest_over_median_q0.9": s["slowest_over_median"][1],
    }


def assess_credibility(
    proc,
    trace,
    mu: float,
    *,
    seed: int = 0,
    rounds=None,
    drop_outliers: bool = True,
    check_outliers: bool = True,
    notes=(),
) -> dict:
    """The credibility verdict of ``proc`` for ``trace`` (a delay matrix, a
    :class:`~sgc_theory.simulate.traces.Trace` or a trace name) at slack ``mu``.

    Returns ``{"credible", "reasons", "notes", "checks", "model_rounds", "trace_rounds",
    "parameters", "trace_stats", "model_stats"}``: ``checks`` maps each statistic of
    ``TOLERANCES`` to ``{"trace", "model", "tolerance", "sd_at_trace_size", "ok"}``;
    ``reasons`` says, in one sentence each, why it is not credible (empty when credible).
    Outlier rounds of the trace are dropped first (``drop_outliers``, with a note) or kept
    (``check_outliers=False``: not looked for; ``notes`` are passed through).
    """
    from .process_model import StragglerProcess
    from .traces import as_plain_trace

    if not isinstance(proc, StragglerProcess):
        raise SGCError(f"proc must be a StragglerProcess (got {type(proc).__name__})")
    D = trace if isinstance(trace, np.ndarray) else as_plain_trace(trace).delays
    D = check_delay_matrix(D, "trace", positive=True)
    mu = check_float("mu", mu, minimum=0.0)
    seed = check_int("seed", seed, minimum=0)
    drop_outliers = check_bool("drop_outliers", drop_outliers)
    if D.shape[0] != proc.n:
        raise SGCError(f"trace has {D.shape[0]} workers, the process n={proc.n}")
    notes = list(notes)
    out = outlier_rounds(D) if check_bool("check_outliers", check_outliers) else {"rounds": []}
    if out["rounds"]:
        dropped = drop_outliers and out["droppable"]
        notes.append(outlier_note(out, dropped))
        if dropped:
            D = np.delete(D, out["rounds"], axis=1)
    n, R = D.shape
    L = long_rounds(n, R) if rounds is None else check_int("rounds", rounds, minimum=100)
    G = proc.generate(L, seed=np.random.default_rng(seed + 1))
    t_stats, m_stats = straggler_stats(D, mu), straggler_stats(G, mu)
    chunk = max(2, min(R, L // 8))
    parts = [
        _pick(straggler_stats(G[:, a : a + chunk], mu)) for a in range(0, L - chunk + 1, chunk)
    ]
    t, m = _pick(t_stats), _pick(m_stats)
    checks = {}
    for name in TOLERANCES:
        sd = float(np.std([p[name] for p in parts], ddof=1)) if len(parts) > 1 else 0.0
        checks[name] = _check(name, t[name], m[name], sd * math.sqrt(chunk / R))
    reasons = [
        f"{name.replace('_', ' ')}: process {c['model']:.4g} vs trace {c['trace']:.4g} "
        f"(tolerance {c['tolerance']:.3g})"
        for name, c in checks.items()
        if not c["ok"]
    ]
    reasons += _data_reasons(proc, n, R)
    notes += _transient_notes(proc)
    return {
        "credible": not reasons,
        "reasons": reasons,
        "notes": notes,
        "checks": checks,
        "model_rounds": L,
        "trace_rounds": R,
        "parameters": n_parameters(proc),
        "trace_stats": t_stats,
        "model_stats": {k: v for k, v in m_stats.items() if k != "quantiles"},
    }


def _data_reasons(proc, n: int, R: int) -> list:
    """Too few rounds for the parameters: 20 delays per parameter, 10 expected transitions out
    of every state per free entry of its row."""
    out = []
    p, K = n_parameters(proc), proc.states
    if n * R < 20 * p:
        out.append(f"too few delays: {n} x {R} for {p} parameters (need >= 20 per parameter)")
    pi = proc.stationary
    visits = n * max(R - 1, 0) * pi
    for k in np.flatnonzero((visits < 10 * (K - 1)) & (pi >= 1e-6)):
        need = math.ceil(10 * (K - 1) / (n * pi[k])) + 1
        out.append(
            f"too few rounds: state {k} is left about {visits[k]:.1f} times in {R} rounds, "
            f"fewer than 10 per free transition ({K - 1}); need about {need:,} rounds"
        )
    return out


def _transient_notes(proc) -> list:
    """States the stationary chain never enters (seen only at the start of the trace)."""
    pi = proc.stationary
    return [
        f"state {k} is transient (stationary probability {pi[k]:.1e}, first-round "
        f"probability {proc.startprob[k]:.3g}): stationary generation does not enter it"
        for k in np.flatnonzero(pi < 1e-6)
    ]
