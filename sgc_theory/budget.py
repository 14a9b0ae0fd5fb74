"""Work budgets: estimate the work of a request before starting, refuse it beyond a budget.

Every command and public entry point whose cost grows with its input (patterns, straggler sets,
automaton states, rounds x workers, ...) estimates that cost in *work units* before it starts and
refuses, with one :class:`WorkTooLargeError`, when the estimate exceeds the budget. One work unit
is roughly one microsecond of computing on a laptop (one elementary step: a straggler set
examined, an automaton transition, a worker-round of an exact run; the estimates weight steps
that cost more). Where no a-priori estimate is tight, the work is *metered* as it is done
(:class:`Meter`) and stopped at the budget, so every request ends.

The budget, in order of precedence:

1. ``max_work=N`` of the public function called (e.g. ``verify(..., max_work=10**10)``);
2. the innermost ``with work_budget(N):`` block (the command line's ``--max-work N`` sets it);
3. the environment variable ``SGC_MAX_WORK``;
4. :data:`DEFAULT_MAX_WORK` (``10**8``, a minute or two).

``N`` may be an integer, an integral float such as ``1e10``, or ``"inf"`` (no limit).

>>> from sgc_theory.budget import check_work, work_budget, WorkTooLargeError
>>> check_work(1000, "a small request")            # within the default budget: no error
>>> with work_budget(100):
...     try:
...         check_work(10**40, "counting everything", cheaper="sampling")
...     except WorkTooLargeError as exc:
...         print(exc)
counting everything: about 1e+40 work units, over the budget of 100; cheaper: sampling; raise the budget with --max-work N (Python: max_work=N)
"""

from __future__ import annotations

import math
import os
import time
from contextlib import contextmanager
from contextvars import ContextVar

from .errors import SGCError

__all__ = [
    "DEFAULT_MAX_WORK",
    "ENV_VAR",
    "WorkTooLargeError",
    "StateLimitError",
    "current_limit",
    "parse_max_work",
    "work_budget",
    "check_work",
    "Meter",
    "fmt_work",
    "resident_bytes",
    "SECONDS_PER_UNIT",
    "BYTES_PER_UNIT",
    "MIN_SECONDS",
    "MIN_MEMORY",
]

#: default budget in work units (about a minute or two of computing)
DEFAULT_MAX_WORK = 10**8

#: environment variable overriding the default budget
ENV_VAR = "SGC_MAX_WORK"

#: the command-line flag (shown in every refusal)
FLAG = "--max-work"

_INF = math.inf
_context: ContextVar = ContextVar("sgc_max_work", default=None)


class WorkTooLargeError(SGCError):
    """A request whose estimated (or metered) work exceeds the budget.

    Attributes: ``what`` (the request), ``estimate`` (work units, ``None`` if unknown), ``limit``
    (the budget) and ``cheaper`` (a cheaper route, or ``None``).
    """

    def __init__(self, message, what=None, estimate=None, limit=None, cheaper=None):
        super().__init__(message)
        self.what, self.estimate, self.limit, self.cheaper = what, estimate, limit, cheaper


class StateLimitError(WorkTooLargeError, RuntimeError):
    """More reachable states than ``max_states`` allowed (also a ``RuntimeError``, which is what
    earlier versions raised)."""


def fmt_work(x) -> str:
    """A work estimate for humans: exact below a million, else ``1.2e+07`` or ``~10^5000``.

    >>> fmt_work(12345), fmt_work(3 * 10**9), fmt_work(10**400)
    ('12345', '3e+09', '~10^400')
    """
    if x is None:
        return "?"
    if x == _INF:
        return "inf"
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer()):
        x = int(x)
        if x < 10**6:
            return str(x)
        if x.bit_length() > 1000:
            return f"~10^{int(x.bit_length() * math.log10(2))}"
    return f"{float(x):.2g}"


def parse_max_work(value, name: str = "max_work"):
    """Validate a budget: a positive integer, an integral float (``1e10``) or ``"inf"``.

    Returns an ``int`` or ``math.inf``.

    >>> parse_max_work("1e9"), parse_max_work(5), parse_max_work("inf")
    (1000000000, 5, inf)
    """
    v = value
    if isinstance(v, str):
        s = v.strip().lower()
        if s in ("inf", "infinity", "unlimited", "none"):
            return _INF
        try:
            v = int(s)
        except ValueError:
            try:
                v = float(s)
            except ValueError:
                raise SGCError(
                    f"{name} must be a positive number of work units such as 1e9, "
                    f"or 'inf' (got {value!r})"
                ) from None
    if isinstance(v, bool) or not isinstance(v, (int, float)) and not hasattr(v, "__index__"):
        raise SGCError(f"{name} must be a positive number of work units (got {value!r})")
    if isinstance(v, float):
        if v == _INF:
            return _INF
        if not math.isfinite(v) or not v.is_integer():
            raise SGCError(
                f"{name} must be a positive whole number of work units or 'inf' (got {value!r})"
            )
        v = int(v)
    v = int(v)
    if v < 1:
        raise SGCError(f"{name} must be >= 1 (got {name}={value!r})")
    return v


