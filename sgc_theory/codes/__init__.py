"""One-shot (n, s) gradient codes with exact rational encoding matrices.

Examples
--------
>>> from sgc_theory.codes import make_code
>>> code = make_code(6, 2, "cyclic", seed=0)
>>> code.verify().ok, code.load
(True, Fraction(1, 2))
"""

from .base import ConditionReport, GradientCode, VerifyResult
from .constructions import (
    cyclic_repetition,
    fractional_repetition,
    from_csv,
    from_matrix,
    identity_code,
    make_code,
)

__all__ = [
    "GradientCode",
    "VerifyResult",
    "ConditionReport",
    "fractional_repetition",
    "cyclic_repetition",
    "identity_code",
    "from_matrix",
    "from_csv",
    "make_code",
]
