"""``sgc compare`` and ``sgc recommend``: long runs under a straggler process, with intervals.

``sgc compare (--trace FILE_OR_NAME | --process MODEL.json [--trace FILE_OR_NAME]) [--rounds R] [--replications K]
[--target-halfwidth H] [--mu MU] [--schemes ...] [--policies ...] [--probe-load L0]
[--allow-not-credible] [--optimal-jobs J] [--json]``: per scheme and policy
``mean_time_per_job``, ``ci95``, ``ratio_to_gc`` (``mean``, ``ci95``), ``model_violations``
and ``fallback_time``; ``convergence`` gives the rounds, the runs and the achieved relative
half-width of the ratios' intervals (runs are added until it is at most H, default 0.01; ``off``
for exactly K runs). A trace is fitted first (``--states``: its hidden states; default the fit's
choice); ``replay`` then gives the same configurations' ratios on the trace itself (also with
``--process`` and ``--trace`` together) and ``agreement`` checks them against the process's: when
they disagree (rule in docs/guide/simulation.md) a warning leads. A fitted
process that is not credible is refused (exit 2, with the reasons) unless
``--allow-not-credible``; then the output carries the warning.

``sgc recommend (--trace FILE_OR_NAME | --process MODEL.json [--trace FILE_OR_NAME]) [--mu MU]
[--json]``: every configuration searched (pilot
pruning rule in docs/guide/simulation.md), the winner under each waiting policy with its ratio to
the best GC and speed-up (``by_policy``), ``runner_up``; ``--scheduler`` runs the replications on
Dask.
"""

from __future__ import annotations

import sys

from ..errors import SGCError
from ._common import (
    budget_option,
    budget_value,
    check_number,
    emit,
    mu_option,
    probe_load_option,
    sim_scheme_name,
)

__all__ = ["register"]


def _halfwidth(text):
    """``--target-halfwidth``: a positive number, or ``off``."""
    import argparse

    if str(text).strip().lower() in ("off", "none"):
        return None
    try:
        v = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number or 'off' (got {text!r})") from None
    if not 0 < v < 1e9:
        raise argparse.ArgumentTypeError(f"must be a positive number or 'off' (got {text!r})")
    return v


def _shared(p) -> None:
    """The options ``compare`` and ``recommend`` share."""
    p.add_argument(
        "--trace",
        help="shipped trace name or CSV file: a process is fitted to it (alone) or it is replayed "
        "next to --process; its replay's answer is checked against the process's",
    )
    p.add_argument("--process", help="process file written by sgc traces fit --out")
    mu_option(p)
    p.add_argument(
        "--states",
        type=int,
        default=None,
        help="hidden states when fitting a trace (default: the fit's choice); refused with "
        "--process",
    )
    probe_load_option(
        p,
        "load at which a CSV trace was measured (default: index.csv, else 0); the origin "
        "of the load shift (--slope)",
    )
    p.add_argument(
        "--schemes",
        nargs="+",
        type=sim_scheme_name,
        default=None,
        metavar="NAME",
        help="families to compare (default: nocoding gc srsgc msgc brsgc; wcsgc and prsgc when "
        "named: searched on a stated grid, their decoders are not vectorised)",
    )
    p.add_argument("--slope", default=None, help="seconds per unit load (number, default, paper)")
    p.add_argument("--seed", type=int, default=0, help="seed of the replications (default 0)")
    p.add_argument("--pilot-jobs", dest="pilot_jobs", type=int, default=20, help="pilot sweep jobs")
    p.add_argument(
        "--max-delay", dest="max_delay", type=int, default=4, help="largest delay T (default 4)"
    )
    p.add_argument("--rounds", type=int, default=2_000, help="rounds per run (default 2,000)")
    p.add_argument("--replications", type=int, default=5, help="runs to start with (default 5)")
    p.add_argument(
        "--target-halfwidth",
        dest="target_halfwidth",
        type=_halfwidth,
        default=0.01,
        metavar="H",
        help="add runs until every ratio's 95%% interval has relative half-width <= H "
        "(default 0.01; 'off': exactly --replications runs)",
    )
    p.add_argument(
        "--max-replications",
        dest="max_replications",
        type=int,
        default=100,
        help="at most this many runs (default 100)",
    )
    p.add_argument(
        "--allow-not-credible",
        dest="allow_not_credible",
        action="store_true",
        help="go on when the fitted process is not credible (the output carries a warning)",
    )
    _run_options(p)


