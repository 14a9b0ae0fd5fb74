"""The paper's trace experiment, replayed on the shipped probes (paired, per trace).

Protocol (as the authors ran their parameter choice): on a probe measured at load 0, with
``mu = 1`` and the paper's waiting policy, sweep every configuration with delay ``T <= 4`` and keep
each scheme's fastest; then replay those configurations under the paper, minimal and optimal
policies. Every scheme runs on the *same* trace rounds and workers, so a comparison of two schemes
on one trace is paired; :func:`reproduce` reports the per-trace M-SGC / GC ratio and difference
and, across traces, their median and range, and the same ratio for every other scheme (BR-SGC,
the family found from the covering LP, among them).

What the shipped data cannot reproduce: the paper's 16% (M-SGC 916 s vs GC 1095 s) comes from
500-round runs on Lambda, one per scheme at that scheme's own load, replayed over 496 jobs; those
traces are not shipped, and their runs are not paired. The shipped probes have 10 to 30 rounds.

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023, Section 5 (experiments on AWS Lambda).
"""

from __future__ import annotations

import statistics

from ..bounds import nocoding_load, scheme_load
from ..errors import SGCError, check_int
from ..rationals import load_json
from .optimal import BudgetError
from .runtime import as_trace, param_names, resolve_slope, simulate
from ._sweep_families import _check_schemes
from .sweep import sweep
from .traces import trace_index

__all__ = ["reproduce", "load0_traces", "REPRO_POLICIES"]

REPRO_POLICIES = ("paper", "minimal", "optimal")


def load0_traces() -> list[str]:
    """The shipped traces measured at probe load 0 (the ones the protocol applies to).

    >>> len(load0_traces())
    7
    """
    return [name for name, row in trace_index().items() if float(row["probe_load"]) == 0.0]


def _stats(values):
    vals = [v for v in values if v is not None]
    if not vals:
        return {"median": None, "min": None, "max": None, "count": 0}
    return {
        "median": float(statistics.median(vals)),
        "min": float(min(vals)),
        "max": float(max(vals)),
        "count": len(vals),
    }


def _ratios(a, g):
    """Per policy, ``(a / g, a - g)`` of two schemes' runtimes (``None`` where one is missing)."""
    ratio, diff = {}, {}
    for pol in REPRO_POLICIES:
        x = a["runtime"][pol] if a else None
        y = g["runtime"][pol] if g else None
        ratio[pol] = (x / y) if x is not None and y else None
        diff[pol] = (x - y) if x is not None and y is not None else None
    return ratio, diff


def reproduce(
    traces=None,
    *,
    slopes=("default", "paper"),
    jobs: int | None = None,
    mu: float = 1.0,
    max_delay: int = 4,
    schemes=None,
    max_work: int | None = None,
    progress: bool = False,
) -> dict:
    """Run the paper's protocol on each trace and slope; see the module docstring.

    Parameters
    ----------
    traces : shipped names / paths / Trace objects (default: every shipped load-0 trace)
    slopes : numbers or ``"default"`` (1.1218) / ``"paper"`` (2.2013)
    jobs : jobs per run (default: the trace's rounds minus ``max_delay``, all the rounds there are)
    mu, max_delay : straggler slack (1 in the paper) and the largest delay swept (4)
    schemes : schemes to compare (default: no coding and every registered scheme)
    max_work : budget of each optimal-policy dynamic program (see
        :func:`sgc_theory.simulate.simulate`); a run beyond it reports ``optimal: None``

    Returns
    -------
    dict
        ``{"runs": [...], "summary": {...}, "summary_by_slope": {...}, "summary_to_gc": {...},
        "settings": {...}}``. Each run has ``trace, slope, jobs``, ``best`` (per scheme:
        ``params, load, T, runtime`` per policy, ``exact_optimal``), ``ratio_msgc_gc`` and
        ``diff_msgc_gc`` (per policy) and ``ratio_to_gc`` (per scheme and policy); ``None``
        where a scheme has no configuration or the optimum was not computed. ``summary`` gives
        per policy the ``median, min, max, count`` of the M-SGC / GC ratio across runs,
        ``summary_by_slope`` the same per slope, ``summary_to_gc`` the same for every scheme
        other than GC.

    Examples
    --------
    >>> out = reproduce(["sam-gc-cnn_profile_est-mbp__w256-n10-l0_000-b256-cno_forloop-Tokyo"],
    ...                 slopes=["paper"])
    >>> run = out["runs"][0]
    >>> run["jobs"], sorted(run["best"]["gc"]["runtime"])
    (6, ['minimal', 'optimal', 'paper'])
    """
    names, slope_vals, schemes = _check_args(traces, slopes, schemes)
    max_delay = check_int("max_delay", max_delay, minimum=0)
    if jobs is not None:
        jobs = check_int("jobs", jobs, minimum=1)
    plan = _plan([as_trace(t) for t in names], jobs, max_delay)

    from tqdm import tqdm

    steps = [(tr, J, lab, val) for tr, J in plan for lab, val in slope_vals]
    runs = [
        _run(tr, J, lab, slope, mu, max_delay, schemes, max_work)
        for tr, J, lab, slope in tqdm(steps, desc="reproduce", unit="run", disable=not progress)
    ]
    settings = {"mu": mu, "max_delay": max_delay, "selection_policy": "paper", "paired": True}
    settings.update(schemes=list(schemes), slopes=[v for _, v in slope_vals])
    return {"runs": runs, **_summaries(runs, schemes, slope_vals), "settings": settings}


