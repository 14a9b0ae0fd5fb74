"""Exceptions of sgc_theory.

Every error a user can provoke with bad input is an :class:`SGCError` (a ``ValueError``)
whose message names the argument and the rule, e.g.
``"SR-SGC needs W >= B + 1 (got B=3, W=3)"``. The CLI prints that one line and exits 2.
"""

from __future__ import annotations

from typing import Any


class SGCError(ValueError):
    """Bad input: the message names the argument and the rule it breaks."""


class NotDecodableError(SGCError):
    """The received tasks do not determine the requested gradient."""


class SolverUnavailableError(SGCError):
    """The requested LP/ILP solver is not installed or not usable."""


def require(cond: bool, message: str) -> None:
    """Raise :class:`SGCError` with ``message`` unless ``cond`` holds."""
    if not cond:
        raise SGCError(message)


def _short(value: Any) -> str:
    """``repr(value)`` on one line, cut to 60 characters."""
    text = " ".join(repr(value).split())
    return text if len(text) <= 60 else text[:57] + "..."


def check_int(name: str, value: Any, minimum: int | None = None, maximum: int | None = None) -> int:
    """Validate an integer argument, returning it as ``int``."""
    import operator

    if (
        isinstance(value, bool)
        or not isinstance(value, (int,))
        and not (hasattr(value, "__index__"))
    ):
        raise SGCError(f"{name} must be an integer (got {_short(value)})")
    try:
        value = operator.index(value)
    except (TypeError, ValueError):
        raise SGCError(f"{name} must be an integer (got {_short(value)})") from None
    if minimum is not None and value < minimum:
        raise SGCError(f"{name} must be >= {minimum} (got {name}={value})")
    if maximum is not None and value > maximum:
        raise SGCError(f"{name} must be <= {maximum} (got {name}={value})")
    return value


def check_bool(name: str, value: Any) -> bool:
    """Validate a yes/no argument (``True``/``False``, or numpy's bools).

    >>> check_bool("graph", True)
    True
    """
    if isinstance(value, bool) or type(value).__name__ == "bool_":
        return bool(value)
    raise SGCError(f"{name} must be True or False (got {value!r})")


def check_seed(name: str, seed: Any, allow_none: bool = True) -> int | None:
    """Validate a random seed: ``None`` (fresh randomness) or an integer ``>= 0``.

    >>> check_seed("seed", 3), check_seed("seed", None)
    (3, None)
    """
    if seed is None and allow_none:
        return None
    return check_int(name, seed, minimum=0)


def check_real(name: str, value: Any, minimum: float | None = None, finite: bool = True) -> float:
    """Validate a real number (not a bool, not NaN; finite unless ``finite=False``)."""
    import math

    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        and not hasattr(value, "__float__")
    ):
        raise SGCError(f"{name} must be a number (got {value!r})")
    try:
        x = float(value)
    except (TypeError, ValueError, OverflowError):
        raise SGCError(f"{name} must be a number (got {value!r})") from None
    if math.isnan(x) or (finite and not math.isfinite(x)):
        raise SGCError(f"{name} must be a finite number (got {value!r})")
    if minimum is not None and x < minimum:
        raise SGCError(f"{name} must be >= {minimum} (got {name}={value!r})")
    return x


def _kind_of(mode: int) -> str:
    import stat

    for test, word in (
        (stat.S_ISREG, "a file"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return word
    return "a special file"


def check_input_file(path: Any, what: str = "file", max_bytes: int | None = None) -> Any:
    """Validate a path to read: it exists, is a regular file, is readable (and not too large).

    Returns the path as :class:`pathlib.Path`. The error names the real reason: missing, a
    directory, a device, unreadable, too large.

    >>> check_input_file("/", "matrix file")
    Traceback (most recent call last):
    ...
    sgc_theory.errors.SGCError: matrix file /: cannot read: it is a directory, not a file
    """
    import os
    import stat
    from pathlib import Path

    if path is None or isinstance(path, bool) or not isinstance(path, (str, bytes, os.PathLike)):
        raise SGCError(f"{what} must be a path (got {path!r})")
    if isinstance(path, bytes):
        path = os.fsdecode(path)
    if str(path) == "":
        raise SGCError(f"{what} must not be empty")
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise SGCError(f"{what} {path}: cannot read: no such file") from None
    except OSError as exc:
        raise SGCError(f"{what} {path}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        raise SGCError(f"{what} {path}: cannot read: it is {_kind_of(st.st_mode)}, not a file")
    if not os.access(p, os.R_OK):
        raise SGCError(f"{what} {path}: cannot read: permission denied")
    if max_bytes is not None and st.st_size > max_bytes:
        raise SGCError(f"{what} {path}: {st.st_size} bytes, more than the {max_bytes} accepted")
    return p


def check_output_dir(path: Any, what: str = "--out") -> Any:
    """Validate (and create) a folder to write into: not empty, not a file or device, writable.

    Returns the folder as :class:`pathlib.Path`.
    """
    import os
    from pathlib import Path

    if path is None or isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise SGCError(f"{what} must be a folder path (got {path!r})")
    if str(path).strip() == "":
        raise SGCError(f"{what} must name a folder (got an empty path)")
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise SGCError(f"{what} {path}: exists and is {_kind_of(p.stat().st_mode)}, not a folder")
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SGCError(f"{what} {path}: cannot create the folder ({exc.strerror or exc})") from None
    if not os.access(p, os.W_OK | os.X_OK):
        raise SGCError(f"{what} {path}: the folder is not writable (permission denied)")
    return p
