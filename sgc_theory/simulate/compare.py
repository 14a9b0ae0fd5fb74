"""Long-run comparison of schemes under a straggler process, with confidence intervals
(docs/guide/processes.md, docs/guide/simulation.md); :func:`recommend` builds on it.

Protocol
--------
* **Process.** Given, read from a file, or fitted to a trace (``states=None``: the fit chooses
  the model). A fitted process carries a credibility verdict: a process that is not credible is
  refused with the reasons unless ``allow_not_credible`` (then the output carries the warning).
* **Configurations.** Each family runs one configuration (``configs``), or, when none is given,
  the one the paper's protocol picks: the fastest on a *pilot* matrix of ``pilot_jobs +
  max_delay`` rounds drawn with its own seed (paper policy, delay ``T <= max_delay``; WC-SGC and
  PR-SGC on the grids of :mod:`~sgc_theory.simulate._compare_select`). A family without a
  configuration is listed in ``not_compared`` with the reason.
* **Replications.** Independent matrices of ``n x rounds`` drawn from the process (seeds spawned
  from one :class:`numpy.random.SeedSequence`); every configuration and policy runs on the
  *same* matrices (common random numbers), ``J = rounds - max T`` jobs each. Their number
  follows the convergence rule of :mod:`~sgc_theory.simulate._compare_runs`: at least
  ``replications``, more until every ratio's 95 % interval has relative half-width
  ``target_halfwidth`` (``None``: exactly ``replications``).
* **Per run**, through the sweep's vectorised fast paths (the rules of
  :func:`sgc_theory.simulate.simulate`): the runtime; ``model_violations``, the fraction of the
  run's rounds whose stragglers at ``(1 + mu) x`` fastest are not admitted by the scheme's model;
  ``fallback_time``, the seconds per job the policy's waiting costs over those rounds.
* **Statistics.** ``mean_time_per_job`` with a 95 % Student-t interval over the replications;
  ``ratio_to_gc``: the mean of the per-replication ratios to GC (paired) with its t interval.
  Intervals are statements about the process, not about the cluster: ``replay`` (when a trace was
  given) puts the same configurations' ratios on the trace itself next to them.
* **Optimal policy** (the offline optimum): on the first ``optimal_jobs`` jobs of every
  replication, within the dynamic-program budget; entries it cannot reach are ``None`` with the
  reason.
"""

from __future__ import annotations

import numpy as np

from ..errors import SGCError, check_int
from ._compare_costs import run_cost
from ._compare_eval import ONLINE, check_configs, check_policies, config_delay, evaluate
from ._compare_report import (
    agreement,
    check_common,
    label,
    process_json,
    replay,
    settings,
    short_run_range,
)
from ._compare_runs import ci95, converge, long_runs, summarise
from ._compare_select import families, gate, resolve_process, select_configs
from .recommend import rank, recommend
from .runtime import _make

__all__ = [
    "compare",
    "recommend",
    "rank",
    "evaluate",
    "long_runs",
    "select_configs",
    "resolve_process",
    "ci95",
    "ONLINE",
]


