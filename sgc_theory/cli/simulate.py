"""``sgc simulate`` and ``sgc sweep`` sub-commands.

``sgc simulate --trace FILE --scheme {nocoding,gc,srsgc,msgc} [--s S | --B B --W W --lam L]
--jobs J --mu MU [--policy paper|minimal] [--slope C] [--probe-load L0] [--json]``
prints ``{"runtime", "round_times", "waits", "rounds"}`` with ``--json``.

``sgc sweep --trace FILE --jobs J --max-delay T --mu MU [--policy ...] [--slope C]
[--probe-load L0] [--scheduler ADDRESS] [--json]`` prints ``{"best": {"gc": {...}, "srsgc": {...},
"msgc": {...}, "nocoding": {...}}, "evaluated": int}`` with ``--json``.
"""

from __future__ import annotations

import sys

__all__ = ["register"]


def _common(p):
    p.add_argument("--trace", required=True,
                   help="shipped trace name (or unique prefix) or a CSV file (rounds x workers)")
    p.add_argument("--jobs", required=True, type=int, help="number of jobs J")
    p.add_argument("--mu", required=True, type=float,
                   help="straggler slack: straggler iff delay > (1 + mu) * fastest")
    p.add_argument("--policy", default="paper", choices=["paper", "minimal"],
                   help="waiting policy (default paper)")
    p.add_argument("--slope", type=float, default=None,
                   help="seconds per unit of normalized load (default 1.1218)")
    p.add_argument("--probe-load", dest="probe_load", type=float, default=None,
                   help="load at which the trace was measured (default: index.csv, else 0)")
    p.add_argument("--json", action="store_true", help="print JSON")


def register(subparsers) -> None:
    """Add ``simulate`` and ``sweep`` to the ``sgc`` command line."""
    p = subparsers.add_parser("simulate", help="runtime of one scheme on a delay trace")
    _common(p)
    p.add_argument("--scheme", required=True, choices=["nocoding", "gc", "srsgc", "msgc"])
    p.add_argument("--s", type=int, default=None, help="GC: stragglers tolerated per round")
    p.add_argument("--B", type=int, default=None, help="SR-SGC/M-SGC: burst length")
    p.add_argument("--W", type=int, default=None, help="SR-SGC/M-SGC: window")
    p.add_argument("--lam", type=int, default=None, help="SR-SGC/M-SGC: stragglers per window")
    p.set_defaults(func=_simulate)

    q = subparsers.add_parser("sweep", help="best parameters of every scheme on a delay trace")
    _common(q)
    q.add_argument("--max-delay", dest="max_delay", required=True, type=int,
                   help="largest decoding delay T allowed")
    q.add_argument("--scheduler", default=None,
                   help="address of a running Dask scheduler (default: run locally)")
    q.set_defaults(func=_sweep)


def _simulate(args) -> int:
    from ._common import emit
    from ..simulate.runtime import simulate

    res = simulate(args.trace, args.scheme, jobs=args.jobs, mu=args.mu, policy=args.policy,
                   slope=args.slope, probe_load=args.probe_load, s=args.s, B=args.B, W=args.W,
                   lam=args.lam)
    params = " ".join(f"{k}={v}" for k, v in res.params.items())
    text = (f"{args.scheme} {params} (load {res.load:.6g}, T={res.T}, policy {args.policy}): "
            f"runtime {res.runtime:.4f} s over {res.rounds} rounds, {res.waits} waits")
    emit(args, res.to_json(), text)
    return 0


def _sweep(args) -> int:
    from ._common import emit
    from ..simulate.sweep import sweep

    progress = (not args.json) and sys.stderr.isatty()
    res = sweep(args.trace, jobs=args.jobs, max_delay=args.max_delay, mu=args.mu,
                policy=args.policy, slope=args.slope, probe_load=args.probe_load,
                scheduler=args.scheduler, progress=progress)
    best = {}
    for sc in ("gc", "srsgc", "msgc", "nocoding"):
        b = res.best[args.policy].get(sc)
        if b is None:
            best[sc] = None
            continue
        keys = {"gc": ("s",), "srsgc": ("B", "W", "lam"), "msgc": ("B", "W", "lam"),
                "nocoding": ()}[sc]
        best[sc] = {**{k: b[k] for k in keys}, "load": b["load"], "runtime": b["runtime"]}
    lines = [f"sweep of {res.evaluated} configurations (policy {args.policy}):"]
    for sc, b in best.items():
        if b is None:
            lines.append(f"  {sc:9s} no configuration with delay <= {args.max_delay}")
            continue
        params = " ".join(f"{k}={v}" for k, v in b.items() if k not in ("load", "runtime"))
        lines.append(f"  {sc:9s} {params:22s} load {b['load']:.6f}  runtime {b['runtime']:.4f} s")
    emit(args, {"best": best, "evaluated": res.evaluated}, "\n".join(lines))
    return 0

