"""Where a comparison's process and configurations come from: the process (given, read, or
fitted to a trace) with its credibility gate, the families, and the pilot that picks the
configurations the long runs compare.

Pilot and pruning rule
----------------------
The pilot draws ``pilot_replications`` matrices of ``pilot_jobs + max_delay`` rounds from the
process (seeds apart from the long runs) and sweeps, on each, *every* configuration of every
vectorised family with delay ``T <= max_delay`` and window ``W <= pilot_jobs`` (GC: every ``s``),
under each online policy (common random numbers). WC-SGC and PR-SGC, whose decoders are not
vectorised (and PR-SGC's load needs an LP per ``lam``), run on a stated grid: ``B = 1``,
``W in {2, 3, 4}`` (WC-SGC) or ``B <= max_delay``, ``W = B + 1`` (PR-SGC), ``lam`` in
``{1, 2, 4, ..., 128, n/2, n - 1}``.

A configuration is **pruned** for a policy when, on the pilot matrices, its paired difference to
the pilot's best configuration has a 95 % Student-t interval entirely above 0 (it is slower on the
same random numbers beyond sampling error; with one pilot matrix: when it is slower at all), or
when it missed a deadline there. This is a statistical rule on the pilot, not a proof: the pilot
is short, so the rule keeps many configurations; at most ``max_candidates`` per family and policy
(the fastest on the pilot) go to the long runs, and the result says how many each step removed.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from ..errors import SGCError, check_int
from ._compare_eval import FAST, evaluate

__all__ = [
    "resolve_process",
    "gate",
    "families",
    "select_configs",
    "pilot_candidates",
    "prsgc_grid",
    "wcsgc_grid",
]


def _fit(tr, mu, states, max_work, probe_load, progress):
    """``fit_process`` with the options its signature takes (automatic model choice when
    ``states`` is ``None``)."""
    from .processes import fit_process

    kw = dict(mu=mu, states=states, quality=False, max_work=max_work)
    kw.update(probe_load=probe_load, progress=progress)
    params = inspect.signature(fit_process).parameters
    kw = {k: v for k, v in kw.items() if k in params}
    if "states" in kw and kw["states"] is None and params["states"].default is not None:
        kw.pop("states")  # an older fit without automatic choice: its default
    if kw.get("probe_load") is None:
        kw.pop("probe_load", None)
    proc, _ = fit_process(tr, **kw)
    if probe_load is not None:
        proc.meta["probe_load"] = float(probe_load)
    return proc


def resolve_process(
    source, mu: float, states=None, max_work=None, probe_load=None, progress=False, trace=None
) -> tuple:
    """``(process, trace or None)`` from a process, a process file / spec, or a trace to fit
    (``states`` hidden states, ``None``: the fit's automatic choice; ``probe_load``: the load
    the trace was measured at, default the trace's, else 0). ``trace``: a trace to replay next
    to a given process (refused with a trace to fit: that trace is the one replayed)."""
    from ._checks import check_float
    from .processes import StragglerProcess, is_process_spec, load_process
    from .runtime import as_trace

    if states is not None:
        states = check_int("states", states, minimum=2)
    if probe_load is not None:
        probe_load = check_float("probe_load", probe_load, minimum=0.0)
    if isinstance(source, StragglerProcess) or is_process_spec(source):
        if states is not None:
            raise SGCError("states: applies when a trace is fitted, not to a given process")
        if isinstance(source, StragglerProcess):
            proc = source
        else:
            path = str(source)
            path = path[len("process:") :].split(",")[0] if path.startswith("process:") else path
            proc = load_process(path)
        if probe_load is not None:
            raise SGCError("probe_load: applies when a trace is fitted (the process has its own)")
        _check_probe_load(proc)
        tr = None if trace is None else as_trace(trace)
        if tr is not None and tr.n != proc.n:
            raise SGCError(f"trace: {tr.n} workers, the process has {proc.n}")
        return proc, tr
    if trace is not None:
        raise SGCError("trace: a replay trace applies to a given process, not to a trace to fit")
    tr = as_trace(source)
    return _fit(tr, mu, states, max_work, probe_load, progress), tr


def _check_probe_load(proc) -> None:
    from ._checks import check_float

    L0 = proc.meta.get("probe_load")
    if L0 is not None:
        check_float("process meta probe_load", L0, minimum=0.0)


def gate(proc, allow_not_credible: bool) -> str | None:
    """The credibility gate: ``None`` when the process carries no verdict or is credible; else
    refused (:class:`SGCError` with the reasons) unless ``allow_not_credible``, and then the
    warning the output carries."""
    cred = proc.meta.get("credibility") if isinstance(proc.meta, dict) else None
    if not isinstance(cred, dict) or cred.get("credible", True):
        return None
    reasons = "; ".join(str(r) for r in cred.get("reasons") or []) or "no reason given"
    if not allow_not_credible:
        raise SGCError(
            f"the straggler process is not credible ({reasons}); its answer would not describe "
            "the trace: fix the trace or the fit, or pass --allow-not-credible "
            "(allow_not_credible=True) to go on with a warning"
        )
    return f"WARNING: the straggler process is not credible: {reasons}"


def families(schemes) -> tuple:
    """The families to compare (default: those with a vectorised path), GC always among them
    (the reference of every ratio)."""
    from ._sweep_families import _check_schemes

    schemes = _check_schemes(FAST if schemes is None else tuple(schemes))
    if "gc" not in schemes:
        schemes = ("gc",) + schemes
    return tuple(dict.fromkeys(schemes))


def _lams(n: int) -> list:
    return sorted({x for x in (1, 2, 4, 8, 16, 32, 64, 128, n // 2, n - 1) if 1 <= x < n})


def wcsgc_grid(n: int, max_delay: int) -> list:
    """WC-SGC's stated grid: ``B = 1`` (its delay is then 2, so only when ``max_delay >= 2``),
    ``W in {2, 3, 4}``, ``lam`` in ``{1, 2, 4, ..., 128, n/2, n - 1}``."""
    if max_delay < 2:
        return []
    return [{"B": 1, "W": W, "lam": lam} for W in (2, 3, 4) for lam in _lams(n)]


def prsgc_grid(n: int, max_delay: int) -> list:
    """PR-SGC's stated grid: delay ``T = B <= max_delay``, ``W = B + 1``, ``lam`` on a grid."""
    return [{"B": B, "W": B + 1, "lam": lam} for B in range(1, max_delay + 1) for lam in _lams(n)]


def _pilot_table(D, fam, *, mu, jobs, max_delay, slope, L0, pols, progress):
    """``(configs, times (C, P))`` of every configuration of family ``fam`` on one pilot matrix
    (runtime per job; NaN where a deadline was missed)."""
    if fam in FAST or fam == "prsgc":  # PR-SGC: the sweep's stated grid
        from .sweep import sweep

        res = sweep(
            D,
            jobs=jobs,
            max_delay=max_delay,
            mu=mu,
            slope=slope,
            probe_load=L0,
            schemes=(fam,),
            policy=pols,
            progress=progress,
            verify_best=False,
        )
        keys, idx = [], {}
        for row in res.table:
            key = tuple(sorted(row["params"].items()))
            if key not in idx:
                idx[key] = len(keys)
                keys.append(row["params"])
        times = np.full((len(keys), len(pols)), np.nan)
        for row in res.table:
            c = idx[tuple(sorted(row["params"].items()))]
            if row["runtime"] is not None:
                times[c, pols.index(row["policy"])] = row["runtime"] / jobs
        return [(fam, dict(p)) for p in keys], times
    grid = (
        wcsgc_grid(D.shape[0], max_delay) if fam == "wcsgc" else prsgc_grid(D.shape[0], max_delay)
    )
    cfg = [(fam, g) for g in grid]
    if not cfg:
        return [], np.zeros((0, len(pols)))
    ev = evaluate(D, cfg, jobs=jobs, mu=mu, policies=pols, slope=slope, probe_load=L0)
    return cfg, ev["runtime"] / jobs


def _prune(times, max_candidates):
    """Indices kept by the pruning rule (module docstring) for one family and policy, fastest
    first, and the counts removed by the rule and by the cap."""
    P = times.shape[0]
    ok = ~np.isnan(times).any(axis=0)
    if not ok.any():
        return [], 0, 0
    mean = np.full(times.shape[1], np.inf)
    mean[ok] = times[:, ok].mean(axis=0)
    b = int(np.argmin(mean))
    diff = times - times[:, b : b + 1]
    if P >= 2:
        from scipy.stats import t

        lo = diff.mean(axis=0) - t.ppf(0.975, P - 1) * diff.std(axis=0, ddof=1) / math.sqrt(P)
    else:
        lo = diff[0]
    keep = ok & ~(lo > 0)
    keep[b] = True
    order = [int(c) for c in np.argsort(mean, kind="stable") if keep[c]]
    removed = int(ok.sum() - keep.sum())
    return order[:max_candidates], removed, max(0, len(order) - max_candidates)


def pilot_candidates(proc, *, seed, mu, schemes, pilot_jobs, pilot_replications, max_delay,
                     slope, L0, pols, max_candidates, progress=False):  # fmt: skip
    """The candidates of the long runs: every family's configurations kept by the pruning rule
    on the pilot (module docstring), and the pilot's report per family."""
    from tqdm import tqdm

    mats = [
        proc.generate(pilot_jobs + max_delay, seed=np.random.SeedSequence([seed, 1, k]))
        for k in range(pilot_replications)
    ]
    cands, report = [], {}
    fams = families(schemes)
    steps = tqdm(total=len(fams) * len(mats), desc="pilot", unit="sweep", disable=not progress)
    with steps:
        for fam in fams:
            tabs = []
            for D in mats:
                kw = dict(mu=mu, jobs=pilot_jobs, max_delay=max_delay, slope=slope, L0=L0)
                cfg, tab = _pilot_table(D, fam, pols=pols, progress=False, **kw)
                tabs.append(tab)
                steps.update(1)
            report[fam] = _family_report(fam, cfg, np.stack(tabs) if cfg else None, pols,
                                         max_candidates, cands)  # fmt: skip
    return cands, report


def _family_report(fam, cfg, times, pols, max_candidates, cands) -> dict:
    """Add the family's kept configurations to ``cands``; return its pilot report."""
    if not cfg:
        return {"searched": 0, "kept": 0, "why": "no configuration with these limits"}
    kept, rep = set(), {"searched": len(cfg), "pruned": {}, "capped": {}}
    for j, pol in enumerate(pols):
        order, removed, capped = _prune(times[:, :, j], max_candidates)
        kept.update(order)
        rep["pruned"][pol], rep["capped"][pol] = removed, capped
    present = {(s, tuple(sorted(p.items()))) for s, p in cands}
    for c in sorted(kept):
        if (cfg[c][0], tuple(sorted(cfg[c][1].items()))) not in present:
            cands.append(cfg[c])
    rep["kept"] = len(kept)
    if not kept:
        rep["why"] = "every configuration missed a deadline on the pilot"
    return rep


def select_configs(
    D, *, mu, schemes, jobs, max_delay, slope=None, probe_load=0.0, top: int = 1, progress=False
):
    """The ``top`` fastest configurations of every family on the pilot matrix ``D`` (paper
    policy, delay ``<= max_delay``), as ``[(scheme, params)]``, fastest first per family; a
    family without a configuration that decodes on ``D`` is left out (``compare`` reports it)."""
    from ._checks import check_float
    from ._sweep_families import _check_schemes

    schemes = _check_schemes(schemes)
    mu = check_float("mu", mu, minimum=0.0)
    jobs = check_int("jobs", jobs, minimum=1)
    max_delay = check_int("max_delay", max_delay, minimum=0)
    top = check_int("top", top, minimum=1)
    D = np.asarray(D, dtype=float)
    chosen = []
    for fam in dict.fromkeys(schemes):
        kw = dict(mu=mu, jobs=jobs, max_delay=max_delay, slope=slope, L0=probe_load)
        cfg, tab = _pilot_table(D, fam, pols=("paper",), progress=progress, **kw)
        if not cfg:
            continue
        t0 = np.where(np.isnan(tab[:, 0]), np.inf, tab[:, 0])
        chosen += [cfg[i] for i in np.argsort(t0, kind="stable")[:top] if np.isfinite(t0[i])]
    return chosen
