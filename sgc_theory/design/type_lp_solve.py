"""Solving the covering LP by worker types (:mod:`sgc_theory.design.type_lp`).

:func:`solve_type_lp` runs column generation on HiGHS (or CBC on the exported problem): it starts
from set orbits of at most two workers (or ``max_replication``), prices every useful set orbit
of every node under the current duals (:mod:`~sgc_theory.design.type_lp_pricing`), adds those of
negative reduced cost, and stops when none is left, when the LP meets a bound valid for every
scheme, or at the time limit / work budget.  The float optimum is then certified exactly
(:mod:`~sgc_theory.design.type_lp_certify`).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import SGCError
from ..lp.highs import HighsLP, check_time_limit
from .lower import every_scheme_bound
from .type_lp import TypeLP, TypeLPResult
from .type_lp_certify import certify_run, floor_bounds
from .type_lp_pricing import Pricer

__all__ = ["solve_type_lp", "IPM_ROWS"]

#: first solve by interior point above this many rows (simplex below, and after it)
IPM_ROWS = 20_000


def solve_type_lp(
    lp: TypeLP,
    solver: str = "highs",
    time_limit=None,
    certify: bool = True,
    progress: bool = False,
    max_rounds: int = 200,
    initial_size: int = 2,
    use_known_bound: bool = True,
) -> TypeLPResult:
    """Solve a :class:`TypeLP` by column generation and certify the optimum exactly.

    ``solver`` is ``"highs"`` (HiGHS through highspy, the default and the fast route) or
    ``"cbc"`` (PuLP's CBC on the exported problem; small instances).  ``use_known_bound=False``
    reports the LP's own certificates only (no early stop at, or raising to, the closed-form
    bound).
    """
    time_limit = check_time_limit(time_limit)
    solver = str(solver).lower()
    if solver not in ("highs", "cbc"):
        raise SGCError(f"solver must be 'highs' or 'cbc' (got {solver!r})")
    run = _open_run(lp, solver, time_limit, initial_size)
    if use_known_bound:
        run.known, run.known_name = every_scheme_bound(lp.model)
    status, rounds, met_bound = _generate_columns(run, max_rounds, progress)
    load = run.hl.objective if status == "optimal" else math.nan
    if run.has_x():
        _store_solution(run)
    upper = lower = lower_any = None
    cert = "not certified"
    if certify:
        upper, lower, lower_any, cert = certify_run(run, status, met_bound)
    lower, lower_any = floor_bounds(lower, lower_any, run.known, upper)
    exact = upper is not None and upper == lower
    stopped = status == "time limit"
    status = _final_status(status, exact, upper, lower, run.budget_deadline)
    if stopped:
        load = float(upper) if upper is not None else math.nan
    return TypeLPResult(
        status=status,
        load=float(load) if not math.isnan(load) else load,
        upper=upper,
        lower=lower,
        lower_any_size=lower_any,
        exact=exact,
        certificate=cert,
        variables=lp.num_variables,
        constraints=lp.num_constraints,
        rounds_of_generation=rounds,
        seconds=time.perf_counter() - run.t0,
        lp=lp,
    )


@dataclass
class _Run:
    """One solve of a :class:`TypeLP`: the HiGHS problem, its fixed columns, the deadlines and
    the closed-form bound it may stop at."""

    lp: TypeLP
    solver: str
    hl: HighsLP
    v_keys: list  # (node id, type position) of every v column, in column order
    t0: float
    deadline: float | None
    budget_deadline: float | None  # the deadline, when it is the work budget's
    known: Fraction | None = None
    known_name: str = ""

    @property
    def fixed(self) -> int:
        """Number of fixed columns (every ``v``, then ``L``) before the ``z`` columns."""
        return len(self.v_keys) + 1

    def has_x(self) -> bool:
        """Whether the solver returned a value for every column."""
        return self.hl.x.size == self.fixed + len(self.lp.columns)


def _deadlines(lp: TypeLP, t0: float, time_limit) -> tuple:
    """``(deadline, budget_deadline)`` of a solve started at ``t0``.

    The work budget meters the solve too: one work unit is about a microsecond, so the solver's
    wall time counts against what is left of it (column generation has no tight a-priori cost;
    this is what makes every request end).  ``budget_deadline`` is set when the budget, not
    ``time_limit``, ends the solve first."""
    deadline = None if time_limit is None else t0 + time_limit
    budget_deadline = None
    if math.isfinite(lp.meter.limit):
        budget_deadline = t0 + max(1.0, (lp.meter.limit - lp.meter.used) / 1e6)
        if deadline is None or budget_deadline < deadline:
            deadline = budget_deadline
        else:
            budget_deadline = None
    return deadline, budget_deadline


def _open_run(lp: TypeLP, solver: str, time_limit, initial_size: int) -> _Run:
    """Hand the LP's rows, its fixed columns and its initial set orbits to HiGHS."""
    from ..budget import check_work

    # estimated before the columns are built (they cost about as much as their rows)
    check_work(
        lp.num_rows * 100,
        f"solving the covering LP by worker types ({lp.num_rows} rows)",
        cheaper="a smaller T or P (--P), or --max-replication",
    )
    t0 = time.perf_counter()
    deadline, budget_deadline = _deadlines(lp, t0, time_limit)
    n0 = len(lp.node_id[0])
    row_lo = [1.0] * n0 + [0.0] * (lp.eq_rows - n0) + [-math.inf] * (lp.num_rows - lp.eq_rows)
    row_up = [1.0] * n0 + [0.0] * (lp.num_rows - n0)
    hl = HighsLP(row_lo, row_up, time_limit)
    # fixed columns: v (per node and type) then L
    v_keys = list(lp.v_rows)
    hl.add_columns(
        [0.0] * len(v_keys),
        [
            [(lp.nodes[nid].def_rows[j], float(lp.nodes[nid].counts[j]))]
            + [(r, 1.0) for r in lp.v_rows[(nid, j)]]
            for nid, j in v_keys
        ],
    )
    hl.add_columns([1.0], [[(r, -1.0) for r in range(lp.eq_rows, lp.num_rows)]])
    run = _Run(lp, solver, hl, v_keys, t0, deadline, budget_deadline)
    _add_columns(run, lp.initial_columns(initial_size))
    return run


