"""Gradient codes that decode in float64 at any scale: fractional repetition, with unequal groups
when ``s + 1`` does not divide ``n``.

Why
---
Every code here is exact in rationals, but a real run decodes in float64. The Reed-Solomon code
(the default when ``(s + 1)`` does not divide ``n``) has Vandermonde-type decoding systems: its
worst condition number is about ``1e3`` at ``(16, 3)``, ``1e6`` at ``(32, 5)``, ``4e9`` at
``(64, 7)`` and infinite in float64 at ``(256, 15)`` (:mod:`sgc_theory.codes.numerics`). A code
whose decoding vectors are 0/1 indicators loses nothing: the decoded gradient is a plain sum of
received results.

The construction (unequal fractional repetition)
------------------------------------------------
Let ``g = floor(n / (s + 1))`` (``g = 1`` when ``s + 1 > n / 2``) and cut the workers ``0..n-1``
into ``g`` consecutive groups whose sizes ``m_0 >= m_1 >= ... `` differ by at most one (the first
``n mod g`` groups have ``ceil(n / g)`` members, the others ``floor(n / g)``); every group has at
least ``s + 1`` members. Group ``k`` holds as many partitions as it has members (the same
consecutive indices), and every member sends the plain sum of its group's partitions:
``E[i, p] = 1`` iff ``i`` and ``p`` fall in the same group.

Lemma (every set of at most ``s`` stragglers decodes; a set decodes iff it meets every group).
The group sums add up to the gradient. ``s`` stragglers cannot silence a group of at least
``s + 1`` members, so the indicator ``a`` of one surviving member per group satisfies
``a^T E = 1^T``. Conversely, a set of workers that misses group ``k`` has no row touching
group ``k``'s partitions, so it cannot decode.

Load. ``ceil(n / g) / n`` exactly (the largest group), against the optimal ``(s + 1) / n`` of the
Reed-Solomon and cyclic codes; equal to it exactly when ``(s + 1) | n`` (then this is Tandon et
al.'s fractional repetition code, and :func:`~sgc_theory.codes.stable_code` returns that one). Examples at
``n = 256``: ``s = 12``: 14/256 against 13/256; ``s = 27``: 29/256 against 28/256; ``s = 40``:
43/256 against 41/256; ``s = 64``: 86/256 against 65/256.

Float64. The decoding vector is a 0/1 indicator, so decoding adds ``g`` received numbers: the
relative error is that of a sum of ``g`` floats (``g`` ulps at worst, about ``1e-14`` at
``n = 256``), for every straggler set. The condition number of ``E_F`` (survivors ``F``) is
``sqrt(max_k c_k m_k / min_k c_k m_k)`` where ``c_k`` survivors remain in group ``k`` of size
``m_k`` (the Gram matrix ``E_F E_F^T`` is block diagonal with rank-one blocks ``m_k J_{c_k}``,
of eigenvalue ``c_k m_k``), so at most ``m_max / sqrt(m_min) <= sqrt(m_min) + 1`` (a group keeping
a single survivor next to an untouched one); it bounds how an error in the *received* results
propagates.

References
----------
N. Charalambides, H. Mahdavifar, A. O. Hero III, "Numerically Stable Binary Gradient Coding",
ISIT 2020 (arXiv:2001.11449); "Generalized Fractional Repetition Codes for Binary Coded
Computations" (arXiv:2109.10484): binary fractional repetition codes, close to balanced when
``(s + 1)`` does not divide ``n``.
R. Tandon, Q. Lei, A. G. Dimakis, N. Karampatziakis, "Gradient Coding", ICML 2017 (Sec. 3).

Examples
--------
>>> code = stable_code(7, 2)
>>> code.name, code.load, group_sizes(7, 2)
('ufrc', Fraction(4, 7), (4, 3))
>>> code.verify().ok, code.guarantee.kind
(True, 'structural')
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..errors import check_int, require
from .base import GradientCode
from .results import Guarantee

__all__ = [
    "UFRC_LEMMA",
    "UnequalRepetitionCode",
    "group_sizes",
    "stable_load",
    "unequal_repetition",
    "stable_code",
    "stable_construction",
    "float_safe_code",
    "stable_worst_condition",
]

UFRC_LEMMA = (
    "workers form g = floor(n/(s+1)) consecutive groups of floor(n/g) or ceil(n/g) >= s+1 "
    "members; group k holds as many partitions as it has members and every member sends "
    "their sum; s stragglers cannot silence a group, and one survivor per group decodes "
    "(a = indicator of the first survivor of each group); a set of workers decodes iff it "
    "meets every group"
)

UFRC_REFERENCE = (
    "sgc_theory.codes.stable (Lemma); Charalambides, Mahdavifar, Hero, ISIT 2020 (arXiv:2001.11449)"
)


def _ns(n, s) -> tuple[int, int]:
    n = check_int("n", n, minimum=1)
    s = check_int("s", s, minimum=0)
    require(s < n, f"s must satisfy 0 <= s < n (got n={n}, s={s})")
    return n, s


def group_sizes(n: int, s: int) -> tuple[int, ...]:
    """Sizes of the ``g = max(1, floor(n / (s + 1)))`` groups of the unequal fractional
    repetition code: ``ceil(n / g)`` for the first ``n mod g`` groups, ``floor(n / g)`` after.

    Examples
    --------
    >>> group_sizes(256, 40), group_sizes(8, 1)
    ((43, 43, 43, 43, 42, 42), (2, 2, 2, 2))
    """
    n, s = _ns(n, s)
    g = max(1, n // (s + 1))
    q, r = divmod(n, g)
    return (q + 1,) * r + (q,) * (g - r)


def stable_load(n: int, s: int) -> Fraction:
    """Exact load of :func:`stable_code` ``(n, s)``: ``ceil(n / g) / n`` with
    ``g = max(1, floor(n / (s + 1)))``; ``(s + 1) / n`` when ``(s + 1) | n``; ``1/n`` at ``s = 0``.

    Examples
    --------
    >>> stable_load(256, 12), stable_load(256, 15), stable_load(256, 64)
    (Fraction(7, 128), Fraction(1, 16), Fraction(43, 128))
    """
    return Fraction(group_sizes(n, s)[0], n)


class UnequalRepetitionCode(GradientCode):
    """Fractional repetition with unequal groups; build it with :func:`unequal_repetition`.

    Attributes
    ----------
    groups : tuple of range
        ``groups[k]`` = the workers (and the partitions) of group ``k``.
    """

    structure = Guarantee("structural", UFRC_LEMMA, UFRC_REFERENCE)

    def __init__(self, n: int, s: int) -> None:
        sizes = group_sizes(n, s)
        starts = [sum(sizes[:k]) for k in range(len(sizes))]
        self.groups = tuple(range(a, a + m) for a, m in zip(starts, sizes))
        rows = []
        for grp in self.groups:
            row = [Fraction(int(p in grp)) for p in range(n)]
            rows.extend([row] * len(grp))
        super().__init__(rows, s, name="ufrc")

    def structural_vector(self, stragglers) -> list:
        """Indicator of the first non-straggler of each group (at most ``s`` stragglers).

        Examples
        --------
        >>> [int(x) for x in unequal_repetition(5, 1).structural_vector((0,))]  # {0,1,2} {3,4}
        [0, 1, 0, 1, 0]
        """
        out = set(stragglers)
        require(len(out) <= self.s, f"give at most s={self.s} stragglers (got {len(out)})")
        a = [Fraction(0)] * self.n
        for grp in self.groups:
            a[next(i for i in grp if i not in out)] = Fraction(1)
        return a


def unequal_repetition(n: int, s: int) -> UnequalRepetitionCode:
    """The unequal fractional repetition (n, s)-GC of :mod:`sgc_theory.codes.stable` (any
    ``0 <= s < n``; load :func:`stable_load`; decodable by the module's Lemma).

    Examples
    --------
    >>> code = unequal_repetition(256, 12)
    >>> code.load, len(code.groups), code.verify(spot_checks=4).ok
    (Fraction(7, 128), 19, True)
    """
    n, s = _ns(n, s)
    from ..budget import check_work

    check_work(n * n, f"building the unequal repetition code n={n}, s={s} (an {n} x {n} matrix)")
    return UnequalRepetitionCode(n, s)


def stable_construction(n: int, s: int) -> str:
    """The construction :func:`stable_code` uses: ``"identity"`` at ``s = 0``, ``"frc"`` when
    ``(s + 1) | n``, else ``"ufrc"`` (unequal fractional repetition).

    Examples
    --------
    >>> stable_construction(256, 15), stable_construction(256, 12), stable_construction(5, 0)
    ('frc', 'ufrc', 'identity')
    """
    n, s = _ns(n, s)
    if s == 0:
        return "identity"
    return "frc" if n % (s + 1) == 0 else "ufrc"


def stable_code(n: int, s: int) -> GradientCode:
    """A float-stable (n, s)-GC: 0/1 encoding and decoding, proved for every straggler set.

    Fractional repetition when ``(s + 1) | n`` (optimal load ``(s + 1) / n``), else unequal
    fractional repetition (load :func:`stable_load`, at most ``ceil(n / g) / n``); the identity
    code at ``s = 0``.

    Examples
    --------
    >>> [stable_code(256, s).name for s in (0, 15, 12)]
    ['identity', 'frc', 'ufrc']
    """
    from .repetition import fractional_repetition, identity_code

    name = stable_construction(n, s)
    if name == "identity":
        return identity_code(n)
    if name == "frc":
        return fractional_repetition(n, s)
    return unequal_repetition(n, s)


def float_safe_code(n: int, s: int) -> GradientCode:
    """The (n, s)-GC to *execute* with (float64 decoding): :func:`stable_code`.

    A scheme's default code (fractional repetition or Reed-Solomon) keeps the optimal load that
    the load tables and proofs rest on; in float64 the Reed-Solomon code loses every digit from
    about ``n = 64``. Pass this code to a scheme for a real run: ``GC(n, s,
    construction=float_safe_code(n, s))``, or ``construction="stable"``; the scheme's load is
    then this code's (:func:`stable_load`). Its decoding vectors are 0/1 indicators: the
    relative float64 error of a decoded gradient is that of a sum of at most ``n / (s + 1)``
    floats, at every ``n``.

    Examples
    --------
    >>> code = float_safe_code(256, 40)
    >>> code.name, code.load, str(code.guarantee).startswith("structural")
    ('ufrc', Fraction(43, 256), True)
    """
    return stable_code(n, s)


def stable_worst_condition(n: int, s: int) -> float:
    """Exact worst condition number of ``E_F`` over all straggler sets of size ``s`` of
    :func:`stable_code` ``(n, s)``, from the closed form of :mod:`sgc_theory.codes.stable`:
    ``m_max / sqrt(min_m (m - s) m)`` over the group sizes ``m`` (all ``s`` stragglers in one
    group, another group untouched), ``1`` with a single group (rank one), and ``1`` at
    ``s = 0`` with equal groups.

    Examples
    --------
    >>> stable_worst_condition(256, 15), round(stable_worst_condition(256, 12), 3)
    (4.0, 3.883)
    """
    sizes = group_sizes(n, s)
    if len(sizes) == 1:
        return 1.0
    worst = min((m - s) * m for m in set(sizes))
    return max(sizes) / math.sqrt(worst)
