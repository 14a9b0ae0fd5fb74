"""``sgc traces list`` and ``sgc traces fit``: the shipped probes and the load slope.

``sgc traces list [--json]`` prints every shipped trace (family, region, batch, rounds, workers,
probe load); ``--json`` gives ``{"traces": [{"trace", "family", "region", "batch", "rounds",
"workers", "probe_load"}]}``.

``sgc traces fit --family NAME [--region R] [--json]`` fits mean delay against probe load over a
family's traces (least squares): ``{"slope", "intercept", "r2", "points": [...]}``. The default
slope of the simulator, 1.1218 s per unit load, is ``sgc traces fit --family desktop_long``.
"""

from __future__ import annotations

import json

__all__ = ["register"]


def strict_emit(args, payload: dict, text: str) -> None:
    """Print ``payload`` as strict JSON (no NaN/Infinity) with ``--json``, else ``text``."""
    if getattr(args, "json", False):
        print(json.dumps(payload, allow_nan=False))
    else:
        print(text)


def register(subparsers) -> None:
    """Add ``traces list`` and ``traces fit`` to the ``sgc`` command line."""
    p = subparsers.add_parser("traces", help="the shipped AWS Lambda traces and the load slope")
    sub = p.add_subparsers(dest="traces_command", parser_class=type(p))
    sub.required = True
    ls = sub.add_parser("list", help="every shipped trace with its metadata")
    ls.add_argument("--json", action="store_true", help="print JSON")
    ls.set_defaults(func=_list)
    fit = sub.add_parser("fit", help="least-squares slope of mean delay against probe load")
    fit.add_argument(
        "--family",
        required=True,
        help="probe family (index.csv source_folder, or a unique suffix such as desktop_long)",
    )
    fit.add_argument("--region", default=None, help="AWS region (for families with several)")
    fit.add_argument("--json", action="store_true", help="print JSON")
    fit.set_defaults(func=_fit)


def _list(args) -> int:
    from ..simulate.traces import trace_index

    rows = []
    for name, row in trace_index().items():
        rows.append(
            {
                "trace": name,
                "family": row["source_folder"],
                "region": row["region"],
                "batch": int(row["batch"]),
                "rounds": int(row["rounds"]),
                "workers": int(row["workers"]),
                "probe_load": float(row["probe_load"]),
            }
        )
    lines = [f"{'family':36s} {'region':7s} {'batch':>5s} {'rounds':>6s} {'load':>5s}  trace"]
    for r in rows:
        lines.append(
            f"{r['family']:36s} {r['region']:7s} {r['batch']:5d} {r['rounds']:6d} "
            f"{r['probe_load']:5.2f}  {r['trace']}"
        )
    strict_emit(args, {"traces": rows}, "\n".join(lines))
    return 0


def _fit(args) -> int:
    from ..simulate.traces import fit_slope

    fit = fit_slope(family=args.family, region=args.region)
    lines = [
        f"{fit['family']} ({fit['region']}): mean delay = {fit['intercept']:.4f} s + "
        f"{fit['slope']:.4f} s x probe load (r^2 = {fit['r2']:.4f}, "
        f"{len(fit['points'])} traces)"
    ]
    for pt in fit["points"]:
        lines.append(
            f"  load {pt['probe_load']:4.2f}: mean {pt['mean_delay']:.4f} s  {pt['trace']}"
        )
    strict_emit(args, fit, "\n".join(lines))
    return 0
