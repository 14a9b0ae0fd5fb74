"""The configuration to deploy: every configuration of every family searched on the process,
ranked by long-run time per job under each online waiting policy (docs/guide/processes.md).

Protocol: the pilot of :mod:`~sgc_theory.simulate._compare_select` (every configuration with
delay ``<= max_delay`` and window ``<= pilot_jobs``, pruned by its stated rule) gives the
candidates; all of them run on the same long runs (common random numbers, the convergence rule
of :mod:`~sgc_theory.simulate._compare_runs` applied to the winner's ratio to the best GC and
the runner-up's ratio to the winner); per
policy the winner has the least mean time per job. ``ratio_to_gc`` is the mean over the runs of
``time(winner) / time(best GC)``, computed exactly as :func:`~sgc_theory.simulate.compare.compare`
computes its ratios (so ``compare`` on ``[best GC, winner]`` with the same ``rounds``, ``jobs``,
``replications`` and ``seed`` gives the same number); ``speedup_over_gc`` is its inverse (the
interval inverted).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import SGCError, check_int
from ._compare_costs import run_cost
from ._compare_eval import ONLINE, check_configs, check_policies, config_delay, evaluate
from ._compare_report import agreement, check_common, label, settings
from ._compare_runs import ci95, converge, long_runs, num
from ._compare_select import gate, pilot_candidates, resolve_process

__all__ = ["recommend", "rank"]


def recommend(
    source,
    *,
    mu: float = 1.0,
    rounds: int = 2_000,
    replications: int = 5,
    schemes=None,
    top: int = 200,
    policy: str = "paper",
    slope=None,
    seed: int = 0,
    pilot_jobs: int = 20,
    pilot_replications: int = 3,
    max_delay: int = 4,
    states=None,
    probe_load=None,
    target_halfwidth=None,
    max_replications: int = 100,
    allow_not_credible: bool = False,
    trace=None,
    scheduler=None,
    progress: bool = False,
    max_work=None,
) -> dict:
    """The configuration with the least expected time per job under the process (module
    docstring). ``top``: at most this many candidates per family and policy survive the pilot;
    ``policy``: the policy of the headline ``best`` (``by_policy`` holds both); ``trace``: a
    trace to replay next to a given process (a fitted trace is replayed anyway). ``replay``
    gives, per policy, that policy's winner over its best GC on the trace itself, and
    ``agreement`` checks it against the process's ratio (the rule of
    :mod:`~sgc_theory.simulate._compare_report`: a warning, not a gate).

    Returns
    -------
    dict
        keys ``best``, ``best_gc``, ``ratio_to_gc``, ``speedup_over_gc``, ``runner_up``,
        ``candidates``, ``by_policy`` (``{policy: {...}}``), ``pilot``, ``jobs``,
        ``convergence``, ``settings``, ``replay``, ``agreement``, ``credibility``, ``warning``.
    """
    rounds, replications, mu, seed, target, cap = check_common(
        rounds, replications, mu, seed, target_halfwidth, max_replications
    )
    top = check_int("top", top, minimum=1)
    policy = check_policies((policy,), "policy")[0]
    pilot_jobs = check_int("pilot_jobs", pilot_jobs, minimum=1)
    pilot_replications = check_int("pilot_replications", pilot_replications, minimum=1)
    max_delay = check_int("max_delay", max_delay, minimum=0)
    proc, tr = resolve_process(source, mu, states, max_work, probe_load, progress, trace)
    warning = gate(proc, allow_not_credible)
    L0 = float(proc.meta.get("probe_load") or 0.0)
    cands, pilot = pilot_candidates(
        proc, seed=seed, mu=mu, schemes=schemes, pilot_jobs=pilot_jobs,
        pilot_replications=pilot_replications, max_delay=max_delay, slope=slope, L0=L0,
        pols=ONLINE, max_candidates=top, progress=progress,
    )  # fmt: skip
    out = rank(
        proc, cands, rounds=rounds, replications=replications, mu=mu, policy=policy,
        policies=ONLINE, slope=slope, seed=seed, scheduler=scheduler, progress=progress,
        max_work=max_work, target_halfwidth=target, max_replications=cap,
    )  # fmt: skip
    out["pilot"] = pilot | {"rule": "paired 95% interval above the pilot best, or cap `top`"}
    out["credibility"] = proc.meta.get("credibility")
    out["warning"] = warning
    out["settings"].update(pilot_jobs=pilot_jobs, pilot_replications=pilot_replications,
                           max_delay=max_delay)  # fmt: skip
    out["replay"] = _replay(tr, out["by_policy"], mu, slope, L0) if tr is not None else None
    out["agreement"] = _agreement(out["by_policy"], out["replay"])
    extra = (out["agreement"] or {}).get("warning")
    out["warning"] = "\n".join(w for w in (warning, extra) if w) or None
    return out


def _agreement(by_policy, rp):
    """Per policy: the winner's ratio to the best GC, process against replay (``None`` without
    a replay)."""
    if rp is None:
        return None
    pairs = []
    for pol, r in by_policy.items():
        e, ratio = r["best"], r["ratio_to_gc"]
        got = rp["ratio_to_gc"].get(pol)
        pairs.append((label(e["scheme"], e["params"]), pol, ratio["mean"], ratio["ci95"], got))
    return agreement(pairs, rp["jobs"])


def _replay(tr, by_policy, mu, slope, L0):
    """Per policy: its winner's time over its best GC's on the trace itself (one paired run of
    every configuration the policies name, common jobs)."""
    cfgs = []
    for r in by_policy.values():
        for e in (r["best_gc"], r["best"]):
            if (e["scheme"], e["params"]) not in cfgs:
                cfgs.append((e["scheme"], e["params"]))
    jobs = tr.rounds - max(config_delay(sc, tr.n, p) for sc, p in cfgs)
    if jobs < 1:
        return None
    pols = tuple(by_policy)
    ev = evaluate(tr.delays, cfgs, jobs=jobs, mu=mu, policies=pols, slope=slope, probe_load=L0)
    rt = ev["runtime"]
    ratios = {}
    for j, (pol, r) in enumerate(by_policy.items()):
        b = cfgs.index((r["best"]["scheme"], r["best"]["params"]))
        g = cfgs.index((r["best_gc"]["scheme"], r["best_gc"]["params"]))
        ratios[pol] = num(float(rt[b, j] / rt[g, j]))
    return {"jobs": jobs, "ratio_to_gc": ratios}


def rank(
    proc,
    cands,
    *,
    rounds,
    replications,
    mu,
    policy="paper",
    policies=None,
    slope=None,
    seed=0,
    scheduler=None,
    progress=False,
    max_work=None,
    target_halfwidth=None,
    max_replications: int = 100,
    jobs=None,
) -> dict:
    """Rank the candidate configurations by long-run mean time per job under each policy of
    ``policies`` (default: ``policy`` alone); the headline entries are ``policy``'s."""
    pols = check_policies(policies if policies is not None else (policy,))
    policy = check_policies((policy,), "policy")[0]
    if policy not in pols:
        pols = (policy,) + pols
    cands = check_configs(cands, proc.n)
    if not any(sc == "gc" for sc, _ in cands):
        raise SGCError("recommend: the candidates need at least one GC configuration")
    maxT = max(config_delay(sc, proc.n, p) for sc, p in cands)
    R = rounds
    common = dict(mu=mu, slope=slope, seed=seed, scheduler=scheduler, progress=progress)
    common.update(max_work=max_work, policies=pols)

    def run(first, count):
        return long_runs(
            proc, cands, rounds=R, replications=count, first=first, jobs=jobs, **common
        )[1]

    runs = run(0, replications)
    J = R - maxT if jobs is None else jobs
    gc = [c for c, (sc, _) in enumerate(cands) if sc == "gc"]

    def focus(rt):  # under every policy: the winner over the best GC, the runner-up over it
        out = []
        for j in range(len(pols)):
            best, g = _winners(rt[:, :, j], gc)
            out.append((best, g, j))
            second = _runner_up(rt[:, :, j], best)
            if second is not None:
                out.append((second, best, j))
        return out

    conv = converge(run, runs, gc[0], pols, target=target_halfwidth, cap=max_replications,
                    per_run=run_cost(proc.n, R, cands, len(pols)), max_work=max_work,
                    focus=focus)  # fmt: skip
    rt = np.stack([r["runtime"] for r in runs]) / J  # (K, C, P)
    by = {p: _ranking(cands, rt[:, :, j], gc) for j, p in enumerate(pols)}
    out = dict(by[policy])
    out.update(by_policy=by, jobs=J, rounds=R, convergence=conv | {"rounds": R})
    out["settings"] = settings(R, len(runs), mu, slope, proc, seed, pols)
    out["settings"]["policy"] = policy
    return out


