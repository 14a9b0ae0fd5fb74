"""What a comparison reports besides its table: the checked options of the long runs, the
settings (with where the slope and the probe load come from), the process as JSON, and the
replay of the configurations on the trace itself, and the check that the process and its trace
agree on the answer.

Agreement rule
--------------
For every configuration but GC and every online policy, the process's ratio to GC (mean ``m``
over the long runs, 95 % interval of half-width ``h``) and the replay's ratio ``r`` (the same
configuration and GC on the trace itself) **disagree** when the relative gap ``|r - m| / m``
exceeds the tolerance ``max(AGREE_FLOOR, AGREE_FACTOR * h / m)`` (3 %, or three relative
half-widths). It is a *warning*, not a gate: the replay is one run of the trace's length (10 to 30
rounds for the shipped probes), whose own sampling error is not in the process's interval, so a
disagreement says the two answers differ and by how much, not which one is right; the output
gives both (``agreement`` in the JSON, a ``WARNING`` line first in the text)."""

from __future__ import annotations

import math

from ..errors import SGCError, check_int
from ._checks import check_float
from ._compare_eval import config_delay, evaluate
from ._compare_runs import num
from .runtime import DEFAULT_SLOPE, PAPER_SLOPE, resolve_slope

__all__ = [
    "check_common",
    "settings",
    "slope_origin",
    "replay",
    "process_json",
    "agreement",
    "agreement_check",
    "label",
    "short_run_range",
    "AGREE_FLOOR",
    "AGREE_FACTOR",
]

SHORT_RUNS = 40
AGREE_FLOOR = 0.03
AGREE_FACTOR = 3.0
AGREE_RULE = (
    "the process and its trace disagree when the replay's ratio r and the process's mean ratio "
    "m (95 % interval half-width h) have |r - m| / m > max(0.03, 3 h / m)"
)


def check_common(rounds, replications, mu, seed, target_halfwidth, max_replications):
    """The long runs' options, each refused with its name."""
    out = (
        check_int("rounds", rounds, minimum=2),
        check_int("replications", replications, minimum=1),
        check_float("mu", mu, minimum=0.0),
        check_int("seed", seed, minimum=0),
    )
    if target_halfwidth is not None:
        h = check_float("target_halfwidth", target_halfwidth, minimum=0.0)
        if h <= 0:
            raise SGCError(f"target_halfwidth must be > 0 or None (got {target_halfwidth!r})")
        target_halfwidth = h
    max_replications = check_int("max_replications", max_replications, minimum=out[1])
    return out + (target_halfwidth, max_replications)


def process_json(proc) -> dict:
    """The process as its file holds it, without the (long) marginal table."""
    data = proc.to_json()
    if "marginal" in data:
        data["marginal"] = None
    return data


def slope_origin(slope) -> str:
    """Where the slope of a comparison comes from."""
    v = resolve_slope(slope)
    if slope is None or (isinstance(slope, str) and slope.strip().lower() == "default"):
        return "default: least-squares fit on the shipped desktop_long probes"
    if v == PAPER_SLOPE and isinstance(slope, str):
        return "paper: the value of the paper's experiment"
    return "given" if v != DEFAULT_SLOPE else "given (equal to the default)"


def settings(rounds, replications, mu, slope, proc, seed, pols) -> dict:
    """The settings a comparison reports (the slope resolved, with where it and the probe load
    come from)."""
    L0 = proc.meta.get("probe_load")
    return {
        "rounds": rounds,
        "replications": replications,
        "mu": mu,
        "slope": resolve_slope(slope),
        "slope_origin": slope_origin(slope),
        "probe_load": float(L0 or 0.0),
        "probe_load_origin": proc.meta.get("probe_load_origin")
        or ("the process (its trace's)" if L0 is not None else "unknown: taken as 0"),
        "seed": seed,
        "policies": list(pols),
    }


def replay(tr, configs, mu, pols, slope, L0, ref):
    """Ratios to GC of the configurations on the trace itself (one paired run)."""
    maxT = max(config_delay(sc, tr.n, p) for sc, p in configs)
    jobs = tr.rounds - maxT
    if jobs < 1 or ref is None:
        return None
    ev = evaluate(tr.delays, configs, jobs=jobs, mu=mu, policies=pols, slope=slope, probe_load=L0)
    rt = ev["runtime"]
    return {
        "jobs": jobs,
        "ratio_to_gc": {
            sc: {p: num(float(rt[c, j] / rt[ref, j])) for j, p in enumerate(pols)}
            for c, (sc, _) in enumerate(configs)
        },
    }


