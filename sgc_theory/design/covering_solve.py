"""Solving the set-enumeration covering LP/ILP (:mod:`sgc_theory.design.covering_lp`).

Exactness of ``load_fraction``
    For the ILP the load is exact by construction (integer solution, checked exactly).  For the
    LP we round the float optimum with :meth:`fractions.Fraction.limit_denominator` and certify
    it in exact rational arithmetic from both sides: a rounded *primal* solution that satisfies
    every constraint exactly proves ``L* <= p/q``, and a rounded *dual* solution that is exactly
    dual-feasible proves ``L* >= p/q`` (weak duality).  ``DesignResult.exact`` tells whether both
    certificates were found; otherwise ``load_fraction`` is only the rounded float.

"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction

import pulp

from ..lp.solvers import default_solver, get_solver
from ..rationals import load_json
from .covering_lp import CoveringLP

__all__ = ["DesignResult", "solve"]


@dataclass
class DesignResult:
    """Outcome of :func:`solve`.

    ``load_fraction`` is exact when ``exact`` is True (see the module docstring for how).
    """

    status: str
    load: float
    load_fraction: Fraction | None
    exact: bool
    certificate: str
    variables: int
    constraints: int
    solver: str
    seconds: float
    lp: CoveringLP
    #: for an integer design, the LP optimum (the best fractional design, its exact lower end)
    #: and the LP's full result, both set by :func:`sgc_theory.design.design`
    lp_bound: Fraction | None = None
    lp_result: object = None

    def as_dict(self) -> dict:
        """JSON-ready: the loads (``load``, exact only when ``exact``; ``lp_optimum``) as
        :func:`~sgc_theory.rationals.load_json`."""
        return {
            "load": load_json(self.load_fraction),
            "status": self.status,
            "exact": self.exact,
            "variables": self.variables,
            "constraints": self.constraints,
            "solver": self.solver,
            "lp_optimum": load_json(self.lp_bound),
        }


def solve(
    lp: CoveringLP, solver: str | None = None, time_limit=None, certify: bool = True
) -> DesignResult:
    """Solve a :class:`CoveringLP` with ``solver`` (``"cbc"`` or ``"highs"``).

    The default (``None``) is HiGHS when highspy is installed, else CBC.  ``status`` is
    ``"optimal"``, ``"feasible"`` (time limit reached with an integer solution: its load is an
    upper bound), ``"infeasible"``, ``"not solved"``, ...

    Raises :class:`~sgc_theory.errors.SolverUnavailableError` for an unknown or missing solver.
    """
    solver = default_solver() if solver is None else solver
    # integer designs: loads move in steps of 1/K, so an absolute gap below half a step (and
    # no relative gap) makes the solver's "optimal" exact
    s = get_solver(solver, time_limit, gap_abs=0.5 / lp.partitions if lp.partitions else None)
    t0 = time.perf_counter()
    lp.problem.solve(s)
    secs = time.perf_counter() - t0
    status = _status(lp.problem)
    load = pulp.value(lp.L) if status in ("optimal", "feasible") else float("nan")
    frac, exact, cert = None, False, "no solution"
    if status == "feasible" and lp.partitions:  # time limit: best integer solution found
        frac, exact, cert = _certify_ilp(lp)
        cert += " (time limit reached: an upper bound, optimality not proven)"
    elif status == "feasible":
        frac, exact, cert = (
            Fraction(load).limit_denominator(10**4),
            False,
            "time limit reached: rounded float of a feasible solution",
        )
    if status == "optimal":
        if lp.partitions:
            frac, exact, cert = _certify_ilp(lp)
        elif certify:
            frac, exact, cert = _certify_lp(lp, load)
        else:
            frac, exact, cert = Fraction(load).limit_denominator(10**4), False, "rounded float"
    return DesignResult(
        status=status,
        load=float(load),
        load_fraction=frac,
        exact=exact,
        certificate=cert,
        variables=lp.num_variables,
        constraints=lp.num_constraints,
        solver=solver,
        seconds=secs,
        lp=lp,
    )


def _status(problem) -> str:
    """``optimal``, ``feasible`` (time limit with an integer solution), or PuLP's status."""
    if problem.sol_status == pulp.LpSolutionOptimal:
        return "optimal"
    if problem.sol_status == pulp.LpSolutionIntegerFeasible:
        return "feasible"
    if problem.status == pulp.LpStatusOptimal:  # pragma: no cover - solver without sol_status
        return "not solved to optimality"
    return pulp.LpStatus[problem.status].lower()


