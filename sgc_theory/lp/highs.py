"""A column-oriented sparse LP handed to HiGHS through ``highspy``, with columns added in place.

The covering LP by worker types is built and grown by column generation; PuLP's object model
(one Python object per coefficient, a file round-trip per solve) is too slow for it at
``n = 256``, so it talks to HiGHS directly and keeps the solver's basis between solves.  The
same problem can still be exported to PuLP (``to_pulp``) to solve it with CBC or to inspect it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..errors import SGCError, SolverUnavailableError
from .solvers import _silence_highs_banner

__all__ = ["HighsLP"]


class HighsLP:
    """Rows fixed up front, columns added in batches; minimise ``cost . x``.

    Parameters
    ----------
    row_lower, row_upper : sequences of float (``-inf``/``inf`` allowed)

    Examples
    --------
    >>> lp = HighsLP([1.0], [math.inf])
    >>> lp.add_columns([1.0, 1.0], [[(0, 1.0)], [(0, 2.0)]])
    >>> lp.solve().status, lp.objective
    ('optimal', 0.5)
    """

    def __init__(self, row_lower: Any, row_upper: Any, time_limit: float | None = None) -> None:
        try:
            import highspy
        except ImportError:  # pragma: no cover - highspy is a dependency
            raise SolverUnavailableError(
                "HiGHS (highspy) is not installed; pip install highspy"
            ) from None
        _silence_highs_banner()
        self._hs = highspy
        self.h = highspy.Highs()
        self.h.setOptionValue("output_flag", False)
        # tight tolerances: the solution is rounded into exact certificates afterwards, and a
        # 1e-7 slack on a flow row would show up in the exact bracket
        for opt in (
            "primal_feasibility_tolerance",
            "dual_feasibility_tolerance",
            "ipm_optimality_tolerance",
        ):
            self.h.setOptionValue(opt, 1e-10)
        if time_limit is not None:
            self.h.setOptionValue("time_limit", float(time_limit))
        inf = highspy.kHighsInf
        lo = np.array([(-inf if v == -math.inf else v) for v in row_lower], dtype=float)
        up = np.array([(inf if v == math.inf else v) for v in row_upper], dtype=float)
        self.num_rows = len(lo)
        self.h.addRows(
            self.num_rows,
            lo,
            up,
            0,
            np.zeros(0, dtype=np.int32),
            np.zeros(0, dtype=np.int32),
            np.zeros(0),
        )
        self.num_cols = 0
        self.status = "not solved"
        self.objective = math.nan
        self.x = np.zeros(0)
        self.row_dual = np.zeros(self.num_rows)

    def add_columns(self, costs: Any, entries: Any, upper: Any = None) -> None:
        """Add columns: ``entries[k]`` = list of ``(row, value)`` of column ``k``; bounds
        ``0 <= x <= upper`` (default unbounded)."""
        k = len(costs)
        if k == 0:
            return
        inf = self._hs.kHighsInf
        starts: list[int] = []
        index: list[int] = []
        value: list[float] = []
        for col in entries:
            starts.append(len(index))
            for r, v in col:
                index.append(r)
                value.append(float(v))
        ub = (
            np.full(k, inf)
            if upper is None
            else np.array([inf if u is None else float(u) for u in upper])
        )
        self.h.addCols(
            k,
            np.asarray(costs, dtype=float),
            np.zeros(k),
            ub,
            len(index),
            np.asarray(starts, dtype=np.int32),
            np.asarray(index, dtype=np.int32),
            np.asarray(value, dtype=float),
        )
        self.num_cols += k

    def solve(self, method: str = "simplex") -> HighsLP:
        """Run HiGHS (``method``: ``"simplex"``, warm-started from the last basis, or
        ``"ipm"``, interior point with crossover to a basic solution, faster on large cold
        problems); sets ``status`` (``optimal``, ``infeasible``, ``time limit``, ...),
        ``objective``, ``x`` (column values) and ``row_dual``."""
        self.h.setOptionValue("solver", "ipm" if method == "ipm" else "simplex")
        self.h.run()
        ms = self.h.getModelStatus()
        M = self._hs.HighsModelStatus
        if ms == M.kOptimal:
            self.status = "optimal"
        elif ms == M.kInfeasible:
            self.status = "infeasible"
        elif ms in (M.kTimeLimit, M.kIterationLimit, M.kInterrupt):
            self.status = "time limit"
        elif ms == M.kUnbounded or ms == M.kUnboundedOrInfeasible:
            self.status = "unbounded or infeasible"
        else:
            self.status = self.h.modelStatusToString(ms).lower()
        sol = self.h.getSolution()
        self.x = np.asarray(sol.col_value, dtype=float)
        self.row_dual = np.asarray(sol.row_dual, dtype=float)
        self.objective = float(self.h.getInfo().objective_function_value)
        return self

    def seconds(self) -> float:
        return float(self.h.getRunTime())


def check_time_limit(time_limit: Any) -> float | None:
    """``None`` or a positive finite number of seconds."""
    if time_limit is None:
        return None
    try:
        t = float(time_limit)
    except (TypeError, ValueError):
        raise SGCError(f"time_limit must be a number of seconds (got {time_limit!r})") from None
    if not math.isfinite(t) or t <= 0:
        raise SGCError(
            f"time_limit must be a positive finite number of seconds (got {time_limit!r})"
        )
    return t
