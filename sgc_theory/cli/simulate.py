"""``sgc simulate`` and ``sgc sweep`` sub-commands.

``sgc simulate --trace FILE --scheme NAME [--s S | --B B --W W --lam L] --jobs J --mu MU
[--policy paper|minimal|optimal] [--slope C|paper|default] [--probe-load L0] [--max-work N]
[--json]`` prints ``{"runtime", "round_times", "waits", "partial_waits", "rounds", "scheme",
"params", "load", "T", "policy"}`` (``optimal`` adds ``"exact", "lower_bound"``) with ``--json``.
``NAME`` is ``nocoding`` or any registered scheme (``gc``, ``srsgc``, ``msgc``, ``brsgc``), spelled
and checked by the same rule as ``sgc load/verify/show`` (:func:`sgc_theory.cli._common.check_params`).

``sgc sweep --trace FILE --jobs J --max-delay T --mu MU [--policy ...] [--slope C]
[--probe-load L0] [--scheduler ADDRESS] [--max-work N] [--json]`` prints ``{"best": {scheme:
{params..., "load": {"fraction", "float"}, "runtime"}}, "evaluated": int, "skipped": {...}}`` with ``--json``
(``optimal`` adds ``"exact", "lower_bound"`` to each best).
"""

from __future__ import annotations

import sys

from ..errors import check_int
from ._common import (
    SCHEMES,
    add_param_args,
    budget_option,
    budget_options,
    budget_value,
    check_number,
    check_params,
    probe_load_option,
    secs,
    sim_scheme_name,
)
from .traces import strict_emit

__all__ = ["register"]


def _common(p):
    p.add_argument(
        "--trace",
        required=True,
        help="shipped trace name (or unique prefix) or a CSV file (rounds x workers)",
    )
    p.add_argument("--jobs", required=True, type=int, help="number of jobs J")
    p.add_argument(
        "--mu",
        required=True,
        type=float,
        help="straggler slack: straggler iff delay > (1 + mu) * fastest",
    )
    p.add_argument(
        "--policy",
        default="paper",
        choices=["paper", "minimal", "optimal"],
        help="waiting policy (default paper); optimal = the offline optimum",
    )
    p.add_argument(
        "--slope",
        default=None,
        help="seconds per unit of normalized load: a number, 'default' (1.1218, "
        "fitted on the shipped desktop_long probes) or 'paper' (2.2013)",
    )
    probe_load_option(p)
    p.add_argument("--json", action="store_true", help="print JSON")


def register(subparsers) -> None:
    """Add ``simulate`` and ``sweep`` to the ``sgc`` command line."""
    p = subparsers.add_parser("simulate", help="runtime of one scheme on a delay trace")
    _common(p)
    p.add_argument(
        "--scheme",
        required=True,
        type=sim_scheme_name,
        metavar="{nocoding," + ",".join(SCHEMES) + "}",
        help="nocoding or a registered scheme: " + ", ".join(SCHEMES),
    )
    add_param_args(p)
    budget_options(
        p,
        "budget: optimal = dynamic-program transitions (default 3,000,000); "
        "paper/minimal = workers x rounds (default 20,000,000)",
    )
    p.set_defaults(func=_simulate)

    q = subparsers.add_parser("sweep", help="best parameters of every scheme on a delay trace")
    _common(q)
    q.add_argument(
        "--max-delay",
        dest="max_delay",
        required=True,
        type=int,
        help="largest decoding delay T allowed",
    )
    q.add_argument(
        "--schemes",
        nargs="+",
        type=sim_scheme_name,
        default=None,
        metavar="NAME",
        help="the families to sweep (default: every family with a vectorised path: nocoding, "
        "gc, srsgc, msgc, brsgc; wcsgc only when named)",
    )
    q.add_argument(
        "--scheduler",
        default=None,
        help="address of a running Dask scheduler (default: run locally)",
    )
    budget_options(q, "budget in configurations x rounds (default 20,000,000)")
    budget_option(
        q,
        "--max-dp-work",
        "optimal policy: budget of each configuration's dynamic program "
        "(default 300,000 transitions)",
    )
    q.set_defaults(func=_sweep)


