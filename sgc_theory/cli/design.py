"""``sgc design``: a proved bracket on the optimal load for a delay T, for every request.

The answer (:func:`sgc_theory.design.design`) is the best proved lower bound with its argument and
the class it holds for, and the best runnable scheme proved at a delay <= T, ``optimal`` only when
they meet (``optimal_among`` names the class).  Steps that did not fit the work budget are listed
under ``not_run``; they are not errors.

JSON (``--json``): ``{status, optimal_among, lower, lower_argument, lower_holds_for, upper,
upper_scheme, upper_delay, upper_proof, ratio, lower_every_scheme, bounds, schemes, not_run, lp,
...}``.  Every load-valued field has the one shape ``{"fraction": "p/q", "float": p/q}``
(:func:`sgc_theory.rationals.load_json`; ``null`` when not known).  ``lp`` (the covering LP's own
fields, ``lp_upper`` / ``lp_lower``) is ``null`` unless that LP was solved; ``--restricted`` adds
``restricted_bound``, ``--partitions`` adds ``integer_design``.  Exit code 0 when answered (a
bracket or an optimum), 1 when the designed table of ``--partitions`` fails verification, 2 on bad
input or when no scheme exists.
"""

from __future__ import annotations

import sys
from fractions import Fraction

from ..errors import SGCError, check_int
from ..rationals import fraction_str


def register(sub) -> None:
    p = sub.add_parser(
        "design",
        help="a proved bracket on the optimal load for delay T (lower bound with its argument, "
        "best proved runnable scheme); with --partitions K also the best integer design",
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
        "reaches larger cases; bursty models; run anyway when the full LP does not fit)",
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
    from ._common import emit

    n, model, T, P, K, r = _parsed(args)
    ans = _solve(args, n, model, T, P, K, r)
    lines = _lines(ans)
    ok = True
    if ans.integer is not None:
        ok = ans.integer.status == "optimal" and bool(ans.integer.verified)
        lines += _integer_lines(ans.integer, K)
    emit(args, _payload(ans), "\n".join(lines))
    return 0 if ok else 1


def _payload(ans) -> dict:
    from ..rationals import load_json

    d = ans.as_dict()
    res = ans.integer
    if res is not None:
        gap = None
        if res.lp_bound is not None and res.load_fraction is not None:
            gap = res.load_fraction - res.lp_bound
        d["integer_design"] = {
            **res.as_dict(),
            "gap_to_lp": load_json(gap),
            "verified": res.verified,
            "verified_how": res.verified_how,
        }
    return d


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
    if args.restricted and not model.spec.startswith("bursty"):
        raise SGCError(f"--restricted needs a bursty model (got {model.spec})")
    return n, model, T, P, K, r


def _cli_names(msg: str) -> str:
    for a, b in (
        ("max_orbits=", "--max-orbits "),
        ("max_variables=", "--max-variables "),
        ("raise max_orbits", "raise --max-orbits"),
        ("raise max_variables", "raise --max-variables"),
        ("raise max_replication", "raise --max-replication"),
    ):
        msg = msg.replace(a, b)
    return msg


def _solve(args, n, model, T, P, K, r):
    """Run :func:`sgc_theory.design.design`; its messages name the command-line options."""
    from ..design import design

    try:
        ans = design(
            n,
            model,
            T,
            P=P,
            partitions=K,
            max_replication=r,
            restricted=args.restricted,
            solver=args.solver,
            time_limit=args.time_limit,
            max_orbits=args.max_orbits,
            max_variables=args.max_variables,
            progress=not args.json and sys.stderr.isatty(),
        )
    except SGCError as exc:
        raise SGCError(_cli_names(str(exc))) from None
    ans.not_run = [_cli_names(x) for x in ans.not_run]
    return ans


def _lines(ans) -> list:
    """The text answer: the bracket, its two arguments, the other ends, what was not run."""
    low, up = ans.lower, ans.upper
    head = f"{ans.model!r}, T={ans.T}: "
    if ans.optimal:
        head += f"optimal load {_show(up.value)} (optimal among {ans.optimal_among})"
    else:
        ratio = "" if ans.ratio is None else f", upper/lower = {ans.ratio:.6g}"
        head += f"the optimum lies in [{_show(low and low.value)}, {_show(up and up.value)}]{ratio}"
    lines = [head]
    if low is not None:
        lines.append(f"  lower: {low.argument} (holds for {low.holds_for})")
    if up is not None:
        lines.append(f"  upper: {up.command} (delay {up.delay}): {up.proof}")
    every = ans.lower_every_scheme
    if every is not None and low is not None and every.value < low.value:
        lines.append(f"  over every scheme: >= {_show(every.value)} ({every.kind})")
    for s in sorted(ans.schemes, key=lambda s: s.value):
        if s is not up:
            lines.append(f"  also proved: {s.command} (delay {s.delay}): {_show(s.value)}")
    if ans.lp is not None:
        res = ans.lp
        lines.append(
            f"  covering LP (schemes looking back P={ans.P} rounds): achievable "
            f"{_show(res.upper)}, dual bound {_show(res.lower)}, status {res.status}, "
            f"{res.variables} variables, {res.constraints} constraints"
        )
    lines += [f"  not run: {x}" for x in ans.not_run]
    lines.append(f"  ({ans.seconds:.2f} s)")
    return lines


def _integer_lines(res, K) -> list:
    """The integer design's lines (its load, the LP optimum, the verification of its table)."""
    return [
        f"  best integer design with K={K} partitions: load {_show(res.load_fraction)}, "
        f"status {res.status}",
        f"    LP optimum (best fractional design): {_show(res.lp_bound)}",
        f"    tabular scheme verified ({res.verified_how}): {res.verified}",
    ]