def agreement_check(m, ci, r, spread=None) -> dict | None:
    """One check of the agreement rule (module docstring): the process's mean ratio ``m`` with
    its interval ``ci`` against the replay's ratio ``r``; ``None`` when one is missing.
    ``spread``: the range of the ratio over generated runs of the trace's length (context)."""
    if m is None or r is None or not (math.isfinite(m) and math.isfinite(r)) or m <= 0:
        return None
    h = 0.0 if ci is None else (ci[1] - ci[0]) / 2 / m
    tol = max(AGREE_FLOOR, AGREE_FACTOR * h)
    gap = abs(r - m) / m
    return {
        "process_ratio": float(m),
        "process_ci95": ci,
        "replay_ratio": float(r),
        "relative_gap": float(gap),
        "tolerance": float(tol),
        "agree": bool(gap <= tol),
        "short_run_range": spread,
        "within_short_run_range": None
        if not spread or None in spread
        else bool(spread[0] <= r <= spread[1]),
    }


def agreement(pairs, jobs) -> dict:
    """The agreement of the process and its trace over ``pairs`` ``[(label, policy, m, ci, r)]``
    or ``[(label, policy, m, ci, r, spread)]`` (label: the configuration; spread: the ratio's
    range over generated runs of the trace's length), with the warning line when they disagree
    (``None`` otherwise)."""
    checks = []
    for lab, pol, m, ci, r, *spread in pairs:
        c = agreement_check(m, ci, r, spread[0] if spread else None)
        if c is not None:
            checks.append({"configuration": lab, "policy": pol} | c)
    bad = [c for c in checks if not c["agree"]]
    warning = None
    if bad:
        worst = max(bad, key=lambda c: c["relative_gap"])
        parts = [
            f"{c['configuration']} ({c['policy']}): process {c['process_ratio']:.4f} "
            f"{_ci(c['process_ci95'])}, trace replay {c['replay_ratio']:.4f} "
            f"(gap {100 * c['relative_gap']:.1f} % > {100 * c['tolerance']:.1f} %"
            + _spread(c)
            + ")"
            for c in bad
        ]
        warning = (
            f"WARNING: the process and its trace disagree on the answer (largest gap "
            f"{100 * worst['relative_gap']:.1f} %: {worst['configuration']} under "
            f"{worst['policy']}, the trace replay ({jobs} jobs) gives "
            f"{worst['replay_ratio']:.4f} x GC): " + "; ".join(parts)
        )
    return {
        "rule": AGREE_RULE,
        "floor": AGREE_FLOOR,
        "halfwidth_factor": AGREE_FACTOR,
        "replay_jobs": jobs,
        "agree": not bad,
        "checks": checks,
        "warning": warning,
    }


def _spread(c) -> str:
    """The context of one disagreement: where runs of the trace's length fall."""
    sp = c.get("short_run_range")
    if not sp or None in sp:
        return ""
    where = "within" if c["within_short_run_range"] else "outside"
    return f"; runs of the trace's length under the process: [{sp[0]:.4f}, {sp[1]:.4f}], {where}"


def _ci(ci) -> str:
    return "[n/a]" if ci is None else f"[{ci[0]:.4f}, {ci[1]:.4f}]"


def label(sc, params) -> str:
    """A configuration as text: the scheme and its parameters."""
    return " ".join([sc] + [f"{k}={v}" for k, v in (params or {}).items()])


def short_run_range(proc, tr, configs, mu, pols, slope, L0, ref, seed, runs=SHORT_RUNS) -> dict:
    """Per configuration and policy: the 2.5 % and 97.5 % quantiles of the ratio to GC over
    ``runs`` generated runs of the trace's length (the spread one replay of that length has
    under the process itself; seeds apart from the long runs and the pilot)."""
    import numpy as np

    maxT = max(config_delay(sc, tr.n, p) for sc, p in configs)
    jobs = tr.rounds - maxT
    if jobs < 1 or ref is None:
        return {}
    ratios = []
    for s in np.random.SeedSequence([seed, 2]).spawn(runs):
        D = proc.generate(tr.rounds, seed=s)
        rt = evaluate(D, configs, jobs=jobs, mu=mu, policies=pols, slope=slope, probe_load=L0)
        ratios.append(rt["runtime"] / rt["runtime"][ref])
    q = np.nanquantile(np.stack(ratios), [0.025, 0.975], axis=0)  # (2, C, P)
    return {
        sc: {p: [num(float(q[0, c, j])), num(float(q[1, c, j]))] for j, p in enumerate(pols)}
        for c, (sc, _) in enumerate(configs)
    }
