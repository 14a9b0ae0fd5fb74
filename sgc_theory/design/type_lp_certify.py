"""Exact certificates of the covering LP by worker types (:mod:`sgc_theory.design.type_lp`).

The float optimum of HiGHS (:mod:`~sgc_theory.design.type_lp_solve`) is turned into an exact
bracket ``lower <= L* <= upper``.

Certificates
------------
The float optimum of HiGHS is turned into an exact bracket ``lower <= L* <= upper``:

* **upper**: the rounded primal is repaired in exact rationals, age by age (each orbit's
  incoming uncovered mass is redistributed over its set orbits in the solver's proportions), so
  it is an exactly feasible scheme; ``upper`` is its exact largest load;
* **lower**: weak duality.  For any weights ``w >= 0`` on the load rows with ``sum w <= 1`` (the
  solver's duals, rounded), the prices ``pi[d, H, j] = (sum of w over the rows that contain
  v[d, H, j]) / c_j`` and, backwards from age ``T``, ``u[d, H] = min_a (sum_j a_j pi_j +
  sum_children U(a, s) u[d + 1, H'])`` are dual feasible, so ``sum_H u[0, H] <= L*``.  The
  minimum runs over **every** set orbit in the boxes above (any size), in exact arithmetic
  (a float screen with a proven error margin picks the candidates): this is what certifies that
  larger worker sets cannot help.  With ``max_replication=r`` the same computation restricted
  to sets of at most ``r`` workers brackets the restricted optimum.

When ``lower == upper`` the optimum is exact.

"""

from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np

from .type_lp import TypeLP
from .type_lp_pricing import Pricer

__all__ = ["certify_run", "floor_bounds", "exact_dual", "EXACT_VERTEX_ROWS"]

#: recover the exact optimal vertex from the basis up to this many rows (else an exact bracket)
EXACT_VERTEX_ROWS = 80_000


def certify_run(run, status: str, met_bound: bool) -> tuple:
    """Exact ``(upper, lower, lower_any, certificate)``: an exact primal meeting the known bound,
    else the exact vertex of the final basis, else the rounded primal and duals."""
    lp = run.lp
    primal = _primal_rounder(run)
    if met_bound and run.has_x():
        for D in (10**4, 10**6, 10**9, 10**12):
            cand = primal(D)
            if cand is not None and cand == run.known:
                cert = (
                    f"an exactly feasible scheme meets the {run.known_name} bound (a lower bound "
                    "on every scheme)"
                )
                return run.known, run.known, run.known, cert
    upper = lower = lower_any = None
    left = None if run.deadline is None else run.deadline - time.perf_counter()
    if (
        status == "optimal"
        and run.solver == "highs"
        and lp.num_rows <= EXACT_VERTEX_ROWS
        and (left is None or left > 1)
    ):
        seconds = 30.0 if left is None else min(30.0, left)
        upper, lower, wq = _exact_from_basis(lp, run.hl, run.v_keys, seconds)
        if upper is not None and lower is not None and upper == lower:
            lower_any = lower if lp.max_replication is None else exact_dual(lp, wq, None)
            cert = "exact vertex (iterative refinement, checked) with a matching dual bound"
            return upper, lower, lower_any, cert
    if run.has_x() and status in ("optimal", "time limit"):
        return _certify_by_rounding(run, primal, upper, lower)
    return upper, lower, lower_any, "not certified"


def _primal_rounder(run):
    """``primal(D)``: the exact load of the solver's primal repaired with denominators up to
    ``D`` (each ``D`` computed once)."""
    rounded: dict = {}

    def primal(D):
        if D not in rounded:
            rounded[D] = _exact_primal(run.lp, run.hl.x[run.fixed :], D)
        return rounded[D]

    return primal


