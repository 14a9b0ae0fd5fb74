"""The ``sgc`` command line.

Each area of the package contributes its sub-commands through a ``register(subparsers)``
function in its own ``cli`` module, so that the areas stay independent. Every user error is an
:class:`~sgc_theory.errors.SGCError`: it is printed as one line on stderr and the exit code is 2.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys

from .errors import SGCError

#: modules that contribute sub-commands (each has ``register(subparsers)``)
_AREAS = [
    "sgc_theory.cli_demo",
    "sgc_theory.models.cli",
    "sgc_theory.codes.cli",
    "sgc_theory.verify.cli",
    "sgc_theory.bounds.cli",
    "sgc_theory.design.cli",
    "sgc_theory.simulate.cli",
    "sgc_theory.figures_cli",
]


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump, exit 2
        self.exit(2, f"sgc: error: {message}\n")


def emit(args, payload: dict, text: str) -> None:
    """Print ``payload`` as JSON when ``--json`` was given, else ``text``."""
    if getattr(args, "json", False):
        print(json.dumps(payload))
    else:
        print(text)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sgc", description="Sequential gradient coding toolkit")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    sub.required = True
    for name in _AREAS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # an area not built yet
            if exc.name == name:
                continue
            raise
        module.register(sub)
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
