"""One-shot (n, s) gradient codes with exact rational encoding matrices.

``n`` workers, ``k = n`` partitions. Worker ``i`` sends ``f_i = sum_p E[i, p] g_p``. The code
tolerates ``s`` stragglers iff for every set ``F`` of ``n - s`` workers there is a decoding
vector ``a`` with ``a^T E_F = 1^T`` (SPEC section 3). All arithmetic is exact: entries are
:class:`fractions.Fraction`, mirrored in a ``flint.fmpq_mat``.

References
----------
R. Tandon, Q. Lei, A. G. Dimakis, N. Karampatziakis, "Gradient Coding: Avoiding Stragglers in
Distributed Learning", ICML 2017.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import numpy as np

from ..budget import check_work, fmt_work, work_budget
from ..errors import NotDecodableError, SGCError, check_int, check_seed, require
from .certify import Certifier, integer_rows


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of checking every set of exactly ``s`` stragglers.

    Attributes
    ----------
    ok : bool
        True iff every straggler set of size ``s`` is decodable.
    sets_checked : int
        ``C(n, s)``.
    failures : int
        Number of straggler sets that are not decodable.
    example_failure : list of int or None
        The lexicographically first failing straggler set (sorted workers), or None.
    failing_sets : tuple of tuple of int
        All failing straggler sets, lexicographic order.
    certified_modular : int
        Sets decided by the modular certificate (see :mod:`sgc_theory.codes.certify`).
    exact_checks : int
        Sets decided by exact integer ranks.
    """

    ok: bool
    sets_checked: int
    failures: int
    example_failure: list | None
    failing_sets: tuple = field(default=(), repr=False)
    certified_modular: int = 0
    exact_checks: int = 0

    def to_dict(self) -> dict:
        """The JSON contract: ``ok, sets_checked, failures, example_failure``."""
        return {
            "ok": self.ok,
            "sets_checked": self.sets_checked,
            "failures": self.failures,
            "example_failure": self.example_failure,
        }


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


def _to_fraction(x, where: str) -> Fraction:
    if isinstance(x, bool):
        raise SGCError(f"{where}: {x!r} is a bool, not a rational number")
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    if isinstance(x, (float, np.floating)):
        if math.isfinite(x) and float(x).is_integer():
            return Fraction(int(x))
        raise SGCError(
            f"{where}: {x!r} is a non-integral float; give exact rationals "
            "(int, fractions.Fraction, sympy Rational or a string like '-3/2')"
        )
    if isinstance(x, flint.fmpq):
        return Fraction(int(x.p), int(x.q))
    if isinstance(x, flint.fmpz):
        return Fraction(int(x))
    if isinstance(x, str):
        try:
            return Fraction(x.strip())
        except (ValueError, ZeroDivisionError):
            raise SGCError(f"{where}: {x!r} is not a rational number") from None
    p, q = getattr(x, "p", None), getattr(x, "q", None)  # sympy Rational / Integer
    if isinstance(p, int) and isinstance(q, int) and getattr(x, "is_Rational", False):
        return Fraction(p, q)
    raise SGCError(f"{where}: {x!r} is not a rational number")


