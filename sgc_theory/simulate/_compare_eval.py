"""One delay matrix, many configurations: the evaluation behind ``compare`` and ``recommend``
(every configuration under every online policy on the same matrix, through the sweep's
vectorised engine), and the offline optimum on a prefix of it."""

from __future__ import annotations

import math

import numpy as np

from ..errors import SGCError, check_int
from ._checks import check_float
from .runtime import SCHEMES, _make, param_names, resolve_slope, scheme_params

__all__ = ["evaluate", "ONLINE", "FAST", "check_policies", "check_configs", "config_delay"]

#: the families with a vectorised path (closed-form loads and decode rules)
FAST = ("nocoding", "gc", "srsgc", "msgc", "brsgc")
#: the online waiting policies a long run compares
ONLINE = ("paper", "minimal")

_SPECS: dict = {}


def check_policies(policies, name: str = "policies") -> tuple:
    """The online policies of a comparison: a non-empty sequence of names among :data:`ONLINE`
    (the offline optimum has its own option, ``optimal_jobs``)."""
    if isinstance(policies, str):
        policies = (policies,)
    try:
        pols = tuple(policies)
    except TypeError:
        raise SGCError(
            f"{name} must be a sequence of {', '.join(ONLINE)} (got {policies!r})"
        ) from None
    if not pols:
        raise SGCError(f"{name}: give at least one of {', '.join(ONLINE)}")
    for p in pols:
        if not isinstance(p, str) or p not in ONLINE:
            extra = (
                " (the offline optimum: optimal_jobs / --optimal-jobs)" if p == "optimal" else ""
            )
            raise SGCError(f"{name} must be among {', '.join(ONLINE)} (got {p!r}){extra}")
    return tuple(dict.fromkeys(pols))


def check_configs(configs, n: int) -> list:
    """``[(scheme, params)]`` checked: known schemes, exactly their parameters, constructible
    on ``n`` workers."""
    out = []
    try:
        items = list(configs)
    except TypeError:
        raise SGCError(f"configs must be a list of (scheme, params) (got {configs!r})") from None
    if not items:
        raise SGCError("configs: give at least one (scheme, params)")
    for item in items:
        if not isinstance(item, (tuple, list)) or len(item) != 2 or not isinstance(item[1], dict):
            raise SGCError(f"configs: each entry is (scheme, params dict) (got {item!r})")
        sc, params = item
        if sc not in SCHEMES:
            raise SGCError(f"configs: unknown scheme {sc!r} (known: {', '.join(SCHEMES)})")
        params = scheme_params(sc, **params)
        if sc != "nocoding":
            _make(sc, n, params)  # refuses impossible parameters
        out.append((sc, params))
    return out


def config_delay(sc: str, n: int, params: dict) -> int:
    """The decoding delay ``T`` of a configuration (0 for no coding)."""
    return 0 if sc == "nocoding" else int(_make(sc, n, params).T)


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
    if scheme in FAST:
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


def _check_matrix(D) -> np.ndarray:
    """A ``(workers, rounds)`` matrix of positive finite delays."""
    try:
        D = np.ascontiguousarray(D, dtype=float)
    except (TypeError, ValueError):
        raise SGCError("D must be a (workers, rounds) array of delays in seconds") from None
    if D.ndim != 2 or D.shape[0] < 2 or D.shape[1] < 1:
        raise SGCError(f"D must be a (workers, rounds) array with >= 2 workers (got {D.shape})")
    bad = ~np.isfinite(D) | (D <= 0)
    if bad.any():
        i, r = (int(x) for x in np.argwhere(bad)[0])
        raise SGCError(f"D[{i}, {r}] = {D[i, r]!r}: delays must be positive finite numbers")
    return D


