"""``sgc run``: coded gradient descent for real (docs/guide/execute.md).

``sgc run --scheme NAME --n N [--s S | --B B --W W --lam L] [--jobs J] [--model logistic|lstsq]
[--lr LR] [--trace TRACE|MODEL.json|process:MODEL.json,rounds=R,seed=S] [--time-scale X]
[--slope C] [--probe-load L0] [--mu MU] [--policy paper|minimal] [--scheduler ADDRESS |
--local] [--workers K] [--threads T] [--block B] [--relay MODE] [--json]`` trains the model with the scheme's
encoded gradients, decoded in float64 by each job's deadline, on a Dask LocalCluster (default),
an existing cluster (``--scheduler``) or in process on a virtual clock (``--local``), and prints
the inner code it executes with (GC, SR-SGC, M-SGC: the float-safe code by default) and its exact
load next to the default code's, the loss, the decoding errors against the uncoded gradients, the
measured time, the simulator's prediction on the same injected delays, and that prediction with
the engine's measured overhead put in.
"""

from __future__ import annotations

from ._common import (
    LABELS,
    add_scheme_args,
    check_number,
    mu_option,
    probe_load_option,
    scheme_params,
    secs,
    show_progress,
)
from .traces import strict_emit

__all__ = ["register"]


def register(subparsers) -> None:
    """Add ``run`` to the ``sgc`` command line."""
    p = subparsers.add_parser(
        "run", help="train a model with a scheme for real (Dask), measured against the simulator"
    )
    add_scheme_args(p)
    p.add_argument("--jobs", type=int, default=20, help="gradient steps (jobs), default 20")
    p.add_argument(
        "--model",
        default="logistic",
        choices=["logistic", "lstsq"],
        help="logistic regression on breast_cancer (default) or least squares on diabetes "
        "(scikit-learn's bundled data sets)",
    )
    p.add_argument("--lr", type=float, default=None, help="step size (default 1 / (L (T + 1)))")
    p.add_argument(
        "--trace",
        default=None,
        help="delays to inject: a shipped trace, a CSV, MODEL.json or "
        "process:MODEL.json,rounds=R,seed=S (default: none, measure the cluster as it is)",
    )
    p.add_argument(
        "--time-scale",
        dest="time_scale",
        type=float,
        default=1.0,
        help="multiply the injected delays by this (default 1)",
    )
    p.add_argument(
        "--slope",
        default=None,
        help="seconds per unit of load shifting the delays to the scheme's load, as in sgc "
        "simulate: a number, 'default' (1.1218) or 'paper' (2.2013)",
    )
    probe_load_option(p)
    mu_option(p)
    p.add_argument(
        "--policy",
        default="paper",
        choices=["paper", "minimal"],
        help="waiting policy, as in sgc simulate (default paper)",
    )
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", default=None, help="address of a running Dask scheduler")
    where.add_argument(
        "--local", action="store_true", help="no Dask: in process, on a virtual clock"
    )
    p.add_argument("--workers", type=int, default=2, help="LocalCluster processes (default 2)")
    p.add_argument("--threads", type=int, default=None, help="threads per process (default n + 4)")
    p.add_argument(
        "--block", type=int, default=None, help="scheme workers per Dask task (default n / 2)"
    )
    p.add_argument(
        "--relay",
        default="auto",
        choices=["auto", "direct", "events"],
        help="how results reach the master: a direct socket, Dask events through the scheduler, "
        "or auto (direct when the scheduler runs on this machine; default)",
    )
    p.add_argument(
        "--construction",
        default=None,
        help="GC, SR-SGC, M-SGC: the inner gradient code (auto, frc, rs, cyclic, or stable where "
        "available; default: the float-safe code where available, else auto)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=_run)


def _run(args) -> int:
    from ..execute import run

    check_number("--time-scale", args.time_scale, minimum=0)
    check_number("--mu", args.mu, minimum=0)
    res = run(
        args.scheme,
        args.n,
        scheme_params(args),
        jobs=args.jobs,
        model=args.model,
        lr=args.lr,
        trace=args.trace,
        time_scale=args.time_scale,
        slope=args.slope,
        probe_load=args.probe_load,
        mu=args.mu,
        policy=args.policy,
        scheduler=args.scheduler,
        local=args.local,
        workers=args.workers,
        threads=args.threads,
        block=args.block,
        relay=args.relay,
        progress=(not args.json) and show_progress(args),
        construction=args.construction,
    )
    strict_emit(args, _payload(res), _text(args.scheme, res))
    return 0


def _payload(res) -> dict:
    from ._common import jsonable

    return jsonable(res.to_json())


def _text(scheme, res) -> str:
    lines = [
        f"{LABELS.get(scheme, scheme)} {res.scheme} (load {res.load:.6g}, T={res.T}) on "
        f"{res.meta.get('cluster')}: {res.jobs} jobs in {res.rounds} rounds, "
        f"{model_name(res.model)}",
        *_code_line(res.meta.get("code")),
        f"  loss {res.losses[0]:.6g} -> {res.losses[-1]:.6g}; uncoded descent differs by "
        f"{res.loss_gap:.2g} (relative, worst job)",
        f"  float64 decoding: worst relative error {res.max_error:.2g}, worst condition "
        f"number {max(res.conditions, default=1.0):.3g}",
        f"  {int(res.pattern.sum())} straggler results, {res.late} late results discarded",
        f"  {'virtual time' if res.executor == 'local' else 'measured'} {secs(res.runtime)} s",
    ]
    if res.predicted is not None:
        lines[-1] += (
            f", predicted {secs(res.predicted_runtime)} s (ratio {res.ratio:.4f}), "
            f"overhead {1000 * res.overhead:.2f} ms/round"
        )
    cal = res.meta.get("calibrated")
    if cal:
        lines += [
            f"  engine overhead: master {1000 * cal['master_seconds_per_round']:.1f} ms/round, "
            f"first-arrival latency {1000 * cal['first_arrival_latency_median']:.1f} ms "
            "(median over rounds)",
            f"  predicted + master's time {secs(cal['plus_master_runtime'])} s (ratio "
            f"{cal['plus_master_ratio']:.4f}); + latency too {secs(cal['predicted_runtime'])} s "
            f"(ratio {cal['measured_over_predicted']:.4f})",
        ]
    return "\n".join(lines)


def _code_line(code) -> list:
    """The inner code the run executed with and its exact load, next to the default code's."""
    if not code:
        return []
    from fractions import Fraction

    def load(x):
        return f"{x} = {float(Fraction(x)):.6g}"

    safe = " float-safe," if code["construction"] in ("frc", "ufrc", "identity") else ""
    line = f"  inner code:{safe} {code['construction']} (s={code['s']}), load {load(code['load'])}"
    if code["construction"] == code["default_construction"]:
        return [line + " (the scheme's default code)"]
    return [
        line + f"; the scheme's default {code['default_construction']} code has load "
        f"{load(code['default_load'])}"
        + (
            " (ill-conditioned in float64 at large n)"
            if code["default_construction"] == "rs"
            else ""
        )
    ]


def model_name(kind: str) -> str:
    return {"logistic": "logistic regression", "lstsq": "least squares"}[kind]