class GradientCode:
    """An exact (n, s) gradient code.

    Parameters
    ----------
    E : n x n matrix of rationals
        Nested sequences, a numpy integer array, a sympy Matrix or a ``flint.fmpq_mat``.
        Entries may be ``int``, :class:`fractions.Fraction`, sympy Rationals, strings such as
        ``"-3/2"``, or integral floats.
    s : int
        Number of stragglers to tolerate, ``0 <= s < n``.
    name : str, optional
        A label (e.g. the construction).

    Attributes
    ----------
    n, s : int
    E : tuple of tuple of Fraction
        The encoding matrix, rows are workers, columns partitions.
    E_flint : flint.fmpq_mat
    load : Fraction
        ``max_i |support(E[i])| / n``; optimal codes have ``(s + 1) / n``.
    support : list of frozenset
        ``support[i]`` = partitions worker ``i`` touches.

    Examples
    --------
    >>> from fractions import Fraction as Fr
    >>> code = GradientCode([[Fr(1, 2), 1, 0], [0, 1, -1], [Fr(1, 2), 0, 1]], s=1)
    >>> code.verify().ok, code.load
    (True, Fraction(2, 3))
    >>> [str(x) for x in code.decoding_vector([0, 1])]
    ['2', '-1', '0']
    >>> GradientCode([[1, 1, 0], [0, 1, 1], [1, 0, 1]], s=1).verify().example_failure
    [0]

    To implement a construction, you need to: build the rows as Fractions, call
    ``GradientCode(rows, s, name=...)`` and let :meth:`verify` certify it (constructions
    that rely on genericity must redraw until ``verify().ok``).
    """

    def __init__(self, E, s, name: str | None = None):
        rows = self._rows_of(E)
        n = len(rows)
        require(n >= 1, "E must have at least one row (got an empty matrix)")
        for i, row in enumerate(rows):
            require(
                len(row) == n,
                f"E must be square n x n (row {i} has {len(row)} entries, n={n})",
            )
        self.n = n
        self.s = check_int("s", s, minimum=0)
        require(self.s < n, f"s must satisfy 0 <= s < n (got s={self.s}, n={n})")
        self.name = name or "custom"
        self.E = tuple(
            tuple(_to_fraction(x, f"E[{i}][{j}]") for j, x in enumerate(row))
            for i, row in enumerate(rows)
        )
        self.E_flint = flint.fmpq_mat(
            [[flint.fmpq(x.numerator, x.denominator) for x in row] for row in self.E]
        )
        self.support = [frozenset(j for j, x in enumerate(row) if x != 0) for row in self.E]
        self.load = Fraction(max(len(sp) for sp in self.support), n)
        self._certifier = None
        self._verify_cache = {}
        self._decode_cache = {}

    @staticmethod
    def _rows_of(E):
        if isinstance(E, flint.fmpq_mat) or isinstance(E, flint.fmpz_mat):
            return [[E[i, j] for j in range(E.ncols())] for i in range(E.nrows())]
        if hasattr(E, "tolist") and not isinstance(E, (list, tuple)):
            E = E.tolist()  # numpy arrays and sympy matrices
        try:
            return [list(row) for row in E]
        except TypeError:
            raise SGCError("E must be a 2-D matrix (a sequence of rows)") from None

    # -- basic views -----------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"GradientCode(name={self.name!r}, n={self.n}, s={self.s}, load={self.load})"

    @property
    def certifier(self) -> Certifier:
        """The (lazily built) exact/modular certification engine."""
        if self._certifier is None:
            self._certifier = Certifier(integer_rows(self.E))
        return self._certifier

    @property
    def rank(self) -> int:
        """``rank_Q(E)``, exact."""
        return self.certifier.rank

    def sympy_matrix(self):
        """``E`` as a sympy Matrix of Rationals (for LaTeX rendering in notebooks).

        Examples
        --------
        >>> GradientCode([[1, 0], [0, 1]], 0).sympy_matrix()
        Matrix([
        [1, 0],
        [0, 1]])
        """
        import sympy

        return sympy.Matrix(
            [[sympy.Rational(x.numerator, x.denominator) for x in row] for row in self.E]
        )

    def to_numpy(self) -> np.ndarray:
        """``E`` as float64 (lossy; for numerics only)."""
        return np.array([[float(x) for x in row] for row in self.E], dtype=float)

    # -- decoding --------------------------------------------------------------------------
    def _workers(self, workers, what: str) -> tuple:
        try:
            ws = [check_int(what, w, minimum=0, maximum=self.n - 1) for w in workers]
        except TypeError:
            raise SGCError(f"{what} must be an iterable of worker indices") from None
        require(len(set(ws)) == len(ws), f"{what} must not repeat workers (got {sorted(ws)})")
        return tuple(sorted(ws))

    def is_decodable(self, survivors) -> bool:
        """Whether the workers in ``survivors`` can recover the full gradient (exact).

        Examples
        --------
        >>> from sgc_theory.codes import fractional_repetition
        >>> code = fractional_repetition(4, 1)
        >>> code.is_decodable([0, 2]), code.is_decodable([0, 1])
        (True, False)
        """
        F = self._workers(survivors, "survivors")
        return self.certifier.decodable(list(F))

    def decoding_vector(self, non_stragglers) -> list:
        """Exact decoding vector ``a`` (length n, zero outside ``non_stragglers``).

        ``sum_i a[i] * f_i`` equals the full gradient ``sum_p g_p``, i.e. ``a^T E = 1^T``.

        Raises
        ------
        NotDecodableError
            If the all-ones vector is not in the span of the rows of ``non_stragglers``.

        Examples
        --------
        >>> from sgc_theory.codes import fractional_repetition
        >>> [int(x) for x in fractional_repetition(4, 1).decoding_vector([1, 2])]
        [0, 1, 1, 0]
        """
        F = self._workers(non_stragglers, "non_stragglers")
        if F in self._decode_cache:
            return list(self._decode_cache[F])
        n, m = self.n, len(F)
        fail = NotDecodableError(
            f"workers {list(F)} cannot decode: the all-ones vector is not in the span of "
            "their rows"
        )
        if m == 0:
            raise fail
        # Solve E_F^T a_F = 1 via the RREF of [E_F^T | 1].
        M = flint.fmpq_mat(n, m + 1)
        for c, i in enumerate(F):
            for j in range(n):
                M[j, c] = self.E_flint[i, j]
        for j in range(n):
            M[j, m] = 1
        R, rank = M.rref()
        a = [Fraction(0)] * n
        for r in range(rank):
            lead = next(c for c in range(m + 1) if R[r, c] != 0)
            if lead == m:
                raise fail
            q = R[r, m]
            a[F[lead]] = Fraction(int(q.p), int(q.q))
        for j in range(n):  # exact self-check of a^T E = 1
            assert sum(a[i] * self.E[i][j] for i in F) == 1
        self._decode_cache[F] = tuple(a)
        return a

    # -- certification ---------------------------------------------------------------------
    def verify(self, method: str = "auto", *, max_work=None) -> VerifyResult:
        """Certify, exactly, every set of exactly ``s`` stragglers.

        Sets with fewer stragglers need no check: if ``F`` decodes, so does every superset.

        Parameters
        ----------
        method : {"auto", "exact"}
            ``"auto"`` uses the modular certificate with exact fallback
            (see :mod:`sgc_theory.codes.certify`); ``"exact"`` uses exact integer ranks for
            every set. Both are exact; they differ only in speed.
        max_work : int, optional
            Work budget (see :mod:`sgc_theory.budget`); the ``C(n, s)`` sets are counted first
            and refused beyond it.

        Returns
        -------
        VerifyResult

        Examples
        --------
        >>> from sgc_theory.codes import cyclic_repetition
        >>> r = cyclic_repetition(6, 2, seed=1).verify()
        >>> r.ok, r.sets_checked, r.failures, r.example_failure
        (True, 15, 0, None)
        """
        require(method in ("auto", "exact"), f"method must be 'auto' or 'exact' (got {method!r})")
        if method not in self._verify_cache:
            sets = math.comb(self.n, self.s)
            with work_budget(max_work):
                check_work(sets * (self.s + 1),
                           f"certifying the ({self.n}, {self.s}) gradient code {self.name!r} "
                           f"on all {fmt_work(sets)} straggler sets of size {self.s}")
            failing, total, cert, exact = self.certifier.failing_sets(self.s, method)
            self._verify_cache[method] = VerifyResult(
                ok=not failing,
                sets_checked=total,
                failures=len(failing),
                example_failure=list(failing[0]) if failing else None,
                failing_sets=tuple(failing),
                certified_modular=cert,
                exact_checks=exact,
            )
        return self._verify_cache[method]

    def condition_report(self, max_sets: int = 20000, seed: int = 0) -> ConditionReport:
        """Worst float64 condition number of ``E_F`` over straggler sets of size ``s``.

        Shows why floating point is risky: the real-valued decoding of a valid code can be
        badly conditioned. Samples ``max_sets`` sets at random when there are more.

        Examples
        --------
        >>> from sgc_theory.codes import fractional_repetition
        >>> round(fractional_repetition(4, 1).condition_report().worst, 6)
        1.414214
        """
        max_sets = check_int("max_sets", max_sets, minimum=1)
        seed = check_seed("seed", seed)
        n, s = self.n, self.s
        total = math.comb(n, s)
        check_work(min(total, max_sets) * n * n,
                   f"condition numbers of {fmt_work(min(total, max_sets))} decoding systems "
                   f"of size {n - s} x {n}", cheaper="a smaller max_sets")
        if total <= max_sets:
            sets = np.array(list(itertools.combinations(range(n), s)), dtype=np.int64)
            sets = sets.reshape(total, s)
            sampled = False
        else:
            rng = np.random.default_rng(seed)
            sets = np.sort(
                np.array([rng.choice(n, size=s, replace=False) for _ in range(max_sets)]),
                axis=1,
            )
            sampled = True
        mask = np.ones((len(sets), n), dtype=bool)
        if s:
            np.put_along_axis(mask, sets, False, axis=1)
        survivors = np.nonzero(mask)[1].reshape(len(sets), n - s)
        Ef = self.to_numpy()[survivors]  # (sets, n - s, n)
        sv = np.linalg.svd(Ef, compute_uv=False)
        r = max(1, min(self.rank, n - s))
        top, low = sv[:, 0], sv[:, r - 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            cond = np.where(low > top * 1e-14, top / low, np.inf)
        w = int(np.argmax(cond))
        return ConditionReport(
            worst=float(cond[w]),
            worst_stragglers=[int(x) for x in sets[w]],
            median=float(np.median(cond)),
            sets_checked=len(sets),
            sampled=sampled,
        )

    # -- graph view ------------------------------------------------------------------------
    def support_graph(self):
        """Bipartite networkx graph: workers ``('w', i)`` (bipartite=0) and partitions
        ``('p', j)`` (bipartite=1), an edge when ``E[i, j] != 0``.

        Examples
        --------
        >>> from sgc_theory.codes import fractional_repetition
        >>> G = fractional_repetition(4, 1).support_graph()
        >>> G.degree[('p', 0)], G.number_of_edges()
        (2, 8)
        """
        import networkx as nx

        G = nx.Graph()
        G.add_nodes_from((("w", i) for i in range(self.n)), bipartite=0)
        G.add_nodes_from((("p", j) for j in range(self.n)), bipartite=1)
        G.add_edges_from((("w", i), ("p", j)) for i, sp in enumerate(self.support) for j in sp)
        return G

    def covers(self) -> bool:
        """Covering condition: every partition is held by at least ``s + 1`` workers.

        Necessary for tolerating ``s`` stragglers (otherwise straggling all holders of a
        partition loses it); read off the degrees of partition nodes of :meth:`support_graph`.

        Examples
        --------
        >>> GradientCode([[1, 0], [0, 1]], 1).covers()
        False
        """
        G = self.support_graph()
        return all(G.degree[("p", j)] >= self.s + 1 for j in range(self.n))

    def draw(self, ax=None):
        """Draw the support graph (workers left, partitions right) with matplotlib."""
        import matplotlib.pyplot as plt
        import networkx as nx

        if ax is None:
            _, ax = plt.subplots(figsize=(4, max(2, 0.4 * self.n)))
        G = self.support_graph()
        pos = {("w", i): (0, -i) for i in range(self.n)}
        pos.update({("p", j): (1, -j) for j in range(self.n)})
        colors = ["tab:blue" if d["bipartite"] == 0 else "tab:orange" for _, d in G.nodes(data=True)]
        labels = {v: f"{'w' if v[0] == 'w' else 'p'}{v[1]}" for v in G.nodes}
        nx.draw_networkx(G, pos, ax=ax, node_color=colors, labels=labels, node_size=300,
                         font_size=7)
        ax.set_title(f"{self.name} (n={self.n}, s={self.s}), load {self.load}")
        ax.set_axis_off()
        return ax
