"""What a comparison reports besides its table: the checked options of the long runs, the
settings (with where the slope and the probe load come from), the process as JSON, and the
replay of the configurations on the trace itself."""

from __future__ import annotations

from ..errors import SGCError, check_int
from ._checks import check_float
from ._compare_eval import config_delay, evaluate
from ._compare_runs import num
from .runtime import DEFAULT_SLOPE, PAPER_SLOPE, resolve_slope

__all__ = ["check_common", "settings", "slope_origin", "replay", "process_json"]


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
