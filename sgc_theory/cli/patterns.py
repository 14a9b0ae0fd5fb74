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
    digits = _decimal(c)
    # JSON: the count as a number while every JSON reader takes it (Python's json.loads
    # refuses integers of more than 4300 digits by default), else as a decimal string
    value = int(digits) if len(digits) <= JSON_INT_DIGITS else digits
    emit(
        args,
        {"count": value, "count_digits": len(digits)},
        f"{model!r}: {digits} admitted patterns of {rounds} rounds",
    )
    return 0


#: longest integer given as a JSON number (Python's default int-to-str limit)
JSON_INT_DIGITS = 4300

#: work units of writing a d-digit integer in decimal: about d^2 / 50000 (Python's conversion
#: is quadratic; measured 0.2 s for 100,000 digits)
_DECIMAL_COST = 2e-5


def _decimal(c: int) -> str:
    """``c`` in decimal, refused beyond the budget (writing 10^7 digits takes hours)."""
    from ..budget import check_work

    d = int(c.bit_length() * 0.30103) + 1
    check_work(
        int(d * d * _DECIMAL_COST),
        f"writing the count (about {d} decimal digits)",
        cheaper="fewer --rounds",
    )
    return str(c)


def _sample(args) -> int:
    from ._common import emit

    model = parse_model(args.model, check_int("--n", args.n, minimum=1))
    seed = None if args.seed is None else check_int("--seed", args.seed, minimum=0)
    P = model.sample(check_int("--rounds", args.rounds, minimum=0), rng=seed)
    rounds = [[int(i) for i in P[:, r].nonzero()[0]] for r in range(P.shape[1])]
    text = "\n".join("".join("X" if b else "." for b in row) for row in P)
    emit(args, {"pattern": rounds}, text)
    return 0
