"""``sgc design``: the optimal load for a delay T (covering LP by worker types, any n), or the
best integer design with K partitions per job as a verified runnable scheme (small n).

JSON (``--json``): ``{load, lower_bound, lp_lower, status, exact, certificate, variables,
constraints, verified, bracket, ...}``.  Every load-valued field has the one shape
``{"fraction": "p/q", "float": p/q}`` (:func:`sgc_theory.rationals.load_json`; ``null`` when not
known): ``load`` is an exactly achievable load (the LP's exactly feasible primal, or the integer
design's exact load), ``lp_lower`` the LP's exact dual bound (equal to ``load`` when ``exact``),
``lower_bound`` the best bound on every scheme the toolkit certifies (counting, density,
finite-horizon LP when cheap); ``bracket`` has ``lower``, ``upper`` and ``lp_upper``, and
``--restricted`` adds ``restricted_bound`` with ``lower`` and ``restricted_lp_upper``.  Exit code
0 when the optimum was certified (and, with ``--partitions``, the designed table verified), 1
when the solver stopped early or the table failed verification, 2 on bad input or an infeasible
design.
"""

from __future__ import annotations

import sys
from fractions import Fraction

from ..budget import WorkTooLargeError
from ..errors import SGCError, check_int
from ..rationals import fraction_str, load_json

#: all-horizon verification of a designed table is attempted up to this many automaton states
VERIFY_MAX_STATES = 200_000


def register(sub) -> None:
    p = sub.add_parser(
        "design",
        help="optimal load for delay T (covering LP by worker types), "
        "or with --partitions K the best integer design as an "
        "explicit verified scheme",
    )
    _add_problem_args(p)
    _add_solver_args(p)
    p.set_defaults(func=_design)


def _add_problem_args(p) -> None:
    """The options that state the problem: workers, model, delay, memory, partitions, sets."""
    p.add_argument("--n", type=int, required=True, help="number of workers")
    p.add_argument("--model", required=True, help="e.g. bursty:B=2,W=3,lam=2")
    p.add_argument("--T", type=int, required=True, help="delay: job t decoded by round t + T")
    p.add_argument(
        "--P",
        type=int,
        default=None,
        help="rounds before a job's release its decisions may use (default W - 1; "
        "smaller = less memory)",
    )
    p.add_argument(
        "--partitions",
        type=int,
        default=None,
        help="K equal partitions per job: the best integer design (small n) and "
        "its verified tabular scheme",
    )
    p.add_argument(
        "--max-replication",
        type=int,
        default=None,
        dest="max_replication",
        help="LP: worker sets of at most r workers (reports the bound for any size)",
    )


def _add_solver_args(p) -> None:
    """The options of the solve: solver, limits, budgets, restricted adversary, JSON."""
    from ..design.api import ILP_MAX_VARIABLES, LP_MAX_ORBITS

    p.add_argument("--solver", default=None, help="highs (default) or cbc")
    p.add_argument(
        "--time-limit",
        type=float,
        default=None,
        dest="time_limit",
        help="solver time limit in seconds (a positive number)",
    )
    p.add_argument(
        "--max-orbits",
        type=int,
        default=LP_MAX_ORBITS,
        dest="max_orbits",
        help=f"LP budget: history orbits per length (default {LP_MAX_ORBITS})",
    )
    p.add_argument(
        "--max-variables",
        type=int,
        default=ILP_MAX_VARIABLES,
        dest="max_variables",
        help=f"integer design budget: variables (default {ILP_MAX_VARIABLES})",
    )
    p.add_argument(
        "--restricted",
        default=None,
        choices=["full-bursts"],
        help="also solve the covering LP against a restricted adversary (a lower bound that "
        "reaches larger cases; bursty models)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help='print JSON; every load as {"fraction": "p/q", "float": p/q}',
    )


def _show(f) -> str:
    """A fraction for text output: exact when short, else its value and denominator size."""
    if f is None:
        return "n/a"
    f = Fraction(f)
    if f.denominator < 10**12:
        return f"{fraction_str(f)} ({float(f):.8g})"
    return f"{float(f):.12g} (exact rational, {len(str(f.denominator))}-digit denominator)"


