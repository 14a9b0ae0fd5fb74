"""Exact certification that an (n, s) gradient code tolerates every set of s stragglers.

A code with encoding matrix ``E`` (n x n, rational) tolerates the straggler set ``S`` iff the
all-ones vector lies in the rational row space of ``E_F``, ``F = [n] \\ S``. Checking the
``C(n, s)`` sets one by one with exact rational ranks is correct but slow, so this module decides
almost all of them with a modular certificate that is itself exact, and falls back to exact
integer ranks (``flint.fmpz_mat``) only where the certificate is inconclusive.

The certificate
---------------
Scale every row of ``E`` to a primitive integer vector (this changes no row space). Compute once,
exactly, ``rho = rank_Q(E)`` and whether ``1`` lies in ``V = rowspace_Q(E)``. If it does not, no
set of workers can decode, so every straggler set fails (exact). Otherwise pick a prime ``p``
(below 2**31, so products fit in int64) with ``rank_p(E) = rho`` and let the columns of
``K`` (n x (n - rho)) be a basis of the left kernel ``{y : y^T E = 0}`` over ``F_p``.

*Lemma* (any field). ``rank(E_F) = rank(E) - |S| + rank(K_S)``.
Proof: left-kernel vectors of ``E`` supported on ``F`` are exactly the left-kernel vectors of
``E_F`` (padded with zeros); they are ``K c`` with ``K_S c = 0``, and ``c -> K c`` is injective,
so ``|F| - rank(E_F) = (n - rho) - rank(K_S)``.

Hence, if ``K_S`` (an ``s x (n - rho)`` matrix) has full row rank ``s`` modulo ``p``, then
``rank_p(E_F) = rho``. A nonzero ``rho x rho`` minor modulo ``p`` is a nonzero integer, so
``rank_Q(E_F) >= rho``; and ``rank_Q(E_F) <= rank_Q(E) = rho``. So ``rowspace_Q(E_F) = V``,
which contains ``1``: the set is decodable. This is a *sufficient* condition only. When ``K_S``
is rank-deficient modulo ``p`` (a genuine failure, or an unlucky prime), or when
``rho > n - s`` (then ``K_S`` has more rows than columns), the set is decided by the exact rule
``rank_Q([E_F; 1]) == rank_Q(E_F)`` with integer matrices. A failure is therefore only ever
reported by the exact computation.

For the cyclic repetition code ``rho = n - s`` and ``K_S`` is square ``s x s``: one small
determinant per straggler set, computed for all sets at once by a vectorised (fraction-free)
Gaussian elimination in numpy.

References
----------
R. Tandon, Q. Lei, A. G. Dimakis, N. Karampatziakis, "Gradient Coding: Avoiding Stragglers in
Distributed Learning", ICML 2017.
J. Oxley, *Matroid Theory*, 2nd ed., Prop. 2.2.23 (rank of the dual matroid), of which the lemma
is the linear-algebra form.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import flint
import numpy as np

#: primes below 2**31 used for the modular certificate (tried in order)
PRIMES = (2147483647, 2147483629, 2147483587, 2147483579, 2147483563, 2147483549)

#: number of straggler sets handled per vectorised batch
CHUNK = 1 << 15


def integer_rows(rows) -> list[list[int]]:
    """Scale each rational row to a primitive integer row (same row space, row by row).

    Examples
    --------
    >>> from fractions import Fraction as Fr
    >>> integer_rows([[Fr(1, 2), Fr(-3, 4)], [0, 0]])
    [[2, -3], [0, 0]]
    """
    out = []
    for row in rows:
        row = [Fraction(x) for x in row]
        lcm = 1
        for x in row:
            lcm = lcm * x.denominator // math.gcd(lcm, x.denominator)
        ints = [int(x * lcm) for x in row]
        g = 0
        for v in ints:
            g = math.gcd(g, v)
        if g > 1:
            ints = [v // g for v in ints]
        out.append(ints)
    return out


def straggler_sets(n: int, s: int):
    """Yield numpy arrays (batch x s, int64) of all s-subsets of range(n), lexicographically."""
    combos = itertools.combinations(range(n), s)
    if s == 0:
        yield np.zeros((1, 0), dtype=np.int64)
        return
    while True:
        flat = np.fromiter(
            itertools.chain.from_iterable(itertools.islice(combos, CHUNK)), dtype=np.int64
        )
        if flat.size == 0:
            return
        yield flat.reshape(-1, s)


def full_row_rank_mod_p(A: np.ndarray, p: int) -> np.ndarray:
    """Whether each matrix of a stack has full row rank modulo ``p``.

    Parameters
    ----------
    A : ndarray, shape (batch, r, m), int64 with entries in ``[0, p)``
    p : int
        A prime below 2**31 (so that every product fits in int64).

    Returns
    -------
    ndarray of bool, shape (batch,)

    Notes
    -----
    Fraction-free elimination: row ``k`` becomes ``piv * row_k - A[k, j] * row_i``, which only
    multiplies rows by nonzero scalars, so ranks are unchanged and no inverse is needed.

    Examples
    --------
    >>> import numpy as np
    >>> full_row_rank_mod_p(np.array([[[1, 2], [2, 4]], [[1, 2], [0, 1]]]), 7).tolist()
    [False, True]
    """
    A = np.array(A, dtype=np.int64, copy=True)
    batch, r, _ = A.shape
    ok = np.ones(batch, dtype=bool)
    idx = np.arange(batch)
    for i in range(r):
        row = A[:, i, :]
        nz = row != 0
        ok &= nz.any(axis=1)
        if i == r - 1:
            break
        j = nz.argmax(axis=1)
        piv = row[idx, j]
        below = A[:, i + 1 :, :]
        f = below[idx, :, j]  # (batch, r - i - 1)
        A[:, i + 1 :, :] = (piv[:, None, None] * below - f[:, :, None] * row[:, None, :]) % p
    return ok


class Certifier:
    """Decides, exactly, which straggler sets an integer-scaled encoding matrix tolerates.

    Parameters
    ----------
    int_rows : list of list of int
        The rows of ``E``, each scaled to integers (see :func:`integer_rows`).

    Attributes
    ----------
    rank : int
        ``rank_Q(E)``, exact.
    ones_in_rowspace : bool
        Whether the all-ones vector lies in ``rowspace_Q(E)``.
    prime : int or None
        Prime with ``rank_p(E) = rank`` used by the certificate (None if none found).
    """

    def __init__(self, int_rows):
        self.rows = [list(r) for r in int_rows]
        self.n = len(self.rows)
        self.ones = [1] * self.n
        E = flint.fmpz_mat(self.rows)
        self.rank = E.rank()
        self.ones_in_rowspace = flint.fmpz_mat(self.rows + [self.ones]).rank() == self.rank
        self.prime = None
        self.kernel = None  # n x (n - rank) int64, basis of the left kernel mod prime
        for p in PRIMES:
            Et = flint.nmod_mat([[v % p for v in col] for col in zip(*self.rows)], p)
            X, nullity = Et.nullspace()
            if self.n - nullity != self.rank:
                continue
            self.prime = p
            cols = [[int(X[i, c]) for c in range(nullity)] for i in range(self.n)]
            self.kernel = np.array(cols, dtype=np.int64).reshape(self.n, nullity)
            break

    # -- single sets ---------------------------------------------------------------------
    def exact(self, survivors) -> bool:
        """Exact rule: ``1`` in ``rowspace_Q(E_F)`` iff ``rank([E_F; 1]) == rank(E_F)``."""
        if not self.ones_in_rowspace:
            return False
        rows = [self.rows[i] for i in survivors]
        if not rows:
            return False
        r = flint.fmpz_mat(rows).rank()
        if r == self.rank:
            return True
        return flint.fmpz_mat(rows + [self.ones]).rank() == r

    def modular_certifies(self, survivors) -> bool:
        """Sufficient condition: ``rank_p(E_F) == rank_Q(E)`` (and 1 in the row space)."""
        if not self.ones_in_rowspace or self.prime is None or not survivors:
            return False
        p = self.prime
        M = flint.nmod_mat([[v % p for v in self.rows[i]] for i in survivors], p)
        return M.rank() == self.rank

    def decodable(self, survivors) -> bool:
        """Exact decision for one set of surviving workers (certificate, then exact)."""
        return self.modular_certifies(survivors) or self.exact(survivors)

    # -- all sets ------------------------------------------------------------------------
    def failing_sets(self, s: int, method: str = "auto"):
        """All straggler sets of size ``s`` that are not decodable.

        Returns
        -------
        (failing, sets_checked, certified, exact_checks)
            ``failing`` is a list of sorted tuples, lexicographic order.
        """
        n = self.n
        total = math.comb(n, s)
        if not self.ones_in_rowspace:
            # rowspace(E_F) is inside rowspace(E), which misses 1: every set fails.
            return [tuple(c) for c in itertools.combinations(range(n), s)], total, 0, 0
        use_modular = method == "auto" and self.prime is not None and self.rank <= n - s
        failing, certified, exact_checks = [], 0, 0
        everyone = np.arange(n)
        for S in straggler_sets(n, s):
            if use_modular:
                if s == 0:
                    good = np.ones(1, dtype=bool)
                else:
                    good = full_row_rank_mod_p(self.kernel[S], self.prime)
                certified += int(good.sum())
                todo = S[~good]
            else:
                todo = S
            for row in todo:
                exact_checks += 1
                F = np.setdiff1d(everyone, row, assume_unique=True).tolist()
                if not self.exact(F):
                    failing.append(tuple(int(x) for x in row))
        return failing, total, certified, exact_checks
