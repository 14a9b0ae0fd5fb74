"""Constructions of exact (n, s) gradient codes.

=============  ======================  ========================================================
name           needs                   why it decodes (``code.guarantee``)
=============  ======================  ========================================================
``"rs"``       any ``0 <= s < n``      structural proof (:mod:`sgc_theory.codes.reed_solomon`)
``"frc"``      ``(s + 1) | n``         structural proof (one survivor per group, pigeonhole)
``"cyclic"``   any ``0 <= s < n``      random draw, certified by enumerating all ``C(n, s)``
``"stable"``   any ``0 <= s < n``      structural proof (:mod:`sgc_theory.codes.stable`)
=============  ======================  ========================================================

The first three have the optimal load ``(s + 1) / n``. ``"stable"`` is fractional repetition
when ``(s + 1) | n`` and fractional repetition with unequal groups otherwise: 0/1 decoding that
holds in float64 at any ``n``, at the load :func:`~sgc_theory.codes.stable_load`
(slightly above ``(s + 1) / n`` when ``(s + 1)`` does not divide ``n``).

References
----------
R. Tandon, Q. Lei, A. G. Dimakis, N. Karampatziakis, "Gradient Coding: Avoiding Stragglers in
Distributed Learning", ICML 2017 (fractional and cyclic repetition schemes).
"""

from __future__ import annotations

import math
import random
from fractions import Fraction

import flint

from ..errors import SGCError, check_int, check_seed, require
from ..rationals import to_fraction
from ..fileio import MAX_CSV_BYTES as _MAX_CSV_BYTES
from ..fileio import read_csv
from .base import GradientCode, Guarantee
from .reed_solomon import RS_LEMMA, reed_solomon
from .repetition import (  # noqa: F401  (re-exported: the codes' historical home)
    FRC_LEMMA,
    IDENTITY,
    FractionalRepetitionCode,
    IdentityCode,
    _check_ns,
    fractional_repetition,
    identity_code,
)
from .stable import UnequalRepetitionCode, stable_code, stable_construction

#: integers of the random matrix H are drawn from [-H_RANGE, H_RANGE]
H_RANGE = 20


def _cyclic_candidate(n: int, s: int, rng: random.Random):
    """One draw of the cyclic repetition matrix, or None if some sub-system is singular."""
    H = [[rng.randint(-H_RANGE, H_RANGE) for _ in range(n - 1)] for _ in range(s)]
    for row in H:
        row.append(-sum(row))  # rows sum to zero: 1 is in the null space of H
    rows = []
    for i in range(n):
        rest = [(i + k) % n for k in range(1, s + 1)]
        A = flint.fmpq_mat([[H[r][c] for c in rest] for r in range(s)])
        b = flint.fmpq_mat([[-H[r][i]] for r in range(s)])
        try:
            x = A.solve(b)
        except ZeroDivisionError:
            return None
        row = [Fraction(0)] * n
        row[i] = Fraction(1)
        for k, c in enumerate(rest):
            q = x[k, 0]
            row[c] = to_fraction(q)
        rows.append(row)
    return rows


def cyclic_repetition(n: int, s: int, seed=None, max_attempts: int = 50) -> GradientCode:
    """Cyclic repetition code (Tandon et al.), any ``0 <= s < n``, load ``(s + 1) / n``.

    Row ``i`` is supported on ``{i, ..., i + s} mod n`` with ``E[i, i] = 1``; its other ``s``
    entries solve ``H[:, rest] x = -H[:, i]`` for a random integer ``s x n`` matrix ``H`` whose
    rows sum to zero. Every row lies in ``null(H)``, which contains the all-ones vector; for a
    generic ``H`` any ``n - s`` rows span it. Genericity is *checked*: each draw is certified
    with :meth:`GradientCode.verify` (exact) and ``H`` is redrawn on failure.

    Parameters
    ----------
    n, s : int
    seed : int, optional
        Seed of the random draws (same seed, same code).
    max_attempts : int
        Number of draws of ``H`` before giving up with :class:`SGCError`.

    Examples
    --------
    >>> code = cyclic_repetition(5, 2, seed=0)
    >>> code.load, sorted(code.support[4]), code.verify().ok
    (Fraction(3, 5), [0, 1, 4], True)
    """
    n, s = _check_ns(n, s)
    seed = check_seed("seed", seed)
    max_attempts = check_int("max_attempts", max_attempts, minimum=1)
    if s == 0:
        code = identity_code(n)
        code.name = "cyclic"
        return code
    rng = random.Random(seed)
    for _ in range(max_attempts):
        rows = _cyclic_candidate(n, s, rng)
        if rows is None:
            continue
        code = GradientCode(rows, s, name="cyclic")
        if code.verify().ok:
            return code
    raise SGCError(
        f"cyclic repetition: no certified code found in max_attempts={max_attempts} draws "
        f"(n={n}, s={s}, seed={seed!r})"
    )


def from_matrix(E, s) -> GradientCode:
    """A gradient code from a user matrix of exact rationals (not verified; call ``verify``).

    Examples
    --------
    >>> from_matrix([[1, 1], [1, 1]], 1).verify().ok
    True
    """
    return GradientCode(E, s, name="matrix")


