"""One entry point for optimal design: a proved bracket on the optimal load, for every request.

``design(n, model, T)`` returns a :class:`~sgc_theory.design.answer.DesignAnswer`: the best proved
lower bound with its argument and the class it holds for, and the best runnable scheme proved at
a delay ``<= T``, ``optimal`` only when they meet.  It runs, cheapest first and each within its
share of the work budget:

1. the lower bounds that hold for every scheme (:data:`~sgc_theory.design.lower.LOWER_CANDIDATES`:
   counting or density bound, the delay-0 bound) and the families of
   :data:`~sgc_theory.design.upper.UPPER_CANDIDATES` (closed forms proved by hand, WC-SGC proved
   per instance by its count automaton, RWC-SGC at ``T = B >= 2`` by its own), stopping as soon
   as the two ends meet;
2. if they do not meet (or ``P`` / ``max_replication`` ask for it): the covering LP by worker
   types (:mod:`sgc_theory.design.type_lp`), whose exact dual bound holds for schemes that look
   back ``P`` rounds; when it does not fit, the LP against the restricted adversary of full
   bursts (:mod:`sgc_theory.design.restricted`, bursty ``B >= 2``); the finite-horizon LP at
   small ``n``;
3. with ``partitions=K`` the best *integer* design with ``K`` equal partitions per job (the
   set-enumeration ILP of :mod:`sgc_theory.design.covering_lp`, small ``n``), whose table is a
   runnable :class:`~sgc_theory.schemes.TabularScheme`, an upper end once verified for all
   horizons.

A step that does not fit is one line of ``not_run`` (what, and the size that blocked it).
"""

from __future__ import annotations


import math
import time

from ..budget import WorkTooLargeError, check_work, current_limit, work_budget
from ..errors import SGCError, check_int
from ..lp.highs import check_time_limit
from .answer import EVERY_SCHEME, DesignAnswer, LowerEnd, UpperEnd
from .covering_lp import build_covering_lp
from .covering_solve import solve
from .lower import LOWER_CANDIDATES
from .type_lp import build_type_lp
from .type_lp_solve import solve_type_lp
from .upper import UPPER_CANDIDATES

__all__ = [
    "design",
    "design_tabular",
    "estimate_ilp_variables",
    "ILP_MAX_VARIABLES",
    "LP_MAX_ORBITS",
    "LP_SHARE",
]

#: default budget of history orbits per length for the LP by types (raise with max_orbits)
LP_MAX_ORBITS = 200_000
#: default budget of (history, worker set) variables for the integer design
ILP_MAX_VARIABLES = 100_000
#: share of the work budget each covering LP (full, restricted) may use at most
LP_SHARE = 0.1
#: share of the work budget one scheme's proof (or the tuned WC-SGC search) may use at most
PROOF_SHARE = 0.15


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
    restricted=None,
    solver=None,
    time_limit=None,
    max_orbits=LP_MAX_ORBITS,
    max_variables=ILP_MAX_VARIABLES,
    progress=False,
    max_work=None,
) -> DesignAnswer:
    """A proved bracket on the least load of any scheme of delay ``T`` (module docstring).

    Parameters
    ----------
    n, T : int
        Workers and delay.
    model : StragglerModel or str
        A window model on ``n`` workers, or a model string such as ``"bursty:B=1,W=2,lam=1"``.
    P : int, optional
        Rounds before a job's release the covering LP's schemes may use (default ``W - 1``;
        given explicitly, the LP runs even when the bracket is already closed).
    partitions : int, optional
        ``K``: also the best integer design with ``K`` equal partitions per job (small ``n``).
    max_replication : int, optional
        The covering LP with worker sets of at most this many workers (its bound for sets of
        any size is reported too).
    restricted : {"full-bursts"}, optional
        Also solve the covering LP against this restricted adversary (bursty models).
    solver : {"highs", "cbc"}, optional
    time_limit : float, optional
        Seconds for each LP solve.
    max_orbits, max_variables : int
        Sizes beyond which the LP / the integer design are not built (a line of ``not_run``).
    max_work : int, float or "inf", optional
        The work budget (:mod:`sgc_theory.budget`); each covering LP may use ``LP_SHARE``
        (a tenth) of it, each proof search ``PROOF_SHARE`` (0.15).

    Examples
    --------
    >>> ans = design(4, "bursty:B=2,W=3,lam=2", T=3)
    >>> ans.status, ans.lower.value, ans.upper.scheme, ans.optimal_among
    ('optimal', Fraction(1, 3), 'wcsgc', 'every scheme')
    >>> design(256, "bursty:B=2,W=3,lam=23", T=0).upper.command
    '--scheme gc --s 23'
    """
    with work_budget(max_work):
        model, T, Pv, solver, time_limit, max_orbits, max_variables = _checked(
            n, model, T, P, solver, time_limit, max_orbits, max_variables
        )
        r = None if max_replication is None else check_int("max_replication", max_replication, 1)
        if partitions is not None:
            check_int("partitions", partitions, minimum=1)
            if r is not None:
                raise SGCError(
                    "max_replication applies to the LP, not to the integer design (partitions=K)"
                )
        opts = {"P": P, "partitions": partitions, "max_replication": r, "restricted": restricted}
        opts.update(solver=solver, time_limit=time_limit, max_orbits=max_orbits)
        opts.update(max_variables=max_variables, progress=progress)
        return _Answering(model, T, Pv, opts).run()


