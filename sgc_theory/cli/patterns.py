"""``sgc patterns ...``: exact counting (and sampling) of admitted straggler patterns."""

from __future__ import annotations

from ..errors import check_int
from ..models import parse_model
from ._common import show_progress


def register(sub) -> None:
    p = sub.add_parser("patterns", help="admitted straggler patterns of a model")
    psub = p.add_subparsers(dest="patterns_command")
    psub.required = True
    c = psub.add_parser("count", help="exact number of admitted patterns of R rounds")
    c.add_argument("--n", type=int, required=True, help="number of workers")
    c.add_argument("--model", required=True, help="e.g. per-round:s=2, bursty:B=2,W=3,lam=2")
    c.add_argument("--rounds", type=int, required=True, help="number of rounds R (>= 0)")
    c.add_argument("--json", action="store_true", help='print {"count": int}')
    c.set_defaults(func=_count)
    s = psub.add_parser("sample", help="a uniformly random admitted pattern")
    s.add_argument("--n", type=int, required=True, help="number of workers")
    s.add_argument("--model", required=True, help="e.g. per-round:s=2, bursty:B=2,W=3,lam=2")
    s.add_argument("--rounds", type=int, required=True, help="number of rounds R (>= 0)")
    s.add_argument("--seed", type=int, default=None, help="random seed (an integer >= 0)")
    s.add_argument(
        "--json", action="store_true", help='print {"pattern": [[stragglers of round 0], ...]}'
    )
    s.set_defaults(func=_sample)


def _count(args) -> int:
    from ._common import emit

    model = parse_model(args.model, check_int("--n", args.n, minimum=1))
    rounds = check_int("--rounds", args.rounds, minimum=0)
    c = model.count(rounds, progress=show_progress(args))
    emit(args, {"count": c}, f"{model!r}: {c} admitted patterns of {rounds} rounds")
    return 0


def _sample(args) -> int:
    from ._common import emit

    model = parse_model(args.model, check_int("--n", args.n, minimum=1))
    seed = None if args.seed is None else check_int("--seed", args.seed, minimum=0)
    P = model.sample(check_int("--rounds", args.rounds, minimum=0), rng=seed)
    rounds = [[int(i) for i in P[:, r].nonzero()[0]] for r in range(P.shape[1])]
    text = "\n".join("".join("X" if b else "." for b in row) for row in P)
    emit(args, {"pattern": rounds}, text)
    return 0