def _run_options(p) -> None:
    """Where and within which budget the runs go, and --json."""
    p.add_argument("--scheduler", default=None, help="address of a Dask scheduler")
    budget_option(
        p,
        "--max-work",
        "work budget (default 1e8 work units, about a microsecond each; inf for no limit)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")


def register(subparsers) -> None:
    """Add ``compare`` and ``recommend`` to the ``sgc`` command line."""
    p = subparsers.add_parser("compare", help="long-run time per job of every scheme, with CIs")
    _shared(p)
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
    budget_option(
        p,
        "--max-dp-work",
        "budget of each optimal dynamic program (default 3,000,000 transitions)",
    )
    p.set_defaults(func=_compare)
    q = subparsers.add_parser("recommend", help="the scheme and parameters to run, with a CI")
    _shared(q)
    q.add_argument(
        "--top", type=int, default=200, help="at most this many candidates per family and policy"
    )
    q.add_argument(
        "--pilot-replications",
        dest="pilot_replications",
        type=int,
        default=3,
        help="pilot matrices (default 3)",
    )
    q.add_argument(
        "--policy",
        choices=["paper", "minimal"],
        default="paper",
        help="policy of the headline answer (both are shown)",
    )
    q.set_defaults(func=_recommend)


def _common_kwargs(args) -> dict:
    """The library arguments of the shared options (checked, in one line naming the option)."""
    check_number("--mu", args.mu, minimum=0)
    if args.probe_load is not None:
        check_number("--probe-load", args.probe_load, minimum=0)
    if args.trace is None and args.process is None:
        raise SGCError("--trace or --process: one is required (both: --trace is replayed)")
    if args.process is not None and args.states is not None:
        raise SGCError("--states: applies when a trace is fitted (--trace CSV), not to --process")
    if args.process is not None and args.probe_load is not None:
        raise SGCError("--probe-load: applies when a trace is fitted, not to --process")
    return dict(
        mu=args.mu,
        rounds=args.rounds,
        replications=args.replications,
        schemes=args.schemes,
        slope=args.slope,
        seed=args.seed,
        pilot_jobs=args.pilot_jobs,
        max_delay=args.max_delay,
        states=args.states,
        probe_load=args.probe_load,
        target_halfwidth=args.target_halfwidth,
        max_replications=args.max_replications,
        allow_not_credible=args.allow_not_credible,
        trace=args.trace if args.process is not None else None,
        scheduler=args.scheduler,
        progress=(not args.json) and sys.stderr.isatty(),
        max_work=budget_value(args.max_work),
    )


def _src(args):
    return args.process if args.process is not None else args.trace


def _agreement_line(out) -> list:
    """The agreement of the process and its trace, when a trace was replayed."""
    a = out.get("agreement")
    if not a:
        return []
    if a["agree"]:
        return [f"process and trace replay agree ({len(a['checks'])} ratios; {a['rule']})"]
    return [f"process and trace replay DISAGREE (see the warning; {a['rule']})"]


def _fmt_ci(ci) -> str:
    return "n/a" if ci is None else f"[{ci[0]:.4f}, {ci[1]:.4f}]"


