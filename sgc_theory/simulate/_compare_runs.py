"""Long runs under a straggler process: replications on common random numbers, their cost, the
95 % intervals, and the convergence rule that chooses the number of replications.

Convergence rule
----------------
A comparison starts with ``replications`` runs of ``rounds`` rounds (seeds spawned from one
:class:`numpy.random.SeedSequence`, so the first ``K`` runs of a longer comparison are exactly
those of a shorter one). Its *achieved half-width* is the largest relative half-width
``h / |m|`` of the 95 % Student-t intervals of the ratios to GC (every configuration but the
reference, every online policy). While it exceeds ``target_halfwidth``, the number of runs grows to
``ceil(1.2 K (h / target)^2)`` (the half-width shrinks as ``1 / sqrt(K)``), at most
``max_replications`` and what the work budget allows; the result reports the rounds, the runs, the
achieved half-width and, when the target was not reached, what stopped it.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import SGCError, check_int
from ._compare_costs import run_cost
from ._compare_eval import config_delay, evaluate, optimal_runs

__all__ = ["ci95", "long_runs", "summarise", "converge", "num"]


def ci95(x) -> tuple[float, list | None]:
    """Mean and 95 % Student-t interval of the finite values of ``x`` (interval ``None`` with
    fewer than two)."""
    from scipy.stats import t

    try:
        v = np.asarray(x, dtype=float).ravel()
    except (TypeError, ValueError):
        raise SGCError(f"ci95: x must be a sequence of numbers (got {x!r})") from None
    v = v[np.isfinite(v)]
    if v.size == 0:
        return math.nan, None
    m = float(v.mean())
    if v.size < 2:
        return m, None
    h = float(t.ppf(0.975, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size))
    return m, [m - h, m + h]


def num(x):
    """``x`` as a float, ``None`` when missing or not finite (strict JSON)."""
    return None if x is None or not math.isfinite(x) else float(x)


def _replication(proc, seed, rounds, configs, jobs, mu, policies, slope, L0, opt_jobs, opt_work):
    D = proc.generate(rounds, seed=seed)
    ev = evaluate(D, configs, jobs=jobs, mu=mu, policies=policies, slope=slope, probe_load=L0)
    if opt_jobs:
        ev["optimal"], ev["optimal_why"] = optimal_runs(
            D, configs, jobs=opt_jobs, mu=mu, slope=slope, probe_load=L0, max_work=opt_work
        )
    return ev


def _run_all(tasks, scheduler, progress, desc):
    from tqdm import tqdm

    if scheduler is None:
        return [fn(*a) for fn, a in tqdm(tasks, desc=desc, unit="run", disable=not progress)]
    from ._sweep_tasks import _dask_client

    with _dask_client(scheduler) as client:
        futs = [client.submit(fn, *a, pure=False) for fn, a in tasks]
        return [f.result() for f in tqdm(futs, desc=desc, unit="run", disable=not progress)]


def _budget(replications, per_run, what, max_work) -> None:
    from ..budget import check_work

    check_work(
        replications * per_run,
        f"{replications} runs of {what}",
        cheaper="fewer --rounds or --replications, or a larger --target-halfwidth",
        limit=max_work,
    )


def long_runs(
    proc,
    configs,
    *,
    rounds: int,
    replications: int,
    mu: float,
    policies=("paper", "minimal"),
    slope=None,
    seed: int = 0,
    optimal_jobs: int = 0,
    optimal_work: int | None = None,
    scheduler=None,
    progress: bool = False,
    max_work=None,
    first: int = 0,
    jobs=None,
):
    """Every configuration on ``replications`` generated matrices (common random numbers);
    returns ``(jobs, runs)`` with ``runs`` the per-replication outputs of :func:`evaluate`.
    ``first`` skips the first seeds (the runs ``first .. first + replications - 1`` of the
    seed's sequence); ``jobs`` (default ``rounds - max T``) the jobs of every run. Refused beyond the work budget (``run_cost`` per run)."""
    rounds = check_int("rounds", rounds, minimum=2)
    replications = check_int("replications", replications, minimum=1)
    L0 = float(proc.meta.get("probe_load") or 0.0)
    maxT = max(config_delay(sc, proc.n, p) for sc, p in configs)
    if jobs is None:
        jobs = rounds - maxT
        if jobs < 1:
            raise SGCError(f"rounds={rounds} leaves no job for delays up to {maxT}")
    elif check_int("jobs", jobs, minimum=1) > rounds - maxT:
        raise SGCError(f"jobs={jobs}: {rounds} rounds hold at most {rounds - maxT} jobs")
    if optimal_jobs and optimal_jobs > jobs:
        raise SGCError(f"optimal_jobs={optimal_jobs} exceeds the {jobs} jobs of a run")
    per_run = run_cost(proc.n, rounds, configs, len(policies), optimal_jobs)
    what = f"{rounds} rounds x {len(configs)} configurations x {len(policies)} policies"
    _budget(replications, per_run, what, max_work)
    seeds = np.random.SeedSequence(seed).spawn(first + replications)[first:]
    args = (rounds, configs, jobs, mu, policies, slope, L0, optimal_jobs, optimal_work)
    tasks = [(_replication, (proc, s) + args) for s in seeds]
    return jobs, _run_all(tasks, scheduler, progress, "long runs")


def _all_pairs(rt, ref, policies):
    """Every configuration against the reference, under every policy."""
    return [(c, ref, j) for c in range(rt.shape[1]) if c != ref for j in range(len(policies))]


def worst_halfwidth(runs, ref, policies, focus=None) -> tuple[float, str | None]:
    """The largest relative half-width of the ratio intervals ``(c, r, j)`` (configuration
    ``c`` over ``r`` under policy ``j``; default every configuration over ``ref``), and where."""
    rt = np.stack([r["runtime"] for r in runs])  # (K, C, P)
    if ref is None or rt.shape[0] < 2:
        return math.inf, None
    pairs = _all_pairs(rt, ref, policies) if focus is None else focus(rt)
    worst, where = 0.0, None
    for c, r, j in pairs:
        if c == r:
            continue
        m, ci = ci95(rt[:, c, j] / rt[:, r, j])
        if ci is None or not math.isfinite(m) or m == 0:
            continue
        h = (ci[1] - ci[0]) / 2 / abs(m)
        if h > worst:
            worst, where = h, f"configuration {c} ({policies[j]})"
    return worst, where


def converge(run, runs, ref, policies, *, target, cap, per_run, max_work, focus=None) -> dict:
    """Grow ``runs`` (by ``run(first, count)``) until the ratios' intervals reach the relative
    half-width ``target`` (module docstring); returns the report."""
    from ..budget import current_limit

    cap = check_int("max_replications", cap, minimum=len(runs))
    afford = max(len(runs), int(current_limit(max_work) // max(per_run, 1)))
    limited = None
    for _ in range(4):
        h, _where = worst_halfwidth(runs, ref, policies, focus)
        if target is None or h <= target:
            break
        K = len(runs)
        want = K + 1 if not math.isfinite(h) else math.ceil(1.2 * K * (h / target) ** 2)
        nxt = min(want, cap, afford)
        if nxt <= K:
            limited = "max_replications" if cap <= afford else "the work budget"
            break
        runs.extend(run(K, nxt - K))
    h, where = worst_halfwidth(runs, ref, policies, focus)
    reached = target is None or h <= target
    if not reached and limited is None:
        limited = "max_replications" if len(runs) >= cap else "four extensions"
    return {
        "target_halfwidth": target,
        "achieved_halfwidth": num(h),
        "worst": where,
        "replications": len(runs),
        "reached": bool(reached),
        "limited_by": None if reached else limited,
    }


def summarise(configs, runs, jobs, policies, ref, opt_jobs=0):
    """Per configuration and policy: means, intervals, paired ratios to configuration ``ref``."""
    rt = np.stack([r["runtime"] for r in runs])  # (K, C, P)
    vio = np.stack([r["violations"] for r in runs])
    fb = np.stack([r["fallback"] for r in runs])
    table = []
    for c, (sc, params) in enumerate(configs):
        entry = {"scheme": sc, "params": params, "policies": {}}
        for j, pol in enumerate(policies):
            m, ci = ci95(rt[:, c, j] / jobs)
            rm, rci = ci95(rt[:, c, j] / rt[:, ref, j]) if ref is not None else (math.nan, None)
            entry["policies"][pol] = {
                "mean_time_per_job": num(m),
                "ci95": ci,
                "ratio_to_gc": {"mean": num(rm), "ci95": rci},
                "model_violations": num(float(np.nanmean(vio[:, c, j]))),
                "fallback_time": num(float(np.nanmean(fb[:, c, j]))),
                "missed_deadlines": int(np.isnan(rt[:, c, j]).sum()),
            }
        if "optimal" in runs[0]:
            entry["policies"]["optimal"] = _optimal_entry(runs, c, ref, opt_jobs)
        table.append(entry)
    return table


def _optimal_entry(runs, c, ref, opt_jobs) -> dict:
    opt = np.stack([r["optimal"] for r in runs]) / opt_jobs
    m, ci = ci95(opt[:, c])
    rm, rci = ci95(opt[:, c] / opt[:, ref]) if ref is not None else (math.nan, None)
    whys = sorted({w for r in runs for w in [r["optimal_why"][c]] if w})
    return {
        "mean_time_per_job": num(m),
        "ci95": ci,
        "ratio_to_gc": {"mean": num(rm), "ci95": rci},
        "jobs": opt_jobs,
        "replications_reached": int(np.isfinite(opt[:, c]).sum()),
        "unreached": whys[0] if whys else None,
    }