class _Answering:
    """One request: the ends found so far, the budget left, and the steps in order."""

    def __init__(self, model, T, P, opts):
        self.model, self.T, self.P, self.o = model, T, P, opts
        self.ans = DesignAnswer(model.n, model, T, P, None, None)
        self.limit = current_limit()
        self.t0 = time.process_time()
        self.w0 = time.perf_counter()

    # ----- budget ---------------------------------------------------------------------------
    def left(self):
        if math.isinf(self.limit):
            return math.inf
        return self.limit - (time.process_time() - self.t0) * 1e6

    def step(self, what, f, share=1.0):
        """Run ``f()`` within ``share`` of the budget (and what is left); a refusal or a size
        limit becomes one line of ``not_run``; returns ``f()`` or ``None``."""
        budget = min(self.left(), share * self.limit)
        if budget < 1:
            self.ans.not_run.append(f"{what}: not run, the work budget is used up")
            return None
        try:
            with work_budget(budget if math.isinf(budget) else max(1, int(budget))):
                return f()
        except WorkTooLargeError as exc:
            self.ans.not_run.append(f"{what}: {exc}")
        except SGCError as exc:
            if "max_orbits" not in str(exc) and "orbits to price" not in str(exc):
                raise
            self.ans.not_run.append(f"{what}: {exc}")
        return None

    def _settle(self):
        """The ends: the least proved scheme load, and the best bound that can sit below it
        (a bound for schemes restricted to small worker sets is listed, not used: the
        families are not in that class; nor is a bound above a proved scheme, whose class
        then excludes that scheme)."""
        a = self.ans
        a.upper = min(a.schemes, key=lambda s: (s.value, s.delay)) if a.schemes else None
        usable = [b for b in a.bounds if " worker sets " not in b.holds_for]
        if a.upper is not None:
            usable = [b for b in usable if b.value <= a.upper.value]
        # the largest bound; among equals, one that holds for every scheme
        a.lower = (
            max(usable, key=lambda b: (b.value, b.holds_for == EVERY_SCHEME)) if usable else None
        )

    # ----- the steps ------------------------------------------------------------------------
    def run(self) -> DesignAnswer:
        _refuse_impossible(self.model, self.T)
        for _name, f in LOWER_CANDIDATES[:2]:  # the closed forms (instant)
            self.ans.bounds += f(self.model, self.T)
        self._settle()
        for name, f, _ in UPPER_CANDIDATES:
            if self.ans.optimal:
                break
            best = None if self.ans.upper is None else self.ans.upper.value
            up = self.step(
                f"{name} (its proof)",
                lambda f=f, best=best: f(self.model, self.T, best),
                PROOF_SHARE,
            )
            if up is not None:
                self.ans.schemes.append(up)
                self._settle()
        o = self.o
        lp_asked = o["P"] is not None or o["max_replication"] is not None
        if not self.ans.optimal or lp_asked:
            self._full_lp()
        if o["restricted"] or (not self.ans.optimal and self.ans.lp is None):
            self._restricted_lp()
        if self.ans.optimal_among != EVERY_SCHEME:  # a bracket, or optimal in a smaller class
            for name, f in LOWER_CANDIDATES[2:]:
                self.ans.bounds += self.step(name, lambda f=f: f(self.model, self.T)) or []
                self._settle()
                if self.ans.optimal_among == EVERY_SCHEME:
                    break
        if o["partitions"] is not None:
            self._integer()
        self._settle()
        self.ans.seconds = time.perf_counter() - self.w0
        return self.ans

    def _full_lp(self):
        o, model, T, P = self.o, self.model, self.T, self.P
        r = o["max_replication"]
        what = f"covering LP by worker types (P={P}, T={T})"

        def go():
            lp = build_type_lp(model, T, P=P, max_replication=r, max_orbits=o["max_orbits"])
            return solve_type_lp(
                lp, solver=o["solver"], time_limit=o["time_limit"], progress=o["progress"]
            )

        res = self.step(what, go, LP_SHARE)
        if res is None:
            return
        if res.status == "infeasible":
            why = f" with worker sets of at most {r} workers (raise --max-replication)" if r else ""
            raise SGCError(
                f"no scheme with delay T={T} that looks back P={P} rounds exists for "
                f"{model.spec} on n={model.n} workers{why} (the covering LP is infeasible)"
            )
        self.ans.lp = res
        among = f"schemes looking back P={P} rounds"
        arg = f"covering LP by worker types, P={P}: exact dual certificate ({res.certificate})"
        if res.lower is not None:
            cls = among if r is None else f"{among} whose worker sets have at most {r} workers"
            self.ans.bounds.append(LowerEnd(res.lower, "covering LP by worker types", arg, cls))
        if r is not None and res.lower_any_size is not None:
            arg2 = f"the covering LP's duals (sets of at most {r}) re-priced over every set size"
            self.ans.bounds.append(LowerEnd(res.lower_any_size, "covering LP", arg2, among))
        if "stopped" in res.status:
            self.ans.not_run.append(f"{what}: {res.status}; its exact ends so far are kept")
        self._settle()

    def _restricted_lp(self):
        from .restricted import restricted_lower_bound
        from .upper import bursty_of

        family = self.o["restricted"] or "full-bursts"
        p = bursty_of(self.model)
        if p is None or (p[1] == 1 and not self.o["restricted"]):
            return  # for B = 1 the family is the whole model: nothing new
        if self.o["restricted"] is not None and p is None:
            raise SGCError(f"--restricted needs a bursty model (got {self.model.spec})")
        what = f"covering LP against the restricted adversary '{family}' (P={self.P})"
        rb = self.step(
            what,
            lambda: restricted_lower_bound(
                self.model, self.T, family=family, P=self.P, max_orbits=self.o["max_orbits"]
            ),
            LP_SHARE,
        )
        if rb is None:
            return
        self.ans.restricted = rb
        if rb.lower is not None and rb.lower > 0:
            cls = f"schemes looking back P={self.P} rounds"
            self.ans.bounds.append(LowerEnd(rb.lower, "restricted-adversary LP", rb.argument, cls))
        if "stopped" in rb.result.status:
            self.ans.not_run.append(f"{what}: {rb.result.status}")

    def _integer(self):
        res = _design_integer(
            self.model,
            self.T,
            self.P,
            self.o["partitions"],
            self.o["solver"],
            self.o["time_limit"],
            self.o["max_orbits"],
            self.o["max_variables"],
        )
        self.ans.integer = res
        res.verified, res.verified_how = None, ""
        if res.status in ("optimal", "feasible"):
            res.verified, res.verified_how, all_h = _verify_table(res.lp, self.model)
            if res.verified and all_h:
                K = self.o["partitions"]
                why = f"the integer design's table, verified for all horizons ({res.verified_how})"
                self.ans.schemes.append(
                    UpperEnd(res.load_fraction, "tabular", {"partitions": K}, self.T, why)
                )