def _add_columns(run: _Run, cols) -> int:
    """Add the set-orbit columns ``(node id, a)`` not in the LP yet; how many were new."""
    lp = run.lp
    cols = [c for c in cols if c not in lp._col_index]
    for c in cols:
        lp._col_index[c] = len(lp.columns)
        lp.columns.append(c)
    run.hl.add_columns([0.0] * len(cols), [lp.column_entries(nid, a) for nid, a in cols])
    return len(cols)


def _generate_columns(run: _Run, max_rounds: int, progress: bool) -> tuple[str, int, bool]:
    """Column generation: solve, price every node, add the set orbits of negative reduced
    cost, until none is left (or a stop); ``(status, rounds, met the known bound)``."""
    lp, hl = run.lp, run.hl
    pricers = [Pricer(lp, node, lp.max_replication) for node in lp.nodes]
    met_bound = False
    rounds = 0
    status = "not solved"
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc="column generation", unit=" rounds", leave=False)
    try:
        while True:
            _solve_once(run, rounds)
            status = hl.status
            rounds += 1
            if bar is not None:
                bar.update(1)
                bar.set_postfix(columns=len(lp.columns), load=f"{hl.objective:.6g}")
            if status != "optimal" or rounds >= max_rounds:
                break
            if run.deadline is not None and time.perf_counter() > run.deadline:
                status = "time limit"
                break
            if run.known is not None and hl.objective <= float(run.known) * (1 + 1e-12):
                # the restricted LP already meets a bound valid for every scheme: no column
                # can improve it (checked exactly in certify_run, on the exact primal)
                met_bound = True
                break
            new = _price(lp, hl, pricers)
            if not new:
                break
            _add_columns(run, new)
    finally:
        if bar is not None:
            bar.close()
    return status, rounds, met_bound


