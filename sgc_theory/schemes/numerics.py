"""Float64 conditioning of every scheme's decoders (docs/guide/codes.md, "Float decoding").

A scheme is exact in rationals; a real run decodes each job in float64. Two routes measure what
that costs, with the same error measure as :func:`sgc_theory.codes.numerics.decoding_errors`
(random float64 partial gradients, encoded results computed in float64, the exact decoding
coefficients rounded to float64, error relative to the correctly rounded exact sum):

* :func:`pattern_float_report` -- any scheme, small ``n``: run the scheme exactly on admitted
  straggler patterns (all of them when there are at most ``samples``, else a uniform sample of
  the design model), and for every decoded job decode the tasks the master had received by then
  in float64. The condition number is that of the received coefficient matrix
  (``sigma_1 / sigma_rank``).
* :func:`scheme_float_report` -- any ``n``: a scheme whose jobs are decoded through an inner
  (n, s)-GC (GC, SR-SGC, M-SGC's D2 groups) is as accurate as that code on its straggler sets of
  size ``s``. Every such set occurs in an admitted pattern (one round in which exactly those
  ``s <= lam`` workers straggle, no other straggler in the window), and the rest of a job
  (M-SGC's D1 chunks) is uncoded, a 0/1 sum; so the code's :func:`~sgc_theory.codes.float_report`
  on those sets is the scheme's worst case. Schemes without a code (BR-SGC, PR-SGC, WC-SGC,
  M-SGC with ``lam = n``) decode uncoded pieces; the pattern route measures them.

Examples
--------
>>> from sgc_theory.schemes import GC
>>> r = scheme_float_report(GC(256, 40), max_sets=50)
>>> r.route, r.code.name, r.worst_error > 1.0
('inner code', 'rs', True)
>>> scheme_float_report(GC(256, 40, construction="stable"), max_sets=50).worst_error < 1e-12
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from ..errors import check_int, check_seed
from .base import Scheme, Task

__all__ = ["SchemeFloatReport", "scheme_float_report", "pattern_float_report", "float_safe_scheme"]

#: inner codes whose decoding vectors are 0/1 (float64 decoding is a plain sum)
FLOAT_SAFE_CODES = ("identity", "frc", "ufrc")


@dataclass(frozen=True)
class SchemeFloatReport:
    """Float64 decoding of a scheme (:func:`scheme_float_report`, :func:`pattern_float_report`).

    Attributes
    ----------
    scheme : str
        ``repr`` of the scheme.
    route : {"inner code", "patterns", "uncoded"}
        How the numbers were obtained (module docstring).
    worst_condition, worst_error, median_error : float
        Over the checked straggler sets (inner code) or decoded jobs (patterns).
    checked : int
        Straggler sets of the inner code, or decoded jobs over all patterns.
    exhaustive : bool
        True when every straggler set / every admitted pattern of the horizon was checked.
    code : FloatReport or None
        The inner code's report (route ``"inner code"``).
    worst_pattern : numpy bool array or None
        Route ``"patterns"``: a pattern attaining ``worst_error``.
    max_coefficient : Fraction or None
        Route ``"patterns"``: the largest ``|a_k|`` of the exact decoding coefficients met
        (1 when every decoding is a plain sum of received results).
    """

    scheme: str
    route: str
    worst_condition: float
    worst_error: float
    median_error: float
    checked: int
    exhaustive: bool
    code: Any = None
    worst_pattern: Any = None
    max_coefficient: Any = None

    def to_dict(self) -> dict:
        return {
            "scheme": self.scheme,
            "route": self.route,
            "worst_condition": self.worst_condition,
            "worst_error": self.worst_error,
            "median_error": self.median_error,
            "checked": self.checked,
            "exhaustive": self.exhaustive,
            "code": None if self.code is None else self.code.to_dict(),
            "worst_pattern": None
            if self.worst_pattern is None
            else np.asarray(self.worst_pattern).astype(int).tolist(),
            "max_coefficient": None if self.max_coefficient is None else str(self.max_coefficient),
        }


def scheme_float_report(
    scheme: Scheme, max_sets: int = 200, seed: int = 0, dim: int = 8
) -> SchemeFloatReport:
    """Worst float64 condition number and relative decoding error of ``scheme``'s decoders, at
    any ``n`` (the inner-code route of the module docstring). Schemes without a code report
    route ``"uncoded"`` with ``nan`` values: nothing is measured at this ``n``; their decoding
    combines received uncoded pieces, which :func:`pattern_float_report` measures at small
    ``n`` (the tests check that the coefficients are 0/1 there).

    ``max_sets``: straggler sets of the code checked (all ``C(n, s)`` when at most that many).
    """
    from ..codes import float_report

    code = getattr(scheme, "code", None)
    if code is None:
        nan = math.nan
        return SchemeFloatReport(repr(scheme), "uncoded", nan, nan, nan, 0, False)
    r = float_report(code, max_sets=max_sets, seed=seed, dim=dim)
    return SchemeFloatReport(
        scheme=repr(scheme),
        route="inner code",
        worst_condition=r.worst_condition,
        worst_error=r.worst_error,
        median_error=r.median_error,
        checked=r.sets_checked,
        exhaustive=not r.sampled,
        code=r,
    )


def _patterns(scheme: Scheme, model, rounds: int, samples: int, seed: int):
    """All admitted patterns of ``rounds`` rounds when there are at most ``samples``, else
    ``samples`` uniform draws; and whether the list is exhaustive."""
    model = scheme.design_model if model is None else model
    if model.count(rounds) <= samples:
        return list(model.enumerate(rounds)), True
    rng = np.random.default_rng(seed)
    return [model.sample(rounds, rng) for _ in range(samples)], False


def _job_error(received: list, G: np.ndarray, a: list) -> tuple[float, float]:
    """(condition number, relative error) of decoding one job from its received tasks."""
    C = np.array([[float(x) for x in t.coeffs] for t in received], dtype=float)
    exact = np.array([math.fsum(G[:, d]) for d in range(G.shape[1])])
    with np.errstate(over="ignore", invalid="ignore"):
        decoded = np.array([float(x) for x in a]) @ (C @ G)
        err = float(np.linalg.norm(decoded - exact) / np.linalg.norm(exact))
    M = flint.fmpq_mat(
        [[flint.fmpq(x.numerator, x.denominator) for x in t.coeffs] for t in received]
    )
    rank = M.rank()
    sv = np.linalg.svd(C, compute_uv=False)
    low = sv[rank - 1] if rank else 0.0
    cond = float(sv[0] / low) if low > sv[0] * 1e-14 else math.inf
    return cond, err if math.isfinite(err) else math.inf


def pattern_float_report(
    scheme: Scheme,
    rounds: int = 4,
    samples: int = 200,
    model=None,
    seed: int = 0,
    dim: int = 4,
) -> SchemeFloatReport:
    """Float64 decoding of every job decoded in exact runs of ``scheme`` on admitted patterns of
    ``rounds`` rounds (route ``"patterns"``): all of them when the model admits at most
    ``samples``, else ``samples`` uniform draws. Small ``n`` only (exact runs).

    Examples
    --------
    >>> from sgc_theory.schemes import SRSGC
    >>> r = pattern_float_report(SRSGC(5, B=1, W=2, lam=2, construction="stable"), rounds=2)
    >>> r.exhaustive, r.worst_error < 1e-12
    (True, True)
    """
    rounds = check_int("rounds", rounds, minimum=1)
    samples = check_int("samples", samples, minimum=1)
    seed = check_seed("seed", seed) or 0
    rng = np.random.default_rng(seed)
    patterns, exhaustive = _patterns(scheme, model, rounds, samples, seed)
    conds, errs, where = [], [], []
    big: Fraction | int = 0
    for P in patterns:
        run = scheme.run(P)
        for t, d in enumerate(run.decoded_round):
            if d is None:
                continue
            got = [task for r, _, task in run.received[t] if r <= d and isinstance(task, Task)]
            a = scheme.decode(t, got)
            big = max(big, max((abs(x) for x in a), default=0))
            G = rng.standard_normal((scheme.num_partitions, dim))
            c, e = _job_error(got, G, a)
            conds.append(c)
            errs.append(e)
            where.append(P)
    if not errs:
        return SchemeFloatReport(repr(scheme), "patterns", 1.0, 0.0, 0.0, 0, exhaustive)
    w = int(np.argmax(errs))
    return SchemeFloatReport(
        scheme=repr(scheme),
        route="patterns",
        worst_condition=float(max(conds)),
        worst_error=float(errs[w]),
        median_error=float(np.median(errs)),
        checked=len(errs),
        exhaustive=exhaustive,
        worst_pattern=where[w],
        max_coefficient=big,
    )


def float_safe_scheme(scheme: Scheme) -> Scheme:
    """The scheme to *execute* (float64 decoding): ``scheme`` itself when its decoding is
    already a 0/1 sum (no inner code, or fractional repetition), else the same scheme rebuilt on
    :func:`sgc_theory.codes.float_safe_code` ``(n, s)`` (GC, SR-SGC: ``s``; M-SGC: ``lam``).

    The load may rise (exactly: :func:`sgc_theory.codes.stable_load`; docs/guide/codes.md); the
    scheme's control logic, delay and tolerated model do not change.

    Examples
    --------
    >>> from sgc_theory.schemes import GC, MSGC, SRSGC
    >>> safe = float_safe_scheme(SRSGC(256, B=2, W=3, lam=23))
    >>> safe.code_basis()["construction"], safe.load, safe.T
    ('ufrc', Fraction(7, 128), 2)
    >>> float_safe_scheme(GC(256, 15)).code_basis()["construction"]  # frc: kept
    'frc'
    >>> float_safe_scheme(MSGC(256, B=1, W=2, lam=27)).load
    Fraction(29, 3840)
    """
    from ..codes import float_safe_code
    from .gc import GC
    from .m_sgc import MSGC
    from .sr_sgc import SRSGC

    basis = scheme.code_basis() if hasattr(scheme, "code_basis") else None
    if basis is None or basis["construction"] in FLOAT_SAFE_CODES:
        return scheme
    code = float_safe_code(scheme.n, basis["s"])
    if isinstance(scheme, GC):
        return GC(scheme.n, scheme.s, construction=code, seed=scheme.seed)
    if isinstance(scheme, SRSGC):
        return SRSGC(scheme.n, scheme.B, scheme.W, scheme.lam, rule=scheme.rule, construction=code)
    if isinstance(scheme, MSGC):
        return MSGC(scheme.n, scheme.B, scheme.W, scheme.lam, construction=code)
    return scheme
