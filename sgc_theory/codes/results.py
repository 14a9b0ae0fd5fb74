"""What checking a gradient code returns: its :class:`~sgc_theory.codes.Guarantee`, a
:class:`~sgc_theory.codes.VerifyResult`, the float :class:`~sgc_theory.codes.ConditionReport` and
:class:`~sgc_theory.codes.FloatReport` (plain frozen records, no algebra)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ..errors import require

__all__ = ["Guarantee", "VerifyResult", "ConditionReport", "FloatReport"]


@dataclass(frozen=True)
class Guarantee:
    """Why a gradient code tolerates its stragglers (machine-readable).

    Attributes
    ----------
    kind : {"structural", "certified", "fails", "unchecked"}
        ``structural``: a proof from the construction covers every straggler set;
        ``certified``: all ``C(n, s)`` straggler sets were checked exactly; ``fails``: an exact
        check found a set that does not decode; ``unchecked``: nothing was checked.
    statement : str
        The lemma (structural), or what was checked.
    reference : str
        Where the proof is written down (a module or a paper), or ``""``.

    Examples
    --------
    >>> g = Guarantee("certified", "all 15 straggler sets checked exactly")
    >>> str(g)
    'certified: all 15 straggler sets checked exactly'
    """

    kind: str
    statement: str
    reference: str = ""

    KINDS = ("structural", "certified", "fails", "unchecked")

    def __post_init__(self) -> None:
        require(
            self.kind in self.KINDS,
            f"guarantee kind must be one of {', '.join(self.KINDS)} (got {self.kind!r})",
        )

    def __str__(self) -> str:
        return f"{self.kind}: {self.statement}"

    def to_dict(self) -> dict:
        return {"kind": self.kind, "statement": self.statement, "reference": self.reference}


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of checking the straggler sets of size ``s``.

    Attributes
    ----------
    ok : bool
        True iff every straggler set of size ``s`` is decodable (by the proof named in
        ``basis``, or by checking each of them).
    sets_checked : int
        Straggler sets decided by an exact computation in this call: ``C(n, s)`` when
        ``basis == "exhaustive"``; the spot-checked sets when ``basis == "structural"``.
    failures : int
        Number of checked straggler sets that are not decodable.
    example_failure : list of int or None
        The lexicographically first failing straggler set (sorted workers), or None.
    failing_sets : tuple of tuple of int
        All failing straggler sets found, lexicographic order.
    certified_modular : int
        Sets decided by the modular certificate (see :mod:`sgc_theory.codes.certify`).
    exact_checks : int
        Sets decided by exact integer ranks.
    basis : {"exhaustive", "structural"}
        ``exhaustive``: every one of the ``C(n, s)`` sets was checked exactly. ``structural``:
        the verdict is the code's structural proof (``guarantee``), and ``sets_checked`` sets
        (all of them when ``sampled`` is False) were spot-checked exactly: the structural
        decoding vector ``a`` vanishes on the stragglers and ``a^T E = 1^T`` in exact arithmetic.
    sets_total : int
        ``C(n, s)``.
    sampled : bool
        Whether the checked sets are a random sample (structural basis only).
    seed : int or None
        Seed of that sample.
    guarantee : Guarantee or None
        The code's guarantee after this check.
    """

    ok: bool
    sets_checked: int
    failures: int
    example_failure: list | None
    failing_sets: tuple = field(default=(), repr=False)
    certified_modular: int = 0
    exact_checks: int = 0
    basis: str = "exhaustive"
    sets_total: int = 0
    sampled: bool = False
    seed: int | None = None
    guarantee: Guarantee | None = None

    def to_dict(self) -> dict:
        """The JSON contract: ``ok, sets_checked, failures, example_failure`` and how the
        verdict was reached (``basis, sets_total, sampled, seed, guarantee``)."""
        return {
            "ok": self.ok,
            "sets_checked": self.sets_checked,
            "failures": self.failures,
            "example_failure": self.example_failure,
            "basis": self.basis,
            "sets_total": self.sets_total,
            "sampled": self.sampled,
            "seed": self.seed,
            "guarantee": None if self.guarantee is None else self.guarantee.to_dict(),
        }

    def describe(self) -> str:
        """One sentence: what the verdict rests on."""
        if self.basis == "structural":
            how = (
                f"random sample of {self.sets_checked} of the {self.sets_total} sets "
                f"(seed {self.seed})"
                if self.sampled
                else f"all {self.sets_checked} sets (exhaustive)"
            )
            g = self.guarantee
            why = (g.reference or g.statement) if g is not None else ""
            return f"structural proof ({why}); exact spot check of {how}: " + (
                "the structural decoding vectors pass"
                if self.ok
                else f"{self.failures} FAIL, contradicting the proof"
            )
        return f"exact check of all {self.sets_total} straggler sets"


@dataclass(frozen=True)
class ConditionReport:
    """Floating-point conditioning of the decoding systems ``a^T E_F = 1``.

    ``worst`` is the largest ratio ``sigma_1 / sigma_r`` over the checked sets, where
    ``r = min(rank_Q(E), n - s)`` and ``sigma`` are the singular values of ``E_F`` (float64);
    ``inf`` when that singular value is numerically zero.
    """

    worst: float
    worst_stragglers: list
    median: float
    sets_checked: int
    sampled: bool


@dataclass(frozen=True)
class FloatReport:
    """How a gradient code decodes in float64 (:func:`sgc_theory.codes.numerics.float_report`).

    Attributes
    ----------
    name : str
        The code's construction.
    n, s : int
    load : Fraction
        The code's exact load.
    worst_condition, median_condition : float
        Condition number ``sigma_1 / sigma_r`` of ``E_F`` over the checked straggler sets
        (``inf`` when numerically singular).
    worst_error, median_error : float
        Relative error ``|decoded - exact| / |exact|`` of a float64 decoding of random integer
        partial gradients with the exact decoding vector rounded to float64.
    worst_stragglers : list of int
        A straggler set attaining ``worst_error``.
    sets_checked : int
    sampled : bool
        False when every one of the ``C(n, s)`` straggler sets was checked (then the worsts are
        the exact maxima over all sets, for the drawn gradients).
    """

    name: str
    n: int
    s: int
    load: Fraction
    worst_condition: float
    median_condition: float
    worst_error: float
    median_error: float
    worst_stragglers: list
    sets_checked: int
    sampled: bool

    def to_dict(self) -> dict:
        d = {k: getattr(self, k) for k in self.__dataclass_fields__}
        d["load"] = str(self.load)
        return d