def _design(args) -> int:
    from ..design import lower_bound
    from ._common import emit

    n, model, T, P, K, r = _parsed(args)
    res = _solve(args, n, model, T, P, K, r)
    _refuse_unfinished(res, model, n, T, r)
    lb, lb_name = lower_bound(model, T, solver=args.solver)
    Pv = model.W - 1 if P is None else P
    payload = _payload(n, model, T, Pv, res, lb, lb_name)
    if K is None:
        ok = res.status == "optimal"
        lines = _lp_lines(res, model, T, Pv, r, payload)
    else:
        ok, lines = _integer_lines(res, model, T, Pv, K, payload)
    lines += _closing_lines(res, lb, lb_name, ok)
    if K is None:
        lines += _bracket(args, model, T, res, (lb, lb_name), payload)
    emit(args, payload, "\n".join(lines))
    return 0 if ok else 1


def _parsed(args) -> tuple:
    """The checked ``(n, model, T, P, K, r)`` of the command line (``None`` where not given)."""
    from ..models import parse_model

    n = check_int("--n", args.n, minimum=1)
    model = parse_model(args.model, n)
    T = check_int("--T", args.T, minimum=0)
    P = None if args.P is None else check_int("--P", args.P, minimum=0)
    K = None if args.partitions is None else check_int("--partitions", args.partitions, minimum=1)
    r = (
        None
        if args.max_replication is None
        else check_int("--max-replication", args.max_replication, minimum=1)
    )
    if K is not None and r is not None:
        raise SGCError("--max-replication applies to the LP, not to --partitions")
    return n, model, T, P, K, r


def _solve(args, n, model, T, P, K, r):
    """Run :func:`sgc_theory.design.design`; its errors name the command-line options."""
    from ..design import design

    try:
        return design(
            n,
            model,
            T,
            P=P,
            partitions=K,
            max_replication=r,
            solver=args.solver,
            time_limit=args.time_limit,
            max_orbits=args.max_orbits,
            max_variables=args.max_variables,
            progress=not args.json and sys.stderr.isatty(),
        )
    except SGCError as exc:
        msg = (
            str(exc)
            .replace("max_orbits=", "--max-orbits ")
            .replace("max_variables=", "--max-variables ")
            .replace("raise max_orbits", "raise --max-orbits")
        )
        raise SGCError(msg.replace("raise max_variables", "raise --max-variables")) from None


def _refuse_unfinished(res, model, n, T, r) -> None:
    """An infeasible design or a solve stopped by the work budget is exit 2, with what is known."""
    if res.status == "infeasible":
        why = f" with worker sets of at most {r} workers (raise --max-replication)" if r else ""
        raise SGCError(
            f"no scheme with delay T={T} exists for {model.spec} on n={n} workers"
            f"{why} (the covering LP is infeasible)"
        )
    if "work budget" in res.status:  # a budget stop is exit 2, like every request over budget
        known = ""
        if res.lower is not None or res.load_fraction is not None:
            known = (
                f"; known so far: optimal load >= {_show(res.lower)}, a design of load "
                f"{_show(res.load_fraction)}"
            )
        raise WorkTooLargeError(
            f"design of {model.spec} on n={n} workers with T={T}: the solver stopped at the "
            f"work budget after {res.seconds:.0f} s{known}; raise the budget with --max-work N"
        )


def _payload(n, model, T, P, res, lb, lb_name) -> dict:
    """The JSON fields every design reports (loads in the one shape of ``load_json``)."""
    return {
        "n": n,
        "model": model.spec,
        "T": T,
        "P": P,
        "load": load_json(res.load_fraction),
        "lower_bound": load_json(lb),
        "lower_bound_kind": lb_name,
        "status": res.status,
        "exact": bool(res.exact),
        "certificate": res.certificate,
        "variables": res.variables,
        "constraints": res.constraints,
        "verified": None,
        "basis": getattr(res, "basis", None),
    }


