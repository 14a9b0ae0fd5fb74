"""``sgc traces list`` and ``sgc traces fit``: the shipped probes and the load slope.

``sgc traces list [--json]`` prints every shipped trace (family, region, batch, rounds, workers,
probe load); ``--json`` gives ``{"traces": [{"trace", "family", "region", "batch", "rounds",
"workers", "probe_load"}]}``.

``sgc traces fit --family NAME [--region R] [--json]`` fits mean delay against probe load over a
family's traces (least squares): ``{"slope", "intercept", "r2", "points": [...]}``. The default
slope of the simulator, 1.1218 s per unit load, is ``sgc traces fit --family desktop_long``.

``sgc traces fit --process markov --trace FILE_OR_NAME [--mu MU] [--states K] [--marginal F]
[--probe-load L] [--keep-outliers] [--seed S] [--out MODEL.json] [--json]`` fits a straggler
process (hidden Markov chain per worker, EM; docs/guide/processes.md): the number of states (2 to
4) and the emission family of every state (log-normal, shifted exponential, Pareto, empirical) are
chosen by BIC unless given; the output gives the choice and the runner-up, the parameters and the
credibility verdict (a long stationary generated run against the trace, each statistic with its
tolerance; reasons when not credible; notes such as a dropped cold-start round). ``--probe-load``
records the load the trace was measured at (default: the trace index's, else 0). ``--out`` writes
the process for reuse (``--trace MODEL.json``). The options of ``--process`` are refused with
``--family``.

``sgc traces generate --process MODEL.json --rounds R --seed S --out FILE.csv`` writes a delay
matrix drawn from a process (stationary from the first round) in the shipped CSV format (written to
a temporary name, then renamed); its work (3 units per delay) is checked against ``--max-work``
before anything is generated.
"""

from __future__ import annotations

import json

from ..simulate.process_families import FAMILIES
from ._common import mu_option, probe_load_option

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
    fit = sub.add_parser(
        "fit", help="load slope of a probe family (--family) or a straggler process (--process)"
    )
    fit.add_argument(
        "--family",
        default=None,
        help="probe family (index.csv source_folder, or a unique suffix such as desktop_long)",
    )
    fit.add_argument("--region", default=None, help="AWS region (for families with several)")
    fit.add_argument(
        "--process", default=None, choices=["markov"], help="fit a straggler process instead"
    )
    fit.add_argument("--trace", default=None, help="--process: shipped trace name or CSV file")
    mu_option(fit, "--process: straggler slack of the labels (default 1)", default=None)
    fit.add_argument(
        "--states", type=int, default=None, help="--process: hidden states 2 to 4 (default: chosen)"
    )
    fit.add_argument(
        "--marginal",
        default=None,
        choices=["auto", *FAMILIES],
        help="--process: emission family of every state (default auto: chosen per state)",
    )
    fit.add_argument(
        "--seed", type=int, default=None, help="--process: seed of the check (default 0)"
    )
    probe_load_option(
        fit, "--process: load the trace was measured at (default: the trace index's, else 0)"
    )
    fit.add_argument(
        "--keep-outliers",
        action="store_true",
        help="--process: keep cold-start/outlier rounds (default: dropped with a note)",
    )
    fit.add_argument("--out", default=None, help="--process: write the process (JSON) here")
    fit.add_argument("--json", action="store_true", help="print JSON")
    fit.set_defaults(func=_fit)
    gen = sub.add_parser("generate", help="a delay matrix drawn from a fitted straggler process")
    gen.add_argument("--process", required=True, help="process file (sgc traces fit --out)")
    gen.add_argument("--rounds", required=True, type=int, help="rounds R to generate")
    gen.add_argument("--seed", type=int, default=0, help="seed of the generator (default 0)")
    gen.add_argument("--out", required=True, help="CSV file to write (rounds x workers)")
    gen.add_argument(
        "--n", type=int, default=None, help="workers expected (refused unless the process's n)"
    )
    gen.add_argument("--json", action="store_true", help="print JSON")
    gen.set_defaults(func=_generate)


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


_PROCESS_ONLY = ("mu", "states", "marginal", "seed", "probe_load", "keep_outliers", "trace", "out")


def _fit(args) -> int:
    from ..errors import SGCError
    from ..simulate.traces import fit_slope

    if args.process is not None:
        return _fit_process(args)
    if args.family is None:
        raise SGCError("traces fit: give --family (load slope) or --process markov --trace FILE")
    given = [k for k in _PROCESS_ONLY if getattr(args, k) not in (None, False)]
    if given:
        flags = ", ".join("--" + k.replace("_", "-") for k in given)
        raise SGCError(f"traces fit --family: {flags} go with --process markov, not the load slope")
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


