"""The registry of scheme families: ``SCHEMES`` (name -> class) and :func:`make_scheme`."""

from __future__ import annotations

from ..errors import SGCError
from .base import Scheme
from .br_sgc import BRSGC
from .gc import GC
from .m_sgc import MSGC
from .pr_sgc import PRSGC
from .rwc_sgc import RWCSGC
from .sr_sgc import SRSGC
from .wc_sgc import WCSGC

__all__ = ["SCHEMES", "make_scheme"]

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
    (B, W, lam); ``rwcsgc`` (B, W, lam); ``wcsgc`` and ``rwcsgc`` also take ``T``, ``P``, ``K`` (see :class:`~sgc_theory.schemes.WCSGC`).

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
