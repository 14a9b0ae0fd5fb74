"""The ``sgc`` command line.

This package is the only place that knows argparse: one module per command group, each with a
``register(subparsers)`` function; the library modules below it know nothing of the command line.

The exit-code contract lives here, in :func:`main`, so that no command module can forget it:

* ``0`` success;
* ``1`` a verdict that fails (a verification that fails, a solve that is not optimal): the
  command returns 1;
* ``2`` bad usage or input, including a request over the work budget: ONE line on stderr
  (``sgc: error: ...``); every :class:`~sgc_theory.errors.SGCError` and every argparse error
  ends here;
* ``3`` an internal error (a bug): one line saying how to get the traceback (``--debug`` or the
  environment variable ``SGC_DEBUG=1``);
* ``130`` interrupted by Ctrl-C: one line.

Options every command accepts (added here to every sub-command): ``--max-work N`` (the work
budget, see :mod:`sgc_theory.budget`) and ``--debug`` (tracebacks of internal errors).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from contextlib import contextmanager

from ..budget import DEFAULT_MAX_WORK, ENV_VAR, parse_max_work, work_budget
from ..errors import SGCError
from ._common import emit  # noqa: F401  (re-exported for the command modules)

#: modules of this package that contribute sub-commands (each has ``register(subparsers)``)
_AREAS = [
    "demo",
    "patterns",
    "gc",
    "verify",
    "loads",
    "design",
    "simulate",
    "traces",
    "reproduce",
    "compare",
    "figures",
]

#: environment variable that turns on tracebacks of internal errors
DEBUG_ENV = "SGC_DEBUG"

#: longest error message printed (a longer one is cut, still on one line)
_MAX_MESSAGE = 600


class UsageError(Exception):
    """An argparse error (raised instead of exiting, so that :func:`main` returns 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, no usage dump
        raise UsageError(message)


def _max_work_type(text):
    try:
        return parse_max_work(text, "--max-work")
    except SGCError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _add_common(parser, top: bool = False) -> None:
    """``--max-work`` and ``--debug`` on a parser (sub-commands do not override the top-level
    values when they are not given)."""
    have = parser._option_string_actions
    default = None if top else argparse.SUPPRESS
    if "--max-work" not in have:
        parser.add_argument(
            "--max-work",
            dest="max_work",
            type=_max_work_type,
            default=default,
            metavar="N",
            help=f"work budget in work units (default {DEFAULT_MAX_WORK:.0e}, or "
            f"${ENV_VAR}); e.g. 1e10, or inf for no limit",
        )
    if "--debug" not in have:
        parser.add_argument(
            "--debug",
            action="store_true",
            default=default,
            help=f"print the traceback of an internal error (or {DEBUG_ENV}=1)",
        )


def _leaf_parsers(parser):
    """Every parser below ``parser`` that runs a command (has no sub-commands of its own)."""
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield parser
        return
    for action in subs:
        for child in dict.fromkeys(action.choices.values()):  # aliases: once
            yield from _leaf_parsers(child)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sgc", description="Sequential gradient coding toolkit")
    _add_common(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    sub.required = True
    for name in _AREAS:
        importlib.import_module(f"{__name__}.{name}").register(sub)
    for leaf in _leaf_parsers(parser):
        if leaf is not parser:
            _add_common(leaf)
    return parser


def _one_line(text) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 3] + "..."


def _say(message: str) -> None:
    try:
        print(message, file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):  # pragma: no cover  (stderr closed)
        pass


@contextmanager
def _big_integers():
    """Let exact counts of any size be printed (Python limits int-to-str to 4300 digits)."""
    get = getattr(sys, "get_int_max_str_digits", None)
    if get is None:  # pragma: no cover  (Python < 3.11)
        yield
        return
    old = get()
    sys.set_int_max_str_digits(0)
    try:
        yield
    finally:
        sys.set_int_max_str_digits(old)


def _debug_wanted(argv) -> bool:
    return "--debug" in argv or os.environ.get(DEBUG_ENV, "").strip() not in ("", "0")


def _silence_stdout() -> None:
    """After a closed pipe (``sgc ... | head``): send further output nowhere, quietly."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # pragma: no cover
        pass


def main(argv=None) -> int:
    """Run ``sgc`` with ``argv`` (default: the process arguments); returns the exit code."""
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    debug = _debug_wanted(argv)
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except UsageError as exc:
            _say(f"sgc: error: {_one_line(exc)}")
            return 2
        except SystemExit as exc:  # --help: argparse printed it
            return exc.code if isinstance(exc.code, int) else 0
        debug = debug or bool(getattr(args, "debug", False))
        with work_budget(getattr(args, "max_work", None)), _big_integers():
            rc = args.func(args)
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _silence_stdout()
        return int(rc or 0)
    except KeyboardInterrupt:
        _say("sgc: interrupted")
        return 130
    except SGCError as exc:
        _say(f"sgc: error: {_one_line(exc)}")
        return 2
    except MemoryError:
        _say(
            "sgc: error: out of memory: the request is too large for this machine (choose "
            "smaller parameters or a lower --max-work)"
        )
        return 2
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:  # a bug: one line, the traceback on request
        if debug:
            import traceback

            traceback.print_exc()
        _say(
            f"sgc: internal error: {type(exc).__name__}: {_one_line(exc)} (a bug; rerun with "
            f"--debug or {DEBUG_ENV}=1 for the traceback)"
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
