"""Optimal-load design (docs/guide/covering_lp.md): model built apart from solver.

* :func:`design` -- the optimal load for a delay ``T``: the covering LP by worker types (any
  ``n``, :mod:`~sgc_theory.design.type_lp`), or with ``partitions=K`` the best integer design
  (small ``n``, :mod:`~sgc_theory.design.covering_lp`), which :func:`design_tabular` turns into a
  runnable :class:`~sgc_theory.schemes.TabularScheme`;
* :func:`lower_bound` -- the best certified lower bound on every scheme of delay ``T``;
* :func:`restricted_lower_bound` -- the covering LP against a restricted adversary
  (:mod:`~sgc_theory.design.restricted`), a lower bound that reaches larger cases;
  :func:`bracket` -- the best lower bound next to the best runnable scheme;
* :mod:`~sgc_theory.design.delay` -- WC-SGC's placement at a delay below ``B + 1``: the largest
  job split it carries per capacity, proved per instance by its count automaton.
"""

from ..lp.solvers import SOLVERS, available_solvers, default_solver, get_solver
from .api import design, design_tabular, estimate_ilp_variables
from .covering_lp import CoveringLP, PartitionTable, build_covering_lp, build_finite_horizon_lp
from .covering_solve import DesignResult, solve
from .delay import (
    DelayDesign,
    DelayFit,
    ReplicatedFit,
    largest_units,
    replicated_at_delay,
    wcsgc_at_delay,
)
from .lower import every_scheme_bound, lower_bound
from .restricted import bracket, restricted_lower_bound
from .type_lp import TypeLP, TypeLPResult, build_type_lp
from .type_lp_solve import solve_type_lp
from .types import TypeSpace, orbit_size

__all__ = [
    "design",
    "design_tabular",
    "estimate_ilp_variables",
    "lower_bound",
    "every_scheme_bound",
    "restricted_lower_bound",
    "bracket",
    "largest_units",
    "wcsgc_at_delay",
    "replicated_at_delay",
    "ReplicatedFit",
    "DelayFit",
    "DelayDesign",
    "TypeLP",
    "TypeLPResult",
    "build_type_lp",
    "solve_type_lp",
    "TypeSpace",
    "orbit_size",
    "CoveringLP",
    "DesignResult",
    "PartitionTable",
    "build_covering_lp",
    "build_finite_horizon_lp",
    "solve",
    "SOLVERS",
    "available_solvers",
    "default_solver",
    "get_solver",
]
