"""``sgc figures --out DIR [--only WORD ...] [--json]``: write every paper figure."""

from __future__ import annotations

from ..figures import run_figures


def register(sub) -> None:
    p = sub.add_parser("figures", help="write every paper figure (PNG and PDF) into a folder")
    p.add_argument("--out", required=True, help="output folder (created if missing)")
    p.add_argument(
        "--only",
        nargs="+",
        default=None,
        metavar="WORD",
        help="only the figures whose script name contains one of these words",
    )
    p.add_argument("--json", action="store_true", help='print {"files": [...]}')
    p.set_defaults(func=_figures)


def _figures(args) -> int:
    from ._common import emit

    from ._common import show_progress

    files = run_figures(args.out, only=args.only, progress=show_progress(args))
    emit(args, {"files": files}, "\n".join(files))
    return 0
