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
budget, see :mod:`sgc_theory.budget`) and ``--debug`` (tracebacks of internal errors). Every
``--json`` prints strict JSON; an option that a command module left without a help text gets the
common one here, so ``--help`` documents every option.

``sgc --version`` prints the installed version. ``sgc`` with no command prints the list of
commands, one line each, on stdout and exits 0 (it is a request for help, like ``sgc --help``).
"""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import re
import signal
import sys
import time
from contextlib import contextmanager

from ..budget import (
    BYTES_PER_UNIT,
    DEFAULT_MAX_WORK,
    ENV_VAR,
    SECONDS_PER_UNIT,
    current_limit,
    fmt_work,
    parse_max_work,
    resident_bytes,
    work_budget,
)
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
    "run",
]

#: environment variable that turns on tracebacks of internal errors
DEBUG_ENV = "SGC_DEBUG"

#: longest error message printed (a longer one is cut, still on one line)
_MAX_MESSAGE = 600


class UsageError(Exception):
    """An argparse error (raised instead of exiting, so that :func:`main` returns 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors and no option abbreviations (``--js`` is not ``--json``)."""

    def __init__(self, *args, **kwargs):
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message):  # one line, no usage dump
        raise UsageError(message)

    def _print_message(self, message, file=None):
        """``--help`` and ``--version`` text: a failed write (a full disk, ``>/dev/full``) is an
        error of the command (exit 2, one line), not swallowed as argparse does."""
        if message:
            (file or sys.stderr).write(message)


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
            help=f"work budget in work units (about a microsecond each: admitted patterns, "
            f"straggler sets, automaton states, ...; default {DEFAULT_MAX_WORK:.0e}, or "
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


#: help text of ``--json`` where a command module gave none
JSON_HELP = "print the result as strict JSON on stdout (no NaN/Infinity)"


def _overview(parser: argparse.ArgumentParser):
    """The command of bare ``sgc``: every sub-command with its one-line help, exit 0."""

    def run(args) -> int:
        lines = [f"sgc {_version()}: sequential gradient coding, exactly", "", "commands:"]
        for name, help_text in _commands(parser):
            lines.append(f"  {name:18s} {help_text}")
        lines += [
            "",
            "Start with 'sgc demo'. 'sgc COMMAND --help' lists a command's options; every "
            "command takes --max-work N and --debug.",
        ]
        print("\n".join(lines))
        return 0

    return run


def _commands(parser):
    """``(name, one-line help)`` of every runnable command (``gc verify``, ``patterns count``...)."""
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {a.dest: a.help or "" for a in action._choices_actions}
        for name, child in action.choices.items():
            subs = [a for a in child._actions if isinstance(a, argparse._SubParsersAction)]
            if not subs:
                yield name, helps.get(name, "")
                continue
            for sub_name, sub_help in _commands(child):
                yield f"{name} {sub_name}", sub_help


def _version() -> str:
    from .. import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sgc", description="Sequential gradient coding toolkit")
    parser.add_argument(
        "--version", action="version", version=f"sgc {_version()}", help="print the version"
    )
    _add_common(parser, top=True)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")
    sub.required = False  # bare ``sgc``: the list of commands
    for name in _AREAS:
        importlib.import_module(f"{__package__}.{name}").register(sub)
    parser.set_defaults(func=_overview(parser))
    for leaf in _leaf_parsers(parser):
        if leaf is not parser:
            _add_common(leaf)
            for action in leaf._actions:
                if "--json" in action.option_strings and not action.help:
                    action.help = JSON_HELP
        _fold_choices(leaf)
    return parser


def _fold(text: str) -> str:
    return text.strip().lower().replace("-", "").replace("_", "")


def _fold_choices(parser) -> None:
    """One case rule for every name on the command line (as for ``--scheme`` and ``--model``):
    option values chosen from a list are accepted in any case, dashes and underscores ignored
    (``--construction RS`` = ``rs``)."""
    for action in parser._actions:
        choices = action.choices
        if (
            isinstance(action, argparse._SubParsersAction)
            or action.type is not None
            or not choices
            or not all(isinstance(c, str) for c in choices)
        ):
            continue
        canon = {_fold(c): c for c in choices}
        if len(canon) != len(list(choices)):  # two choices differ only in case: keep exact
            continue

        def fold(text, canon=canon):
            return canon.get(_fold(text), text)

        action.type = fold


def _one_line(text) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= _MAX_MESSAGE else line[: _MAX_MESSAGE - 3] + "..."


def _say(message: str) -> None:
    """One line on stderr; never on stdout, never an exception (stderr may be closed)."""
    err = sys.stderr
    if err is None:
        return
    try:
        err.write(message + "\n")
        err.flush()
    except (OSError, ValueError, AttributeError):  # stderr closed or full
        pass


#: a value that starts with "-" but is a number (``-inf``, ``-1e3``, ``-nan``): argparse would
#: read it as an option ("expected one argument"); joined to its option with "=" it reaches the
#: option's validator and is refused with its rule
_NEGATIVE_VALUE = re.compile(r"-(inf|infinity|nan|\.?\d[\d.]*(e[+-]?\d+)?)", re.IGNORECASE)


def _join_negative_values(argv: list[str]) -> list[str]:
    """``--max-work -inf`` -> ``--max-work=-inf`` (and so for every option followed by a
    negative number argparse does not recognise as one)."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        a = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else None
        if (
            a.startswith("--")
            and "=" not in a
            and nxt is not None
            and _NEGATIVE_VALUE.fullmatch(nxt)
        ):
            out.append(f"{a}={nxt}")
            i += 2
            continue
        out.append(a)
        i += 1
    return out


class _Interrupt:
    """Ctrl-C during a command: raise ``KeyboardInterrupt`` and remember it, so that an
    interrupt swallowed by a library (an "Exception ignored" in a callback, e.g. a weak
    reference's finaliser) still ends the command promptly with exit 130: after the first
    press the interrupt is raised again every :data:`_REPEAT` seconds until the command has
    ended, and "Exception ignored" reports of an interrupt are not printed."""

    def __init__(self):
        self.seen = False
        self.previous = None
        self.hook = None
        self.armed = False  # repeats raise only while the command may still be running

    def handler(self, signum, frame):
        self.seen = True
        self.armed = True
        self._repeat()
        raise KeyboardInterrupt

    def _repeat(self) -> None:
        """Raise the interrupt again soon, in case this one lands where it is swallowed."""
        if not hasattr(signal, "setitimer"):  # pragma: no cover  (not POSIX)
            return
        try:
            signal.signal(signal.SIGALRM, self._again)
            signal.setitimer(signal.ITIMER_REAL, _REPEAT, _REPEAT)
        except (ValueError, OSError):  # pragma: no cover  (not the main thread)
            pass

    def _again(self, signum, frame):
        if self.armed:
            raise KeyboardInterrupt

    def _unraisable(self, unraisable) -> None:
        if self.seen and issubclass(unraisable.exc_type, KeyboardInterrupt):
            return  # an interrupt a callback swallowed: it is raised again, not reported
        self.hook(unraisable)

    def install(self) -> None:
        try:
            self.previous = signal.signal(signal.SIGINT, self.handler)
        except (ValueError, OSError):  # not the main thread (tests calling main in a thread)
            self.previous = None
            return
        self.hook = sys.unraisablehook
        sys.unraisablehook = self._unraisable

    def _stop_repeat(self) -> None:
        self.armed = False
        if hasattr(signal, "setitimer"):
            try:
                signal.setitimer(signal.ITIMER_REAL, 0, 0)
                signal.signal(signal.SIGALRM, signal.SIG_DFL)
            except (ValueError, OSError):  # pragma: no cover
                pass

    def quiet(self) -> None:
        """After the interrupt is handled: further presses are ignored while we exit."""
        self.armed = False
        if self.previous is not None:
            self._stop_repeat()
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)
            except (ValueError, OSError):  # pragma: no cover
                pass

    def restore(self) -> None:
        if self.previous is not None:
            self._stop_repeat()
            try:
                signal.signal(signal.SIGINT, self.previous)
            except (ValueError, OSError, TypeError):  # pragma: no cover
                pass
            if sys.unraisablehook == self._unraisable:
                sys.unraisablehook = self.hook


