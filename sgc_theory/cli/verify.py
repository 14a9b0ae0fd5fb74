"""``sgc verify`` and ``sgc show``.

``--pattern`` (``sgc show``) lists the stragglers of each round: rounds are separated by ``;``,
workers by ``,`` (``"0,1;;2"``: workers 0 and 1 in round 0, none in round 1, worker 2 in round
2). The rule for its length: it may be SHORTER than ``--rounds`` (the rounds it leaves out have
no stragglers) but not longer; a trailing ``;`` adds one empty round. A worker listed twice in
one round, or outside ``0..n-1``, is refused.

``sgc show`` runs the scheme exactly (exact coefficient vectors, decoding by exact span
membership). BR-SGC's exact tasks have ``n^2`` coefficients and exist for ``n <= 64``, PR-SGC's
(over the common refinement of its layouts) for ``n <= 8``; above, ``show`` prints the table
from ``shares()`` (BR-SGC: partition ranges; PR-SGC: pieces in integer units of ``1/D``) and
decodes with the scheme's exact token rule (see docs/guide/schemes.md); the first line says
which limit was passed and how the table was made, and the JSON's ``"basis"`` is ``"shares"``
(``"exact"`` otherwise).
"""

from __future__ import annotations

import numpy as np

from ..errors import SGCError, check_int
from ._common import add_scheme_args, scheme_params, show_progress

__all__ = ["register", "parse_pattern", "scheme_from_args", "add_scheme_args"]


def scheme_from_args(args):
    """The scheme of ``--scheme/--n/--s/--B/--W/--lam`` (unused parameters refused)."""
    from ..schemes import make_scheme

    n = check_int("--n", args.n, minimum=1)
    return make_scheme(args.scheme, n, **scheme_params(args))


def parse_pattern(text: str, n: int, rounds: int) -> np.ndarray:
    """``"0,1;;2;"`` -> a boolean ``(n, rounds)`` pattern (see the module docstring for the rule).

    >>> parse_pattern("0;;1", 2, 4).astype(int).tolist()
    [[1, 0, 0, 0], [0, 0, 1, 0]]
    """
    parts = text.split(";") if text else []
    if len(parts) > rounds:
        raise SGCError(
            f"--pattern has {len(parts)} rounds but --rounds is {rounds} (a pattern "
            "may be shorter than --rounds, the rest is straggler-free, not longer)"
        )
    P = np.zeros((n, rounds), dtype=bool)
    for r, part in enumerate(parts):
        items = [x.strip() for x in part.split(",")]
        if items == [""]:
            continue
        for item in items:
            if not item.lstrip("-").isdigit() or len(item) > 30:
                raise SGCError(
                    f"--pattern: {item!r:.40} in round {r} is not a worker index "
                    f"(rounds are separated by ';', workers by ',')"
                )
            i = int(item)
            if not 0 <= i < n:
                raise SGCError(f"--pattern: worker {i} in round {r} is outside 0..{n - 1}")
            if P[i, r]:
                raise SGCError(f"--pattern: worker {i} is listed twice in round {r}")
            P[i, r] = True
    return P


def register(sub) -> None:
    v = sub.add_parser("verify", help="prove a scheme against a straggler model, or find a failure")
    add_scheme_args(v)
    v.add_argument("--model", default=None, help="straggler model (default: the design model)")
    g = v.add_mutually_exclusive_group(required=True)
    g.add_argument("--rounds", type=int, help="every admitted pattern of R rounds (exact)")
    g.add_argument("--all-horizons", action="store_true", help="every pattern of every length")
    v.add_argument(
        "--method",
        default="auto",
        choices=["auto", "exhaustive", "automaton", "symmetric", "counts"],
        help="how to check: exhaustive (every pattern of --rounds, exact algebra), automaton "
        "(per-worker states, all horizons, small n), symmetric (counts of worker kinds, all "
        "horizons, any n), counts (WC-SGC: record counts and pending work per age, all "
        "horizons, any n); default auto picks the cheapest that applies",
    )
    v.add_argument("--json", action="store_true", help="print the verdict as JSON")
    v.set_defaults(func=_verify)

    s = sub.add_parser("show", help="what every worker computes, round by round")
    add_scheme_args(s)
    s.add_argument("--rounds", type=int, required=True, help="number of rounds shown (>= 1)")
    s.add_argument(
        "--pattern",
        default="",
        help='stragglers per round, e.g. "0,1;;2" (may be shorter than --rounds: '
        "the missing rounds have no stragglers)",
    )
    s.add_argument("--json", action="store_true", help="print the table as JSON")
    s.set_defaults(func=_show)


