"""Optimal-load design: the covering LP/ILP of SPEC section 6 (model built apart from solver)."""

from .covering_lp import (CoveringLP, DesignResult, PartitionTable, build_covering_lp,
                          build_finite_horizon_lp, design, design_tabular, solve)
from ..lp.solvers import SOLVERS, available_solvers, default_solver, get_solver
from .lower import lower_bound

__all__ = ["CoveringLP", "DesignResult", "PartitionTable", "build_covering_lp",
           "build_finite_horizon_lp", "solve", "design", "design_tabular", "SOLVERS", "available_solvers", "default_solver",
           "get_solver", "lower_bound"]
