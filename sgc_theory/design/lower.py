"""The best lower bound the toolkit can certify on the load of every scheme of delay ``T``."""

from __future__ import annotations

from fractions import Fraction

from .covering_lp import build_finite_horizon_lp
from .covering_solve import solve

__all__ = ["lower_bound"]

#: the finite-horizon LP lower bound is computed when the model admits at most this many
#: patterns over the horizon
FINITE_HORIZON_MAX_PATTERNS = 5_000


def lower_bound(model, T, finite_horizon: bool = True, solver=None):
    """``max(counting bound, density bound, finite-horizon LP when cheap)`` as a Fraction,
    with the name of the bound that attains it."""
    from ..bounds.lower import closed_form_lower_bound

    cands = []
    closed = closed_form_lower_bound(model)
    if closed[0] is not None:
        cands.append(closed)
    if finite_horizon:
        rounds = T + 3
        if model.count(rounds - 1) <= FINITE_HORIZON_MAX_PATTERNS:
            res = solve(build_finite_horizon_lp(model.n, model, T, rounds), solver=solver)
            if res.status == "optimal" and res.exact:
                cands.append((res.load_fraction, f"finite-horizon LP ({rounds} rounds)"))
    return max(cands) if cands else (Fraction(0), "trivial")