def _certify_by_rounding(run, primal, upper, lower) -> tuple:
    """Round the solver's primal and duals into an exact bracket, keeping the best of each
    side (and of ``upper``/``lower`` found before); ``(upper, lower, lower_any, certificate)``."""
    lp = run.lp
    w = -run.hl.row_dual[lp.eq_rows :]
    # round the solver's primal and dual with small denominators first (they hit the exact
    # vertex when it is simple), then finer ones; keep the best of each side
    late = run.deadline is not None and time.perf_counter() > run.deadline
    for D in (10**12,) if late else (10**4, 10**6, 10**9, 10**12):
        cand = primal(D)
        if cand is not None and (upper is None or cand < upper):
            upper = cand
        low = exact_dual(lp, w, lp.max_replication, D)
        if low is not None and (lower is None or low > lower):
            lower = low
        if upper is not None and upper == lower:
            break
    lower_any = lower if lp.max_replication is None else exact_dual(lp, w, None)
    known = run.known
    if known is not None and (lower is None or known > lower):
        lower = known  # valid for every scheme, so for this LP too
        if lower_any is None or known > lower_any:
            lower_any = known
    cert = "not certified"
    if upper is not None and lower is not None:
        cert = (
            "exact primal and dual certificates agree"
            if upper == lower
            else f"exact bracket of width {float(upper - lower):.2g}: a feasible scheme of "
            f"load {float(upper):.12g} and a dual bound {float(lower):.12g}"
        )
    return upper, lower, lower_any, cert


def floor_bounds(lower, lower_any, known, upper):
    """Raise the reported lower bounds to the closed-form bound ``known`` (valid for every
    scheme, hence for every restriction of the LP too).

    ``lower_any`` (sets of any size) comes from the duals of the LP restricted to small sets,
    re-priced over every set orbit.  That is a valid weak-duality bound, but those duals were
    optimal for the restricted columns only: re-pricing lets the large sets make every ``u``
    cheap, and the bound can fall far below the counting bound (5/1688 against 2/121 at
    n = 64, bursty(1, 2, 7), T = 1, pairs only).  Reporting the larger of the two keeps every
    bound valid and never weaker than one already known."""
    if known is None:
        return lower, lower_any
    if lower_any is None or known > lower_any:
        lower_any = known
    if lower is not None and known > lower and (upper is None or known <= upper):
        lower = known
    return lower, lower_any


def _exact_from_basis(lp: TypeLP, hl, v_keys, seconds: float = 30.0):
    """``(upper, lower, w)`` from the exact optimal vertex of HiGHS's final basis
    (:func:`sgc_theory.lp.exact.exact_vertex`): ``upper`` its exact load when it is exactly
    primal feasible, ``lower`` the weak-duality bound of its exact row duals (every set orbit
    priced), ``w`` those duals on the load rows; ``None`` entries when a step fails."""
    from ..lp.exact import exact_vertex

    nv = len(v_keys)
    load_rows = range(lp.eq_rows, lp.num_rows)

    def column(j):
        if j < nv:
            nid, t = v_keys[j]
            return [(lp.nodes[nid].def_rows[t], Fraction(lp.nodes[nid].counts[t]))] + [
                (r, Fraction(1)) for r in lp.v_rows[(nid, t)]
            ]
        if j == nv:
            return [(r, Fraction(-1)) for r in load_rows]
        nid, a = lp.columns[j - nv - 1]
        node = lp.nodes[nid]
        ent = [(node.row, Fraction(1))]
        for cid, s in node.children:
            u = lp.coefficient(node, a, s)
            if u:
                ent.append((lp.nodes[cid].row, -u))
        ent += [(r, Fraction(-x)) for r, x in zip(node.def_rows, a) if x]
        return ent

    n0 = len(lp.node_id[0])
    bounds = (
        [(Fraction(1), Fraction(1))] * n0
        + [(Fraction(0), Fraction(0))] * (lp.eq_rows - n0)
        + [(None, Fraction(0))] * (lp.num_rows - lp.eq_rows)
    )
    try:
        got = exact_vertex(
            hl.h, column, bounds, lambda j: Fraction(1 if j == nv else 0), seconds=seconds
        )
    except Exception:  # pragma: no cover - numerical trouble: fall back to the bracket
        got = None
    if got is None:
        return None, None, None
    x, y = got
    upper = None
    if all(v >= 0 for v in x.values()):
        act = [Fraction(0)] * lp.num_rows
        for j, v in x.items():
            if v:
                for r, a in column(j):
                    act[r] += a * v
        if all(
            (lo is None or lo <= a) and (up is None or a <= up) for a, (lo, up) in zip(act, bounds)
        ):
            upper = x.get(nv, Fraction(0))
    w = [-y[r] for r in load_rows]
    lower = None
    if all(v >= 0 for v in w) and sum(w) <= 1:
        lower = exact_dual(lp, w, lp.max_replication)
    return upper, lower, w


