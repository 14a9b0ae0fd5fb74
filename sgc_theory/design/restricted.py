"""Lower bounds from restricted adversaries: the covering LP against a sub-family of patterns.

Why a restricted adversary gives a lower bound
----------------------------------------------
The covering LP by worker types (:mod:`sgc_theory.design.type_lp`) has one start/flow row per
(age, history orbit), one load row per (history orbit of ``P + T`` rounds, type), and the same
columns (set orbits) at every node.  Let ``F`` be a family of straggler histories that is

* closed under worker permutations (so it is a union of orbits),
* *prefix generated*: a history of ``L + 1`` rounds is in ``F`` iff its first ``L`` rounds are
  and its last round is allowed by a rule that only looks at the history so far,
* *suffix closed*: forgetting the oldest rounds of a history in ``F`` stays in ``F``,

and contained in the model's admitted histories.  The LP built on ``F`` only (the orbits of
``F``, the transitions between them, the load rows of ``F``'s histories), with the **same**
columns as the full LP, is a relaxation of the full LP: take any feasible solution of the full
LP and keep its variables at the nodes of ``F``.  The start rows are kept; the flow row of a node
``H'`` of ``F`` only receives mass from its parent orbit through the one transition that produces
``H'`` (a child orbit determines its parent and the straggler vector), and that parent lies in
``F``; the deadline columns are the same safe set orbits; the load rows are a subset.  So
``LP(F) <= LP(full)``, and every exact dual bound of ``LP(F)`` (weak duality, every column priced
exactly) is a lower bound on the optimum of every scheme of delay ``T`` that looks back ``P``
rounds.  This needs no argument that the histories of ``F`` are realizable: it is a statement
about the two LPs.  In game terms: against fewer patterns, the scheme needs less load.

The family implemented here: full bursts
-----------------------------------------
``full_bursts``: every burst that starts inside the history (after its first round) lasts
exactly ``B`` consecutive rounds.  A worker whose straggling run began after the first round of
the history and is shorter than ``B`` *must* straggle in the next round; every other choice is as
in the model.  Suffixes only cut runs at the front (a cut run starts at the first round, where
nothing is required), so the family is suffix closed.  The periodic pattern of the counting bound
(``lam`` workers straggling ``B`` rounds out of every ``W - 1 + B``) consists of full bursts, so
``LP(F)`` is never below the counting bound (the tests check it).  For ``B = 1`` the family is the
whole model.

Why it is smaller: the adversary's freedom in a round is how many *new* bursts start in each
type, the continuations are forced, so the number of history orbits grows like the number of
ways to place the burst starts, not the number of ways to spread the stragglers over every
straggling record.

The helpers :func:`restricted_lower_bound` (exact bracket of ``LP(F)``) and the JSON-ready
``RestrictedBound.as_dict()`` are what ``sgc design --restricted`` and the results script use.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..errors import SGCError
from ..rationals import load_json, to_fraction
from .type_lp import TypeLP, TypeLPResult
from .type_lp_solve import solve_type_lp
from .types import TypeSpace
from .upper import runnable_upper

__all__ = [
    "FullBurstSpace",
    "FullBurstTypeLP",
    "RestrictedBound",
    "restricted_lower_bound",
    "FAMILIES",
    "bracket",
    "runnable_upper",
]


def _open_run(typ: int, length: int) -> tuple[int, int]:
    """``(run length, start round)`` of the run of straggling rounds at the end of a type of
    ``length`` rounds (``(0, length)`` when the last round is clean)."""
    run = 0
    while run < length and typ >> (length - 1 - run) & 1:
        run += 1
    return run, length - run


class FullBurstSpace(TypeSpace):
    """History orbits in which every burst that starts after the first round lasts exactly
    ``B`` rounds (see the module docstring)."""

    forces = True

    def forced(self, typ: int, length: int) -> bool:
        """A worker of this type must straggle in the next round: its run started after the
        first round of the history and is shorter than ``B``."""
        run, start = _open_run(typ, length)
        return 0 < run < self.model.B and start >= 1


class FullBurstTypeLP(TypeLP):
    """The covering LP by worker types against full bursts only (a lower bound on the full LP)."""

    space_class = FullBurstSpace


#: restricted families by name: (LP class, one-line description)
FAMILIES = {
    "full-bursts": (
        FullBurstTypeLP,
        "every burst that starts inside the history lasts exactly B rounds",
    ),
}


@dataclass
class RestrictedBound:
    """An exact lower bound on every scheme of delay ``T`` looking back ``P`` rounds, from the
    covering LP against a restricted family of patterns (``lower``; ``upper`` is that LP's
    exactly feasible value, so the restricted LP itself lies in ``[lower, upper]``)."""

    family: str
    lower: Fraction | None
    upper: Fraction | None
    counting: Fraction | None
    result: TypeLPResult

    @property
    def argument(self) -> str:
        return (
            f"covering LP by worker types against the restricted adversary '{self.family}' "
            f"({FAMILIES[self.family][1]}): an LP relaxation of the full covering LP; exact "
            "dual certificate (weak duality, every set orbit priced exactly)"
        )

    def as_dict(self) -> dict:
        """JSON-ready: the loads ``lower`` and ``restricted_lp_upper`` as
        :func:`~sgc_theory.rationals.load_json`."""
        return {
            "family": self.family,
            "lower": load_json(self.lower),
            "restricted_lp_upper": load_json(self.upper),
            "above_counting_bound": None
            if self.lower is None or self.counting is None
            else bool(self.lower > self.counting),
            "argument": self.argument,
            "status": self.result.status,
            "seconds": round(self.result.seconds, 3),
            "orbits": self.result.constraints,
        }


def restricted_lower_bound(
    model,
    T,
    *,
    family: str = "full-bursts",
    P=None,
    time_limit=None,
    max_orbits: int = 500_000,
    progress: bool = False,
) -> RestrictedBound:
    """Exact lower bound on the covering LP optimum of ``model`` at delay ``T`` (schemes that
    look back ``P`` rounds, default ``W - 1``) from the LP against a restricted adversary.

    The returned ``lower`` is the restricted LP's exact dual bound only (never raised by the
    counting bound, so that tests can compare the two); callers report
    ``max(lower, counting bound)``.

    >>> from sgc_theory.models import Bursty
    >>> rb = restricted_lower_bound(Bursty(8, B=2, W=3, lam=2), T=2)
    >>> rb.lower <= rb.upper
    True
    """
    from ..bounds.lower import closed_form_lower_bound
    from ..models.window import Bursty

    if family not in FAMILIES:
        raise SGCError(f"family must be one of {', '.join(FAMILIES)} (got {family!r})")
    if not isinstance(model, Bursty):
        raise SGCError(f"the restricted adversary '{family}' needs a bursty model (got {model!r})")
    cls = FAMILIES[family][0]
    lp = cls(model, T, P=P, max_orbits=max_orbits)
    res = solve_type_lp(lp, time_limit=time_limit, progress=progress, use_known_bound=False)
    known, _ = closed_form_lower_bound(model)
    return RestrictedBound(family, res.lower, res.upper, known, res)


def bracket(model, T, lp_result=None, restricted: RestrictedBound | None = None, extra=()) -> dict:
    """``{lower, lower_argument, upper, upper_scheme, lp_upper, ratio}``: the best proved lower
    bound on every scheme of delay ``T`` (that looks back ``W - 1`` rounds when it rests on an
    LP) and the best runnable scheme, as exact :class:`~fractions.Fraction` (``None`` when not
    known).  ``lp_upper`` is the covering LP's exactly feasible load (a fractional design, not a
    runnable scheme at large ``n``); ``extra`` adds ``(value, argument)`` lower bounds proved
    elsewhere.  ``sgc design --json`` prints the three loads as
    :func:`~sgc_theory.rationals.load_json`."""
    from ..bounds.lower import closed_form_lower_bound

    lows = []
    known, name = closed_form_lower_bound(model)
    if known is not None:
        lows.append((known, f"{name} bound (every scheme, every delay)"))
    lp = getattr(lp_result, "lp", None)  # None when the optimum was settled by a theorem
    if lp is not None and lp_result.lower is not None and model.W - 1 == lp.P:
        if lp.max_replication is None:
            lows.append(
                (
                    lp_result.lower,
                    "covering LP by worker types, schemes looking back W - 1 rounds (exact dual certificate)",
                )
            )
        elif lp_result.lower_any_size is not None:
            lows.append((lp_result.lower_any_size, "covering LP dual re-priced over every set"))
    if restricted is not None and restricted.lower is not None:
        lows.append((restricted.lower, restricted.argument))
    lows += [(to_fraction(v), why) for v, why in extra if v is not None]
    lower, why = max(lows, key=lambda t: t[0]) if lows else (None, None)
    upper, scheme = runnable_upper(model, T)
    return {
        "lower": lower,
        "lower_argument": why,
        "upper": upper,
        "upper_scheme": scheme,
        "lp_upper": None if lp_result is None else lp_result.upper,
        "ratio": None if lower is None or upper is None or not lower else float(upper / lower),
    }