def _winners(rt, gc) -> tuple[int, int]:
    """``(winner, best GC)`` of the runs ``rt (K, C)`` (least mean; a missed deadline loses)."""
    means = np.where(np.isnan(rt).any(axis=0), np.inf, rt.mean(axis=0))
    best = int(np.argmin(means))
    g = min(gc, key=lambda c: (means[c], c))
    return best, g


def _runner_up(rt, best):
    """The second-fastest candidate of the runs ``rt (K, C)`` (``None`` with one)."""
    means = np.where(np.isnan(rt).any(axis=0), np.inf, rt.mean(axis=0))
    means[best] = np.inf
    c = int(np.argmin(means))
    return c if np.isfinite(means[c]) else None


def _ranking(cands, rt, gc) -> dict:
    """The ranking of one policy: winner, best GC, their paired ratio and its inverse, the
    runner-up and the ten fastest candidates."""
    means = np.where(np.isnan(rt).any(axis=0), np.inf, rt.mean(axis=0))
    order = [int(c) for c in np.argsort(means, kind="stable") if np.isfinite(means[c])]
    if not order:
        raise SGCError("recommend: every candidate missed a deadline on the long runs")
    best, g = _winners(rt, gc)
    rm, rci = ci95(rt[:, best] / rt[:, g])
    inv = None if rci is None or rci[0] <= 0 else [1.0 / rci[1], 1.0 / rci[0]]
    return {
        "best": _ranked(cands, rt, best),
        "best_gc": _ranked(cands, rt, g),
        "ratio_to_gc": {"mean": num(rm), "ci95": rci},
        "speedup_over_gc": {"mean": num(1.0 / rm if rm else math.nan), "ci95": inv},
        "runner_up": _ranked(cands, rt, order[1]) if len(order) > 1 else None,
        "candidates": [_ranked(cands, rt, c) for c in order[:10]],
        "ranked": len(order),
    }


def _ranked(cands, rt, c) -> dict:
    """Candidate ``c`` with its mean time per job over the runs ``rt[:, c]`` and its interval."""
    m, ci = ci95(rt[:, c])
    return {"scheme": cands[c][0], "params": cands[c][1], "mean_time_per_job": num(m), "ci95": ci}
