"""``sgc reproduce``: the paper's trace experiment on the shipped load-0 probes.

``sgc reproduce [--trace NAME ...] [--slope {default,paper,C} ...] [--jobs J] [--mu MU]
[--max-delay T] [--max-work N] [--json]``: for each trace and slope, the sweep picks each scheme's
fastest configuration with delay <= T under the paper's policy; those configurations are replayed
under the paper, minimal and optimal policies (paired: same rounds, same workers). ``--json``
gives ``{"runs": [{"trace", "slope", "jobs", "best": {scheme: {"params", "load": {"fraction", "float"}, "T", "runtime":
{policy: s}, "exact_optimal"}}, "ratio_msgc_gc": {policy: x}, "diff_msgc_gc": {policy: s},
"ratio_to_gc": {scheme: {policy: x}}}], "summary": {policy: {"median", "min", "max", "count"}},
"summary_by_slope": {...}, "summary_to_gc": {scheme: {policy: {...}}}, "settings": {...}}``.
The schemes are no coding and every registered family (GC, SR-SGC, M-SGC, BR-SGC).
"""

from __future__ import annotations

import sys

from ..errors import check_int
from ._common import LABELS, budget_options, budget_value, check_number, mu_option, secs
from .traces import strict_emit

__all__ = ["register"]


def register(subparsers) -> None:
    """Add ``reproduce`` to the ``sgc`` command line."""
    p = subparsers.add_parser(
        "reproduce", help="the paper's protocol on every shipped load-0 trace"
    )
    p.add_argument(
        "--trace",
        nargs="+",
        default=None,
        help="traces (default: every shipped trace measured at load 0)",
    )
    p.add_argument(
        "--slope",
        nargs="+",
        default=["default", "paper"],
        help="seconds per unit load: numbers, 'default' (1.1218) or 'paper' (2.2013); default both",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="jobs per run (default: the trace's rounds minus --max-delay)",
    )
    mu_option(p)
    p.add_argument(
        "--max-delay",
        dest="max_delay",
        type=int,
        default=4,
        help="largest delay T swept (default 4, as in the paper)",
    )
    budget_options(
        p, "budget of each optimal-policy dynamic program, in transitions (default 3,000,000)"
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_reproduce)


def _fmt(x, spec=".2f"):
    return secs(x, spec)


def _reproduce(args) -> int:
    from ..simulate.reproduce import REPRO_POLICIES, reproduce

    if args.jobs is not None:
        check_int("--jobs", args.jobs, minimum=1)
    check_number("--mu", args.mu, minimum=0)
    check_int("--max-delay", args.max_delay, minimum=0)
    out = reproduce(
        args.trace,
        slopes=args.slope,
        jobs=args.jobs,
        mu=args.mu,
        max_delay=args.max_delay,
        max_work=budget_value(getattr(args, "max_work", None)),
        progress=(not args.json) and sys.stderr.isatty(),
    )
    lines = [
        "Paired per trace (same rounds, same workers); configurations chosen by the paper "
        "policy's sweep; runtimes in seconds (paper / minimal / optimal)."
    ]
    for run in out["runs"]:
        lines.append(
            f"{run['trace']} (region {run['region']}), slope {run['slope']:g}, {run['jobs']} jobs:"
        )
        for sc, b in run["best"].items():
            if b is None:
                lines.append(f"  {sc:9s} no configuration")
                continue
            params = " ".join(f"{k}={v}" for k, v in b["params"].items()) or "-"
            rts = " / ".join(_fmt(b["runtime"][p]) for p in REPRO_POLICIES)
            lines.append(f"  {sc:9s} {params:18s} load {b['load']['float']:.5f}  {rts}")
        lines.append(
            "  M-SGC/GC: "
            + ", ".join(
                f"{p} {_fmt(run['ratio_msgc_gc'][p], '.3f')} ({_fmt(run['diff_msgc_gc'][p], '+.2f')} s)"
                for p in REPRO_POLICIES
            )
        )
        for sc, rat in run["ratio_to_gc"].items():
            if sc not in ("nocoding", "msgc"):
                lines.append(
                    f"  {LABELS.get(sc, sc)}/GC: "
                    + ", ".join(f"{p} {_fmt(rat[p], '.3f')}" for p in REPRO_POLICIES)
                )
    lines.append("Runtime / GC's over all runs (median [min, max]):")
    for sc, summ in out["summary_to_gc"].items():
        lines.append(
            f"  {LABELS.get(sc, sc) + '/GC:':13s} "
            + "; ".join(
                f"{p} {_fmt(s['median'], '.3f')} [{_fmt(s['min'], '.3f')}, {_fmt(s['max'], '.3f')}]"
                for p, s in summ.items()
            )
        )
    strict_emit(args, out, "\n".join(lines))
    return 0
