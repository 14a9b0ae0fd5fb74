"""Exact linear algebra over the rationals used by decoders and verifiers.

* :class:`Span` -- an immutable, hashable row space in canonical reduced row echelon form,
  grown one vector at a time (incremental rank update). Two spans are equal iff their RREFs are,
  so spans can key memo tables and automaton states.
* :func:`combination` -- exact coefficients writing a target as a combination of given rows
  (python-flint ``fmpq_mat.rref`` on the augmented system).
"""

from __future__ import annotations

from fractions import Fraction
from collections.abc import Iterable, Sequence

import flint

__all__ = ["Span", "combination", "in_span"]

#: a vector of exact rationals (ints, Fractions, or anything ``Fraction()`` accepts)
Vector = Sequence[int | Fraction]


class Span:
    """Row space over Q in canonical RREF (rows sorted by pivot; pivots are 1, cleared above/below).

    >>> s = Span(3).add((1, 1, 0)).add((0, 1, 1))
    >>> s.rank, s.contains((1, 2, 1)), s.contains((1, 1, 1))
    (2, True, False)
    """

    __slots__ = ("dim", "rows", "pivots", "_hash")

    def __init__(
        self, dim: int, rows: Iterable[tuple[Fraction, ...]] = (), pivots: Iterable[int] = ()
    ) -> None:
        self.dim = dim
        self.rows = tuple(rows)
        self.pivots = tuple(pivots)
        self._hash: int | None = None

    @property
    def rank(self) -> int:
        return len(self.rows)

    def _reduce(self, vec: Vector) -> list[Fraction]:
        v = [Fraction(x) for x in vec]
        if len(v) != self.dim:
            raise ValueError(f"vector of length {len(v)} in a span of dimension {self.dim}")
        for row, p in zip(self.rows, self.pivots):
            c = v[p]
            if c:
                for j in range(p, self.dim):
                    if row[j]:
                        v[j] -= c * row[j]
        return v

    def contains(self, vec: Vector) -> bool:
        """Is ``vec`` in the span? (exact)"""
        return not any(self._reduce(vec))

    def add(self, vec: Vector) -> Span:
        """The span of ``self`` and ``vec`` (``self`` if ``vec`` is already in it)."""
        v = self._reduce(vec)
        try:
            p = next(j for j, x in enumerate(v) if x)
        except StopIteration:
            return self
        inv = 1 / v[p]
        unit = tuple(x * inv for x in v)
        rows, pivots = [], []
        for row, q in zip(self.rows, self.pivots):
            c = row[p]
            if c:
                row = tuple(a - c * b for a, b in zip(row, unit))
            rows.append(row)
            pivots.append(q)
        k = next((i for i, q in enumerate(pivots) if q > p), len(pivots))
        rows.insert(k, unit)
        pivots.insert(k, p)
        return Span(self.dim, rows, pivots)

    def extend(self, vecs: Iterable[Vector]) -> Span:
        s = self
        for v in vecs:
            s = s.add(v)
        return s

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and self.rows == other.rows and self.dim == other.dim

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash((self.dim, self.rows))
        return self._hash

    def __repr__(self) -> str:
        return f"Span(dim={self.dim}, rank={self.rank})"


def combination(rows: Sequence[Vector], target: Vector) -> list[Fraction] | None:
    """Exact ``a`` with ``sum_k a[k] rows[k] == target``, or ``None`` if there is none.

    >>> combination([(1, 1, 0), (0, 1, 1)], (1, 2, 1))
    [Fraction(1, 1), Fraction(1, 1)]
    """
    m = len(rows)
    dim = len(target)
    if m == 0:
        return None if any(target) else []
    M = flint.fmpq_mat(dim, m + 1)
    for k, row in enumerate(rows):
        for j, x in enumerate(row):
            if x:
                x = Fraction(x)
                M[j, k] = flint.fmpq(x.numerator, x.denominator)
    for j, x in enumerate(target):
        x = Fraction(x)
        M[j, m] = flint.fmpq(x.numerator, x.denominator)
    R, rank = M.rref()
    a = [Fraction(0)] * m
    col = 0
    for r in range(rank):
        while R[r, col] == 0:
            col += 1
        if col == m:
            return None
        q = R[r, m]
        a[col] = Fraction(int(q.p), int(q.q))
    return a


def in_span(rows: Sequence[Vector], target: Vector) -> bool:
    """Is ``target`` an exact rational combination of ``rows``?"""
    return combination(rows, target) is not None