def evaluate(D, configs, *, jobs: int, mu: float, policies=ONLINE, slope=None, probe_load=0.0):
    """Run every configuration under every online policy on one delay matrix ``D``.

    ``configs`` is a list of ``(scheme, params)``. Returns arrays of shape
    ``(len(configs), len(policies))``: ``runtime`` (NaN where a deadline was missed),
    ``violations`` (fraction of the run's rounds) and ``fallback`` (seconds per job).
    """
    from ._sweep_engine import _eval_chunk

    D = _check_matrix(D)
    n = D.shape[0]
    jobs = check_int("jobs", jobs, minimum=1)
    mu = check_float("mu", mu, minimum=0.0)
    probe_load = check_float("probe_load", probe_load, minimum=0.0)
    policies = check_policies(policies)
    slope = resolve_slope(slope)
    configs = check_configs(configs, n)
    groups = _group(configs)
    specs = {}
    for sc, items in groups.items():
        spec = _spec(sc, n, [p for _, p in items])
        spec["shifts"] = (spec["loads"] - probe_load) * slope
        specs[sc] = spec
    R = jobs + max(int(s["T"].max()) for s in specs.values())
    if D.shape[1] < R:
        raise SGCError(
            f"jobs={jobs}: {jobs} jobs with delays up to {R - jobs} need {R} rounds, "
            f"D has {D.shape[1]}"
        )
    D = D[:, :R]
    _check_shifted(D, specs, mu, slope)
    prep = _fast_prep(D, mu)
    # the masks cover every count a policy may stop at: the most candidates of any coded
    # configuration (the fewest at the smallest shift), 0 when only no coding runs
    coded = [s for s in specs.values() if s["kind"] != "nocoding"]
    K = 0
    if coded:
        low = min(float(s["shifts"].min()) for s in coded)
        K = int(prep.candidates(np.array([low])).max())
    prep.build_masks(K)
    shape = (len(configs), len(policies))
    out = {k: np.full(shape, np.nan) for k in ("runtime", "violations", "fallback")}
    for sc, items in groups.items():
        idx = [i for i, _ in items]
        for j, pol in enumerate(policies):
            res = _eval_chunk(prep, specs[sc], jobs, pol)
            for key, val in _per_run(prep, specs[sc], res, sc, jobs, R).items():
                out[key][idx, j] = val
    return out


def _check_shifted(D, specs, mu, slope) -> None:
    """Every shifted delay positive, and small enough that thresholds and sums stay finite."""
    import sys

    lo = min(float(s["shifts"].min()) for s in specs.values())
    hi = max(float(s["shifts"].max()) for s in specs.values())
    if (D + lo <= 0).any():
        raise SGCError(
            "delays shifted to the schemes' loads become non-positive; use a smaller slope"
        )
    with np.errstate(over="ignore", invalid="ignore"):
        top = float(D.max()) + hi
    limit = sys.float_info.max / ((1.0 + mu) * D.shape[1] * 4.0)
    if not np.isfinite(top) or top > limit:
        raise SGCError(
            f"slope={slope:g}: delays shifted to the schemes' loads reach {top:.3g} s, beyond "
            f"{limit:.3g} s (round times and their sums must stay finite); use a smaller slope"
        )


def _per_run(prep, spec, res, sc, jobs, R) -> dict:
    """Runtime (as :func:`simulate` sums it), violations and fallback time of one chunk."""
    from ._sweep_engine import _times

    kc = prep.candidates(spec["shifts"])
    ideal = _times(prep, spec["shifts"], kc, kc)
    e = res["e"] if sc != "nocoding" else np.zeros_like(kc)
    times = _times(prep, spec["shifts"], kc, e)
    last = res["rounds"] - 1
    inside = np.arange(R)[None, :] <= last[:, None]
    bad = (e != kc) & inside
    # the runtime as simulate() sums it (math.fsum of the round times)
    rt = [math.fsum(times[c, : last[c] + 1]) for c in range(kc.shape[0])]
    return {
        "runtime": np.where(res["failed"], np.nan, rt),
        "violations": bad.sum(axis=1) / (last + 1),
        "fallback": np.where(bad, times - ideal, 0.0).sum(axis=1) / jobs,
    }


def optimal_runs(D, configs, *, jobs, mu, slope, probe_load, max_work):
    """Offline-optimal runtimes of the first ``jobs`` jobs (NaN and a reason where unreachable)."""
    from .optimal import BudgetError
    from .runtime import simulate

    vals, why = np.full(len(configs), np.nan), [None] * len(configs)
    for c, (sc, params) in enumerate(configs):
        T = config_delay(sc, D.shape[0], params)
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
