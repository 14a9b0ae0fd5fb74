"""sgc_theory: sequential gradient coding, exactly.

Build GC, SR-SGC, M-SGC, BR-SGC and WC-SGC as explicit per-round assignments, prove them against every straggler
pattern a model admits (for a fixed horizon or for all horizons), compute loads, bounds and the
optimal load for a given delay, and replay real AWS Lambda traces.

>>> import sgc_theory as sgc
>>> sch = sgc.MSGC(n=256, B=1, W=2, lam=27)
>>> sch.T, sch.load
(1, 7/928)
>>> sgc.verify(sch, all_horizons=True).ok
True
"""

from .codes import GradientCode, make_code
from .errors import SGCError
from .models import Arbitrary, Bursty, PerRound, extract_pattern, parse_model
from .schemes import BRSGC, GC, MSGC, SRSGC, WCSGC, make_scheme
from .verify import verify


def _version() -> str:
    """The installed distribution's version (``pyproject.toml``), or ``0+unknown`` when the
    package runs from a checkout that was never installed."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sgc_theory")
    except PackageNotFoundError:  # pragma: no cover
        return "0+unknown"


__version__ = _version()

__all__ = [
    "SGCError",
    "PerRound",
    "Bursty",
    "Arbitrary",
    "parse_model",
    "extract_pattern",
    "GradientCode",
    "make_code",
    "GC",
    "SRSGC",
    "MSGC",
    "BRSGC",
    "WCSGC",
    "make_scheme",
    "verify",
]
