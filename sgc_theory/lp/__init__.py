"""LP/ILP plumbing shared by the bounds and the design engine: solvers chosen by name."""

from .solvers import SOLVERS, available_solvers, default_solver, get_solver

__all__ = ["SOLVERS", "available_solvers", "default_solver", "get_solver"]
