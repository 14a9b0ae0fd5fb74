"""Lower ends of the bracket that hold for every scheme (any memory, any coding).

:data:`LOWER_CANDIDATES` is the table of arguments tried, cheapest first.  Each entry is
``(name, function)``; the function takes ``(model, T)`` and returns a list of
:class:`~sgc_theory.design.answer.LowerEnd` (empty when the argument does not apply), or raises
:class:`~sgc_theory.budget.WorkTooLargeError` when it does not fit the work budget.  A new
argument is one entry.  (The covering LPs, whose bounds hold for schemes of bounded memory, are
run by :func:`sgc_theory.design.design` itself.)

* **counting / density bound** (:func:`~sgc_theory.bounds.closed_form_lower_bound`), any delay;
* **delay-0 bound**: at ``T = 0``, in the first round (clean history) the adversary may stop any
  ``s`` workers, ``s`` the most a round allows; every piece of job 0 must be read in that round
  by ``s + 1`` workers, so some worker reads ``(s + 1)/n`` of it;
* **random-burst bound** (:func:`~sgc_theory.design.any_memory.any_memory_lower_bound`), bursty
  ``(1, W, lam)`` at ``T = 1``: an exact LP against an adversary that draws its bursts at random;
* **finite-horizon LP** (:func:`~sgc_theory.design.build_finite_horizon_lp`, ``T + 3`` rounds,
  decisions on the whole history), when the model admits at most
  :data:`FINITE_HORIZON_MAX_PATTERNS` patterns over the horizon (small ``n`` and ``W``).
"""

from __future__ import annotations

from fractions import Fraction

from .answer import EVERY_SCHEME, LowerEnd

__all__ = ["LOWER_CANDIDATES", "lower_bound", "every_scheme_bound", "FINITE_HORIZON_MAX_PATTERNS"]

#: the finite-horizon LP lower bound is computed when the model admits at most this many
#: patterns over the horizon
FINITE_HORIZON_MAX_PATTERNS = 5_000
#: ... and only on this many workers at most (it enumerates worker sets), for windows of at
#: most this many rounds (its histories carry the model's (W - 1)-round state)
FINITE_HORIZON_MAX_N = 8
FINITE_HORIZON_MAX_W = 8


def every_scheme_bound(model):
    """``(value, "counting" | "density")``: the counting bound of a bursty model (which equals
    its density bound, so the automaton behind the latter is not built), else the larger of the
    closed forms (:func:`~sgc_theory.bounds.closed_form_lower_bound`)."""
    from ..bounds.lower import closed_form_lower_bound, model_counting_bound
    from ..models.window import Bursty
    from ..rationals import to_fraction

    if isinstance(model, Bursty):
        return to_fraction(model_counting_bound(model)), "counting"
    return closed_form_lower_bound(model)


def _closed_form(model, T) -> list:
    value, name = every_scheme_bound(model)
    if value is None:
        return []
    why = {
        "counting": "counting bound (W - 1 + B)/(n(W - 1 + B) - lam B): lam workers straggling "
        "B rounds of every W - 1 + B leave too little work for whole jobs",
        "density": "density bound 1/(n - rho): rho stragglers per round on average",
    }[name]
    return [LowerEnd(value, f"{name} bound", why + " (every scheme, every delay)", EVERY_SCHEME)]


def _delay_zero(model, T) -> list:
    from .upper import max_per_round

    if T != 0:
        return []
    s = max_per_round(model)
    if s >= model.n:
        return []  # every worker may straggle: no scheme (the LP says so)
    why = (
        f"delay-0 bound (s + 1)/n with s = {s}: in the first round any {s} workers may straggle, "
        "so every piece of that round's job is read by s + 1 workers"
    )
    return [LowerEnd(Fraction(s + 1, model.n), "delay-0 bound", why, EVERY_SCHEME)]


def _random_bursts(model, T) -> list:
    from .any_memory import any_memory_lower_bound

    found = any_memory_lower_bound(model, T)
    if found is None:
        return []
    why = (
        f"random-burst LP ({found.lp_size[0]} variables, exact dual certificate): every W rounds "
        "lam workers drawn at random straggle; averaging each round's work over the draws bounds "
        "every scheme whatever its memory (sgc_theory.design.any_memory)"
    )
    return [LowerEnd(found.bound, "random-burst bound", why, EVERY_SCHEME)]


def _finite_horizon(model, T, solver=None) -> list:
    from .covering_lp import build_finite_horizon_lp
    from .covering_solve import solve

    rounds = T + 3
    if model.n > FINITE_HORIZON_MAX_N or model.W > FINITE_HORIZON_MAX_W:
        return []
    if model.count(rounds - 1) > FINITE_HORIZON_MAX_PATTERNS:
        return []
    res = solve(build_finite_horizon_lp(model.n, model, T, rounds), solver=solver)
    if res.status != "optimal" or not res.exact:
        return []
    why = (
        f"finite-horizon LP over {rounds} rounds (decisions on the whole history: every scheme "
        "restricted to the horizon is feasible), exact primal and dual certificates"
    )
    return [LowerEnd(res.load_fraction, "finite-horizon LP", why, EVERY_SCHEME)]


#: the lower-bound arguments tried, cheapest first, as ``(name, function(model, T))``
LOWER_CANDIDATES = (
    ("closed form", _closed_form),
    ("delay 0", _delay_zero),
    ("random bursts", _random_bursts),
    ("finite horizon", _finite_horizon),
)


def lower_bound(model, T, finite_horizon: bool = True, solver=None):
    """``(value, name)``: the best of the bounds above that hold for every scheme (the
    finite-horizon LP only when ``finite_horizon``); ``(0, "trivial")`` when none applies."""
    found = _closed_form(model, T) + _delay_zero(model, T) + _random_bursts(model, T)
    if finite_horizon:
        found += _finite_horizon(model, T, solver)
    if not found:
        return Fraction(0), "trivial"
    best = max(found, key=lambda b: b.value)
    return best.value, best.kind