def _run(tr, J, lab, slope, mu, max_delay, schemes, max_work) -> dict:
    """One run of the protocol: the sweep picks each scheme's best configuration (paper policy),
    which is replayed under every policy; ratios to GC per scheme and policy."""
    sw = sweep(tr, jobs=J, max_delay=max_delay, mu=mu, slope=slope, schemes=schemes, progress=False)
    best = {
        sc: _replayed(tr, J, mu, slope, sc, sw.best["paper"].get(sc), max_work) for sc in schemes
    }
    to_gc = {sc: _ratios(best.get(sc), best.get("gc"))[0] for sc in schemes if sc != "gc"}
    ratio, diff = _ratios(best.get("msgc"), best.get("gc"))
    return {
        "trace": tr.name,
        "region": tr.region,
        "rounds": tr.rounds,
        "slope": slope,
        "slope_name": lab if isinstance(lab, str) else None,
        "jobs": J,
        "best": best,
        "ratio_msgc_gc": ratio,
        "diff_msgc_gc": diff,
        "ratio_to_gc": to_gc,
    }


def _check_args(traces, slopes, schemes):
    """``(trace names, [(slope label, seconds per unit load)], schemes)``, each checked."""
    names = load0_traces() if traces is None else traces
    if isinstance(names, str):
        names = [names]
    names = list(names)
    if not names:
        raise SGCError("traces: give at least one trace")
    if isinstance(slopes, (str, int, float)):
        slopes = [slopes]
    slopes = list(slopes)
    if not slopes:
        raise SGCError("slopes: give at least one slope")
    slope_vals = [(s if isinstance(s, str) else float(s), resolve_slope(s)) for s in slopes]
    return names, slope_vals, _check_schemes(None if schemes is None else tuple(schemes))


def _plan(loaded, jobs, max_delay) -> list:
    """``(trace, jobs)`` of every run: all the rounds a trace has unless ``jobs`` is given."""
    plan = []
    for tr in loaded:
        J = jobs if jobs is not None else tr.rounds - max_delay
        if J < 1:
            raise SGCError(
                f"trace {tr.source or tr.name}: {tr.rounds} rounds leave no job with "
                f"delays up to {max_delay}"
            )
        tr.require_rounds(J + max_delay, f"{J} jobs with delays up to {max_delay}")
        plan.append((tr, J))
    return plan


def _replayed(tr, J, mu, slope, sc, b, max_work):
    """The sweep's best configuration ``b`` of scheme ``sc`` replayed under every policy of
    :data:`REPRO_POLICIES` (paired: same rounds, same workers); ``None`` without one."""
    if b is None:
        return None
    params = {p: b[p] for p in param_names(sc)}
    rt, exact_opt = {}, None
    for pol in REPRO_POLICIES:
        try:
            r = simulate(
                tr, sc, jobs=J, mu=mu, policy=pol, slope=slope, max_work=max_work, **params
            )
        except BudgetError:
            rt[pol] = None
            continue
        rt[pol] = float(r.runtime)
        if pol == "optimal":
            exact_opt = bool(r.exact)
    return {
        "params": params,
        "load": load_json(
            nocoding_load(tr.n) if sc == "nocoding" else scheme_load(sc, tr.n, **params)[0]
        ),
        "T": int(b["T"]),
        "runtime": rt,
        "exact_optimal": exact_opt,
    }


def _summaries(runs, schemes, slope_vals) -> dict:
    """Median, min, max and count of the runtime ratios to GC across runs: M-SGC's per policy
    (``summary``), per slope (``summary_by_slope``) and every scheme's (``summary_to_gc``)."""
    summary = {pol: _stats(r["ratio_msgc_gc"][pol] for r in runs) for pol in REPRO_POLICIES}
    summary_to_gc = {
        sc: {pol: _stats(r["ratio_to_gc"][sc][pol] for r in runs) for pol in REPRO_POLICIES}
        for sc in schemes
        if sc != "gc"
    }
    by_slope = {}
    for _, val in slope_vals:
        sel = [r for r in runs if r["slope"] == val]
        by_slope[repr(val)] = {
            pol: _stats(r["ratio_msgc_gc"][pol] for r in sel) for pol in REPRO_POLICIES
        }
    return {"summary": summary, "summary_by_slope": by_slope, "summary_to_gc": summary_to_gc}