def from_csv(path, s) -> GradientCode:
    """Read ``E`` from a CSV file of rationals (``1``, ``-3/2``, ``0``, ``0.25``).

    The file is read by :func:`sgc_theory.fileio.read_csv` (the rules every CSV of the package
    follows: a byte-order mark dropped, blank lines skipped, an optional header line of names,
    size and shape checked before parsing, decimal exponents at most 1000 in size). The matrix
    must be square. Any problem (unreadable file, ragged rows, non-rational entries, non-square
    shape, a file over the work budget) raises :class:`SGCError` naming the file.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp(); p = os.path.join(d, "E.csv")
    >>> _ = open(p, "w").write("1,1\\n1,1\\n")
    >>> from_csv(p, 1).verify().ok
    True
    """
    table = read_csv(path, "matrix file", exact=True, square=True)
    parsed, width = table.rows, table.shape[1]
    s = check_int("s", s, minimum=0)
    require(s < width, f"s must satisfy 0 <= s < n (got s={s}, n={width})")
    code = GradientCode(parsed, s, name=str(path))
    return code


CONSTRUCTIONS = ("cyclic", "frc", "rs", "stable")

#: above this many straggler sets a cyclic draw is not certified in practice (see code_guarantee)
ENUMERATION_REACH = 10**9


def _check_construction_name(construction):
    if construction not in CONSTRUCTIONS:
        raise SGCError(
            f"construction must be one of {', '.join(CONSTRUCTIONS)} (got {construction!r})"
        )


#: largest matrix file read (bytes): the limit of every CSV
MAX_CSV_BYTES = _MAX_CSV_BYTES


def make_code(n: int, s: int, construction: str = "cyclic", seed=None) -> GradientCode:
    """Build an (n, s) gradient code by construction name (proved or certified).

    Parameters
    ----------
    construction : {"cyclic", "frc", "rs", "stable"}
        Cyclic repetition (any ``s < n``, certified by enumeration), fractional repetition
        (``(s + 1) | n``, structural proof), Reed-Solomon (any ``s < n``, structural proof) or
        the float-stable code of :func:`~sgc_theory.codes.stable_code` (any ``s < n``,
        structural proof, load :func:`~sgc_theory.codes.stable_load`).
    seed : int, optional
        Seed of the cyclic draw (ignored by the deterministic constructions).

    Examples
    --------
    >>> make_code(4, 1, "frc").load
    Fraction(1, 2)
    >>> make_code(256, 12, "rs").guarantee.kind
    'structural'
    """
    _check_construction_name(construction)
    seed = check_seed("seed", seed)
    if construction == "cyclic":
        return cyclic_repetition(n, s, seed=seed)
    if construction == "frc":
        return fractional_repetition(n, s)
    if construction == "stable":
        return stable_code(n, s)
    return reed_solomon(n, s)


def code_guarantee(n: int, s: int, construction: str) -> Guarantee:
    """What :func:`make_code` ``(n, s, construction)`` would rest on, without building it.

    Lets a verifier name the code its verdict assumes at ``n = 256`` cheaply. ``s = 0`` is the
    identity code (nothing to tolerate). A cyclic draw is certified by enumerating every
    straggler set when it is built; beyond ``ENUMERATION_REACH`` (10^9) sets that cannot be
    done, so the guarantee is ``unchecked``.

    Examples
    --------
    >>> code_guarantee(256, 12, "rs").kind, code_guarantee(256, 15, "frc").kind
    ('structural', 'structural')
    >>> print(code_guarantee(256, 12, "cyclic"))  # doctest: +ELLIPSIS
    unchecked: a cyclic repetition draw is certified only by enumerating all C(256, 12) = ...
    """
    n = check_int("n", n, minimum=1)
    s = check_int("s", s, minimum=0)
    require(s < n, f"s must satisfy 0 <= s < n (got n={n}, s={s})")
    _check_construction_name(construction)
    if construction == "stable":
        construction = stable_construction(n, s)
        if construction == "ufrc":
            return UnequalRepetitionCode.structure
    if s == 0:
        return IDENTITY
    if construction == "rs":
        return Guarantee("structural", RS_LEMMA, "sgc_theory.codes.reed_solomon (Lemma 1)")
    if construction == "frc":
        require(
            n % (s + 1) == 0, f"fractional repetition needs (s + 1) to divide n (got n={n}, s={s})"
        )
        return FractionalRepetitionCode.structure
    total = math.comb(n, s)
    if total <= ENUMERATION_REACH:
        return Guarantee(
            "certified",
            f"a cyclic repetition draw is certified by enumerating all "
            f"C({n}, {s}) = {total} straggler sets before it is used",
            "sgc_theory.codes.certify",
        )
    return Guarantee(
        "unchecked",
        f"a cyclic repetition draw is certified only by enumerating all "
        f"C({n}, {s}) = {total:.3e} straggler sets, which is out of reach: nothing "
        "certifies it (use construction 'rs')",
    )
