"""Optimal-load design: the covering LP/ILP of SPEC section 6 (model built apart from solver)."""

from .covering_lp import (CoveringLP, DesignResult, PartitionTable, build_covering_lp,
                          build_finite_horizon_lp, design, solve)
from .solvers import SOLVERS, available_solvers, default_solver, get_solver

__all__ = ["CoveringLP", "DesignResult", "PartitionTable", "build_covering_lp",
           "build_finite_horizon_lp", "solve", "design", "SOLVERS", "available_solvers", "default_solver",
           "get_solver"]
