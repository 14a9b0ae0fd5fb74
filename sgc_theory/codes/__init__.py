"""One-shot (n, s) gradient codes with exact rational encoding matrices.

Examples
--------
>>> from sgc_theory.codes import make_code
>>> code = make_code(6, 2, "cyclic", seed=0)
>>> code.verify().ok, code.load
(True, Fraction(1, 2))
"""

from .base import GradientCode
from .numerics import condition_report, decoding_errors, float_report
from .results import ConditionReport, FloatReport, Guarantee, VerifyResult
from .constructions import (
    CONSTRUCTIONS,
    code_guarantee,
    cyclic_repetition,
    fractional_repetition,
    from_csv,
    from_matrix,
    identity_code,
    make_code,
)
from .reed_solomon import ReedSolomonCode, reed_solomon
from .stable import (
    UnequalRepetitionCode,
    float_safe_code,
    group_sizes,
    stable_code,
    stable_load,
    stable_worst_condition,
    unequal_repetition,
)

__all__ = [
    "GradientCode",
    "VerifyResult",
    "ConditionReport",
    "Guarantee",
    "CONSTRUCTIONS",
    "code_guarantee",
    "reed_solomon",
    "ReedSolomonCode",
    "fractional_repetition",
    "cyclic_repetition",
    "identity_code",
    "from_matrix",
    "from_csv",
    "make_code",
    "FloatReport",
    "float_report",
    "condition_report",
    "decoding_errors",
    "UnequalRepetitionCode",
    "unequal_repetition",
    "group_sizes",
    "stable_load",
    "stable_code",
    "float_safe_code",
    "stable_worst_condition",
]