def _solve_once(run: _Run, rounds: int) -> None:
    """One solve of the current columns within what is left of the deadline."""
    if run.deadline is not None:
        run.hl.h.setOptionValue("time_limit", max(1e-3, run.deadline - time.perf_counter()))
    if run.solver == "highs":
        # a large cold start goes faster by interior point; later rounds warm-start
        run.hl.solve("ipm" if rounds == 0 and run.lp.num_rows > IPM_ROWS else "simplex")
    else:
        _solve_cbc(run.lp, run.hl, run.deadline)


def _price(lp: TypeLP, hl, pricers: list) -> list:
    """The new columns: at every node, up to four set orbits of most negative reduced cost."""
    u, pis = _duals(lp, hl)
    new = []
    for nid, node in enumerate(lp.nodes):
        pr = pricers[nid]
        if pr.prepare(pis[nid]) == 0:
            continue
        lp.meter.charge(pr.points.shape[0] * (1 + len(node.children)) // 20 + 1)
        f = pr.floats(pis[nid], u)
        rc = f - u[nid]
        tol = 1e-9 * max(1.0, abs(u[nid]))
        bad = np.flatnonzero(rc < -tol)
        if bad.size:
            best = bad[np.argsort(rc[bad])[:4]]
            for k in best:
                a = tuple(int(x) for x in pr.points[k])
                if (nid, a) not in lp._col_index:
                    new.append((nid, a))
    return new


def _store_solution(run: _Run) -> None:
    """Keep the solver's ``z`` masses and per-worker loads on the LP (``support()``)."""
    lp, hl, fixed = run.lp, run.hl, run.fixed
    lp.solution = {c: float(v) for c, v in zip(lp.columns, hl.x[fixed:]) if v > 1e-15}
    lp.loads = {k: float(v) for k, v in zip(run.v_keys, hl.x[: len(run.v_keys)])}


def _final_status(status: str, exact: bool, upper, lower, budget_deadline) -> str:
    """The reported status: ``optimal (float)`` when only the float optimum is certain, and a
    stop says whether the time limit or the work budget ended it."""
    if status == "optimal" and not exact and upper is not None and lower is not None:
        status = "optimal (float)" if float(upper - lower) > 1e-9 * float(upper) else "optimal"
    if status == "time limit":
        status = (
            "stopped early (work budget: raise it with --max-work N, Python: max_work=N)"
            if budget_deadline is not None
            else "stopped early (time limit)"
        )
    return status


def _solve_cbc(lp, hl, deadline):  # pragma: no cover - exercised on small cases in tests
    import pulp

    from ..lp.solvers import get_solver

    prob = lp.to_pulp()
    tl = None if deadline is None else max(1, int(deadline - time.perf_counter()))
    prob.solve(get_solver("cbc", tl))
    names = {v.name: v.varValue or 0.0 for v in prob.variables()}
    nv = len(lp.v_rows)
    x = (
        [names.get(f"v{k}", 0.0) for k in range(nv)]
        + [names.get("L", 0.0)]
        + [names.get(f"z{k}", 0.0) for k in range(len(lp.columns))]
    )
    hl.x = np.array(x)
    cons = prob.constraints
    hl.row_dual = np.array(
        [cons[f"r{r}"].pi or 0.0 if f"r{r}" in cons else 0.0 for r in range(lp.num_rows)]
    )
    hl.objective = pulp.value(prob.objective)
    hl.status = (
        "optimal" if prob.status == pulp.LpStatusOptimal else pulp.LpStatus[prob.status].lower()
    )


def _duals(lp, hl):
    """Node duals ``u`` (per node id) and type prices ``pi`` (per node, per type) in floats."""
    y = hl.row_dual
    u = np.array([y[node.row] for node in lp.nodes])
    pis = [np.array([y[r] for r in node.def_rows]) for node in lp.nodes]
    return u, pis
