"""Long-run comparison of schemes under a straggler process, with confidence intervals, and the
recommendation built on it (docs/guide/processes.md).

Protocol
--------
* **Configurations.** Each scheme runs one configuration (``configs``), or, when none is given,
  the one the paper's protocol picks: the fastest of a sweep (paper policy, delay ``T <=
  max_delay``) on a *pilot* delay matrix of ``pilot_jobs + max_delay`` rounds drawn from the
  process with its own seed (WC-SGC, which the sweep does not cover by default, on a grid of
  ``W`` and ``lam``). :func:`recommend` keeps the ``top`` fastest configurations of every scheme
  on the pilot and lets the long runs decide.
* **Replications.** ``K`` independent delay matrices of ``n x rounds`` are drawn from the process
  (seeds spawned from one :class:`numpy.random.SeedSequence`). Every configuration and policy runs
  on the *same* matrices (common random numbers), ``J = rounds - max T`` jobs each.
* **Per run**, through the sweep's vectorised fast paths (the same rules as
  :func:`sgc_theory.simulate.simulate`): the runtime; ``model_violations``, the fraction of the
  run's rounds whose stragglers at ``(1 + mu) x`` fastest are not admitted by the scheme's model
  (no coding: every round with a straggler); ``fallback_time``, the seconds per job the policy's
  waiting cost over those rounds (round time minus the threshold time).
* **Statistics.** ``mean_time_per_job`` (runtime / J) with a 95 % Student-t interval over the
  replications; ``ratio_to_gc``: the mean of the per-replication ratios to GC (paired) with its
  t interval. Intervals are asymptotic statements about the process, not about the cluster: a
  process that misfits the trace moves them all.
* **Optimal policy** (the offline optimum, a bound for every master): its dynamic program does
  not scale to thousands of rounds at ``n = 256``, so it runs on the first ``optimal_jobs`` jobs
  of every replication, within the dynamic-program budget; entries it cannot reach are ``None``
  with the reason.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import SGCError, check_int
from .processes import StragglerProcess, fit_process, is_process_spec, load_process
from .runtime import SCHEMES, _make, param_names, resolve_slope, scheme_params

__all__ = ["compare", "recommend", "evaluate", "select_configs", "resolve_process", "ci95"]

_FAST = ("nocoding", "gc", "srsgc", "msgc", "brsgc")
ONLINE = ("paper", "minimal")


# --------------------------------------------------------------------------------------------
# one delay matrix, many configurations
# --------------------------------------------------------------------------------------------
_SPECS: dict = {}


def _spec(scheme: str, n: int, rows: list[dict]):
    """The sweep's description of the configurations ``rows`` of one scheme (remembered: the
    load formulas are compiled from sympy on every call of the sweep's helper)."""
    key = (scheme, n, tuple(tuple(sorted(r.items())) for r in rows))
    if key not in _SPECS:
        if len(_SPECS) > 256:
            _SPECS.clear()
        _SPECS[key] = _build_spec(scheme, n, rows)
    return dict(_SPECS[key])


def _build_spec(scheme: str, n: int, rows: list[dict]):
    from ._sweep_families import _loads_and_delays, _objects_spec

    names = param_names(scheme)
    P = np.array([[r[p] for p in names] for r in rows], dtype=np.int64).reshape(len(rows), -1)
    spec = {"name": scheme, "P": P, "names": names}
    if scheme in _FAST:
        loads, T, s = _loads_and_delays(scheme, n, P)
        if scheme == "nocoding":
            loads, T = np.repeat(loads, len(rows)), np.zeros(len(rows), np.int64)
        spec.update(kind=scheme, loads=np.asarray(loads, float), T=np.asarray(T), s=s)
        return spec
    spec.update(_objects_spec([_make(scheme, n, r) for r in rows]))
    return spec


def _fast_prep(D, mu):
    """The sweep's per-round preparation, with the candidate counts computed by one comparison per
    distinct load shift over the whole matrix (the same floating-point comparisons as the sweep's
    per-round bisection, so the same counts) and remembered (a long matrix has many rounds and
    few distinct shifts)."""
    from ._sweep_engine import _Prep

    class _Long(_Prep):
        def candidates(self, shifts):
            shifts = np.asarray(shifts, dtype=float)
            key = shifts.tobytes()
            if key not in self._kc:
                uniq, inv = np.unique(shifts, return_inverse=True)
                out = np.empty((uniq.size, self.R), dtype=np.int64)
                for j, u in enumerate(uniq):
                    thr = (1.0 + self.mu) * (self.desc[-1] + u)
                    out[j] = ((self.desc + u) > thr).sum(axis=0)
                self._kc[key] = out[inv.reshape(-1)]
            return self._kc[key]

    prep = _Long(D, mu)
    prep._kc = {}
    return prep


