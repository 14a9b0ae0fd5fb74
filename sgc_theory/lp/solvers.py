"""LP/ILP solvers chosen by name (PuLP front end).

``"cbc"`` is the CBC binary bundled with PuLP (``pulp.PULP_CBC_CMD``); ``"highs"`` is HiGHS
through its Python bindings ``highspy`` (``pulp.HiGHS``).  A missing or unusable solver raises
:class:`~sgc_theory.errors.SolverUnavailableError` naming the alternatives.
"""

from __future__ import annotations

from typing import Any

from ..errors import SolverUnavailableError

__all__ = ["SOLVERS", "get_solver", "available_solvers", "default_solver"]

SOLVERS = ("cbc", "highs")


_HIGHS_WARM = False


def _silence_highs_banner() -> None:
    """highspy prints a banner on stdout when its first ``Highs()`` is created, whatever the
    options; create that first instance with the stdout file descriptor redirected, so that
    ``--json`` output stays clean."""
    global _HIGHS_WARM
    if _HIGHS_WARM:
        return
    _HIGHS_WARM = True
    import os
    import sys

    try:
        import highspy
    except ImportError:
        return
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _make(
    name: str, time_limit: float | None = None, msg: bool = False, gap_abs: float | None = None
) -> Any:
    import pulp

    kw: dict[str, Any] = {"msg": msg}
    if time_limit is not None:
        kw["timeLimit"] = time_limit
    if gap_abs is not None:  # prove optimality exactly (integer objectives): no relative gap
        kw["gapRel"] = 0.0
        kw["gapAbs"] = gap_abs
    if name == "cbc":
        return pulp.PULP_CBC_CMD(**kw)
    if name == "highs":
        if not msg:
            _silence_highs_banner()
        return pulp.HiGHS(**kw)
    raise SolverUnavailableError(f"solver must be one of {', '.join(SOLVERS)} (got {name!r})")


def available_solvers() -> list[str]:
    """Names of the solvers usable on this machine."""
    out = []
    for name in SOLVERS:
        try:
            if _make(name).available():
                out.append(name)
        except Exception:  # pragma: no cover - broken installation
            pass
    return out


def get_solver(
    name: str = "cbc",
    time_limit: float | None = None,
    msg: bool = False,
    gap_abs: float | None = None,
) -> Any:
    """A PuLP solver object for ``name`` (``"cbc"`` or ``"highs"``).

    ``gap_abs``: for integer programs, stop only when the incumbent is within this absolute
    gap of the bound (and with no relative gap); with an objective that moves in steps larger
    than ``gap_abs`` this makes "optimal" exact.

    Raises
    ------
    SolverUnavailableError
        If ``name`` is unknown or the solver is not installed; the message names the
        alternatives that are available.
    """
    name = str(name).lower()
    if name not in SOLVERS:
        raise SolverUnavailableError(f"--solver must be one of {', '.join(SOLVERS)} (got {name!r})")
    solver = _make(name, time_limit, msg, gap_abs)
    try:
        ok = solver.available()
    except Exception:  # pragma: no cover
        ok = False
    if not ok:
        others = [s for s in available_solvers() if s != name]
        alt = f"use {' or '.join(others)}" if others else "install highspy or pulp's CBC"
        raise SolverUnavailableError(f"solver {name!r} is not available on this machine; {alt}")
    return solver


def default_solver() -> str:
    """``"highs"`` when highspy is usable (faster on the covering ILPs), else ``"cbc"``."""
    return "highs" if "highs" in available_solvers() else "cbc"
