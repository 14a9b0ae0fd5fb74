"""The repetition codes: the identity code (``s = 0``) and the fractional repetition code of
Tandon et al. (ICML 2017), both with structural guarantees (a leaf of the code constructions:
:mod:`sgc_theory.codes.constructions` and :mod:`sgc_theory.codes.stable` build on it)."""

from __future__ import annotations

from fractions import Fraction

from ..budget import check_work
from ..errors import check_int, require
from .base import GradientCode, Guarantee


def _check_ns(n, s):
    n = check_int("n", n, minimum=1)
    s = check_int("s", s, minimum=0)
    require(s < n, f"s must satisfy 0 <= s < n (got n={n}, s={s})")
    check_work(n * (n + s * s), f"building an ({n}, {s}) gradient code (an exact {n} x {n} matrix)")
    return n, s


IDENTITY = Guarantee(
    "structural",
    "s = 0: the identity code (worker i computes partition i; all n results sum to the gradient)",
)


class IdentityCode(GradientCode):
    """The uncoded scheme (``s = 0``); build it with :func:`identity_code`."""

    structure = IDENTITY

    def structural_vector(self, stragglers) -> list:
        require(not stragglers, "the identity code tolerates no stragglers")
        return [Fraction(1)] * self.n


def identity_code(n: int) -> GradientCode:
    """The uncoded scheme: worker ``i`` computes partition ``i`` (s = 0).

    Examples
    --------
    >>> identity_code(3).verify().ok, identity_code(3).guarantee.kind
    (True, 'structural')
    """
    n, _ = _check_ns(n, 0)
    rows = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    return IdentityCode(rows, 0, name="identity")


FRC_LEMMA = (
    "workers form n/(s+1) groups of s+1 that all send the sum of their group's s+1 "
    "partitions; s stragglers cannot silence a whole group, and one survivor per group "
    "decodes (a = indicator of the first survivor of each group); a set of workers "
    "decodes iff it meets every group"
)


class FractionalRepetitionCode(GradientCode):
    """The fractional repetition code; build it with :func:`fractional_repetition`."""

    structure = Guarantee("structural", FRC_LEMMA, "Tandon et al., ICML 2017 (Sec. 3)")

    def structural_vector(self, stragglers) -> list:
        """Indicator of the first non-straggler of each group (at most ``s`` stragglers).

        Examples
        --------
        >>> [int(x) for x in fractional_repetition(6, 2).structural_vector((0, 4))]
        [0, 1, 0, 1, 0, 0]
        """
        g, out = self.s + 1, set(stragglers)
        require(len(out) <= self.s, f"give at most s={self.s} stragglers (got {len(out)})")
        a = [Fraction(0)] * self.n
        for start in range(0, self.n, g):
            a[next(i for i in range(start, start + g) if i not in out)] = Fraction(1)
        return a


def fractional_repetition(n: int, s: int) -> GradientCode:
    """Fractional repetition code (Tandon et al.), requires ``(s + 1) | n``.

    Workers form ``n / (s + 1)`` groups of ``s + 1``; group ``g`` holds partitions
    ``g (s+1) .. g (s+1) + s`` and every member sends their sum. Any ``n - s`` workers contain
    one member of each group. Load ``(s + 1) / n`` (optimal). Its guarantee is structural
    (that pigeonhole argument); note that fewer than ``n - s`` workers may decode too.

    Examples
    --------
    >>> code = fractional_repetition(6, 2)
    >>> code.load, code.verify().ok
    (Fraction(1, 2), True)
    >>> [int(x) for x in code.E[4]]
    [0, 0, 0, 1, 1, 1]
    """
    n, s = _check_ns(n, s)
    require(n % (s + 1) == 0, f"fractional repetition needs (s + 1) to divide n (got n={n}, s={s})")
    g = s + 1
    rows = [[Fraction(int(j // g == i // g)) for j in range(n)] for i in range(n)]
    return FractionalRepetitionCode(rows, s, name="frc")
