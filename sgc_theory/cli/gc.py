"""``sgc gc ...``: command line for one-shot gradient codes.

::

    sgc gc verify --n N --s S --construction {cyclic,frc,rs} [--seed K] [--spot-checks K] [--json]
    sgc gc verify --matrix FILE.csv --s S [--json]

Codes with a structural proof (``rs``, ``frc``) are answered from the proof plus an exact check of
the proof's decoding vectors: on every one of the ``C(n, s)`` straggler sets when that fits the
work budget (``"sampled": false``, exhaustive), else on ``--spot-checks`` random sets (seed
``--seed``). The other codes are certified by checking all ``C(n, s)`` sets exactly. JSON output: ``{"ok": bool, "sets_checked": int, "failures": int,
"example_failure": [straggling workers] | null, "basis": "structural" | "exhaustive",
"sets_total": int, "sampled": bool, "seed": int | null, "guarantee": {"kind", "statement",
"reference"}}``. Exit code 0 when the code tolerates every set of ``s`` stragglers, 1 when it
does not, 2 on misuse.
"""

from __future__ import annotations

from ..budget import check_work
from ..errors import SGCError, check_int
from ..codes.constructions import CONSTRUCTIONS, from_csv, make_code

#: constructions that draw nothing at random (a --seed for them is an unused parameter)
DETERMINISTIC = ("frc",)


def register(subparsers) -> None:
    """Add the ``gc`` command (sub-command ``verify``) to the ``sgc`` parser."""
    gc = subparsers.add_parser("gc", help="one-shot (n, s) gradient codes")
    gsub = gc.add_subparsers(dest="gc_command")
    gsub.required = True
    v = gsub.add_parser(
        "verify", help="certify exactly that a code tolerates every set of s stragglers"
    )
    v.add_argument("--n", type=int, default=None, help="number of workers (with --construction)")
    v.add_argument("--s", type=int, required=True, help="number of stragglers to tolerate")
    v.add_argument(
        "--construction",
        choices=CONSTRUCTIONS,
        default=None,
        help="code construction (default: cyclic)",
    )
    v.add_argument(
        "--seed",
        type=int,
        default=None,
        help="seed of the cyclic construction, or of the spot check of a structural "
        "code (rs, frc; default 0)",
    )
    v.add_argument(
        "--spot-checks",
        type=int,
        default=None,
        help="structural codes: random straggler sets checked exactly (default: every set when "
        "all C(n, s) fit --max-work at about n^2 work units each, else 64)",
    )
    v.add_argument("--matrix", default=None, help="CSV file with the n x n encoding matrix")
    v.add_argument("--json", action="store_true", help="print JSON")
    v.set_defaults(func=_cmd_verify)


def _cmd_verify(args) -> int:
    from ._common import emit

    if (args.matrix is None) == (args.n is None):
        raise SGCError(
            "gc verify needs exactly one of --matrix FILE or --n N (got "
            + ("both" if args.matrix is not None else "neither")
            + ")"
        )
    code, label = _matrix_code(args) if args.matrix is not None else _constructed_code(args)
    if code.structure is not None:
        seed = 0 if args.seed is None else args.seed
        result = code.verify(spot_checks=args.spot_checks, seed=seed)
    else:
        result = code.verify()
    emit(args, result.to_dict(), _verdict(label, code, result))
    return 0 if result.ok else 1


def _matrix_code(args):
    """``(code, label)`` of ``--matrix FILE`` (the construction options do not apply)."""
    if args.construction is not None or args.seed is not None:
        raise SGCError("gc verify: --construction/--seed apply to --n, not to --matrix")
    if args.spot_checks is not None:
        raise SGCError(
            "gc verify: --spot-checks applies to codes with a structural proof "
            "(--construction rs or frc), not to --matrix"
        )
    return from_csv(args.matrix, args.s), f"matrix {args.matrix}"


def _constructed_code(args):
    """``(code, label)`` of ``--n N --s S --construction C [--seed K]``, each option checked
    against the construction, and the matrix's size against the budget before it is built."""
    construction = args.construction or "cyclic"
    structural = construction in ("rs", "frc", "stable")
    if args.spot_checks is not None and not structural:
        raise SGCError(
            f"gc verify: --spot-checks applies to codes with a structural proof "
            f"(--construction rs or frc), not to {construction}"
        )
    if args.seed is not None:
        check_int("--seed", args.seed, minimum=0)
        if construction in DETERMINISTIC:
            raise SGCError(
                f"gc verify: --seed applies to random constructions such as "
                f"cyclic, not to {construction} (it draws nothing)"
            )
    n = check_int("--n", args.n, minimum=1)
    s = check_int("--s", args.s, minimum=0)
    if s >= n:
        raise SGCError(f"gc verify needs 0 <= --s < --n (got --n {n}, --s {s})")
    # every construction builds an exact n x n matrix: refuse before allocating it
    check_work(
        n * (n + s * s),
        f"building the ({n}, {s}) {construction} gradient code (an exact {n} x {n} matrix)",
    )
    code = make_code(n, s, construction, seed=None if construction in DETERMINISTIC else args.seed)
    label = construction
    if construction == "cyclic" and args.seed is not None:
        label += f" seed={args.seed}"
    return code, label


def _verdict(label, code, result) -> str:
    """The one-paragraph text of a verdict."""
    head = f"{label} (n={code.n}, s={code.s}, load={code.load})"
    if result.ok:
        return (
            f"OK: {head} tolerates all {result.sets_total} straggler sets of size "
            f"{code.s}: {result.describe()}"
        )
    if result.basis == "structural":
        return f"FAILED: {head}: {result.describe()}, e.g. stragglers {result.example_failure}"
    return (
        f"FAILED: {head}: {result.failures} of {result.sets_checked} straggler sets "
        f"of size {code.s} are not decodable, e.g. stragglers {result.example_failure}"
    )