def _exact_primal(lp: TypeLP, x, denominator: int = 10**12) -> Fraction | None:
    """Repair the solver's ``z`` into an exactly feasible solution; its exact largest load."""
    by_node: dict = {}
    for k, (nid, a) in enumerate(lp.columns):
        by_node.setdefault(nid, []).append((a, max(0.0, float(x[k]))))
    inflow = {nid: Fraction(1) for nid in lp.node_id[0].values()}
    z: dict = {}
    for nid, node in enumerate(lp.nodes):  # nodes are stored age by age
        m = inflow.get(nid, Fraction(0))
        cols = by_node.get(nid, [])
        if m:
            q = [(a, Fraction(v).limit_denominator(denominator)) for a, v in cols]
            tot = sum(v for _, v in q)
            if tot == 0:
                if not cols:
                    return None
                a0 = max(cols, key=lambda t: t[1])[0]
                q, tot = [(a0, Fraction(1))], Fraction(1)
            vals = [(a, m * v / tot) for a, v in q if v]
        else:
            vals = []
        z[nid] = vals
        for cid, s in node.children:
            add = sum((lp.coefficient(node, a, s) * v for a, v in vals), Fraction(0))
            if add:
                inflow[cid] = inflow.get(cid, Fraction(0)) + add
    # deadline: every column at age T is safe by construction; loads
    v: dict = {}
    for nid, vals in z.items():
        node = lp.nodes[nid]
        for j, c in enumerate(node.counts):
            tot = sum((val * a[j] for a, val in vals if a[j]), Fraction(0))
            if tot:
                v[(nid, j)] = tot / c
    worst = Fraction(0)
    rows: dict = {}
    for (nid, j), lrows in lp.v_rows.items():
        val = v.get((nid, j))
        if val:
            for r in lrows:
                rows[r] = rows.get(r, Fraction(0)) + val
    if rows:
        worst = max(rows.values())
    return worst


def exact_dual(lp: TypeLP, w, total, denominator: int = 10**12) -> Fraction | None:
    """Weak-duality lower bound from load-row weights ``w`` (see the module docstring)."""
    if isinstance(w, list) and w and isinstance(w[0], Fraction):  # exact weights
        wq = [x if x > 0 else Fraction(0) for x in w]
    else:
        w = np.clip(np.nan_to_num(np.asarray(w, dtype=float)), 0.0, None)
        if w.sum() <= 0:
            return Fraction(0)
        wq = [Fraction(x).limit_denominator(denominator) if x > 0 else Fraction(0) for x in w]
    sw = sum(wq)
    if sw > 1:
        wq = [x / sw for x in wq]
    base = lp.eq_rows
    pi_exact: list = []
    for nid, node in enumerate(lp.nodes):
        pis = []
        for j, c in enumerate(node.counts):
            rows = lp.v_rows.get((nid, j), ())
            pis.append(sum((wq[r - base] for r in rows), Fraction(0)) / c)
        pi_exact.append(pis)
    # u[nid] = None stands for +infinity: no allowed set can ever cover data at that node (its
    # dual constraint does not exist), so data must never reach it
    u: dict = {}
    uf = np.zeros(len(lp.nodes))
    for nid in range(len(lp.nodes) - 1, -1, -1):  # children come after their parents
        node = lp.nodes[nid]
        pr = Pricer(lp, node, total)
        if pr.prepare(pi_exact[nid]) == 0:
            u[nid], uf[nid] = None, math.inf
            continue
        pif = [float(p) for p in pi_exact[nid]]
        f = pr.floats(pif, uf)
        fmin = float(f.min())
        if math.isinf(fmin):
            u[nid], uf[nid] = None, math.inf
            continue
        cand = np.flatnonzero(f <= fmin * (1 + 1e-9) + 1e-300)
        vals = [pr.exact(tuple(int(x) for x in pr.points[k]), pi_exact[nid], u) for k in cand]
        best = min(v for v in vals if v is not None)
        # every other point has float value > fmin (1 + 1e-9); all terms are >= 0, so its exact
        # value exceeds fmin (1 + 1e-9)(1 - 1e-12) > best: `best` is the exact minimum.
        u[nid] = best
        uf[nid] = float(best)
    starts = [u[nid] for nid in lp.node_id[0].values()]
    if any(x is None for x in starts):
        return None  # some job can never be covered: the LP is infeasible
    return sum(starts, Fraction(0))
