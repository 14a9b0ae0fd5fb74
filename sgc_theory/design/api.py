"""One entry point for optimal design: the LP optimum by worker types, or the best integer design.

* ``design(n, model, T)`` -- the least load of any scheme of delay ``T`` that looks back ``P``
  rounds, by the covering LP by worker types (:mod:`sgc_theory.design.type_lp`): any ``n``,
  exact bracket from primal and dual certificates.
* ``design(n, model, T, partitions=K)`` -- the best *integer* design with ``K`` equal partitions per
  job (an explicit table from histories to partition assignments), by the set-enumeration ILP
  of :mod:`sgc_theory.design.covering_lp` with one integer variable per (age, history, worker
  set).  This is the best uncoded design with ``K`` partitions among schemes that look back
  ``P`` rounds; it needs small ``n`` (the variables grow like ``2^n`` per history).  The result
  carries the LP optimum too, so the gap to the best fractional design is reported.
"""

from __future__ import annotations


from ..budget import check_work
from ..errors import SGCError, check_int
from ..lp.highs import check_time_limit
from .covering_lp import build_covering_lp
from .covering_solve import DesignResult, solve
from .type_lp import TypeLPResult, build_type_lp
from .type_lp_solve import solve_type_lp

__all__ = [
    "design",
    "design_tabular",
    "estimate_ilp_variables",
    "ILP_MAX_VARIABLES",
    "LP_MAX_ORBITS",
]

#: default budget of history orbits per length for the LP by types (raise with max_orbits)
LP_MAX_ORBITS = 200_000
#: default budget of (history, worker set) variables for the integer design
ILP_MAX_VARIABLES = 100_000


def _model_of(n, model):
    from ..models import parse_model
    from ..models.base import StragglerModel

    n = check_int("n", n, minimum=1)
    if isinstance(model, str):
        return parse_model(model, n)
    if not isinstance(model, StragglerModel):
        raise SGCError(f"model must be a straggler model or a model string (got {model!r})")
    if model.n != n:
        raise SGCError(f"model must be for n={n} workers (got {model!r})")
    return model


def estimate_ilp_variables(model, T, P) -> int:
    """Upper estimate of the integer design's variables: admitted histories (counted exactly on
    worker kinds) times ``2^n`` worker sets, summed over the ages."""
    total = 0
    for d in range(T + 1):
        total += model.count(P + d) * (1 << model.n)
    return total


def design(
    n,
    model,
    T,
    *,
    P=None,
    partitions=None,
    max_replication=None,
    solver=None,
    time_limit=None,
    max_orbits=LP_MAX_ORBITS,
    max_variables=ILP_MAX_VARIABLES,
    progress=False,
    max_work=None,
) -> TypeLPResult | DesignResult:
    """The optimal load for delay ``T`` under ``model`` (see the module docstring).

    Parameters
    ----------
    n, T : int
        Workers and delay.
    model : StragglerModel or str
        A window model on ``n`` workers, or a model string such as ``"bursty:B=1,W=2,lam=1"``.
    P : int, optional
        Rounds before a job's release its decisions may use (default ``W - 1``; smaller values
        give the best load of schemes that remember less).
    partitions : int, optional
        ``K``: the best integer design with ``K`` equal partitions per job (small ``n``).
    max_replication : int, optional
        LP only: worker sets of at most this many workers (the result also carries the lower
        bound for sets of any size, ``lower_any_size``).
    solver : {"highs", "cbc"}, optional
    time_limit : float, optional
        Seconds; a run stopped early reports ``status`` accordingly, with the best feasible
        load and the best lower bound found.
    max_orbits, max_variables : int
        Budgets: refuse (``SGCError`` naming the budget) instead of building a larger LP/ILP.
    max_work : int, float or "inf", optional
        The work budget (:mod:`sgc_theory.budget`; default the current one): it meters the
        building, and the solve may use what is left in wall time (a unit is about a
        microsecond); a solve it stops reports ``status`` so, with the best bracket found.

    Examples
    --------
    >>> res = design(4, "bursty:B=2,W=3,lam=2", T=3)
    >>> res.load_fraction, res.exact, design(4, "bursty:B=2,W=3,lam=2", 3, partitions=3).load_fraction
    (Fraction(1, 3), True, Fraction(1, 3))
    """
    from ..budget import work_budget

    with work_budget(max_work):
        model, T, P, solver, time_limit, max_orbits, max_variables = _checked(
            n, model, T, P, solver, time_limit, max_orbits, max_variables
        )
        if partitions is None:
            return _design_lp(
                model, T, P, max_replication, solver, time_limit, max_orbits, progress
            )
        return _design_integer(
            model, T, P, partitions, max_replication, solver, time_limit, max_orbits, max_variables
        )