def _fit_process(args) -> int:
    from ..errors import SGCError, check_int
    from ..simulate.processes import check_out_path, fit_process
    from ._common import show_progress

    if args.trace is None:
        raise SGCError("traces fit --process markov: give --trace FILE_OR_NAME")
    if args.family is not None or args.region is not None:
        raise SGCError("traces fit: --family/--region fit the load slope; not with --process")
    seed = check_int("--seed", 0 if args.seed is None else args.seed, minimum=0)
    if args.states is not None:
        check_int("--states", args.states, minimum=2, maximum=4)
    if args.out is not None:
        check_out_path(args.out)
    proc, report = fit_process(
        args.trace,
        mu=1.0 if args.mu is None else args.mu,
        states=args.states,
        marginal=None if args.marginal in (None, "auto") else args.marginal,
        seed=seed,
        probe_load=args.probe_load,
        keep_outliers=args.keep_outliers,
        max_work=getattr(args, "max_work", None),
        progress=show_progress(args) and not args.json,
    )
    if args.out is not None:
        proc.save(args.out)
    payload = proc.to_json()
    payload["marginal"] = None if proc.marginal is None else f"{proc.marginal.size} values"
    payload.update(report)
    if args.out is not None:
        payload["out"] = args.out
    lines = _fit_text(proc, report)
    if args.out is not None:
        lines.append(f"  written to {args.out}")
    strict_emit(args, payload, "\n".join(lines))
    return 0


def _fit_text(proc, report) -> list:
    from ..simulate.process_families import describe

    meta, choice, cred = proc.meta, report["model_choice"], report["credibility"]
    ch, ru = choice["chosen"], choice["runner_up"]
    lines = [
        f"{proc.states}-state Markov process fitted to {meta['trace']} (n={proc.n}, "
        f"{meta['rounds']} rounds, mu={meta['mu']:g}, probe load {meta['probe_load']:g}, "
        f"{meta['em_iterations']} EM iterations)",
        f"  model choice ({choice['criterion']}): {ch['states']} states "
        f"[{', '.join(ch['families'])}], BIC {ch['bic']:.1f}",
    ]
    if ru is not None:
        lines.append(
            f"  runner-up: {ru['states']} states [{', '.join(ru['families'])}], BIC "
            f"{ru['bic']:.1f} (+{ru['bic'] - ch['bic']:.1f})"
        )
    for k in range(proc.states):
        lines.append(f"  state {k}: {describe(proc.emission(k))}, stationary "
                     f"{proc.stationary[k]:.4f}")  # fmt: skip
    lines.append(
        "  transitions: " + "; ".join(" ".join(f"{x:.4f}" for x in row) for row in proc.transmat)
    )
    verdict = "CREDIBLE" if cred["credible"] else "NOT CREDIBLE"
    lines.append(
        f"  credibility: {verdict} ({cred['model_rounds']} stationary generated rounds vs the "
        f"trace's {cred['trace_rounds']}; {cred['parameters']} parameters)"
    )
    lines.append(f"  {'':26s} {'trace':>9s} {'process':>9s} {'tolerance':>9s}")
    for name, c in cred["checks"].items():
        mark = "ok" if c["ok"] else "FAIL"
        lines.append(
            f"  {name.replace('_', ' '):26s} {c['trace']:9.4g} {c['model']:9.4g} "
            f"{c['tolerance']:9.3g}  {mark}"
        )
    lines += [f"  not credible: {r}" for r in cred["reasons"]]
    lines += [f"  note: {r}" for r in cred["notes"]]
    return lines


def _generate(args) -> int:
    from ..budget import check_work
    from ..errors import check_int
    from ..simulate.processes import check_out_path, load_process, write_delay_csv

    check_out_path(args.out)
    rounds = check_int("--rounds", args.rounds, minimum=1)
    seed = check_int("--seed", args.seed, minimum=0)
    if args.n is not None:
        check_int("--n", args.n, minimum=1)
    proc = load_process(args.process)
    check_work(
        GENERATE_UNITS * proc.n * rounds,
        f"generating {rounds} rounds of {proc.n} workers and writing them as CSV",
        limit=getattr(args, "max_work", None),
        cheaper="fewer --rounds",
    )
    D = proc.generate(rounds, seed=seed, n=args.n)
    write_delay_csv(D, args.out)
    payload = {"out": args.out, "n": proc.n, "rounds": rounds, "seed": seed}
    strict_emit(args, payload, f"wrote {rounds} rounds of {proc.n} workers to {args.out}")
    return 0


#: work units (about a microsecond) per generated delay written as CSV text
GENERATE_UNITS = 3.0
