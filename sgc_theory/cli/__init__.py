"""The ``sgc`` command line.

This package is the only place that knows argparse: one module per command group, each with a
``register(subparsers)`` function; the library modules below it know nothing of the command line. Every user error is an
:class:`~sgc_theory.errors.SGCError`: it is printed as one line on stderr and the exit code is 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import SGCError
from ._common import emit  # noqa: F401  (re-exported for the command modules)

#: modules of this package that contribute sub-commands (each has ``register(subparsers)``)
_AREAS = ["demo", "patterns", "gc", "verify", "loads", "design", "simulate", "traces", "reproduce", "figures"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump, exit 2
        self.exit(2, f"sgc: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sgc", description="Sequential gradient coding toolkit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    sub.required = True
    for name in _AREAS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    return parser


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        rc = args.func(args)
    except SGCError as exc:
        print(f"sgc: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("sgc: interrupted", file=sys.stderr)
        return 130
    return int(rc or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
