"""Exact certification of a gradient code: the algorithms behind
:meth:`GradientCode.verify <sgc_theory.codes.GradientCode.verify>` and
:attr:`GradientCode.guarantee <sgc_theory.codes.GradientCode.guarantee>` (functions of the code).

A code is decided either by its structural proof (fractional repetition, Reed-Solomon: the
proof covers every straggler set, and random sets are spot-checked exactly) or by checking all
``C(n, s)`` straggler sets with the exact modular certificate of :mod:`sgc_theory.codes.certify`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from typing import Any

import numpy as np

from ..budget import check_work, current_limit, fmt_work, work_budget
from ..errors import check_int, require
from .results import Guarantee, VerifyResult

#: a :class:`~sgc_theory.codes.GradientCode` (not imported here: base imports this module)
CodeT = Any


__all__ = ["guarantee", "verify", "random_straggler_sets"]


def guarantee(code: CodeT) -> Guarantee:
    """:attr:`GradientCode.guarantee <sgc_theory.codes.GradientCode.guarantee>`."""
    if code.structure is not None:
        return code.structure
    for method in ("exhaustive", "exact"):
        r = code._verify_cache.get(method)
        if r is not None:
            if r.ok:
                return Guarantee(
                    "certified",
                    f"all C({code.n}, {code.s}) = {r.sets_total} straggler sets checked exactly",
                    "sgc_theory.codes.certify",
                )
            return Guarantee(
                "fails",
                f"{r.failures} of the {r.sets_total} straggler sets "
                f"do not decode, e.g. stragglers {r.example_failure}",
                "sgc_theory.codes.certify",
            )
    return Guarantee("unchecked", "no straggler set has been checked (call verify())")


def verify(
    code: CodeT,
    method: str = "auto",
    spot_checks: int | None = None,
    seed: int = 0,
    *,
    max_work: Any = None,
) -> VerifyResult:
    """:meth:`GradientCode.verify <sgc_theory.codes.GradientCode.verify>`."""
    methods = ("auto", "structural", "exhaustive", "exact")
    require(method in methods, f"method must be one of {', '.join(methods)} (got {method!r})")
    if method == "auto":
        method = "structural" if code.structure is not None else "exhaustive"
    if method == "structural":
        return verify_structural(code, spot_checks, seed, max_work)
    return verify_all(code, method, max_work)


def verify_structural(code: CodeT, spot_checks: Any, seed: Any, max_work: Any) -> VerifyResult:
    """:meth:`verify` by the structural proof and ``spot_checks`` exact spot checks."""
    require(
        code.structure is not None,
        f"method='structural' needs a code with a structural proof ({code.name!r} "
        "has none; use 'exhaustive')",
    )
    k = default_spot_checks(code, max_work) if spot_checks is None else spot_checks
    k = check_int("spot_checks", k, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    key = ("structural", k, seed)
    checks = min(k, math.comb(code.n, code.s))
    with work_budget(max_work):
        # each spot check builds the decoding vector and multiplies it exactly: n^2 steps
        check_work(
            checks * code.n * code.n,
            f"spot-checking {fmt_work(checks)} straggler sets of the ({code.n}, {code.s}) "
            f"gradient code {code.name!r} exactly",
            cheaper="fewer spot checks (--spot-checks)",
        )
    if key not in code._verify_cache:
        code._verify_cache[key] = spot_check(code, k, seed)
    return code._verify_cache[key]


def verify_all(code: CodeT, method: str, max_work: Any) -> VerifyResult:
    """:meth:`verify` on all ``C(n, s)`` straggler sets (``"exhaustive"``: modular
    certificate with exact fallback; ``"exact"``: exact integer ranks), cached."""
    if method not in code._verify_cache:
        sets = math.comb(code.n, code.s)
        with work_budget(max_work):
            check_work(
                sets * (code.s + 1),
                f"certifying the ({code.n}, {code.s}) gradient code {code.name!r} "
                f"on all {fmt_work(sets)} straggler sets of size {code.s}",
                cheaper="a structural construction (rs, frc) answers from its proof",
            )
        failing, total, cert, exact = code.certifier.failing_sets(
            code.s, "auto" if method == "exhaustive" else "exact"
        )
        result = VerifyResult(
            ok=not failing,
            sets_checked=total,
            failures=len(failing),
            example_failure=list(failing[0]) if failing else None,
            failing_sets=tuple(failing),
            certified_modular=cert,
            exact_checks=exact,
            basis="exhaustive",
            sets_total=total,
        )
        # the guarantee reads the cached verdict: store it first, then attach it
        code._verify_cache[method] = result
        code._verify_cache[method] = replace(result, guarantee=guarantee(code))
    return code._verify_cache[method]


def random_straggler_sets(code: CodeT, k: int, seed: int = 0) -> list:
    """:meth:`GradientCode.random_straggler_sets
    <sgc_theory.codes.GradientCode.random_straggler_sets>`."""
    n, s = code.n, code.s
    total = math.comb(n, s)
    if total <= k:
        return list(itertools.combinations(range(n), s))
    rng = np.random.default_rng(seed)
    seen: set[tuple[int, ...]] = set()
    out: list[tuple[int, ...]] = []
    while len(out) < k:
        S = tuple(sorted(int(x) for x in rng.choice(n, size=s, replace=False)))
        if S not in seen:
            seen.add(S)
            out.append(S)
    return out


def default_spot_checks(code: CodeT, max_work: Any = None) -> int:
    """Every straggler set when checking them all (about ``n^2`` work units each: one exact
    product ``a^T E``) fits the work budget in force, else the code's ``SPOT_CHECKS``."""
    total = math.comb(code.n, code.s)
    fits = total * code.n * code.n <= current_limit(max_work)
    return total if fits else code.SPOT_CHECKS


def spot_check(code: CodeT, k: int, seed: int) -> VerifyResult:
    total = math.comb(code.n, code.s)
    sets = random_straggler_sets(code, k, seed)
    failing = sorted(S for S in sets if not code.check_vector(code.structural_vector(S), S))
    return VerifyResult(
        ok=not failing,
        sets_checked=len(sets),
        failures=len(failing),
        example_failure=list(failing[0]) if failing else None,
        failing_sets=tuple(failing),
        exact_checks=len(sets),
        basis="structural",
        sets_total=total,
        sampled=len(sets) < total,
        seed=seed if len(sets) < total else None,
        guarantee=code.structure,
    )
