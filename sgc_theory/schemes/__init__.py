"""Sequential schemes (docs/guide/schemes.md): GC, SR-SGC, M-SGC, BR-SGC, WC-SGC and PR-SGC as exact
state machines."""

from ..errors import SGCError
from .base import Run, Scheme, Task, Work
from .br_sgc import BRSGC
from .gc import GC
from .m_sgc import MSGC
from .pr_sgc import PRSGC
from .sr_sgc import SRSGC
from .tabular import TabularScheme
from .wc_sgc import WCSGC, backlog_bound, worker_order
from .rwc_sgc import RWCSGC

__all__ = [
    "Scheme",
    "Task",
    "Work",
    "Run",
    "GC",
    "SRSGC",
    "MSGC",
    "BRSGC",
    "WCSGC",
    "RWCSGC",
    "backlog_bound",
    "worker_order",
    "PRSGC",
    "TabularScheme",
    "make_scheme",
    "SCHEMES",
]

SCHEMES = {
    "gc": GC,
    "srsgc": SRSGC,
    "msgc": MSGC,
    "brsgc": BRSGC,
    "wcsgc": WCSGC,
    "prsgc": PRSGC,
    "rwcsgc": RWCSGC,
}


def make_scheme(name: str, n: int, **params) -> Scheme:
    """Build a scheme by name: ``gc`` (s); ``srsgc``, ``msgc``, ``brsgc``, ``wcsgc``, ``prsgc``
    (B, W, lam); ``wcsgc`` also takes ``T``, ``P``, ``K`` (see :class:`WCSGC`).

    >>> make_scheme("msgc", n=4, B=1, W=2, lam=1).T
    1
    """
    key = str(name).lower().replace("-", "")
    if key not in SCHEMES:
        raise SGCError(f"scheme must be one of {', '.join(SCHEMES)} (got {name!r})")
    needed = ("s",) if key == "gc" else ("B", "W", "lam")
    missing = [p for p in needed if params.get(p) is None]
    if missing:
        raise SGCError(f"scheme {key} needs parameter(s) {', '.join('--' + p for p in missing)}")
    options = {
        "gc": ("construction", "seed"),
        "srsgc": ("construction", "seed", "rule"),
        "msgc": ("construction", "seed"),
        "brsgc": (),
        "wcsgc": ("T", "P", "K"),
        "prsgc": (),
        "rwcsgc": ("T", "P", "K"),
    }[key]
    unknown = [k for k, v in params.items() if k not in needed + options and v is not None]
    if unknown:
        raise SGCError(
            f"scheme {key} does not take parameter(s) {', '.join(sorted(unknown))} "
            f"(it takes {', '.join(needed + options)})"
        )
    extra = {k: v for k, v in params.items() if k in options and v is not None}
    return SCHEMES[key](n, **{p: params[p] for p in needed}, **extra)
