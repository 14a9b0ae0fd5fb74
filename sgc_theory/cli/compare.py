"""``sgc compare`` and ``sgc recommend``: long runs under a straggler process, with intervals.

``sgc compare (--trace FILE_OR_NAME | --process MODEL.json) [--rounds R] [--replications K]
[--mu MU] [--schemes ...] [--policies ...] [--optimal-jobs J] [--json]``: per scheme and policy
``mean_time_per_job``, ``ci95``, ``ratio_to_gc`` (``mean``, ``ci95``), ``model_violations``
(fraction of rounds) and ``fallback_time`` (seconds per job). A trace is fitted first (a
two-state process, labels at ``mu``); ``replay`` then gives the same configurations' ratios on the
trace itself.

``sgc recommend --trace FILE_OR_NAME [--mu MU] [--json]``: ``best`` (scheme and parameters),
``speedup_over_gc`` with ``ci95``, ``runner_up``; ``--scheduler`` runs the replications on Dask.
"""

from __future__ import annotations

import sys

from ._common import budget_arg, budget_value, sim_scheme_name
from .traces import strict_emit

__all__ = ["register"]


def _shared(p, rounds_help: str) -> None:
    """The options ``compare`` and ``recommend`` share: the source, the process fit, the pilot,
    the long runs' length and number, the scheduler and --json."""
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument(
        "--trace",
        help="shipped trace name or CSV file (a process is fitted to it), or a process file",
    )
    src.add_argument("--process", help="process file written by sgc traces fit --out")
    p.add_argument("--mu", type=float, default=1.0, help="straggler slack (default 1)")
    p.add_argument("--states", type=int, default=2, help="hidden states when fitting (default 2)")
    p.add_argument(
        "--schemes",
        nargs="+",
        type=sim_scheme_name,
        default=None,
        metavar="NAME",
        help="families to compare (default: nocoding gc srsgc msgc brsgc; wcsgc when named: its "
        "decoder is not vectorised, about 3 s per 1,000 rounds)",
    )
    p.add_argument("--slope", default=None, help="seconds per unit load (number, default, paper)")
    p.add_argument("--seed", type=int, default=0, help="seed of the replications (default 0)")
    p.add_argument("--pilot-jobs", dest="pilot_jobs", type=int, default=20, help="pilot sweep jobs")
    p.add_argument(
        "--max-delay", dest="max_delay", type=int, default=4, help="largest delay T (default 4)"
    )
    p.add_argument("--rounds", type=int, default=2_000, help=rounds_help)
    p.add_argument("--replications", type=int, default=10, help="independent runs (default 10)")
    p.add_argument("--scheduler", default=None, help="address of a Dask scheduler")
    p.add_argument("--json", action="store_true", help="print JSON")


def register(subparsers) -> None:
    """Add ``compare`` and ``recommend`` to the ``sgc`` command line."""
    p = subparsers.add_parser("compare", help="long-run time per job of every scheme, with CIs")
    _shared(p, "rounds per run (default 2,000; 20 runs of 10,000 need --max-work 1e9)")
    p.add_argument(
        "--policies",
        nargs="+",
        choices=["paper", "minimal"],
        default=["paper", "minimal"],
        help="online waiting policies (default both)",
    )
    p.add_argument(
        "--optimal-jobs",
        dest="optimal_jobs",
        type=int,
        default=0,
        help="also the offline optimum on the first J jobs of every run (default 0: off)",
    )
    p.add_argument(
        "--max-dp-work",
        dest="max_dp_work",
        type=budget_arg("--max-dp-work"),
        default=None,
        metavar="N",
        help="budget of each optimal dynamic program (default 3,000,000 transitions)",
    )
    p.set_defaults(func=_compare)
    q = subparsers.add_parser("recommend", help="the scheme and parameters to run, with a CI")
    _shared(q, "rounds per run (default 2,000)")
    q.add_argument("--top", type=int, default=3, help="pilot candidates per scheme (default 3)")
    q.add_argument("--policy", choices=["paper", "minimal"], default="paper", help="waiting policy")
    q.set_defaults(func=_recommend)


def _src(args):
    from ..errors import check_int

    check_int("--states", args.states, minimum=2)
    return args.trace if args.trace is not None else args.process


def _fmt_ci(ci) -> str:
    return "n/a" if ci is None else f"[{ci[0]:.4f}, {ci[1]:.4f}]"


def _compare(args) -> int:
    from ..simulate.compare import compare

    progress = (not args.json) and sys.stderr.isatty()
    out = compare(
        _src(args),
        rounds=args.rounds,
        replications=args.replications,
        mu=args.mu,
        schemes=args.schemes,
        policies=tuple(args.policies),
        slope=args.slope,
        seed=args.seed,
        pilot_jobs=args.pilot_jobs,
        max_delay=args.max_delay,
        states=args.states,
        optimal_jobs=args.optimal_jobs,
        optimal_work=budget_value(args.max_dp_work),
        scheduler=args.scheduler,
        progress=progress,
    )
    s = out["settings"]
    lines = [
        f"{s['replications']} runs of {s['rounds']} rounds ({out['jobs']} jobs), mu={s['mu']:g}, "
        "common random numbers; time per job with 95% CI, ratio to GC (paired)"
    ]
    for sc, r in out["results"].items():
        params = " ".join(f"{k}={v}" for k, v in r["params"].items())
        for pol in [p for p in ("paper", "minimal", "optimal") if p in r]:
            e = r[pol]
            if e["mean_time_per_job"] is None:
                lines.append(f"  {sc:8s} {params:20s} {pol:7s} not reached")
                continue
            line = (
                f"  {sc:8s} {params:20s} {pol:7s} {e['mean_time_per_job']:.4f} s "
                f"{_fmt_ci(e['ci95'])}  ratio {e['ratio_to_gc']['mean']:.4f} "
                f"{_fmt_ci(e['ratio_to_gc']['ci95'])}"
            )
            if "model_violations" in e:
                line += (
                    f"  violations {e['model_violations']:.3f}"
                    f"  fallback {e['fallback_time']:.4f} s/job"
                )
            lines.append(line)
    strict_emit(args, out, "\n".join(lines))
    return 0


def _recommend(args) -> int:
    from ..simulate.compare import recommend

    progress = (not args.json) and sys.stderr.isatty()
    out = recommend(
        _src(args),
        mu=args.mu,
        rounds=args.rounds,
        replications=args.replications,
        schemes=args.schemes,
        top=args.top,
        policy=args.policy,
        slope=args.slope,
        seed=args.seed,
        pilot_jobs=args.pilot_jobs,
        max_delay=args.max_delay,
        states=args.states,
        scheduler=args.scheduler,
        progress=progress,
    )

    def show(e):
        params = " ".join(f"{k}={v}" for k, v in e["params"].items())
        return f"{e['scheme']} {params} ({e['mean_time_per_job']:.4f} s/job {_fmt_ci(e['ci95'])})"

    sp = out["speedup_over_gc"]
    lines = [
        f"best: {show(out['best'])}",
        f"speed-up over the best GC ({show(out['best_gc'])}): {sp['mean']:.4f} "
        f"{_fmt_ci(sp['ci95'])}",
    ]
    if out["runner_up"] is not None:
        lines.append(f"runner-up: {show(out['runner_up'])}")
    strict_emit(args, out, "\n".join(lines))
    return 0
