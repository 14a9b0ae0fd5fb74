"""The sweep's optimal policy: a branch and bound over one family's configurations, pruned by lower
bounds (cheapest admitted sets per round, disjoint blocks, a relaxed two-round model) and settled
by the exact dynamic program of :mod:`sgc_theory.simulate.optimal`.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import SGCError
from ._sweep_engine import _lower_bounds
from ._sweep_families import _params, _scheme_of


_LAM_GRID = (
    1,
    2,
    3,
    4,
    5,
    6,
    8,
    10,
    12,
    14,
    16,
    20,
    24,
    28,
    32,
    40,
    48,
    56,
    64,
    80,
    96,
    128,
    160,
    192,
    256,
)


def _relaxed_bounds(prep, spec, jobs, idx, max_dp_work):
    """Stronger lower bounds for the configurations ``idx`` of a bursty-designed family.

    Bursty(B, W, lam) patterns (W >= 2) are also patterns of the two-round window model
    ``R_lam`` = bursty(1, 2, lam) for ``B = 1`` and bursty(2, 2, lam) (at most ``lam`` distinct
    stragglers in any two consecutive rounds) for ``B >= 2``; a larger ``lam`` only relaxes it
    further. So the least cost of an ``R_g`` pattern (``g >= lam`` on a fixed grid) over the
    rounds every run needs, at the family's smallest load shift ``a``, plus ``rounds x (shift -
    a)`` (a path at a larger shift maps to one at shift ``a`` with the same sets, each round
    ``shift - a`` shorter), bounds the configuration's optimum from below.
    """
    from ..models import Bursty
    from .optimal import BudgetError, relaxed_prefix

    n = prep.n
    bwl = _bursty_params(spec)
    if bwl is None:
        return {}
    Bm, Wm, lm = bwl
    ref = float(spec["shifts"].min())
    Dref = prep.D + ref
    Rmax = int(spec["end_min"].max()) + 1
    cache = {}
    out = {}
    for c in idx:
        if Wm[c] < 2:
            continue
        rb = 1 if Bm[c] == 1 else 2
        g = next((x for x in _LAM_GRID if x >= lm[c]), n)
        g = min(g, n)
        key = (rb, g)
        if key not in cache:
            try:
                cache[key] = relaxed_prefix(
                    Dref, prep.mu, Bursty(n, rb, 2, g), Rmax, max_work=max_dp_work
                )
            except BudgetError:
                cache[key] = None
        pref = cache[key]
        if pref is None:
            continue
        e = int(spec["end_min"][c])
        out[c] = pref[e] + (e + 1) * (float(spec["shifts"][c]) - ref)
    return out


def _bursty_params(spec):
    """``(B, W, lam)`` arrays of a family's design models when they are bursty, else ``None``."""
    if spec["kind"] in ("srsgc", "msgc", "brsgc"):
        return spec["P"][:, 0], spec["P"][:, 1], spec["P"][:, 2]
    if spec["kind"] == "generic" and spec.get("mkind") == "bursty":
        return tuple(spec["mpar"][:, j] for j in range(3))
    return None


def _block_bounds(prep, spec, idx):
    """Lower bounds from disjoint blocks of ``W`` rounds (bursty-designed families).

    In every window of ``W`` rounds of a bursty(B, W, lam) pattern, sets of rounds at least
    ``B`` apart are disjoint, so for each residue class modulo ``B`` inside a block of ``W``
    consecutive rounds the set sizes add up to at most ``lam``. Dropping every other constraint
    leaves independent knapsacks (per class: choose a cut-off per round, total size ``<= lam``,
    least total time), solved for every ``lam`` at once at the group's smallest load shift ``a``;
    a configuration at shift ``x`` adds ``rounds x (x - a)`` (see :func:`_relaxed_bounds`).
    """
    from .optimal import round_options

    bwl = _bursty_params(spec)
    if bwl is None:
        return {}
    Bm, Wm, lm = bwl
    out = {}
    groups = {}
    for c in idx:
        groups.setdefault((int(Bm[c]), int(Wm[c]), int(spec["end_min"][c])), []).append(c)
    for (B, W, e), cs in groups.items():
        ref = float(min(spec["shifts"][c] for c in cs))
        L = int(max(lm[c] for c in cs))
        opts = [round_options(prep.D[:, r] + ref, prep.mu, L) for r in range(e + 1)]
        total = np.zeros(L + 1)
        for start in range(0, e + 1, W):
            for rho in range(B):
                f = np.zeros(L + 1)
                for r in range(start + rho, min(start + W, e + 1), B):
                    g = np.full(L + 1, np.inf)
                    for k, t in zip(opts[r].cuts, opts[r].times):
                        if k <= L:
                            np.minimum(g[k:], f[: L + 1 - k] + t, out=g[k:])
                    f = g
                total += f
        for c in cs:
            out[c] = float(total[lm[c]]) + (e + 1) * (float(spec["shifts"][c]) - ref)
    return out


