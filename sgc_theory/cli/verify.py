"""``sgc verify`` and ``sgc show``."""

from __future__ import annotations

import numpy as np

from ..errors import SGCError, check_int


def add_scheme_args(p) -> None:
    """The scheme-selecting options shared by several commands."""
    p.add_argument("--scheme", required=True, choices=["gc", "srsgc", "msgc"])
    p.add_argument("--n", type=int, required=True, help="number of workers")
    p.add_argument("--s", type=int, default=None, help="GC: stragglers per round")
    p.add_argument("--B", type=int, default=None, help="burst length")
    p.add_argument("--W", type=int, default=None, help="window length")
    p.add_argument("--lam", type=int, default=None, help="stragglers per window")


def scheme_from_args(args):
    from ..schemes import make_scheme

    n = check_int("--n", args.n, minimum=1)
    if args.scheme == "gc":
        if any(v is not None for v in (args.B, args.W, args.lam)):
            raise SGCError("scheme gc takes --s only (not --B/--W/--lam)")
        return make_scheme("gc", n, s=args.s)
    if args.s is not None:
        raise SGCError(f"scheme {args.scheme} takes --B --W --lam (not --s)")
    return make_scheme(args.scheme, n, B=args.B, W=args.W, lam=args.lam)


def parse_pattern(text: str, n: int, rounds: int) -> np.ndarray:
    """``"0,1;;2;"`` -> stragglers per round (``;`` between rounds, ``,`` between workers)."""
    parts = text.split(";") if text else []
    if len(parts) > rounds:
        raise SGCError(f"--pattern has {len(parts)} rounds but --rounds is {rounds}")
    P = np.zeros((n, rounds), dtype=bool)
    for r, part in enumerate(parts):
        for item in filter(None, (x.strip() for x in part.split(","))):
            try:
                i = int(item)
            except ValueError:
                raise SGCError(f"--pattern: {item!r} in round {r} is not a worker index") from None
            if not 0 <= i < n:
                raise SGCError(f"--pattern: worker {i} in round {r} is outside 0..{n - 1}")
            P[i, r] = True
    return P


def register(sub) -> None:
    v = sub.add_parser("verify", help="prove a scheme against a straggler model, or find a failure")
    add_scheme_args(v)
    v.add_argument("--model", default=None, help="straggler model (default: the design model)")
    g = v.add_mutually_exclusive_group(required=True)
    g.add_argument("--rounds", type=int, help="every admitted pattern of R rounds (exact)")
    g.add_argument("--all-horizons", action="store_true", help="every pattern of every length")
    v.add_argument("--method", default="auto",
                   choices=["auto", "exhaustive", "automaton", "symmetric"])
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=_verify)

    s = sub.add_parser("show", help="what every worker computes, round by round")
    add_scheme_args(s)
    s.add_argument("--rounds", type=int, required=True)
    s.add_argument("--pattern", default="", help='stragglers per round, e.g. "0,1;;2;"')
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=_show)


def _verify(args) -> int:
    from ._common import emit
    from ..models import parse_model
    from ..verify import verify

    scheme = scheme_from_args(args)
    model = parse_model(args.model, scheme.n) if args.model else None
    rounds = check_int("--rounds", args.rounds, minimum=0) if args.rounds is not None else None
    res = verify(scheme, model, rounds=rounds, all_horizons=args.all_horizons,
                 method=args.method, progress=not args.json)
    emit(args, res.to_dict(), res.summary())
    return 0 if res.ok else 1


def _show(args) -> int:
    from ._common import emit

    scheme = scheme_from_args(args)
    rounds = check_int("--rounds", args.rounds, minimum=1)
    P = parse_pattern(args.pattern, scheme.n, rounds)
    run = scheme.run(P)
    payload = {
        "rounds": [
            {"stragglers": [int(i) for i in np.flatnonzero(P[:, r])],
             "workers": [[{"job": t, "task": task.label} for t, task in tasks]
                         for tasks in run.assignments[r]],
             "decoded": [t for t, d in enumerate(run.decoded_round) if d == r]}
            for r in range(rounds)],
        "missed": run.first_missed(),
    }
    text = f"{scheme!r}, T={scheme.T}, load={scheme.load}\n{run.table()}"
    if run.first_missed() is not None:
        text += f"\njob {run.first_missed()} misses its deadline"
    emit(args, payload, text)
    return 0