def _group(configs):
    """``[(scheme, params)]`` -> ``{scheme: [(index, params)]}`` (input order kept)."""
    out: dict = {}
    for i, (sc, params) in enumerate(configs):
        out.setdefault(sc, []).append((i, params))
    return out


def evaluate(D, configs, *, jobs: int, mu: float, policies=ONLINE, slope=None, probe_load=0.0):
    """Run every configuration under every online policy on one delay matrix ``D``.

    ``configs`` is a list of ``(scheme, params)``. Returns arrays of shape
    ``(len(configs), len(policies))``: ``runtime`` (NaN where a deadline was missed),
    ``violations`` (fraction of the run's rounds) and ``fallback`` (seconds per job).
    """
    from ._sweep_engine import _eval_chunk, _times

    D = np.ascontiguousarray(D, dtype=float)
    n = D.shape[0]
    slope = resolve_slope(slope)
    groups = _group(configs)
    specs = {}
    for sc, items in groups.items():
        spec = _spec(sc, n, [p for _, p in items])
        spec["shifts"] = (spec["loads"] - probe_load) * slope
        specs[sc] = spec
    R = jobs + max(int(s["T"].max()) for s in specs.values())
    D = D[:, :R]
    if (D + min(float(s["shifts"].min()) for s in specs.values()) <= 0).any():
        raise SGCError(
            "delays shifted to the schemes' loads become non-positive; use a smaller slope"
        )
    prep = _fast_prep(D, mu)
    bursty = [s for s in specs.values() if s["kind"] not in ("nocoding", "gc")]
    K = 0
    if bursty:
        K = int(prep.candidates(np.array([min(float(s["shifts"].min()) for s in bursty)])).max())
    prep.build_masks(K)
    shape = (len(configs), len(policies))
    out = {k: np.full(shape, np.nan) for k in ("runtime", "violations", "fallback")}
    for sc, items in groups.items():
        spec = specs[sc]
        idx = [i for i, _ in items]
        kc = prep.candidates(spec["shifts"])
        ideal = _times(prep, spec["shifts"], kc, kc)
        for j, pol in enumerate(policies):
            res = _eval_chunk(prep, spec, jobs, pol)
            e = res["e"] if sc != "nocoding" else np.zeros_like(kc)
            times = _times(prep, spec["shifts"], kc, e)
            last = res["rounds"] - 1
            inside = np.arange(R)[None, :] <= last[:, None]
            bad = (e != kc) & inside
            # the runtime as simulate() sums it (math.fsum of the round times)
            rt = [math.fsum(times[c, : last[c] + 1]) for c in range(len(idx))]
            out["runtime"][idx, j] = np.where(res["failed"], np.nan, rt)
            out["violations"][idx, j] = bad.sum(axis=1) / (last + 1)
            out["fallback"][idx, j] = np.where(bad, times - ideal, 0.0).sum(axis=1) / jobs
    return out


def _optimal_runs(D, configs, *, jobs, mu, slope, probe_load, max_work):
    """Offline-optimal runtimes of the first ``jobs`` jobs (NaN and a reason where unreachable)."""
    from .optimal import BudgetError
    from .runtime import simulate

    vals, why = np.full(len(configs), np.nan), [None] * len(configs)
    for c, (sc, params) in enumerate(configs):
        T = 0 if sc == "nocoding" else int(_make(sc, D.shape[0], params).T)
        try:
            r = simulate(
                D[:, : jobs + T],
                sc,
                jobs=jobs,
                mu=mu,
                policy="optimal",
                slope=slope,
                probe_load=probe_load,
                max_work=max_work,
                **params,
            )
            vals[c] = r.runtime if r.exact else np.nan
            why[c] = None if r.exact else "optimum not confirmed"
        except BudgetError as exc:
            why[c] = f"beyond the dynamic-program budget ({exc})"
    return vals, why