#: seconds between repeats of an interrupt until the command ends (a swallowed one included)
_REPEAT = 0.2


class _OverBudget(BaseException):
    """The whole command went over the time or memory its work budget stands for (a
    ``BaseException``, so that no library ``except`` clause can swallow it)."""


#: a command is always allowed this much computing time and memory growth (imports included)
_FLOOR_SECONDS = 20.0
_FLOOR_BYTES = 2**30


class _Watch:
    """The budget as a meter of the whole command: every half second of computing, the time
    and the memory the process has taken since the command started are compared with what the
    budget stands for (:data:`~sgc_theory.budget.SECONDS_PER_UNIT` and
    :data:`~sgc_theory.budget.BYTES_PER_UNIT` per work unit, with a floor for the imports), so
    that a request whose estimate missed its real cost still stops within about a second of
    crossing it. Metered searches stop earlier on their own charges."""

    def __init__(self):
        self.armed = False
        self.previous = None

    def start(self) -> None:
        limit = current_limit()
        if limit == float("inf") or not hasattr(signal, "setitimer"):
            return
        self.limit = limit
        self.seconds = max(_FLOOR_SECONDS, limit * SECONDS_PER_UNIT)
        self.bytes = max(_FLOOR_BYTES, limit * BYTES_PER_UNIT)
        self.t0 = time.process_time()
        self.m0 = resident_bytes()
        try:
            self.previous = signal.signal(signal.SIGPROF, self._tick)
            signal.setitimer(signal.ITIMER_PROF, 0.5, 0.5)
        except (ValueError, OSError):  # not the main thread
            return
        self.armed = True

    def _tick(self, signum, frame):
        used = time.process_time() - self.t0
        grown = None
        if self.m0 is not None:
            now = resident_bytes()
            grown = None if now is None else now - self.m0
        if used > self.seconds:
            what = f"{used:.0f} s of computing"
        elif grown is not None and grown > self.bytes:
            what = f"{grown >> 20} MB of memory"
        else:
            return
        self.stop()
        raise _OverBudget(
            f"stopped after {what}, more than the budget of {fmt_work(self.limit)} work units "
            f"stands for; raise the budget with --max-work N (or choose smaller parameters)"
        )

    def stop(self) -> None:
        if not self.armed:
            return
        self.armed = False
        try:
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            signal.signal(signal.SIGPROF, self.previous or signal.SIG_DFL)
        except (ValueError, OSError, TypeError):  # pragma: no cover
            pass


