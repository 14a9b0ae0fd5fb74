"""A Reed-Solomon (polynomial) gradient code, decodable for EVERY straggler set by a proof.

The construction
----------------
Fix ``n`` distinct rational *nodes* ``x_0, ..., x_{n-1}`` (by default ``x_i = i``) and let
partition ``j`` be held by the ``s + 1`` workers ``H_j = {j - s, ..., j} (mod n)``, so that
worker ``i`` holds partitions ``i, ..., i + s (mod n)``: the cyclic support, every row has exactly
``s + 1`` nonzeros and the load is the optimal ``(s + 1) / n``. Put

    ``E[i, j] = 1 / prod_{k in H_j, k != i} (x_i - x_k)``  for ``i in H_j``, and 0 otherwise.

(These are the weights of the ``s``-th divided difference on the nodes of ``H_j``.) For a set
``S`` of exactly ``s`` stragglers, the decoding vector is the straggler *locator polynomial*
evaluated at the nodes:

    ``a_i = q_S(x_i)``, ``q_S(x) = prod_{k in S} (x - x_k)``,

an integer vector when the nodes are integers, zero on the stragglers.

Lemma 1 (every set of ``s`` stragglers decodes). ``a^T E = 1^T``.
Proof. For ``s + 1`` distinct nodes ``y_0..y_s`` and a polynomial ``q`` of degree at most ``s``,
Lagrange interpolation is exact: ``q(y) = sum_m q(y_m) prod_{l != m} (y - y_l) / (y_m - y_l)``.
Comparing the coefficients of ``y^s`` gives ``sum_m q(y_m) / prod_{l != m} (y_m - y_l) = [y^s] q``.
Column ``j`` of ``a^T E`` is exactly this sum for ``q = q_S`` on the nodes of ``H_j``; ``q_S`` is
monic of degree ``s``, so the sum is 1 -- whatever the overlap of ``S`` and ``H_j``. Since
``q_S`` vanishes on ``S``, only non-stragglers are used. With fewer than ``s`` stragglers, add
non-stragglers to ``S`` until it has ``s`` members.

Lemma 2 (and no set with fewer than ``n - s`` workers decodes). If ``a`` is supported on ``F``
and ``a^T E = 1^T``, then ``a_i = P(x_i)`` for a monic polynomial ``P`` of degree ``s``; hence
``a`` has at most ``s`` zeros and ``|F| >= n - s``.
Proof. Let ``P`` (degree at most ``s``) interpolate ``a`` on the nodes of workers ``0..s``.
Column ``j = s`` reads ``sum_m a_m / prod (x_m - x_l) = 1`` over these nodes, and by the identity
above that sum is ``[y^s] P``, so ``P`` is monic of degree ``s``. For ``j = s + 1, ..., n - 1``
the holders ``j - s, ..., j`` are consecutive (no wrap-around); column ``j`` is a linear equation
in ``a_{j-s}, ..., a_j`` whose coefficient of ``a_j`` is nonzero, and ``P``'s values satisfy the
same equation (same identity, ``[y^s] P = 1``). So if ``a`` agrees with ``P`` on workers
``j - s .. j - 1`` it agrees at ``j`` too; by induction ``a_i = P(x_i)`` for every ``i``.

Consequences: the workers ``F`` decode iff ``|F| >= n - s`` (so counting results, as the
sequential verifiers do, is *exact* for this code, not just sufficient); the decoding vector of a
set of exactly ``n - s`` workers is unique and equals ``q_S(x)``; ``rank E = n - s``.

In coding terms, column ``j`` is ``(p_j(x_i) / w_i)_i`` with ``w_i = prod_{k != i} (x_i - x_k)``
and ``p_j(x) = prod_{k not in H_j} (x - x_k)`` monic of degree ``n - s - 1``: a codeword of a
generalized Reed-Solomon code of dimension ``n - s`` whose zeros are placed on the workers that
do not hold partition ``j``, and ``a = q_S(x)`` lies in the dual code; it is the construction
family of Halbawi et al. and Raviv et al. (below) written over the rationals, with the
normalisation (monic ``p_j``) that makes the decoding vectors the locator polynomial.

Exactness and size. Everything is rational; with integer nodes ``E`` has unit-fraction entries
(at most ``n^s`` in the denominator) and the decoding vectors are integers (at most ``n^s``).
Floating point is another matter: these are Vandermonde-type systems, badly conditioned for large
``s`` (see :meth:`~sgc_theory.codes.GradientCode.condition_report`).

References
----------
W. Halbawi, N. Azizan, F. Salehi, B. Hassibi, "Improving Distributed Gradient Descent Using
Reed-Solomon Codes", ISIT 2018 (arXiv:1706.05436).
N. Raviv, I. Tamo, R. Tandon, A. G. Dimakis, "Gradient Coding from Cyclic MDS Codes and
Expander Graphs", ICML 2018; IEEE Trans. Inf. Theory 66(12), 2020 (arXiv:1707.03858).
F. J. MacWilliams, N. J. A. Sloane, *The Theory of Error-Correcting Codes*, Ch. 10 (generalized
Reed-Solomon codes and their duals).

Examples
--------
>>> code = reed_solomon(6, 2)
>>> code.load, code.verify().ok, code.verify().sets_checked
(Fraction(1, 2), True, 15)
>>> [str(x) for x in code.E[2]]  # partitions 2, 3, 4 (holders {0,1,2}, {1,2,3}, {2,3,4})
['0', '0', '1/2', '-1', '1/2', '0']
>>> [int(x) for x in code.decoding_vector([0, 2, 3, 5])]  # (x - 1)(x - 4) at x = 0..5
[4, 0, -2, -2, 0, 4]
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import SGCError, check_int, require
from .base import GradientCode, Guarantee

__all__ = ["RS_LEMMA", "ReedSolomonCode", "reed_solomon"]

#: the statement :attr:`ReedSolomonCode.structure` carries
RS_LEMMA = (
    "E[i, j] = 1/prod_{k in H_j, k != i}(x_i - x_k) on the cyclic supports H_j; for every "
    "straggler set S of size s, a = prod_{k in S}(x - x_k) evaluated at the nodes vanishes "
    "on S and a^T E = 1^T (the s-th divided difference of a monic degree-s polynomial is "
    "1); conversely workers F decode only if |F| >= n - s"
)


class ReedSolomonCode(GradientCode):
    """The polynomial (Reed-Solomon) (n, s)-GC of :mod:`sgc_theory.codes.reed_solomon`.

    Use :func:`reed_solomon` to build one.

    Attributes
    ----------
    nodes : tuple of Fraction
        The distinct evaluation points ``x_i``.
    holders : tuple of tuple of int
        ``holders[j]`` = the ``s + 1`` workers holding partition ``j`` (``{j - s .. j} mod n``).
    """

    structure = Guarantee("structural", RS_LEMMA, "sgc_theory.codes.reed_solomon (Lemma 1)")

    def __init__(self, n: int, s: int, nodes=None):
        n = check_int("n", n, minimum=1)
        s = check_int("s", s, minimum=0)
        require(s < n, f"s must satisfy 0 <= s < n (got n={n}, s={s})")
        from ..budget import check_work

        # an n x n exact matrix, each of its n (s + 1) entries a product of s differences
        check_work(
            n * n + 3 * n * (s + 1) ** 2,
            f"building the Reed-Solomon gradient code n={n}, s={s} (an exact {n} x {n} matrix)",
        )
        if nodes is None:
            xs = tuple(Fraction(i) for i in range(n))
        else:
            try:
                xs = tuple(Fraction(x) for x in nodes)
            except (TypeError, ValueError, ZeroDivisionError):
                raise SGCError("nodes must be rational numbers (int, Fraction or 'p/q')") from None
            require(len(xs) == n, f"nodes must have n={n} entries (got {len(xs)})")
            require(len(set(xs)) == n, "nodes must be distinct")
        self.nodes = xs
        self.holders = tuple(tuple((j - s + m) % n for m in range(s + 1)) for j in range(n))
        rows = [[Fraction(0)] * n for _ in range(n)]
        for j, H in enumerate(self.holders):
            for i in H:
                d = Fraction(1)
                for k in H:
                    if k != i:
                        d *= xs[i] - xs[k]
                rows[i][j] = 1 / Fraction(d)
        super().__init__(rows, s, name="rs")

    def structural_vector(self, stragglers) -> list:
        """``a_i = prod_{k in S} (x_i - x_k)`` for exactly ``s`` stragglers ``S`` (Lemma 1).

        Examples
        --------
        >>> [int(x) for x in reed_solomon(4, 1).structural_vector((2,))]
        [-2, -1, 0, 1]
        """
        S = tuple(stragglers)
        require(len(S) == self.s, f"give exactly s={self.s} stragglers (got {len(S)})")
        xs: list = list(self.nodes)
        if all(x.denominator == 1 for x in xs):  # integer nodes: integer products (fast)
            xs = [int(x) for x in xs]
        out = []
        for i in range(self.n):
            v, xi = 1, xs[i]
            for k in S:
                v *= xi - xs[k]
            out.append(Fraction(v))
        return out


def reed_solomon(n: int, s: int, nodes=None) -> ReedSolomonCode:
    """The Reed-Solomon (n, s)-GC: optimal load ``(s + 1) / n``, any ``0 <= s < n``, every set
    of ``s`` stragglers decodable by Lemma 1 of :mod:`sgc_theory.codes.reed_solomon`.

    Parameters
    ----------
    n, s : int
    nodes : sequence of n distinct rationals, optional
        Evaluation points (default ``0, 1, ..., n - 1``).

    Examples
    --------
    >>> code = reed_solomon(5, 2)
    >>> code.load, code.guarantee.kind, sorted(code.support[4])
    (Fraction(3, 5), 'structural', [0, 1, 4])
    """
    return ReedSolomonCode(n, s, nodes)