def _refuse_impossible(model, T) -> None:
    """No scheme exists when every worker may straggle in rounds ``0 .. T`` (job 0 is lost)."""
    rounds = min(T + 1, model.W)
    if model.lam >= model.n and model.row_ok((1 << rounds) - 1):
        raise SGCError(
            f"no scheme with delay T={T} exists for {model.spec} on n={model.n} workers: all "
            f"{model.n} workers may straggle in rounds 0..{T}"
        )


#: all-horizon verification of a designed table is attempted up to this many automaton states
VERIFY_MAX_STATES = 200_000


def _verify_table(lp, model):
    """``(ok, how, all horizons?)``: the designed table through the verifier, all horizons if
    the state space fits, else every admitted pattern of a finite horizon."""
    from ..schemes.tabular import TabularScheme
    from ..verify import verify

    sch = TabularScheme(lp.scheme_table())
    try:
        res = verify(sch, model, all_horizons=True, max_states=VERIFY_MAX_STATES)
        return bool(res.ok), f"all horizons, {res.states} states", True
    except (RuntimeError, SGCError):
        rounds = lp.P + lp.T + 2
        res = verify(sch, model, rounds=rounds)
        return bool(res.ok), f"every admitted pattern of {rounds} rounds", False


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


def _design_integer(model, T, P, partitions, solver, time_limit, max_orbits, max_variables):
    """The best integer design with ``partitions`` per job, after its size checks, with the LP
    optimum attached."""
    K = check_int("partitions", partitions, minimum=1)
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

    model, T, P, solver, time_limit, _, max_variables = _checked(
        n, model, T, P, solver, time_limit, LP_MAX_ORBITS, max_variables
    )
    res = _design_integer(model, T, P, partitions, solver, time_limit, LP_MAX_ORBITS, max_variables)
    if res.status not in ("optimal", "feasible"):
        raise SGCError(f"the integer design ended with status {res.status!r}")
    sch = TabularScheme(res.lp.scheme_table())
    sch.result = res
    return sch