def _lp_lines(res, model, T, P, r, payload) -> list:
    """The LP's fields (its dual bound, and with ``--max-replication`` the bound for any set
    size) into ``payload``; its text lines."""
    payload["lp_lower"] = load_json(res.lower)
    if r is not None:
        payload["max_replication"] = r
        payload["lp_lower_any_set_size"] = load_json(res.lower_any_size)
    head = f"LP optimum (schemes looking back P={P} rounds)"
    lines = [
        f"{model!r}, T={T}: {head}: {_show(res.load_fraction)}, status {res.status}",
        f"  certificate: {res.certificate}",
    ]
    if not res.exact and res.lower is not None:
        lines.append(f"  exact dual bound: {_show(res.lower)}")
    if r is not None:
        same = res.lower_any_size is not None and res.lower_any_size == res.lower
        lines.append(
            f"  with worker sets of at most {r} workers; "
            + (
                "larger sets cannot help (the dual bound holds for sets of any size)"
                if same
                else f"for sets of any size these duals only show >= {_show(res.lower_any_size)}"
                " (run without --max-replication for the unrestricted optimum)"
            )
        )
    return lines


def _integer_lines(res, model, T, P, K, payload) -> tuple[bool, list]:
    """The integer design's fields (LP optimum, gap, verification of its table) into
    ``payload``; ``(certified and verified, text lines)``."""
    gap = None
    if res.lp_bound is not None and res.load_fraction is not None:
        gap = res.load_fraction - res.lp_bound
    payload["lp_optimum"] = load_json(res.lp_bound)
    payload["gap_to_lp"] = load_json(gap)
    verified, how = (None, "")
    if res.status in ("optimal", "feasible"):
        verified, how = _verify_table(res.lp, model)
    payload["verified"] = verified
    ok = res.status == "optimal" and bool(verified)
    lines = [
        f"{model!r}, T={T}, P={P}: best integer design with K={K} partitions: load "
        f"{_show(res.load_fraction)}, status {res.status}",
        f"  LP optimum (best fractional design): {_show(res.lp_bound)}",
        f"  tabular scheme verified ({how}): {verified}",
    ]
    return ok, lines


def _closing_lines(res, lb, lb_name, ok) -> list:
    """The text lines every design ends with: the lower bound, the size, why not certified."""
    lines = [
        f"  lower bound on every scheme: {_show(lb)}, {lb_name}",
        f"  {res.variables} variables, {res.constraints} constraints, {res.seconds:.2f} s",
    ]
    if not ok:
        if res.status == "optimal":
            why = "the designed table failed verification"
        elif "work budget" in res.status:
            why = "the solver stopped at the work budget (raise --max-work)"
        else:
            why = "the solver stopped early (raise --time-limit)"
        lines.append(f"  NOT certified optimal: {why}")
    return lines


def _bracket(args, model, T, res, lb, payload) -> list:
    """Add ``bracket`` (best proved lower bound, best runnable scheme) and, with
    ``--restricted``, ``restricted_bound`` to the payload; the text lines for them."""
    from ..design.restricted import bracket, restricted_lower_bound
    from ..models.window import Bursty

    rb = None
    if getattr(args, "restricted", None):
        if not isinstance(model, Bursty):
            raise SGCError(f"--restricted needs a bursty model (got {model.spec})")
        rb = restricted_lower_bound(
            model, T, family=args.restricted, P=args.P, max_orbits=args.max_orbits
        )
        payload["restricted_bound"] = rb.as_dict()
    br = bracket(model, T, lp_result=res, restricted=rb, extra=[lb])
    payload["bracket"] = {
        k: load_json(v) if k in ("lower", "upper", "lp_upper") else v for k, v in br.items()
    }
    out = [f"  bracket on the optimum: [{_show(br['lower'])}, {_show(br['upper'])}]"]
    out.append(f"    lower: {br['lower_argument']}")
    out.append(f"    upper: {br['upper_scheme'] or 'no runnable scheme of the toolkit'}")
    return out


def _verify_table(lp, model):
    """Run the designed table through the verifier: all horizons if the state space fits,
    else every admitted pattern of a finite horizon."""
    from ..schemes.tabular import TabularScheme
    from ..verify import verify

    sch = TabularScheme(lp.scheme_table())
    try:
        res = verify(sch, model, all_horizons=True, max_states=VERIFY_MAX_STATES)
        return bool(res.ok), f"all horizons, {res.states} states"
    except (RuntimeError, SGCError):
        rounds = lp.P + lp.T + 2
        res = verify(sch, model, rounds=rounds)
        return bool(res.ok), f"every admitted pattern of {rounds} rounds"
