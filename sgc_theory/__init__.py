"""sgc_theory: sequential gradient coding, exactly.

Build GC, SR-SGC, M-SGC, BR-SGC and WC-SGC as explicit per-round assignments, prove them against every straggler
pattern a model admits (for a fixed horizon or for all horizons), compute loads, bounds and the
optimal load for a given delay, and replay real AWS Lambda traces.

>>> import sgc_theory as sgc
>>> sch = sgc.MSGC(n=256, B=1, W=2, lam=27)
>>> sch.T, sch.load
(1, Fraction(7, 928))
>>> sgc.verify(sch, all_horizons=True).ok
True
"""

import os
import sys


def _quiet_interrupt(signum, frame):  # pragma: no cover  (exercised in a subprocess)
    os.write(2, b"sgc: interrupted\n")
    os._exit(130)


# Run as the ``sgc`` program: a Ctrl-C before the command line has installed its own handler
# (while the modules load) ends the program with one line and exit 130, not a traceback.
# Imported as a library, nothing is changed.
if os.path.basename(sys.argv[0] if sys.argv else "") == "sgc":  # pragma: no cover
    import signal

    signal.signal(signal.SIGINT, _quiet_interrupt)

import importlib  # noqa: E402
import types  # noqa: E402
from typing import TYPE_CHECKING  # noqa: E402

from .errors import SGCError  # noqa: E402

if TYPE_CHECKING:  # pragma: no cover  (the names below, for type checkers and IDEs)
    from .codes import GradientCode, make_code
    from .models import Arbitrary, Bursty, PerRound, extract_pattern, parse_model
    from .schemes import BRSGC, GC, MSGC, PRSGC, SRSGC, WCSGC, make_scheme
    from .verify import verify

#: public name -> the module that defines it. Imported on first use (module ``__getattr__``), so
#: that ``import sgc_theory.cli`` (the ``sgc`` command) starts at once and can install its Ctrl-C
#: handler before the heavy numerical packages load.
_LAZY = {
    "GradientCode": "codes",
    "make_code": "codes",
    "Arbitrary": "models",
    "Bursty": "models",
    "PerRound": "models",
    "extract_pattern": "models",
    "parse_model": "models",
    "BRSGC": "schemes",
    "GC": "schemes",
    "MSGC": "schemes",
    "SRSGC": "schemes",
    "WCSGC": "schemes",
    "PRSGC": "schemes",
    "make_scheme": "schemes",
    "verify": "verify",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'sgc_theory' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


class _Package(types.ModuleType):
    """The package object: importing the sub-package ``sgc_theory.verify`` binds the public
    function :func:`sgc_theory.verify.verify` under the name ``verify``, not the sub-package
    (as the eager ``from .verify import verify`` did)."""

    def __setattr__(self, name, value):
        if name == "verify" and isinstance(value, types.ModuleType):
            value = value.verify
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


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
    "PRSGC",
    "make_scheme",
    "verify",
]