def _certify_ilp(lp):
    K = lp.partitions
    val = {v: round(v.varValue or 0.0) for v in lp.problem.variables() if v is not lp.L}
    for coefs, rhs in lp.equalities:
        if sum(c * val.get(v, 0) for v, c in coefs.items()) != rhs:
            return (
                Fraction(pulp.value(lp.L)).limit_denominator(K),
                False,
                "rounded integer solution violates an equality",
            )
    if any(x < 0 or x > K for x in val.values()):
        return Fraction(pulp.value(lp.L)).limit_denominator(K), False, "bounds violated"
    worst = max(
        sum(c * val.get(v, 0) for v, c in coefs.items() if v is not lp.L) for coefs in lp.loads
    )
    return Fraction(worst, K), True, "integer solution checked exactly"


def _certify_lp(lp, load):
    """Exact two-sided certificate of the rounded LP optimum (see module docstring)."""
    Lvar = lp.L
    cons = list(lp.problem.constraints.values())
    neq = len(lp.equalities)
    eq_cons, load_cons = cons[:neq], cons[neq:]
    for D in (10**3, 10**4, 10**6):
        cand = Fraction(load).limit_denominator(D)
        # primal: a feasible y with max load row == cand
        y = {
            v: Fraction(v.varValue or 0.0).limit_denominator(D)
            for v in lp.problem.variables()
            if v is not Lvar
        }
        primal = all(
            sum(c * y.get(v, 0) for v, c in coefs.items()) == rhs for coefs, rhs in lp.equalities
        ) and all(x >= 0 for x in y.values())
        if primal:
            worst = max(
                sum(c * y.get(v, 0) for v, c in coefs.items() if v is not Lvar)
                for coefs in lp.loads
            )
            primal = worst == cand
        # dual: u (equalities), w >= 0 (load rows), sum w <= 1, A^T u <= C^T w columnwise
        u = [Fraction(c.pi or 0.0).limit_denominator(D) for c in eq_cons]
        w = [abs(Fraction(c.pi or 0.0).limit_denominator(D)) for c in load_cons]
        sw = sum(w)
        if sw > 1:
            w = [x / sw for x in w]

        def dual_check(u, w=w):
            """Is (u, w) exactly dual feasible (A^T u <= C^T w columnwise)? and its value."""
            col = {}
            for ui, (coefs, _) in zip(u, lp.equalities):
                if ui:
                    for v, c in coefs.items():
                        col[v] = col.get(v, 0) + ui * c
            for wi, coefs in zip(w, lp.loads):
                if wi:
                    for v, c in coefs.items():
                        if v is not Lvar:
                            col[v] = col.get(v, 0) - wi * c
            return (
                all(x <= 0 for x in col.values()),
                sum(ui * rhs for ui, (_, rhs) in zip(u, lp.equalities)),
            )

        dual_ok, lower = dual_check(u)
        if not dual_ok:  # solvers may report duals with the opposite sign convention
            dual_ok, lower = dual_check([-x for x in u])
        dual = dual_ok and lower == cand
        if primal and dual:
            return cand, True, "exact primal and dual certificates"
    cand = Fraction(load).limit_denominator(10**4)
    return cand, False, "rounded float optimum (certificate not found)"