def compare(
    source,
    *,
    rounds: int = 2_000,
    replications: int = 5,
    mu: float = 1.0,
    schemes=None,
    configs=None,
    policies=ONLINE,
    slope=None,
    seed: int = 0,
    pilot_jobs: int = 20,
    max_delay: int = 4,
    states=None,
    probe_load=None,
    target_halfwidth=None,
    max_replications: int = 100,
    jobs=None,
    allow_not_credible: bool = False,
    trace=None,
    optimal_jobs: int = 0,
    optimal_work: int | None = None,
    scheduler=None,
    progress: bool = False,
    max_work=None,
) -> dict:
    """Long-run comparison of the schemes under a straggler process; see the module docstring.

    Parameters
    ----------
    source : a :class:`~sgc_theory.simulate.processes.StragglerProcess`, a process file or spec
        (``MODEL.json``, ``process:MODEL.json``), or a trace (shipped name, CSV, array) to fit
    rounds : length of every generated run
    replications, target_halfwidth, max_replications : the convergence rule (module docstring;
        ``target_halfwidth=None``, the default here: exactly ``replications`` runs; the command
        line's default is 0.01)
    schemes : families (default: no coding, GC, SR-SGC, M-SGC, BR-SGC; WC-SGC and PR-SGC when
        named; GC always, the reference of the ratios)
    configs : ``[(scheme, params)]`` to run instead of the pilot's choice
    policies : online policies; ``optimal_jobs > 0`` adds the offline optimum on a prefix
    states, probe_load : when a trace is fitted: the hidden states (``None``: automatic) and the
        load the trace was measured at (default the trace's, else 0)
    jobs : jobs per run (default ``rounds - max T``; at most that)
    allow_not_credible : go on (with a warning) on a process whose fit is not credible
    trace : a trace to replay next to a given process (a fitted trace is replayed anyway); the
        ``agreement`` of the two answers follows the rule of
        :mod:`~sgc_theory.simulate._compare_report` (a warning, not a gate)

    Returns
    -------
    dict ``{"results": {scheme: {"params", "load", "T", policy: {"mean_time_per_job", "ci95",
    "ratio_to_gc": {"mean", "ci95"}, ...}}}, "jobs", "convergence", "settings", "process",
    "replay", "not_compared", "credibility", "warning"}``.
    """
    rounds, replications, mu, seed, target, cap = check_common(
        rounds, replications, mu, seed, target_halfwidth, max_replications
    )
    pols = check_policies(policies)
    optimal_jobs = check_int("optimal_jobs", optimal_jobs, minimum=0)
    proc, tr = resolve_process(source, mu, states, max_work, probe_load, progress, trace)
    warning = gate(proc, allow_not_credible)
    L0 = float(proc.meta.get("probe_load") or 0.0)
    not_compared = {}
    if configs is None:
        configs, not_compared = _pilot_configs(
            proc, seed, mu, schemes, pilot_jobs, max_delay, slope, L0, progress
        )
    configs = check_configs(configs, proc.n)
    ref = next((i for i, (sc, _) in enumerate(configs) if sc == "gc"), None)
    common = dict(mu=mu, policies=pols, slope=slope, seed=seed, scheduler=scheduler)
    common.update(progress=progress, max_work=max_work, optimal_jobs=optimal_jobs)
    common.update(optimal_work=optimal_work)

    def run(first, count):
        return long_runs(proc, configs, rounds=rounds, replications=count, first=first,
                         jobs=jobs, **common)[1]  # fmt: skip

    runs = run(0, replications)
    per_run = run_cost(proc.n, rounds, configs, len(pols), optimal_jobs)
    conv = converge(run, runs, ref, pols, target=target, cap=cap, per_run=per_run,
                    max_work=max_work)  # fmt: skip
    J = jobs if jobs is not None else rounds - max(config_delay(sc, proc.n, p) for sc, p in configs)
    out = {
        "results": _results(configs, summarise(configs, runs, J, pols, ref, optimal_jobs), proc.n)
    }
    out.update(jobs=J, rounds=rounds, convergence=conv | {"rounds": rounds})
    out["process"] = process_json(proc)
    out["settings"] = settings(rounds, len(runs), mu, slope, proc, seed, pols)
    out["settings"].update(pilot_jobs=pilot_jobs, max_delay=max_delay, common_random_numbers=True)
    out.update(not_compared=not_compared, credibility=proc.meta.get("credibility"), warning=warning)
    out["replay"] = replay(tr, configs, mu, pols, slope, L0, ref) if tr is not None else None
    spread = {}
    if tr is not None:  # at most 40 runs, at least 10, about the long runs' rounds in all
        k = min(40, max(10, rounds * len(runs) // tr.rounds))
        spread = short_run_range(proc, tr, configs, mu, pols, slope, L0, ref, seed, k)
    out["agreement"] = _agreement(out["results"], out["replay"], pols, spread)
    out["warning"] = _join(warning, (out["agreement"] or {}).get("warning"))
    return out


def _join(*warnings) -> str | None:
    """The output's warnings, one per line (``None`` when there is none)."""
    got = [w for w in warnings if w]
    return "\n".join(got) if got else None


def _agreement(results, rp, pols, spread):
    """The agreement of the process and the trace replay (``None`` without a replay)."""
    if not rp:
        return None
    pairs = []
    for sc, r in results.items():
        if sc == "gc":
            continue
        for pol in pols:
            e = r[pol]["ratio_to_gc"]
            got = rp["ratio_to_gc"].get(sc, {}).get(pol)
            sp = spread.get(sc, {}).get(pol)
            pairs.append((label(sc, r["params"]), pol, e["mean"], e["ci95"], got, sp))
    return agreement(pairs, rp["jobs"])


def _pilot_configs(proc, seed, mu, schemes, pilot_jobs, max_delay, slope, L0, progress=False):
    """The pilot's pick (one configuration per family) and the families left out, with why."""
    pilot_jobs = check_int("pilot_jobs", pilot_jobs, minimum=1)
    max_delay = check_int("max_delay", max_delay, minimum=0)
    fams = families(schemes)
    pilot = proc.generate(pilot_jobs + max_delay, seed=np.random.SeedSequence([seed, 1]))
    chosen = select_configs(
        pilot, mu=mu, schemes=fams, jobs=pilot_jobs, max_delay=max_delay, slope=slope,
        probe_load=L0, progress=progress,
    )  # fmt: skip
    got = {sc for sc, _ in chosen}
    missing = {}
    for fam in fams:
        if fam not in got:
            missing[fam] = (
                f"no {fam} configuration with delay <= max_delay={max_delay} decodes on the "
                f"pilot ({pilot_jobs} jobs)"
            )
    if "gc" not in got:
        raise SGCError("no GC configuration on the pilot: the reference of every ratio is missing")
    return chosen, missing


def _results(configs, table, n) -> dict:
    """Per scheme: its configuration's parameters, load and delay, and the policies' entries."""
    results = {}
    for (sc, params), entry in zip(configs, table):
        sch = None if sc == "nocoding" else _make(sc, n, params)
        results[sc] = {
            "params": params,
            "load": float(sch.load) if sch is not None else 1.0 / n,
            "T": int(sch.T) if sch is not None else 0,
            **entry["policies"],
        }
    return results