def _prepare_streams() -> str | None:
    """Make the standard streams safe to use: a closed stderr (``2>&-``) becomes the null
    device (errors are then lost, exit codes stay right), text that the terminal's encoding
    cannot show (``PYTHONIOENCODING=ascii`` and a non-ASCII path) is escaped instead of
    failing. Returns a refusal when stdout is closed (``>&-``): the output would be lost."""
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w")  # noqa: SIM115  (lives as long as the process)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError, AttributeError):  # pragma: no cover
                pass
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return "standard output is closed (>&-): there is nowhere to print the result"
    return None


def _os_message(exc: OSError) -> str:
    """An operating-system failure (disk full, read-only file, name too long, a folder where a
    file was expected, ...) in one line naming the file when it is known."""
    reason = exc.strerror or os.strerror(exc.errno) if exc.errno else str(exc)
    if exc.filename is not None:
        return f"{os.fsdecode(exc.filename)}: {reason}"
    if exc.errno in (errno.ENOSPC, errno.EIO, errno.EFBIG, errno.EBADF, errno.EDQUOT):
        return f"cannot write the output: {reason}"
    return reason or type(exc).__name__


def _flush_stdout() -> None:
    """Flush stdout; on failure (full disk, closed pipe) send further output nowhere, so that
    Python's own flush at exit does not fail a second time."""
    try:
        sys.stdout.flush()
    except (OSError, ValueError):
        _silence_stdout()
        raise


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
    interrupt = _Interrupt()
    interrupt.install()
    try:
        try:
            rc = _main(argv, interrupt)
        finally:  # the command is over: no more repeats of an interrupt
            interrupt.armed = False
    except KeyboardInterrupt:  # between the handlers of _main
        interrupt.quiet()
        _say("sgc: interrupted")
        rc = 130
    if interrupt.seen and rc != 130:  # an interrupt a library swallowed
        _say("sgc: interrupted")
        rc = 130
    interrupt.restore()
    return rc


