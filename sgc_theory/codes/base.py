"""One-shot (n, s) gradient codes with exact rational encoding matrices.

``n`` workers, ``k = n`` partitions. Worker ``i`` sends ``f_i = sum_p E[i, p] g_p``. The code
tolerates ``s`` stragglers iff for every set ``F`` of ``n - s`` workers there is a decoding
vector ``a`` with ``a^T E_F = 1^T`` (docs/guide/codes.md). All arithmetic is exact: entries are
:class:`fractions.Fraction`, mirrored in a ``flint.fmpq_mat``.

Every code says why it is decodable (:attr:`GradientCode.guarantee`, a :class:`Guarantee`):

* ``structural`` -- a proof from the construction covers every straggler set (fractional
  repetition, :mod:`sgc_theory.codes.reed_solomon`); :meth:`GradientCode.verify` then adds an exact
  spot check of random straggler sets instead of enumerating all ``C(n, s)`` of them;
* ``certified`` -- every straggler set was checked exactly (:mod:`sgc_theory.codes.certify`);
* ``fails`` -- the exact check found a straggler set the code does not tolerate;
* ``unchecked`` -- nothing has been checked yet (call :meth:`GradientCode.verify`).

The code is split by concern: this module holds the matrix and its exact decoding;
:mod:`sgc_theory.codes.verification` the certification
(:meth:`~sgc_theory.codes.GradientCode.verify`, :attr:`~sgc_theory.codes.GradientCode.guarantee`);
:mod:`sgc_theory.codes.results` the records they return;
:mod:`sgc_theory.codes.numerics` the float64 conditioning and decoding-error reports.

References
----------
R. Tandon, Q. Lei, A. G. Dimakis, N. Karampatziakis, "Gradient Coding: Avoiding Stragglers in
Distributed Learning", ICML 2017.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import flint
import numpy as np

from ..errors import NotDecodableError, SGCError, check_int, require
from ..rationals import to_fraction
from .certify import Certifier, integer_rows
from .results import ConditionReport, Guarantee, VerifyResult
from . import verification

__all__ = ["GradientCode", "Guarantee", "VerifyResult", "ConditionReport"]

if TYPE_CHECKING:
    import networkx as nx
    from matplotlib.axes import Axes


def _to_fraction(x: Any, where: str) -> Fraction:
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
    guarantee : Guarantee
        Why the code tolerates ``s`` stragglers (structural proof, exact certificate, a found
        failure, or unchecked).

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
    that rely on genericity must redraw until ``verify().ok``). A construction whose
    decodability is a theorem subclasses ``GradientCode``, sets :attr:`structure` to a
    ``Guarantee("structural", lemma, reference)`` and implements :meth:`structural_vector`
    (the decoding vector the proof gives); :meth:`verify` then checks the proof on random sets
    instead of enumerating all of them.
    """

    #: a ``Guarantee("structural", ...)`` for constructions whose decodability is proved
    structure: Guarantee | None = None

    def __init__(self, E: Any, s: int, name: str | None = None) -> None:
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
            tuple(
                x if type(x) is Fraction else _to_fraction(x, f"E[{i}][{j}]")
                for j, x in enumerate(row)
            )
            for i, row in enumerate(rows)
        )
        self.support = [frozenset(j for j, x in enumerate(row) if x != 0) for row in self.E]
        self.load = Fraction(max(len(sp) for sp in self.support), n)
        self._E_flint: flint.fmpq_mat | None = None
        self._certifier: Certifier | None = None
        self._verify_cache: dict[Any, VerifyResult] = {}
        self._decode_cache: dict[tuple[int, ...], tuple[Fraction, ...]] = {}

    @property
    def E_flint(self) -> flint.fmpq_mat:
        """``E`` as a ``flint.fmpq_mat`` (built on first use)."""
        if self._E_flint is None:
            E = flint.fmpq_mat(self.n, self.n)
            for i, sp in enumerate(self.support):
                for j in sp:
                    x = self.E[i][j]
                    E[i, j] = flint.fmpq(x.numerator, x.denominator)
            self._E_flint = E
        return self._E_flint

    def structural_vector(self, stragglers: Iterable[int]) -> list | None:
        """The decoding vector the structural proof gives for exactly ``s`` sorted stragglers
        (``None`` for codes without a structural proof)."""
        return None

    def _columns(self) -> list[list[int]]:
        """``cols[j]`` = the workers ``i`` with ``E[i, j] != 0`` (cached)."""
        cached: list[list[int]] | None = getattr(self, "_cols", None)
        if cached is None:
            cols: list[list[int]] = [[] for _ in range(self.n)]
            for i, sp in enumerate(self.support):
                for j in sp:
                    cols[j].append(i)
            self._cols = cached = cols
        return cached

    def check_vector(self, a: Any, stragglers: Iterable[int] = ()) -> bool:
        """Exact check that ``a`` vanishes on ``stragglers`` and ``a^T E = 1^T`` (sparse).

        Examples
        --------
        >>> code = GradientCode([[1, 1, 0], [0, 1, 1], [1, 0, 1]], 0)
        >>> from fractions import Fraction as Fr
        >>> code.check_vector([Fr(1, 2)] * 3), code.check_vector([1, 0, 0])
        (True, False)
        """
        if len(a) != self.n or any(a[i] != 0 for i in stragglers):
            return False
        entries = getattr(self, "_col_entries", None)
        if entries is None:  # per column, (worker, E[i, j]) as flint rationals
            entries = self._col_entries = [
                [(i, flint.fmpq(self.E[i][j].numerator, self.E[i][j].denominator)) for i in col]
                for j, col in enumerate(self._columns())
            ]
        aq = [
            flint.fmpq(_to_fraction(x, "a").numerator, _to_fraction(x, "a").denominator)
            if x
            else None
            for x in a
        ]
        zero = flint.fmpq(0)
        for col in entries:
            total = zero
            for i, e in col:
                ai = aq[i]
                if ai is not None:
                    total += ai * e
            if total != 1:
                return False
        return True

    @staticmethod
    def _rows_of(E: Any) -> list[list[Any]]:
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

    def sympy_matrix(self) -> Any:
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
    def _workers(self, workers: Iterable[int], what: str) -> tuple[int, ...]:
        try:
            ws = [check_int(what, w, minimum=0, maximum=self.n - 1) for w in workers]
        except TypeError:
            raise SGCError(f"{what} must be an iterable of worker indices") from None
        require(len(set(ws)) == len(ws), f"{what} must not repeat workers (got {sorted(ws)})")
        return tuple(sorted(ws))

    def is_decodable(self, survivors: Iterable[int]) -> bool:
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

    def decoding_vector(self, non_stragglers: Iterable[int]) -> list[Fraction]:
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
        if self.structure is not None and m >= n - self.s:
            # pad the stragglers to exactly s with the highest-indexed survivors
            out = sorted(set(range(n)) - set(F))
            extra = self.s - len(out)
            if extra > 0:
                out = sorted(out + list(F[-extra:]))
            a = self.structural_vector(tuple(out))
            if a is not None:
                assert self.check_vector(a, out), "structural decoding vector fails"
                self._decode_cache[F] = tuple(a)
                return list(a)
        fail = NotDecodableError(
            f"workers {list(F)} cannot decode: the all-ones vector is not in the span of their rows"
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
            a[F[lead]] = to_fraction(q)
        assert self.check_vector(a)  # exact self-check of a^T E = 1
        self._decode_cache[F] = tuple(a)
        return a

    #: how many random straggler sets :meth:`verify` spot-checks for a structural code
    SPOT_CHECKS = 64

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
        return verification.guarantee(self)

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
        return verification.verify(self, method, spot_checks, seed, max_work=max_work)

    def random_straggler_sets(self, k: int, seed: int = 0) -> list:
        """``k`` distinct straggler sets of size ``s`` drawn uniformly (sorted tuples), or all
        ``C(n, s)`` of them (lexicographic) when there are at most ``k``.

        Examples
        --------
        >>> from sgc_theory.codes import GradientCode
        >>> GradientCode([[1, 1], [1, 1]], 1).random_straggler_sets(5)
        [(0,), (1,)]
        """
        return verification.random_straggler_sets(self, k, seed)

    def condition_report(self, max_sets: int = 20000, seed: int = 0) -> ConditionReport:
        """Worst float64 condition number of ``E_F`` over straggler sets of size ``s``
        (:func:`sgc_theory.codes.numerics.condition_report`).

        Examples
        --------
        >>> from sgc_theory.codes import fractional_repetition
        >>> round(fractional_repetition(4, 1).condition_report().worst, 6)
        1.414214
        """
        from .numerics import condition_report

        return condition_report(self, max_sets=max_sets, seed=seed)

    # -- graph view ------------------------------------------------------------------------
    def support_graph(self) -> nx.Graph:
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

    def draw(self, ax: Axes | None = None) -> Axes:
        """Draw the support graph (workers left, partitions right) with matplotlib."""
        import matplotlib.pyplot as plt
        import networkx as nx

        if ax is None:
            _, ax = plt.subplots(figsize=(4, max(2, 0.4 * self.n)))
        G = self.support_graph()
        pos = {("w", i): (0, -i) for i in range(self.n)}
        pos.update({("p", j): (1, -j) for j in range(self.n)})
        colors = [
            "tab:blue" if d["bipartite"] == 0 else "tab:orange" for _, d in G.nodes(data=True)
        ]
        labels = {v: f"{'w' if v[0] == 'w' else 'p'}{v[1]}" for v in G.nodes}
        nx.draw_networkx(
            G, pos, ax=ax, node_color=colors, labels=labels, node_size=300, font_size=7
        )
        ax.set_title(f"{self.name} (n={self.n}, s={self.s}), load {self.load}")
        ax.set_axis_off()
        return ax