def _checked(n, model, T, P, solver, time_limit, max_orbits, max_variables) -> tuple:
    """Check the arguments; return them in this order with the defaults filled in."""
    model = _model_of(n, model)
    T = check_int("T", T, minimum=0)
    P = model.W - 1 if P is None else check_int("P", P, minimum=0)
    time_limit = check_time_limit(time_limit)
    max_orbits = check_int("max_orbits", max_orbits, minimum=1)
    max_variables = check_int("max_variables", max_variables, minimum=1)
    solver = "highs" if solver is None else str(solver).lower()
    if solver not in ("highs", "cbc"):
        raise SGCError(f"solver must be one of cbc, highs (got {solver!r})")
    return model, T, P, solver, time_limit, max_orbits, max_variables


def _design_lp(model, T, P, max_replication, solver, time_limit, max_orbits, progress):
    """The LP optimum by worker types (or the theorem where it settles it), capped by the
    proved families."""
    from .theorem import cap_by_families, settle

    if P == model.W - 1 and max_replication is None:
        settled = settle(model, T)
        if settled is not None:
            return settled
    lp = build_type_lp(model, T, P=P, max_replication=max_replication, max_orbits=max_orbits)
    res = solve_type_lp(lp, solver=solver, time_limit=time_limit, progress=progress)
    if res.status == "infeasible" and max_replication is not None:
        res.certificate = (
            f"infeasible with sets of at most {max_replication} workers: raise max_replication"
        )
    return cap_by_families(res, model, T)


def _design_integer(
    model, T, P, partitions, max_replication, solver, time_limit, max_orbits, max_variables
):
    """The best integer design with ``partitions`` per job, after its size checks, with the LP
    optimum attached."""
    K = check_int("partitions", partitions, minimum=1)
    if max_replication is not None:
        raise SGCError(
            "max_replication applies to the LP, not to the integer design (partitions=K)"
        )
    if model.n > 12:
        raise SGCError(
            f"the integer design enumerates worker sets (2^n per history): "
            f"n <= 12 (got n={model.n}); use the LP (no partitions) at this n"
        )
    est = estimate_ilp_variables(model, T, P)
    if est > max_variables:
        raise SGCError(
            f"the integer design would have about {est} variables (more than "
            f"max_variables={max_variables}); lower n, T or P, use the LP (no "
            "partitions), or raise max_variables"
        )
    # the design is a table listing each partition of each variable's worker set, and its
    # verification steps exact vectors of K coordinates: K units per variable at least
    check_work(
        K * est,
        f"the integer design with K={K} partitions per job (about {est} variables, each "
        f"listing its share of the {K} partitions)",
        cheaper="fewer partitions (--partitions)",
    )
    ilp = build_covering_lp(model.n, model, T, P=P, partitions=K, symmetric=False)
    res = solve(ilp, solver=solver, time_limit=time_limit)
    lpres = solve_type_lp(build_type_lp(model, T, P=P, max_orbits=max_orbits), solver="highs")
    res.lp_bound = lpres.lower
    res.lp_result = lpres
    return res


def design_tabular(
    n,
    model,
    T,
    partitions,
    *,
    P=None,
    solver=None,
    time_limit=None,
    max_variables=ILP_MAX_VARIABLES,
):
    """Solve the integer design with ``partitions`` per job and return its explicit scheme.

    The returned :class:`~sgc_theory.schemes.TabularScheme` carries the solver outcome as
    ``.result`` (a :class:`~sgc_theory.design.DesignResult`).

    >>> from sgc_theory.models import Bursty
    >>> sch = design_tabular(3, Bursty(3, B=1, W=2, lam=1), T=1, partitions=2)
    >>> sch.T, sch.num_partitions, str(sch.load)
    (1, 2, '1/2')
    """
    from ..schemes.tabular import TabularScheme

    model = _model_of(n, model)
    res = design(
        n,
        model,
        T,
        P=P,
        partitions=partitions,
        solver=solver,
        time_limit=time_limit,
        max_variables=max_variables,
    )
    if res.status not in ("optimal", "feasible"):
        raise SGCError(f"the integer design ended with status {res.status!r}")
    sch = TabularScheme(res.lp.scheme_table())
    sch.result = res
    return sch