# --------------------------------------------------------------------------------------------
# statistics
# --------------------------------------------------------------------------------------------
def ci95(x) -> tuple[float, list | None]:
    """Mean and 95 % Student-t interval of the finite values of ``x`` (interval ``None`` with
    fewer than two)."""
    from scipy.stats import t

    v = np.asarray(x, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return math.nan, None
    m = float(v.mean())
    if v.size < 2:
        return m, None
    h = float(t.ppf(0.975, v.size - 1) * v.std(ddof=1) / math.sqrt(v.size))
    return m, [m - h, m + h]


# --------------------------------------------------------------------------------------------
# processes and configurations
# --------------------------------------------------------------------------------------------
def resolve_process(
    source, mu: float, states: int = 2, max_work=None
) -> tuple[StragglerProcess, object]:
    """``(process, trace or None)`` from a process, a process file / spec, or a trace to fit."""
    from .runtime import as_trace

    if isinstance(source, StragglerProcess):
        return source, None
    if is_process_spec(source):
        path = str(source)
        path = path[len("process:") :].split(",")[0] if path.startswith("process:") else path
        return load_process(path), None
    tr = as_trace(source)
    proc, _ = fit_process(tr, mu=mu, states=states, quality=False, max_work=max_work)
    return proc, tr


def _wcsgc_grid(n: int, max_delay: int):
    if max_delay < 2:
        return []
    lams = sorted({x for x in (1, 2, 4, 8, 16, 32, 64, 128, n // 2, n - 1) if 1 <= x < n})
    return [{"B": 1, "W": W, "lam": lam} for W in (2, 3, 4) for lam in lams]


def select_configs(
    D, *, mu, schemes, jobs, max_delay, slope=None, probe_load=0.0, top: int = 1, progress=False
):
    """The ``top`` fastest configurations of every scheme on the pilot matrix ``D`` (paper
    policy, delay ``<= max_delay``), as ``[(scheme, params)]``, fastest first per scheme."""
    from .sweep import sweep

    fast = [s for s in schemes if s in _FAST]
    chosen = []
    if fast:
        res = sweep(
            D,
            jobs=jobs,
            max_delay=max_delay,
            mu=mu,
            slope=slope,
            probe_load=probe_load,
            schemes=fast,
            progress=progress,
            verify_best=False,
        )
        for sc in fast:
            rows = [r for r in res.table if r["scheme"] == sc and r["runtime"] is not None]
            rows.sort(key=lambda r: (r["runtime"], r["load"]))
            chosen += [(sc, dict(r["params"])) for r in rows[:top]]
    for sc in schemes:
        if sc in _FAST:
            continue
        grid = _wcsgc_grid(D.shape[0], max_delay) if sc == "wcsgc" else []
        if not grid:
            continue
        cfg = [(sc, g) for g in grid]
        ev = evaluate(
            D, cfg, jobs=jobs, mu=mu, policies=("paper",), slope=slope, probe_load=probe_load
        )
        order = np.argsort(np.where(np.isnan(ev["runtime"][:, 0]), np.inf, ev["runtime"][:, 0]))
        chosen += [cfg[i] for i in order[:top] if np.isfinite(ev["runtime"][i, 0])]
    return chosen


def _check_configs(configs, n):
    out = []
    for item in configs:
        sc, params = item
        if sc not in SCHEMES:
            raise SGCError(f"configs: unknown scheme {sc!r} (known: {', '.join(SCHEMES)})")
        params = scheme_params(sc, **params)
        if sc != "nocoding":
            _make(sc, n, params)  # refuses impossible parameters
        out.append((sc, params))
    return out


# --------------------------------------------------------------------------------------------
# the long runs
# --------------------------------------------------------------------------------------------
def _replication(proc, seed, rounds, configs, jobs, mu, policies, slope, L0, opt_jobs, opt_work):
    D = proc.generate(rounds, seed=seed)
    ev = evaluate(D, configs, jobs=jobs, mu=mu, policies=policies, slope=slope, probe_load=L0)
    if opt_jobs:
        ev["optimal"], ev["optimal_why"] = _optimal_runs(
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


def _budget(replications, rounds, n, nconf, npol, optimal_jobs, max_work) -> None:
    """Refuse runs beyond the work budget: about 200 units (microseconds) per round,
    configuration and policy, plus generation and the optimal dynamic programs."""
    from ..budget import check_work

    per_run = rounds * (n // 4 + 200 * nconf * npol)
    if optimal_jobs:
        per_run += 3_000_000 * nconf
    check_work(
        replications * per_run,
        f"{replications} runs of {rounds} rounds x {nconf} configurations x {npol} policies",
        cheaper="fewer --rounds or --replications",
        limit=max_work,
    )


def long_runs(
    proc: StragglerProcess,
    configs,
    *,
    rounds: int,
    replications: int,
    mu: float,
    policies=ONLINE,
    slope=None,
    seed: int = 0,
    optimal_jobs: int = 0,
    optimal_work: int | None = None,
    scheduler=None,
    progress: bool = False,
    max_work=None,
):
    """Every configuration on ``replications`` generated matrices (common random numbers);
    returns ``(jobs, runs)`` with ``runs`` the per-replication outputs of :func:`evaluate`.

    Refused beyond the work budget (``max_work``, :mod:`sgc_theory.budget`): about 200 units per
    round, configuration and policy (one unit is about a microsecond)."""
    L0 = float(proc.meta.get("probe_load") or 0.0)
    maxT = max(0 if sc == "nocoding" else int(_make(sc, proc.n, p).T) for sc, p in configs)
    jobs = rounds - maxT
    if jobs < 1:
        raise SGCError(f"rounds={rounds} leaves no job for delays up to {maxT}")
    if optimal_jobs and optimal_jobs > jobs:
        raise SGCError(f"optimal_jobs={optimal_jobs} exceeds the {jobs} jobs of a run")
    _budget(replications, rounds, proc.n, len(configs), len(policies), optimal_jobs, max_work)
    seeds = np.random.SeedSequence(seed).spawn(replications)
    args = (rounds, configs, jobs, mu, policies, slope, L0, optimal_jobs, optimal_work)
    tasks = [(_replication, (proc, s) + args) for s in seeds]
    return jobs, _run_all(tasks, scheduler, progress, "long runs")


def _summarise(configs, runs, jobs, policies, ref, opt_jobs=0):
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
                "mean_time_per_job": _num(m),
                "ci95": ci,
                "ratio_to_gc": {"mean": _num(rm), "ci95": rci},
                "model_violations": _num(float(np.nanmean(vio[:, c, j]))),
                "fallback_time": _num(float(np.nanmean(fb[:, c, j]))),
                "missed_deadlines": int(np.isnan(rt[:, c, j]).sum()),
            }
        if "optimal" in runs[0]:
            opt = np.stack([r["optimal"] for r in runs]) / opt_jobs
            m, ci = ci95(opt[:, c])
            rm, rci = ci95(opt[:, c] / opt[:, ref]) if ref is not None else (math.nan, None)
            whys = sorted({w for r in runs for w in [r["optimal_why"][c]] if w})
            entry["policies"]["optimal"] = {
                "mean_time_per_job": _num(m),
                "ci95": ci,
                "ratio_to_gc": {"mean": _num(rm), "ci95": rci},
                "jobs": opt_jobs,
                "replications_reached": int(np.isfinite(opt[:, c]).sum()),
                "unreached": whys[0] if whys else None,
            }
        table.append(entry)
    return table


def _num(x):
    return None if x is None or not math.isfinite(x) else float(x)


def _check_common(rounds, replications, mu, seed):
    from ._checks import check_float as _check_float

    return (
        check_int("rounds", rounds, minimum=2),
        check_int("replications", replications, minimum=1),
        _check_float("mu", mu, minimum=0.0),
        check_int("seed", seed, minimum=0),
    )


def _schemes(schemes):
    """The families to compare (default: those with a vectorised path), GC always among them."""
    from ._sweep_families import _check_schemes

    schemes = _check_schemes(_FAST if schemes is None else tuple(schemes))
    if "gc" not in schemes:
        schemes = ("gc",) + schemes  # the reference of every ratio
    return schemes


def compare(
    source,
    *,
    rounds: int = 2_000,
    replications: int = 10,
    mu: float = 1.0,
    schemes=None,
    configs=None,
    policies=ONLINE,
    slope=None,
    seed: int = 0,
    pilot_jobs: int = 20,
    max_delay: int = 4,
    states: int = 2,
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
        (``states`` hidden states, straggler labels at ``mu``)
    rounds, replications : length of every generated run and their number ``K``
    schemes : families to compare (default: no coding, GC, SR-SGC, M-SGC, BR-SGC, the families
        with a vectorised path; WC-SGC when named: its decoder is a per-round loop, about 3 s per
        1,000 rounds at ``n = 256``; GC always, the reference of the ratios)
    configs : ``[(scheme, params)]`` to run instead of the pilot's choice
    policies : online policies (``"paper"``, ``"minimal"``); ``optimal_jobs > 0`` adds the
        offline optimum on the first ``optimal_jobs`` jobs (budget ``optimal_work`` transitions)

    Returns
    -------
    dict ``{"results": {scheme: {"params", "load", "T", policy: {"mean_time_per_job", "ci95",
    "ratio_to_gc": {"mean", "ci95"}, "model_violations", "fallback_time", ...}}}, "jobs",
    "settings", "process", "replay"}``; ``replay`` (when a trace was given): the ratios of the
    same configurations on the trace itself (one run, no interval).
    """
    rounds, replications, mu, seed = _check_common(rounds, replications, mu, seed)
    pols = _check_policies(policies)
    optimal_jobs = check_int("optimal_jobs", optimal_jobs, minimum=0)
    nconf = len(configs) if configs is not None else len(_schemes(schemes))
    _budget(replications, rounds, 256, nconf, len(pols), optimal_jobs, max_work)
    proc, tr = resolve_process(source, mu, states, max_work)
    L0 = float(proc.meta.get("probe_load") or 0.0)
    if configs is None:
        configs = _pilot_configs(proc, seed, mu, schemes, pilot_jobs, max_delay, slope, L0)
    configs = _check_configs(configs, proc.n)
    ref = next((i for i, (sc, _) in enumerate(configs) if sc == "gc"), None)
    common: dict[str, Any] = dict(rounds=rounds, replications=replications, mu=mu, slope=slope)
    common.update(seed=seed, scheduler=scheduler, progress=progress, max_work=max_work)
    common.update(optimal_jobs=optimal_jobs, optimal_work=optimal_work)
    jobs, runs = long_runs(proc, configs, policies=pols, **common)
    table = _summarise(configs, runs, jobs, pols, ref, optimal_jobs)
    out = {"results": _results(configs, table, proc.n), "jobs": jobs}
    out["process"] = proc.to_json() | {"marginal": None}
    out["settings"] = _settings(rounds, replications, mu, slope, L0, seed, pols)
    out["settings"].update(pilot_jobs=pilot_jobs, max_delay=max_delay, common_random_numbers=True)
    if tr is not None:
        out["replay"] = _replay(tr, configs, mu, pols, slope, L0, ref)
    return out


def _check_policies(policies) -> tuple:
    """The online policies of a comparison, each among :data:`ONLINE`."""
    pols = tuple(policies)
    for p in pols:
        if p not in ONLINE:
            raise SGCError(f"policies must be among {', '.join(ONLINE)} (got {p!r})")
    return pols


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


def _settings(rounds, replications, mu, slope, L0, seed, pols) -> dict:
    """The settings a comparison reports (the slope resolved to seconds per unit load)."""
    return {
        "rounds": rounds,
        "replications": replications,
        "mu": mu,
        "slope": resolve_slope(slope),
        "probe_load": L0,
        "seed": seed,
        "policies": list(pols),
    }


def _replay(tr, configs, mu, pols, slope, L0, ref):
    """Ratios to GC of the configurations on the trace itself (one paired run)."""
    maxT = max(0 if sc == "nocoding" else int(_make(sc, tr.n, p).T) for sc, p in configs)
    jobs = tr.rounds - maxT
    if jobs < 1 or ref is None:
        return None
    ev = evaluate(tr.delays, configs, jobs=jobs, mu=mu, policies=pols, slope=slope, probe_load=L0)
    rt = ev["runtime"]
    return {
        "jobs": jobs,
        "ratio_to_gc": {
            sc: {p: _num(float(rt[c, j] / rt[ref, j])) for j, p in enumerate(pols)}
            for c, (sc, _) in enumerate(configs)
        },
    }


def recommend(
    source,
    *,
    mu: float = 1.0,
    rounds: int = 2_000,
    replications: int = 10,
    schemes=None,
    top: int = 3,
    policy: str = "paper",
    slope=None,
    seed: int = 0,
    pilot_jobs: int = 20,
    max_delay: int = 4,
    states: int = 2,
    scheduler=None,
    progress: bool = False,
    max_work=None,
) -> dict:
    """The configuration with the least expected time per job under the process.

    Candidates: the ``top`` fastest configurations of every scheme on the pilot (see the module
    docstring); every candidate runs on the same ``replications`` generated matrices. The winner
    has the least mean time per job; ``speedup_over_gc`` is the mean over replications of
    ``time(best GC candidate) / time(winner)`` with its 95 % interval (paired).

    Returns
    -------
    dict ``{"best": {"scheme", "params", "mean_time_per_job", "ci95"}, "speedup_over_gc":
    {"mean", "ci95"}, "best_gc": {...}, "runner_up": {...}, "candidates": [...], "settings"}``
    """
    rounds, replications, mu, seed = _check_common(rounds, replications, mu, seed)
    top = check_int("top", top, minimum=1)
    if policy not in ONLINE:
        raise SGCError(f"policy must be one of {', '.join(ONLINE)} (got {policy!r})")
    _budget(replications, rounds, 256, top * len(_schemes(schemes)), 1, 0, max_work)
    proc, _ = resolve_process(source, mu, states, max_work)
    L0 = float(proc.meta.get("probe_load") or 0.0)
    cands = _pilot_configs(
        proc, seed, mu, schemes, pilot_jobs, max_delay, slope, L0, top=top, progress=progress
    )
    return rank(
        proc,
        cands,
        rounds=rounds,
        replications=replications,
        mu=mu,
        policy=policy,
        slope=slope,
        seed=seed,
        scheduler=scheduler,
        progress=progress,
        max_work=max_work,
    )


def _pilot_configs(proc, seed, mu, schemes, pilot_jobs, max_delay, slope, L0, **kw):
    """The configurations the pilot run picks: one generated matrix of ``pilot_jobs +
    max_delay`` rounds (seeded apart from the long runs), searched by :func:`select_configs`."""
    pilot = proc.generate(pilot_jobs + max_delay, seed=np.random.SeedSequence([seed, 1]))
    return select_configs(
        pilot,
        mu=mu,
        schemes=_schemes(schemes),
        jobs=pilot_jobs,
        max_delay=max_delay,
        slope=slope,
        probe_load=L0,
        **kw,
    )


def rank(
    proc,
    cands,
    *,
    rounds,
    replications,
    mu,
    policy="paper",
    slope=None,
    seed=0,
    scheduler=None,
    progress=False,
    max_work=None,
) -> dict:
    """Rank the candidate configurations by long-run mean time per job (see :func:`recommend`)."""
    cands = _check_configs(cands, proc.n)
    if not any(sc == "gc" for sc, _ in cands):
        raise SGCError("recommend: the candidates need at least one GC configuration")
    common: dict[str, Any] = dict(rounds=rounds, replications=replications, mu=mu, slope=slope)
    common.update(seed=seed, scheduler=scheduler, progress=progress, max_work=max_work)
    jobs, runs = long_runs(proc, cands, policies=(policy,), **common)
    rt = np.stack([r["runtime"][:, 0] for r in runs]) / jobs  # (K, C)
    means = np.where(np.isnan(rt).any(axis=0), np.inf, rt.mean(axis=0))
    order = [int(c) for c in np.argsort(means, kind="stable") if np.isfinite(means[c])]
    g = [c for c in order if cands[c][0] == "gc"][0]
    best = order[0]
    sm, sci = ci95(rt[:, g] / rt[:, best])
    return {
        "best": _ranked(cands, rt, best),
        "speedup_over_gc": {"mean": _num(sm), "ci95": sci},
        "best_gc": _ranked(cands, rt, g),
        "runner_up": _ranked(cands, rt, order[1]) if len(order) > 1 else None,
        "candidates": [_ranked(cands, rt, c) for c in order],
        "jobs": jobs,
        "settings": {
            "rounds": rounds,
            "replications": replications,
            "mu": mu,
            "policy": policy,
            "seed": seed,
            "slope": resolve_slope(slope),
        },
    }


def _ranked(cands, rt, c) -> dict:
    """Candidate ``c`` with its mean time per job over the runs ``rt[:, c]`` and its interval."""
    m, ci = ci95(rt[:, c])
    return {"scheme": cands[c][0], "params": cands[c][1], "mean_time_per_job": _num(m), "ci95": ci}
