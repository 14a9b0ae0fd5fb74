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


def check_int(name: str, value: Any, minimum: int | None = None,
              maximum: int | None = None) -> int:
    """Validate an integer argument, returning it as ``int``."""
    if isinstance(value, bool) or not isinstance(value, (int,)) and not (
        hasattr(value, "__index__")
    ):
        raise SGCError(f"{name} must be an integer (got {value!r})")
    value = int(value)
    if minimum is not None and value < minimum:
        raise SGCError(f"{name} must be >= {minimum} (got {name}={value})")
    if maximum is not None and value > maximum:
        raise SGCError(f"{name} must be <= {maximum} (got {name}={value})")
    return value
