"""Exact certification of a gradient code: the :class:`Certified` mixin of
:class:`~sgc_theory.codes.GradientCode` (its :meth:`~Certified.verify` and
:attr:`~Certified.guarantee`).

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

__all__ = ["Certified"]


class Certified:
    """Certification methods shared by every :class:`~sgc_theory.codes.GradientCode`.

    The host class provides ``n``, ``s``, ``name``, ``structure``, ``certifier``,
    ``check_vector``, ``structural_vector`` and the dict ``_verify_cache``.
    """

    n: int
    s: int
    name: str
    structure: Guarantee | None
    _verify_cache: dict

    @property
    def guarantee(self) -> Guarantee:
        """Why this code tolerates ``s`` stragglers: the structural proof if the construction
        has one, else what the exhaustive :meth:`verify` found (``unchecked`` before it ran).

        Examples
        --------
        >>> from sgc_theory.codes import GradientCode
        >>> code = GradientCode([[1, 1], [1, 1]], 1)
        >>> code.guarantee.kind
        'unchecked'
        >>> _ = code.verify(); str(code.guarantee)
        'certified: all C(2, 1) = 2 straggler sets checked exactly'
        """
        if self.structure is not None:
            return self.structure
        for method in ("exhaustive", "exact"):
            r = self._verify_cache.get(method)
            if r is not None:
                if r.ok:
                    return Guarantee(
                        "certified",
                        f"all C({self.n}, {self.s}) = {r.sets_total} "
                        "straggler sets checked exactly",
                        "sgc_theory.codes.certify",
                    )
                return Guarantee(
                    "fails",
                    f"{r.failures} of the {r.sets_total} straggler sets "
                    f"do not decode, e.g. stragglers {r.example_failure}",
                    "sgc_theory.codes.certify",
                )
        return Guarantee("unchecked", "no straggler set has been checked (call verify())")

    # -- certification ---------------------------------------------------------------------
    #: how many random straggler sets :meth:`verify` spot-checks for a structural code
    SPOT_CHECKS = 64

    def verify(
        self,
        method: str = "auto",
        spot_checks: int | None = None,
        seed: int = 0,
        *,
        max_work: Any = None,
    ) -> VerifyResult:
        """Decide, exactly, whether every set of exactly ``s`` stragglers decodes.

        Sets with fewer stragglers need no check: if ``F`` decodes, so does every superset.

        Parameters
        ----------
        method : {"auto", "structural", "exhaustive", "exact"}
            ``"structural"`` (codes with a structural proof only) answers from the proof and
            spot-checks ``spot_checks`` random straggler sets exactly (all of them when there
            are no more than that): the decoding vector the proof gives must vanish on the
            stragglers and satisfy ``a^T E = 1^T`` in exact arithmetic. ``"exhaustive"`` checks
            all ``C(n, s)`` sets with the modular certificate and exact fallback (see
            :mod:`sgc_theory.codes.certify`); ``"exact"`` checks all of them with exact integer
            ranks. ``"auto"`` is ``"structural"`` when the code has a structural proof, else
            ``"exhaustive"``. All are exact; only the structural one rests on a proof.
        spot_checks : int, optional
            Size of the random sample of the structural check. Default: every one of the
            ``C(n, s)`` sets when checking them all fits the work budget (about ``n^2`` work
            units a set), else :attr:`SPOT_CHECKS` sets.
        seed : int
            Seed of that sample.
        max_work : int, optional
            Work budget (see :mod:`sgc_theory.budget`); for the exhaustive methods the
            ``C(n, s)`` sets are counted first and refused beyond it.

        Returns
        -------
        VerifyResult

        Examples
        --------
        >>> from sgc_theory.codes import cyclic_repetition, reed_solomon
        >>> r = cyclic_repetition(6, 2, seed=1).verify()
        >>> r.ok, r.sets_checked, r.failures, r.example_failure, r.basis
        (True, 15, 0, None, 'exhaustive')
        >>> r = reed_solomon(256, 12).verify(spot_checks=8, seed=1)
        >>> r.ok, r.basis, r.sets_checked, r.sampled, r.guarantee.kind
        (True, 'structural', 8, True, 'structural')
        """
        methods = ("auto", "structural", "exhaustive", "exact")
        require(method in methods, f"method must be one of {', '.join(methods)} (got {method!r})")
        if method == "auto":
            method = "structural" if self.structure is not None else "exhaustive"
        if method == "structural":
            return self._verify_structural(spot_checks, seed, max_work)
        return self._verify_all(method, max_work)

    def _verify_structural(self, spot_checks: Any, seed: Any, max_work: Any) -> VerifyResult:
        """:meth:`verify` by the structural proof and ``spot_checks`` exact spot checks."""
        require(
            self.structure is not None,
            f"method='structural' needs a code with a structural proof ({self.name!r} "
            "has none; use 'exhaustive')",
        )
        k = self._default_spot_checks(max_work) if spot_checks is None else spot_checks
        k = check_int("spot_checks", k, minimum=1)
        seed = check_int("seed", seed, minimum=0)
        key = ("structural", k, seed)
        checks = min(k, math.comb(self.n, self.s))
        with work_budget(max_work):
            # each spot check builds the decoding vector and multiplies it exactly: n^2 steps
            check_work(
                checks * self.n * self.n,
                f"spot-checking {fmt_work(checks)} straggler sets of the ({self.n}, {self.s}) "
                f"gradient code {self.name!r} exactly",
                cheaper="fewer spot checks (--spot-checks)",
            )
        if key not in self._verify_cache:
            self._verify_cache[key] = self._spot_check(k, seed)
        return self._verify_cache[key]

    def _verify_all(self, method: str, max_work: Any) -> VerifyResult:
        """:meth:`verify` on all ``C(n, s)`` straggler sets (``"exhaustive"``: modular
        certificate with exact fallback; ``"exact"``: exact integer ranks), cached."""
        if method not in self._verify_cache:
            sets = math.comb(self.n, self.s)
            with work_budget(max_work):
                check_work(
                    sets * (self.s + 1),
                    f"certifying the ({self.n}, {self.s}) gradient code {self.name!r} "
                    f"on all {fmt_work(sets)} straggler sets of size {self.s}",
                    cheaper="a structural construction (rs, frc) answers from its proof",
                )
            failing, total, cert, exact = self.certifier.failing_sets(
                self.s, "auto" if method == "exhaustive" else "exact"
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
            self._verify_cache[method] = result
            self._verify_cache[method] = replace(result, guarantee=self.guarantee)
        return self._verify_cache[method]

    def random_straggler_sets(self, k: int, seed: int = 0) -> list:
        """``k`` distinct straggler sets of size ``s`` drawn uniformly (sorted tuples), or all
        ``C(n, s)`` of them (lexicographic) when there are at most ``k``.

        Examples
        --------
        >>> from sgc_theory.codes import GradientCode
        >>> GradientCode([[1, 1], [1, 1]], 1).random_straggler_sets(5)
        [(0,), (1,)]
        """
        n, s = self.n, self.s
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

    def _default_spot_checks(self, max_work: Any = None) -> int:
        """Every straggler set when checking them all (about ``n^2`` work units each: one exact
        product ``a^T E``) fits the work budget in force, else :attr:`SPOT_CHECKS`."""
        total = math.comb(self.n, self.s)
        fits = total * self.n * self.n <= current_limit(max_work)
        return total if fits else self.SPOT_CHECKS

    def _spot_check(self, k: int, seed: int) -> VerifyResult:
        total = math.comb(self.n, self.s)
        sets = self.random_straggler_sets(k, seed)
        failing = sorted(S for S in sets if not self.check_vector(self.structural_vector(S), S))
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
            guarantee=self.structure,
        )
