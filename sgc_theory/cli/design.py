"""``sgc design``: the optimal load for a delay T (covering LP by worker types, any n), or the
best integer design with K partitions per job as a verified runnable scheme (small n).

JSON (``--json``): ``{load, load_fraction, lower_bound, lp_lower, status, exact, certificate,
variables, constraints, verified, ...}``; ``load_fraction`` is an exactly achievable load (the
LP's exactly feasible primal, or the integer design's exact load), ``lp_lower`` the LP's exact
dual bound (equal to ``load_fraction`` when ``exact``), ``lower_bound`` the best bound on every
scheme the toolkit certifies (counting, density, finite-horizon LP when cheap).  Exit code 0
when the optimum was certified (and, with ``--partitions``, the designed table verified), 1 when
the solver stopped early or the table failed verification, 2 on bad input or an infeasible
design.
"""

from __future__ import annotations

import sys
from fractions import Fraction

from ..budget import WorkTooLargeError
from ..errors import SGCError, check_int

#: all-horizon verification of a designed table is attempted up to this many automaton states
VERIFY_MAX_STATES = 200_000


def register(sub) -> None:
    from ..design.api import ILP_MAX_VARIABLES, LP_MAX_ORBITS

    p = sub.add_parser(
        "design",
        help="optimal load for delay T (covering LP by worker types), "
        "or with --partitions K the best integer design as an "
        "explicit verified scheme",
    )
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
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_design)


def _fs(f) -> str | None:
    if f is None:
        return None
    f = Fraction(f)
    return f"{f.numerator}/{f.denominator}"


def _show(f) -> str:
    """A fraction for text output: exact when short, else its value and denominator size."""
    if f is None:
        return "n/a"
    f = Fraction(f)
    if f.denominator < 10**12:
        return f"{f.numerator}/{f.denominator} ({float(f):.8g})"
    return f"{float(f):.12g} (exact rational, {len(str(f.denominator))}-digit denominator)"


def _design(args) -> int:
    from ..design import design, lower_bound
    from ..models import parse_model
    from ._common import emit

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
    try:
        res = design(
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
    Pv = model.W - 1 if P is None else P
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
    lb, lb_name = lower_bound(model, T, solver=args.solver)
    payload = {
        "n": n,
        "model": model.spec,
        "T": T,
        "P": Pv,
        "load": None,
        "load_fraction": _fs(res.load_fraction),
        "lower_bound": _fs(lb),
        "lower_bound_kind": lb_name,
        "status": res.status,
        "exact": bool(res.exact),
        "certificate": res.certificate,
        "variables": res.variables,
        "constraints": res.constraints,
        "verified": None,
        "basis": getattr(res, "basis", None),
    }
    if res.load_fraction is not None:
        payload["load"] = float(res.load_fraction)
    ok = res.status == "optimal"
    if K is None:
        payload["lp_lower"] = _fs(res.lower)
        if r is not None:
            payload["max_replication"] = r
            payload["lp_lower_any_set_size"] = _fs(res.lower_any_size)
        head = f"LP optimum (schemes looking back P={Pv} rounds)"
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
    else:
        payload["lp_optimum"] = _fs(res.lp_bound)
        payload["gap_to_lp"] = (
            None
            if res.lp_bound is None or res.load_fraction is None
            else float(res.load_fraction - res.lp_bound)
        )
        verified, how = (None, "")
        if res.status in ("optimal", "feasible"):
            verified, how = _verify_table(res.lp, model)
        payload["verified"] = verified
        ok = ok and bool(verified)
        lines = [
            f"{model!r}, T={T}, P={Pv}: best integer design with K={K} partitions: load "
            f"{_show(res.load_fraction)}, status {res.status}",
            f"  LP optimum (best fractional design): {_show(res.lp_bound)}",
            f"  tabular scheme verified ({how}): {verified}",
        ]
    lines.append(f"  lower bound on every scheme: {_show(lb)}, {lb_name}")
    lines.append(f"  {res.variables} variables, {res.constraints} constraints, {res.seconds:.2f} s")
    if not ok:
        lines.append(
            "  NOT certified optimal: "
            + (
                (
                    "the solver stopped at the work budget (raise --max-work)"
                    if "work budget" in res.status
                    else "the solver stopped early (raise --time-limit)"
                )
                if res.status != "optimal"
                else "the designed table failed verification"
            )
        )
    if K is None:
        lines += _bracket(args, model, T, res, (lb, lb_name), payload)
    emit(args, payload, "\n".join(lines))
    return 0 if ok else 1


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
    payload["bracket"] = br
    out = [f"  bracket on the optimum: [{br['lower']}, {br['upper']}]"]
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
