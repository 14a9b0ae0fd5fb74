"""Verification of sequential schemes against straggler models (docs/guide/verification.md).

Re-exports only: :func:`verify` and :func:`replay` live in :mod:`sgc_theory.verify.api`, the
verdict in :mod:`sgc_theory.verify.result`, the methods in :mod:`~sgc_theory.verify.exact`
(finite horizon and exact automaton), :mod:`~sgc_theory.verify.symmetric` (counts of worker
kinds), :mod:`~sgc_theory.verify.counts` (WC-SGC's count automaton) and
:mod:`~sgc_theory.verify.confirm` (exact confirmation of counterexamples).
"""

from .api import EXACT_MAX_N, METHODS, replay, verify
from .result import Overload, VerificationResult

__all__ = ["verify", "VerificationResult", "Overload", "replay", "METHODS", "EXACT_MAX_N"]