def _verify(args) -> int:
    from ._common import emit
    from ..models import parse_model
    from ..verify import verify

    scheme = scheme_from_args(args)
    model = parse_model(args.model, scheme.n) if args.model is not None else None
    rounds = check_int("--rounds", args.rounds, minimum=0) if args.rounds is not None else None
    res = verify(
        scheme,
        model,
        rounds=rounds,
        all_horizons=args.all_horizons,
        method=args.method,
        progress=show_progress(args),
    )
    emit(args, res.to_dict(), res.summary())
    return 0 if res.ok else 1


#: work units of one line (worker, round) of a table built from share ranges
_SHARE_LINE_UNITS = 20


def share_run(scheme, P):
    """A :class:`~sgc_theory.schemes.base.Run` of BR-SGC or PR-SGC built from its ranges
    (``shares()``) and its exact token rule (``decode_rounds()``), for sizes where its exact
    tasks are not built. The tasks carry labels only (no coefficients): BR-SGC's are those of
    its exact tasks; PR-SGC's name its pieces in integer units of ``1/D`` (its
    ``unit_denominator``) where its exact tasks print the fractions.

    >>> from sgc_theory.schemes import BRSGC
    >>> P = np.zeros((100, 2), dtype=bool); P[0, 0] = True   # worker 0 straggles in round 0
    >>> run = share_run(BRSGC(100, B=1, W=2, lam=5), P)
    >>> [task.label for _, task in run.assignments[1][0]], run.decoded_round
    (['share: partitions 0..0', 're-computed share: partitions 0..99'], [1, 1])
    """
    from ..schemes.base import Run, Task, masks_of

    masks = masks_of(P, scheme.n)
    state = scheme.initial_state()
    assignments = []
    for r, mask in enumerate(masks):
        per_worker = []
        for i in range(scheme.n):
            mine = []
            for age, a, b in scheme.shares(state, i):
                if r - age >= 0:
                    mine.append((r - age, Task(age, (), _share_label(scheme, age, a, b))))
            per_worker.append(mine)
        assignments.append(per_worker)
        state = scheme.next_state(state, None, mask)
    return Run(
        scheme, P, P.shape[1], assignments=assignments, decoded_round=list(scheme.decode_rounds(P))
    )


def _share_label(scheme, age, a, b) -> str:
    if scheme.name == "prsgc":  # integer units of 1/D (the header says D), not partitions
        what = "piece" if age == 0 else "re-computed piece"
        return f"{what}: units {a}..{b - 1}"
    what = "share" if age == 0 else "re-computed share"
    return f"{what}: partitions {a}..{b - 1}"


def _share_limit(scheme) -> int | None:
    """The largest ``n`` at which ``scheme``'s exact tasks are built, when ``scheme.n`` is above
    it (``show`` then prints from ``shares()``); ``None`` when the exact run is used."""
    from ..schemes import BRSGC
    from ..schemes.br_sgc import EXACT_MAX_N

    if not isinstance(scheme, BRSGC):
        return None
    limit = getattr(scheme, "exact_max_n", EXACT_MAX_N)
    return limit if scheme.n > limit else None


def _share_note(scheme, limit: int) -> str:
    """The header's note when ``show`` prints from ``shares()``: what was limited, and how."""
    label = "PR-SGC" if scheme.name == "prsgc" else "BR-SGC"
    ranges = (
        f"pieces from shares() in units of 1/{scheme.unit_denominator}"
        if scheme.name == "prsgc"
        else "partition ranges from shares()"
    )
    return (
        f" (n > {limit}: {label}'s exact tasks are built for n <= {limit}; {ranges}, "
        "decoding by the exact token rule)"
    )


