"""sgc_theory: sequential gradient coding, exactly.

Build GC, SR-SGC and M-SGC as explicit per-round assignments, prove them against every straggler
pattern a model admits (for a fixed horizon or for all horizons), compute loads, bounds and the
optimal load for a given delay, and replay real AWS Lambda traces.
"""

from .errors import SGCError
from .models import Arbitrary, Bursty, PerRound, extract_pattern, parse_model

__version__ = "0.1.0"

__all__ = ["SGCError", "PerRound", "Bursty", "Arbitrary", "parse_model", "extract_pattern"]

try:  # areas that land progressively
    from .schemes import GC, MSGC, SRSGC, make_scheme  # noqa: F401
    __all__ += ["GC", "SRSGC", "MSGC", "make_scheme"]
except ImportError:  # pragma: no cover
    pass
try:
    from .verify import verify  # noqa: F401
    __all__ += ["verify"]
except ImportError:  # pragma: no cover
    pass