def current_limit(value=None):
    """The budget in force: ``value`` if given, else the context's, the environment's, or the
    default."""
    if value is not None:
        return parse_max_work(value)
    ctx = _context.get()
    if ctx is not None:
        return ctx
    env = os.environ.get(ENV_VAR)
    if env:
        return parse_max_work(env, ENV_VAR)
    return DEFAULT_MAX_WORK


@contextmanager
def work_budget(value):
    """Run a block under the budget ``value`` (``None``: keep the current one).

    >>> with work_budget("1e12"):
    ...     current_limit()
    1000000000000
    """
    if value is None:
        yield current_limit()
        return
    v = parse_max_work(value)
    token = _context.set(v)
    try:
        yield v
    finally:
        _context.reset(token)


def _refusal(what, estimate, limit, cheaper, metered=False) -> str:
    if metered:
        head = f"{what}: stopped at the budget of {fmt_work(limit)} work units"
        if estimate is not None:
            head += f" (estimated total {fmt_work(estimate)})"
    else:
        head = (
            f"{what}: about {fmt_work(estimate)} work units, over the budget of {fmt_work(limit)}"
        )
    if cheaper:
        head += f"; cheaper: {cheaper}"
    return head + f"; raise the budget with {FLAG} N (Python: max_work=N)"


def check_work(
    estimate, what: str, *, cheaper: str | None = None, limit=None, error=WorkTooLargeError
) -> None:
    """Refuse (raise :class:`WorkTooLargeError`) when ``estimate`` work units exceed the budget.

    ``what`` names the request (``"exhaustive verification of MSGC(...) over 7 rounds"``),
    ``cheaper`` a cheaper route if one exists (``"--all-horizons"``).
    """
    limit = current_limit(limit)
    if estimate > limit:
        raise error(_refusal(what, estimate, limit, cheaper), what, estimate, limit, cheaper)


#: seconds of computing one work unit stands for, at most (a unit is about a microsecond; a meter
#: whose charges undercount the real cost still stops when the time the budget stands for
#: has passed, with a margin of a half)
SECONDS_PER_UNIT = 1.5e-6

#: computing time always allowed (seconds)
MIN_SECONDS = 1.0

#: bytes of memory one work unit may hold, at most (a metered search whose memory grows faster
#: than its charges stops when it has taken this much per unit of the budget)
BYTES_PER_UNIT = 8

#: memory growth always allowed to a metered search (bytes)
MIN_MEMORY = 256 * 2**20

#: charges, or work units, between two checks of time and memory
_CHECK_EVERY = 256
_CHECK_UNITS = 10**5


def resident_bytes() -> int | None:
    """Memory the process holds now (resident set, bytes), or ``None`` where unknown."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):  # pragma: no cover  (not Linux)
        return None


class Meter:
    """Work counted as it is done; ``charge(units)`` raises :class:`WorkTooLargeError` at the budget.

    Used where no tight a-priori estimate exists (state spaces explored breadth-first, memoised
    depth-first searches). ``estimate`` (optional) is an a-priori figure quoted in the refusal.

    The charges are checked against what they stand for: every few hundred charges the meter
    also stops the work when the computing time since it started exceeds
    :data:`SECONDS_PER_UNIT` per unit of the budget, or when the process has grown by more than
    :data:`BYTES_PER_UNIT` per unit (at least :data:`MIN_MEMORY`), so that charges that
    undercount the real cost still end the work within a second or so of the budget.

    >>> m = Meter("a search", limit=10)
    >>> m.charge(4); m.used
    4
    >>> m.charge(7)
    Traceback (most recent call last):
    ...
    sgc_theory.budget.WorkTooLargeError: a search: stopped at the budget of 10 work units; raise the budget with --max-work N (Python: max_work=N)
    """

    __slots__ = ("what", "cheaper", "limit", "used", "estimate", "_calls", "_next", "_t0", "_m0")

    def __init__(self, what: str, *, cheaper: str | None = None, limit=None, estimate=None):
        self.what, self.cheaper, self.estimate = what, cheaper, estimate
        self.limit = current_limit(limit)
        self.used = 0
        self._calls = 0
        self._next = _CHECK_UNITS
        self._t0 = time.process_time()
        self._m0 = resident_bytes()

    def charge(self, units=1) -> None:
        self.used += units
        if self.used > self.limit:
            self._stop()
        self._calls += 1
        if (self._calls % _CHECK_EVERY == 0 or self.used >= self._next) and self.limit != _INF:
            self._next = self.used + _CHECK_UNITS
            self._check_real_cost()

    def _check_real_cost(self) -> None:
        if time.process_time() - self._t0 > max(MIN_SECONDS, self.limit * SECONDS_PER_UNIT):
            self._stop(" (the computing time it stands for is used up)")
        if self._m0 is not None:
            now = resident_bytes()
            if now is not None and now - self._m0 > max(MIN_MEMORY, self.limit * BYTES_PER_UNIT):
                self._stop(f" (the memory it allows is used up: {(now - self._m0) >> 20} MB)")

    def _stop(self, why: str = "") -> None:
        message = _refusal(self.what, self.estimate, self.limit, self.cheaper, metered=True)
        if why:
            head, sep, tail = message.partition(" work units")
            message = head + sep + why + tail
        raise WorkTooLargeError(message, self.what, self.estimate, self.limit, self.cheaper)

    @property
    def left(self):
        return self.limit - self.used