def _head(out) -> list:
    """The lines every answer starts with: the warning, the runs and their convergence."""
    s, c = out["settings"], out["convergence"]
    lines = [out["warning"]] if out.get("warning") else []
    h = c["achieved_halfwidth"]
    tgt = "off" if c["target_halfwidth"] is None else f"{c['target_halfwidth']:g}"
    state = "reached" if c["reached"] else f"NOT reached ({c['limited_by']})"
    lines.append(
        f"{c['replications']} runs of {c['rounds']} rounds ({out['jobs']} jobs), mu={s['mu']:g}, "
        f"slope {s['slope']:g} s/load ({s['slope_origin']}), probe load {s['probe_load']:g}; "
        f"common random numbers"
    )
    lines.append(
        f"ratio intervals: relative half-width {'n/a' if h is None else f'{h:.4f}'} "
        f"(target {tgt}: {state})"
    )
    return lines


def _compare(args) -> int:
    from ..simulate.compare import compare

    out = compare(
        _src(args),
        policies=tuple(args.policies),
        optimal_jobs=args.optimal_jobs,
        optimal_work=budget_value(args.max_dp_work),
        **_common_kwargs(args),
    )
    lines = _head(out) + ["time per job with 95% CI, ratio to GC (paired)"]
    replay = (out.get("replay") or {}).get("ratio_to_gc", {})
    for sc, r in out["results"].items():
        params = " ".join(f"{k}={v}" for k, v in r["params"].items())
        for pol in [p for p in ("paper", "minimal", "optimal") if p in r]:
            lines.append(_row(sc, params, pol, r[pol], replay.get(sc, {}).get(pol)))
    for sc, why in out["not_compared"].items():
        lines.append(f"  not compared ({sc}): {why}")
    emit(args, out, "\n".join(lines + _agreement_line(out)))
    return 0


def _row(sc, params, pol, e, replayed) -> str:
    """One line of ``compare``'s table."""
    if e["mean_time_per_job"] is None:
        return f"  {sc:8s} {params:20s} {pol:7s} not reached"
    rm = e["ratio_to_gc"]["mean"]
    line = (
        f"  {sc:8s} {params:20s} {pol:7s} {e['mean_time_per_job']:.4f} s "
        f"{_fmt_ci(e['ci95'])}  ratio {'n/a' if rm is None else f'{rm:.4f}'} "
        f"{_fmt_ci(e['ratio_to_gc']['ci95'])}"
    )
    if replayed is not None:
        line += f"  (trace replay {replayed:.4f})"
    if "model_violations" in e:
        line += f"  violations {e['model_violations']:.3f}  fallback {e['fallback_time']:.4f} s/job"
    return line


def _recommend(args) -> int:
    from ..simulate.recommend import recommend

    out = recommend(
        _src(args),
        top=args.top,
        policy=args.policy,
        pilot_replications=args.pilot_replications,
        **_common_kwargs(args),
    )

    def show(e):
        params = " ".join(f"{k}={v}" for k, v in e["params"].items())
        return f"{e['scheme']} {params} ({e['mean_time_per_job']:.4f} s/job {_fmt_ci(e['ci95'])})"

    lines = _head(out)
    searched = sum(f.get("searched", 0) for f in out["pilot"].values() if isinstance(f, dict))
    lines.append(f"searched {searched} configurations; pilot rule: {out['pilot']['rule']}")
    for pol, r in out["by_policy"].items():
        sp = r["speedup_over_gc"]
        mark = " (headline)" if pol == out["settings"]["policy"] else ""
        lines.append(f"policy {pol}{mark}: best {show(r['best'])}")
        lines.append(
            f"  speed-up over the best GC ({show(r['best_gc'])}): "
            f"{'n/a' if sp['mean'] is None else format(sp['mean'], '.4f')} {_fmt_ci(sp['ci95'])}"
        )
        if r["runner_up"] is not None:
            lines.append(f"  runner-up: {show(r['runner_up'])}")
    rp = out.get("replay")
    if rp:
        for pol, rr in rp["ratio_to_gc"].items():
            if rr is not None:
                lines.append(f"trace replay ({pol}): best / best GC = {rr:.4f} on the trace itself")
    emit(args, out, "\n".join(lines + _agreement_line(out)))
    return 0
