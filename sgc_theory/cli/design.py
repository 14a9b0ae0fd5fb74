"""``sgc design``: optimal load for a delay T by the covering LP/ILP (SPEC section 6)."""

from __future__ import annotations

from fractions import Fraction

from ..errors import SGCError, check_int

#: all-horizon verification of a designed table is attempted up to this many automaton states
VERIFY_MAX_STATES = 200_000


def register(sub) -> None:
    p = sub.add_parser("design", help="optimal load for delay T (covering LP, or ILP with "
                                      "--partitions K giving an explicit verified scheme)")
    p.add_argument("--n", type=int, required=True, help="number of workers (n <= 8)")
    p.add_argument("--model", required=True, help="e.g. bursty:B=2,W=3,lam=2")
    p.add_argument("--T", type=int, required=True, help="delay: job t decoded by round t + T")
    p.add_argument("--P", type=int, default=None,
                   help="rounds of pre-history the decisions use (default W - 1; >= W - 1)")
    p.add_argument("--partitions", type=int, default=None,
                   help="K equal partitions per job: integer design + verified tabular scheme")
    p.add_argument("--solver", default=None, help="cbc or highs (default: highs if installed)")
    p.add_argument("--time-limit", type=float, default=None, dest="time_limit",
                   help="solver time limit in seconds")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_design)


def _fs(f) -> str | None:
    if f is None:
        return None
    f = Fraction(f)
    return f"{f.numerator}/{f.denominator}"


def _design(args) -> int:
    from ._common import emit
    from ..models import parse_model
    from ..design import build_covering_lp, lower_bound, solve

    n = check_int("--n", args.n, minimum=1)
    model = parse_model(args.model, n)
    T = check_int("--T", args.T, minimum=0)
    P = None if args.P is None else check_int("--P", args.P, minimum=0)
    K = None if args.partitions is None else check_int("--partitions", args.partitions,
                                                       minimum=1)
    if P is not None and P < model.W - 1:
        raise SGCError(f"--P must be >= W - 1 = {model.W - 1} (got P={P}, W={model.W})")
    lp = build_covering_lp(n, model, T, P=P, partitions=K)
    res = solve(lp, solver=args.solver, time_limit=args.time_limit)
    if res.status == "infeasible":
        raise SGCError(f"no scheme with delay T={T} exists for {model.spec} with n={n} "
                       "(the covering LP is infeasible)")
    if res.status not in ("optimal", "feasible"):
        raise SGCError(f"the solver ended with status {res.status!r}"
                       + (" (raise --time-limit)" if args.time_limit else ""))
    lb, lb_name = lower_bound(model, T, solver=args.solver)
    verified, how = None, ""
    if K:
        verified, how = _verify_table(lp, model)
    payload = {"load": res.load if not K else float(res.load_fraction),
               "load_fraction": _fs(res.load_fraction), "lower_bound": _fs(lb),
               "status": res.status, "variables": res.variables,
               "constraints": res.constraints, "verified": verified}
    kind = f"ILP with K={K} partitions" if K else "LP"
    text = (f"{model!r}, T={T}, P={lp.P}: optimal {kind} load {_fs(res.load_fraction)} "
            f"({float(res.load_fraction):.6g}), status {res.status}"
            + ("" if res.exact else " [load_fraction is a rounded float]") + "\n"
            f"  lower bound on every scheme: {_fs(lb)} ({float(lb):.6g}, {lb_name})\n"
            f"  {res.variables} variables, {res.constraints} constraints, "
            f"solved by {res.solver} in {res.seconds:.2f} s")
    if K:
        text += f"\n  tabular scheme verified ({how}): {verified}"
    emit(args, payload, text)
    return 0


def _verify_table(lp, model):
    """Run the designed table through the verifier: all horizons if the state space fits,
    else every admitted pattern of a finite horizon."""
    from ..schemes.tabular import TabularScheme
    from ..verify import verify

    sch = TabularScheme(lp.scheme_table())
    try:
        res = verify(sch, model, all_horizons=True, max_states=VERIFY_MAX_STATES)
        return bool(res.ok), f"all horizons, {res.states} states"
    except RuntimeError:
        rounds = lp.P + lp.T + 2
        res = verify(sch, model, rounds=rounds)
        return bool(res.ok), f"every admitted pattern of {rounds} rounds"