#: per-configuration budget of the optimal dynamic programs inside a sweep, and how many such
#: budgets the whole branch and bound of one scheme may spend
_SWEEP_DP_WORK = 300_000


_SWEEP_DP_RUNS = 30


#: relative tolerance of the comparisons between runtimes and bounds
_TOL = 1 + 1e-12


def _optimal_family(tr, prep, spec, per, wi, jobs, mu, slope, L0, max_dp_work, progress):
    """Branch and bound for the optimal policy over one scheme's configurations: ``(rows,
    best)``, one table row per configuration and the best entry (``None`` without any run).

    ``per[(wi, policy)]["runtime"]`` holds the online policies' runtimes of the family (NaN where
    a deadline was missed); their minimum is every configuration's upper bound."""
    if spec["kind"] == "nocoding":
        return _optimal_nocoding(spec, float(per[(wi, "paper")]["runtime"][0]))
    max_dp_work = _SWEEP_DP_WORK if max_dp_work is None else max_dp_work
    ub = np.fmin(per[(wi, "paper")]["runtime"], per[(wi, "minimal")]["runtime"])
    lower, order = _pruned_order(prep, spec, jobs, ub, max_dp_work)

    def solve(c):
        return _solve_config(tr, prep, spec, c, jobs, mu, slope, L0, max_dp_work)

    budget = _SWEEP_DP_RUNS * max_dp_work
    value, exact, best = _branch_and_bound(spec, order, lower, ub, solve, budget, progress)
    rows = [_optimal_row(spec, c, value, lower, ub, exact) for c in range(spec["P"].shape[0])]
    return rows, _optimal_best(spec, best, value, ub, lower, exact, order)


def _optimal_nocoding(spec, rt):
    """No coding has one run: its runtime ``rt`` is the optimum (the master waits for all)."""
    row = {
        "scheme": spec["name"],
        "policy": "optimal",
        "params": {},
        "load": float(spec["loads"][0]),
        "T": 0,
        "runtime": rt,
        "lower_bound": rt,
        "upper_bound": rt,
        "exact": True,
    }
    return [row], {"load": row["load"], "runtime": rt, "T": 0, "exact": True}


def _pruned_order(prep, spec, jobs, ub, max_dp_work):
    """``(lower, order)``: every configuration's lower bound (the per-round bound, raised by the
    block and relaxed-model bounds where it does not already exceed the best upper bound) and the
    configurations still worth solving, by increasing bound (the best online one first)."""
    lower = _lower_bounds(prep, spec, jobs)
    incumbent = float(np.nanmin(ub)) if np.isfinite(ub).any() else math.inf
    live = np.flatnonzero(lower <= incumbent * _TOL)
    for c, v in _block_bounds(prep, spec, live).items():
        lower[c] = max(lower[c], v)
    live = np.flatnonzero(lower <= incumbent * _TOL)
    for c, v in _relaxed_bounds(prep, spec, jobs, live, max_dp_work).items():
        lower[c] = max(lower[c], v)
    order = sorted(live, key=lambda c: (lower[c], spec["loads"][c], c))
    if np.isfinite(ub).any():  # the best online configuration first: a real incumbent early
        first = int(np.nanargmin(ub))
        order = [first] + [c for c in order if c != first]
    return lower, order


