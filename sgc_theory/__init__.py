"""sgc_theory: sequential gradient coding, exactly.

Build GC, SR-SGC and M-SGC as explicit per-round assignments, prove them against every straggler
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

__version__ = "0.1.0"

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