def _main(argv, interrupt: _Interrupt) -> int:
    """Parse and run one command; every failure becomes one ``sgc: error:`` line and its exit
    code (:func:`_failure`)."""
    argv = sys.argv[1:] if argv is None else [str(a) for a in argv]
    flags = {"debug": _debug_wanted(argv)}
    try:
        return _parse_and_run(argv, flags)
    except KeyboardInterrupt:
        interrupt.quiet()
        interrupt.seen = True
        _say("sgc: interrupted")
        return 130
    except (Exception, _OverBudget) as exc:  # _OverBudget is a BaseException on purpose
        return _failure(exc, flags["debug"])


def _parse_and_run(argv, flags: dict) -> int:
    """Prepare the streams, parse ``argv`` and run the command under its work budget; sets
    ``flags["debug"]`` once ``--debug`` is known."""
    closed = _prepare_streams()
    if closed is not None:
        _say(f"sgc: error: {closed}")
        return 2
    argv = _join_negative_values(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        _say(f"sgc: error: {_one_line(exc)}")
        return 2
    except SystemExit as exc:  # --help, --version: argparse printed it
        _flush_stdout()  # a full disk or a closed pipe fails here, not silently at exit
        return exc.code if isinstance(exc.code, int) else 0
    flags["debug"] = flags["debug"] or bool(getattr(args, "debug", False))
    watch = _Watch()
    try:
        with work_budget(getattr(args, "max_work", None)), _big_integers():
            watch.start()
            rc = args.func(args)
    finally:
        watch.stop()
    _flush_stdout()
    return int(rc or 0)


def _failure(exc: BaseException, debug: bool) -> int:
    """The exit code of a command that raised ``exc``, after its one line on stderr: 2 for bad
    input and the machine's limits, 0 for a closed pipe, 3 for a bug (traceback on request).
    Called inside the ``except`` block, so the traceback is that of ``exc``."""
    import traceback

    if isinstance(exc, (SGCError, _OverBudget)):
        _say(f"sgc: error: {_one_line(exc)}")
        return 2
    if isinstance(exc, MemoryError):
        _say(
            "sgc: error: out of memory: the request is too large for this machine (choose "
            "smaller parameters or a lower --max-work)"
        )
        return 2
    if isinstance(exc, BrokenPipeError):
        _silence_stdout()
        return 0
    if isinstance(exc, OSError):  # an ordinary condition of the machine, not a bug
        if exc.filename is None:  # a failed write to stdout: do not fail again at exit
            _silence_stdout()
        if debug:
            traceback.print_exc()
        _say(f"sgc: error: {_one_line(_os_message(exc))}")
        return 2
    if debug:  # a bug: one line, the traceback on request
        traceback.print_exc()
    _say(
        f"sgc: internal error: {type(exc).__name__}: {_one_line(exc)} (a bug; rerun with "
        f"--debug or {DEBUG_ENV}=1 for the traceback)"
    )
    return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