def _show(args) -> int:
    from ._common import emit
    from ..budget import check_work
    from ..rationals import load_json

    scheme = scheme_from_args(args)
    rounds = check_int("--rounds", args.rounds, minimum=1)
    limit = _share_limit(scheme)
    # the table has a line per worker and round: refuse before running an enormous one
    if limit is not None:
        check_work(
            _SHARE_LINE_UNITS * rounds * scheme.n,
            f"showing {rounds} rounds of {scheme!r} (a line per worker and round)",
        )
    else:
        check_work(
            scheme.exact_work(rounds),
            f"showing {rounds} rounds of {scheme!r} (an exact run, a line per worker and round)",
        )
    P = parse_pattern(args.pattern, scheme.n, rounds)
    run = share_run(scheme, P) if limit is not None else scheme.run(P)
    payload = _show_payload(run, P, rounds)
    payload["basis"] = "shares" if limit is not None else "exact"
    over = _over_the_load(scheme, P)
    payload["rounds_over_load"] = [
        {"round": r, "workers": ws, "work": load_json(w), "load": load_json(scheme.load)}
        for r, ws, w in over
    ]
    outside = payload["first_round_outside_model"]
    text = f"{scheme!r}, T={scheme.T}, load={scheme.load}"
    if limit is not None:
        text += _share_note(scheme, limit)
    text += f"\n{_mark_over(run.table(), over, scheme.load)}"
    if outside is not None:
        text += (
            f"\nnote: the pattern lies outside {scheme.design_model!r} from round {outside} "
            "on (the scheme's guarantee does not cover it)"
        )
    if over:
        text += (
            f"\nnote: {len(over)} round(s) over the load {scheme.load} (rounds "
            f"{', '.join(str(r) for r, _, _ in over)}): the scheme computes more than its load "
            "under this pattern"
        )
    if run.first_missed() is not None:
        text += f"\njob {run.first_missed()} misses its deadline"
    emit(args, payload, text)
    return 0


def _over_the_load(scheme, P) -> list:
    """``(round, workers, work)`` of every round of the pattern ``P`` in which some workers
    compute more than the scheme's load (the busiest ones, and how much: exact). None for a
    scheme whose construction bounds every round's work (``scheme.load_bound``)."""
    out: list = []
    if scheme.load_bound is not None:
        return out
    for r, state, _ in scheme.walk(P):
        work = scheme.worker_work(state)
        top = max(work, default=0)
        if top > scheme.load:
            out.append((r, [i for i, w in enumerate(work) if w == top], top))
    return out


def _mark_over(table: str, over: list, load) -> str:
    """The table with each round over the load marked on its header line."""
    marks = {
        f"round {r}:": f"round {r}: OVER THE LOAD: worker(s) {', '.join(map(str, ws))} compute "
        f"{w} of a job > load {load}"
        for r, ws, w in over
    }
    return "\n".join(marks.get(line, line) for line in table.split("\n"))


def _show_payload(run, P, rounds) -> dict:
    """The JSON of ``show``: per round the stragglers, every worker's tasks and the jobs
    decoded; the first job that misses its deadline; whether the pattern lies in the model."""
    payload = {
        "rounds": [
            {
                "stragglers": [int(i) for i in np.flatnonzero(P[:, r])],
                "workers": [
                    [{"job": t, "task": task.label} for t, task in tasks]
                    for tasks in run.assignments[r]
                ],
                "decoded": [t for t, d in enumerate(run.decoded_round) if d == r],
            }
            for r in range(rounds)
        ],
        # the first job that misses its deadline (a job index, or null): not a count
        "first_missed_job": run.first_missed(),
    }
    # a pattern outside the scheme's model: the guarantee does not cover it (said, not refused)
    outside = run.scheme.design_model.first_violation(P)
    payload["pattern_in_model"] = outside is None
    payload["first_round_outside_model"] = outside
    return payload