def _solve_config(tr, prep, spec, c, jobs, mu, slope, L0, max_dp_work):
    """``((optimum, exact, lower bound) or None, transitions spent)`` of configuration ``c``:
    ``None`` beyond the dynamic program's budget or when no run decodes every job in time."""
    from .optimal import BudgetError, optimal_path
    from .runtime import simulate

    sch = _scheme_of(spec, c, prep.n)
    Rc = jobs + int(spec["T"][c])
    spent = 0
    try:
        path = optimal_path(prep.D[:, :Rc] + spec["shifts"][c], mu, sch, jobs, max_work=max_dp_work)
        spent += path.transitions
        if path.exact:  # decoding is part of the dynamic program
            return (path.cost, True, path.cost), spent
        # generic scheme: confirm with its decoder (see simulate)
        r = simulate(
            tr,
            spec["name"],
            jobs=jobs,
            mu=mu,
            policy="optimal",
            slope=slope,
            probe_load=L0,
            scheme_obj=sch,
            max_work=max_dp_work,
        )
        return (r.runtime, r.exact, r.lower_bound), spent
    except BudgetError:
        return None, spent + max_dp_work
    except SGCError:
        return None, spent  # no run of this configuration decodes every job in time


def _branch_and_bound(spec, order, lower, ub, solve, budget, progress):
    """Visit the configurations in ``order`` until their lower bound exceeds the best runtime
    found; ``solve(c)`` runs the dynamic program (``budget`` transitions for all of them).
    Returns ``(value, exact, best)``, with ``best = (runtime, load, c)`` of the fastest proven
    optimum (``None`` without one); ``lower`` is raised in place."""
    from tqdm import tqdm

    C = spec["P"].shape[0]
    value = np.full(C, np.nan)
    exact = np.zeros(C, dtype=bool)
    incumbent = float(np.nanmin(ub)) if np.isfinite(ub).any() else math.inf
    spent, best = 0, None
    bar = tqdm(
        total=len(order), desc=f"optimal {spec['name']}", unit="config", disable=not progress
    )
    for c in order:
        bar.update(1)
        if lower[c] > incumbent * _TOL:
            continue
        if np.isfinite(ub[c]) and ub[c] <= lower[c] * _TOL:
            value[c], exact[c] = ub[c], True  # a valid master attains the lower bound
        elif spent >= budget:
            continue
        else:
            res, cost = solve(c)
            spent += cost
            if res is None:
                continue
            value[c], exact[c], lower[c] = res[0], res[1], max(lower[c], res[2])
        incumbent = min(incumbent, float(value[c]))
        if exact[c]:
            key = (value[c], spec["loads"][c])
            if best is None or key < (best[0], best[1]):
                best = (float(value[c]), float(spec["loads"][c]), int(c))
    bar.close()
    return value, exact, best


def _optimal_row(spec, c, value, lower, ub, exact) -> dict:
    """The ``optimal`` table row of configuration ``c`` (runtime ``None`` where not computed)."""
    return {
        "scheme": spec["name"],
        "policy": "optimal",
        "params": _params(spec, spec["P"][c]),
        "load": float(spec["loads"][c]),
        "T": int(spec["T"][c]),
        "runtime": float(value[c]) if np.isfinite(value[c]) else None,
        "lower_bound": float(lower[c]),
        "upper_bound": float(ub[c]) if np.isfinite(ub[c]) else None,
        "exact": bool(exact[c]),
    }


def _optimal_best(spec, best, value, ub, lower, exact, order):
    """The family's ``best["optimal"]`` entry: the fastest proven optimum, ``exact`` when no
    unresolved configuration could still be faster; without a proven one, the best known run (a
    valid master) with the least lower bound of the visited configurations; ``None`` without
    any run."""
    if best is None:
        known = np.where(np.isfinite(value), value, ub)
        if not np.isfinite(known).any():
            return None
        c = int(np.nanargmin(known))
        lb_all = min(float(lower[j]) for j in order) if order else float(known[c])
        return dict(
            _params(spec, spec["P"][c]),
            load=float(spec["loads"][c]),
            runtime=float(known[c]),
            T=int(spec["T"][c]),
            exact=False,
            lower_bound=lb_all,
            unresolved=int(sum(1 for j in order if not exact[j])),
        )
    c = best[2]
    open_ = [lower[j] for j in order if not exact[j] and np.isfinite(lower[j])]
    lb_best = min([best[0]] + open_)
    return dict(
        _params(spec, spec["P"][c]),
        load=best[1],
        runtime=best[0],
        T=int(spec["T"][c]),
        exact=bool(lb_best >= best[0] * (1 - 1e-12)),
        lower_bound=float(lb_best),
        unresolved=int(sum(1 for j in order if not exact[j] and lower[j] < best[0])),
    )