def _check_run(args) -> None:
    """The options of a run, refused in one line naming the option (before any trace is read)."""
    check_int("--jobs", args.jobs, minimum=1)
    check_number("--mu", args.mu, minimum=0)
    if args.probe_load is not None:
        check_number("--probe-load", args.probe_load, minimum=0)
    if getattr(args, "max_delay", None) is not None:
        check_int("--max-delay", args.max_delay, minimum=0)


def _simulate(args) -> int:
    from ..simulate.runtime import simulate

    _check_run(args)
    params = check_params(args.scheme, {"s": args.s, "B": args.B, "W": args.W, "lam": args.lam})
    res = simulate(
        args.trace,
        args.scheme,
        jobs=args.jobs,
        mu=args.mu,
        policy=args.policy,
        slope=args.slope,
        probe_load=args.probe_load,
        max_work=budget_value(getattr(args, "max_work", None)),
        **params,
        progress=(not args.json) and sys.stderr.isatty(),
    )
    params = "".join(f" {k}={v}" for k, v in res.params.items())
    text = (
        f"{args.scheme}{params} (load {res.load:.6g}, T={res.T}, policy {args.policy}): "
        f"runtime {secs(res.runtime)} s over {res.rounds} rounds, {res.waits} waits"
    )
    if args.policy == "optimal":
        text += (
            " (proven optimal)"
            if res.exact
            else f" (best run found; the optimum is >= {secs(res.lower_bound)} s)"
        )
    strict_emit(args, res.to_json(), text)
    return 0


def _exact_load(scheme: str, n: int, params: dict) -> dict:
    """The one JSON shape of a configuration's load, ``{"fraction", "float"}``."""
    from ..bounds import nocoding_load, scheme_load
    from ..rationals import load_json

    return load_json(
        nocoding_load(n) if scheme == "nocoding" else scheme_load(scheme, n, **params)[0]
    )


def _sweep(args) -> int:
    from ..simulate.runtime import param_names
    from ..simulate.sweep import sweep

    _check_run(args)
    progress = (not args.json) and sys.stderr.isatty()
    res = sweep(
        args.trace,
        jobs=args.jobs,
        max_delay=args.max_delay,
        mu=args.mu,
        policy=args.policy,
        slope=args.slope,
        probe_load=args.probe_load,
        scheduler=args.scheduler,
        schemes=args.schemes,
        progress=progress,
        max_work=budget_value(getattr(args, "max_work", None)),
        max_dp_work=budget_value(args.max_dp_work),
    )
    best = {}
    for sc, b in res.best[args.policy].items():
        if b is None:
            best[sc] = None
            continue
        params = {k: b[k] for k in param_names(sc)}
        best[sc] = {**params, "load": _exact_load(sc, res.settings["n"], params)}
        best[sc]["runtime"] = b["runtime"]
        if args.policy == "optimal" and "exact" in b:
            best[sc]["exact"] = b["exact"]
            best[sc]["lower_bound"] = b.get("lower_bound", b["runtime"])
    lines = [f"sweep of {res.evaluated} configurations (policy {args.policy}):"]
    for sc, b in best.items():
        if b is None:
            lines.append(f"  {sc:9s} no configuration with delay <= {args.max_delay}")
            continue
        params = " ".join(
            f"{k}={v}" for k, v in b.items() if k not in ("load", "runtime", "exact", "lower_bound")
        )
        line = (
            f"  {sc:9s} {params:22s} load {b['load']['float']:.6f}  runtime {secs(b['runtime'])} s"
        )
        if b.get("exact") is False:
            line += f"  (not proven: every configuration is >= {secs(b['lower_bound'])} s)"
        lines.append(line)
    for sc, why in res.skipped.items():
        lines.append(f"  skipped ({sc}): {why}")
    strict_emit(
        args, {"best": best, "evaluated": res.evaluated, "skipped": res.skipped}, "\n".join(lines)
    )
    return 0
