"""Optimal load for a given delay: the covering LP/ILP (docs/guide/covering_lp.md).

Computation load only depends on which worker computes which data: a piece of a job's data is
recovered iff some non-straggler computed it (codes only compress what is sent).  The optimal load
of a scheme of delay ``T`` is therefore the value of a game in which, every round, the master
spreads each active job's still-uncovered data over sets of workers and the model's adversary
then picks the stragglers.

Stationary LP (:func:`build_covering_lp`)
    For a scheme whose decisions about job ``t`` depend on the rounds ``t - P .. t + d - 1``:
    variables ``y[d, h, A] >= 0`` (age ``d = 0..T``; ``h`` the admitted straggler sets of the
    ``P + d`` rounds before round ``t + d``, a tuple of bitmasks, oldest first; ``A`` a worker set,
    a bitmask, empty allowed) with

    * ``sum_A y[0, h, A] = 1``;
    * ``sum_A y[d + 1, h + S, A] = sum_{A subset of S} y[d, h, A]`` for admitted ``h + S``;
    * ``sum_{A subset of S} y[T, h, A] = 0`` for admitted ``h + S`` (deadline) -- implemented by
      not creating the variables ``y[T, h, A]`` with ``A`` inside an admitted next set;
    * ``sum_d sum_{A containing i} y[d, suffix_{P+d}(g), A] <= L`` for every admitted history
      ``g`` of ``P + T`` rounds and every worker ``i``; minimize ``L``.

    Its optimal solution *is* a scheme, so its value is an upper bound on the optimal load for
    delay ``T`` (and it is exact for schemes that look back ``P`` rounds).

    Admitted histories are ``model.enumerate(P + d)`` (clean rounds before round 0).  For window
    models this is exactly the set of ``(P + d)``-round stretches of admitted patterns, because
    the constraints are closed under removing stragglers.  We require ``P >= W - 1`` so that every
    history carries the automaton state (its last ``W - 1`` rounds) deciding which next straggler
    sets ``S`` are admitted (``model.allows(state, S)``).

Finite-horizon LP (:func:`build_finite_horizon_lp`)
    Jobs ``t = 0 .. rounds - 1 - T`` in rounds ``0 .. rounds - 1``; decisions about job ``t`` in
    round ``r`` may depend on the whole history of rounds ``0 .. r - 1``.  The restriction of
    every scheme (coded or not, any look-back) to the horizon is feasible, so the optimum is a
    valid **lower bound** on the load of every scheme with delay ``T``.

Worker symmetry
    With ``symmetric=True`` (default) there is one variable per orbit of ``(d, h, A)`` under the
    permutations of the ``n`` workers -- canonical form: the sorted tuple of per-worker signatures
    ``(history column bits, membership in A)`` -- and one constraint per orbit of constraints
    (``h`` of the flow constraints, ``(g, i)`` of the load constraints).  The LP is invariant
    under the group, so averaging an optimal solution over the group gives a symmetric optimal
    solution: the LP value is unchanged (tests compare with the unreduced LP on tiny cases).

ILP with ``K`` partitions (``partitions=K``)
    ``y`` integer in units of ``1/K`` of a job (``K`` equal partitions per job).  With
    ``symmetric=True`` the integrality is imposed per orbit member (every member of an orbit gets
    the same integer); restricting to *symmetric* integer solutions can only raise the optimum
    compared with the unrestricted ILP (use ``symmetric=False`` on tiny cases for the latter).
    :meth:`CoveringLP.scheme_table` turns a solution into an explicit partition assignment.

Solving
    :func:`~sgc_theory.design.solve` solves a built LP/ILP and certifies its
    value exactly (:mod:`sgc_theory.design.covering_solve`).

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import pulp

from ..errors import SGCError, check_int
from ..models.base import _bits

__all__ = [
    "CoveringLP",
    "PartitionTable",
    "build_covering_lp",
    "build_finite_horizon_lp",
]


# ----------------------------------------------------------------------------------------------
# histories and orbits


def _transpose_bits(rows, width):
    """Transpose a bit matrix given as ints: bit ``j`` of ``rows[k]`` -> bit ``k`` of ``out[j]``."""
    out = [0] * width
    for k, row in enumerate(rows):
        for j in _bits(row):
            out[j] |= 1 << k
    return out


def _columns(h, n):
    """Per-worker column bits of a history (bit k = round k of h, k = 0 oldest)."""
    return _transpose_bits(h, n)


def _from_columns(cols, length):
    """The history (round masks) whose per-worker columns are ``cols``."""
    return tuple(_transpose_bits(cols, length))


def _canonical_history(h, n):
    cols = sorted(_columns(h, n), reverse=True)
    return _from_columns(cols, len(h))


def _submasks(S):
    A = S
    while True:
        yield A
        if A == 0:
            return
        A = (A - 1) & S


class _Space:
    """Admitted histories (orbit representatives) and variable keys of one model."""

    def __init__(self, model, symmetric):
        self.model = model
        self.n = model.n
        self.symmetric = symmetric
        self._reps = {0: [()]}
        self._blocked = {}
        self._next = {}

    def state(self, h):
        w = self.model.W - 1
        if w == 0:
            return ()
        if len(h) >= w:
            return tuple(h[len(h) - w :])
        return (0,) * (w - len(h)) + tuple(h)

    def next_sets(self, h):
        st = self.state(h)
        out = self._next.get(st)
        if out is None:
            out = self._next[st] = self.model.next_sets(st)
        return out

    def blocked(self, h):
        """Worker sets that may all straggle in the round after h (deadline: must carry 0)."""
        st = self.state(h)
        out = self._blocked.get(st)
        if out is None:
            out = set()
            for S in self.next_sets(h):
                if S not in out:
                    out.update(_submasks(S))
            self._blocked[st] = out
        return out

    def reps(self, length):
        """Representatives of the admitted histories of ``length`` rounds (one per orbit)."""
        if length in self._reps:
            return self._reps[length]
        prev = self.reps(length - 1)
        seen = set()
        out = []
        for h in prev:
            for S in self.next_sets(h):
                h2 = h + (S,)
                if self.symmetric:
                    h2 = _canonical_history(h2, self.n)
                if h2 not in seen:
                    seen.add(h2)
                    out.append(h2)
        self._reps[length] = out
        return out

    def key_cols(self, tag, d, cols, A):
        if self.symmetric:
            return (tag, d, tuple(sorted((c << 1) | (A >> i & 1) for i, c in enumerate(cols))))
        return (tag, d, tuple(cols), A)

    def worker_classes(self, cols):
        """One worker per class of equal columns (symmetric), else every worker."""
        if not self.symmetric:
            return list(range(self.n))
        seen = {}
        for i, c in enumerate(cols):
            seen.setdefault(c, i)
        return list(seen.values())


# ----------------------------------------------------------------------------------------------
# the LP object


@dataclass
class CoveringLP:
    """An inspectable covering LP/ILP (build with :func:`build_covering_lp`).

    Attributes
    ----------
    problem : pulp.LpProblem
    L : pulp.LpVariable            the load
    variables : dict               key -> LpVariable (key from :meth:`key`)
    info : dict                    variable name -> ``(tag, d, h, A)``: a representative of the
                                   variable's orbit (``tag`` = 0 for the stationary LP, the job
                                   index for the finite-horizon LP)
    orbit_size : dict              variable name -> number of ``(d, h, A)`` it stands for
    """

    problem: pulp.LpProblem
    n: int
    model: object
    T: int
    P: int | None
    partitions: int | None
    symmetric: bool
    kind: str
    L: pulp.LpVariable
    variables: dict
    info: dict
    orbit_size: dict
    equalities: list = field(default_factory=list)  # (LpAffineExpression as dict, rhs)
    loads: list = field(default_factory=list)  # coefficient dicts of load rows
    space: object = None
    rounds: int | None = None

    @property
    def num_variables(self) -> int:
        return len(self.problem.variables())

    @property
    def num_constraints(self) -> int:
        return len(self.problem.constraints)

    @property
    def scale(self) -> int:
        return self.partitions or 1

    def key(self, d, h, A, tag=0):
        """Variable key of ``y[d, h, A]`` (any admitted ``h``, not only representatives)."""
        return self.space.key_cols(tag, d, _columns(h, self.n), A)

    def value(self, d, h, A, tag=0) -> Fraction:
        """Solved value of ``y[d, h, A]`` in units of one job (exact for the ILP; rounded LP)."""
        var = self.variables.get(self.key(d, h, A, tag))
        if var is None:
            return Fraction(0)
        v = var.varValue or 0.0
        if self.partitions:
            return Fraction(round(v), self.partitions)
        return Fraction(v).limit_denominator(10**6)

    def scheme_table(self):
        """Explicit scheme from an ILP solution (``partitions=K``, stationary LP, solved).

        Returns a function ``table(h) -> list of (age d, {A: [partitions]})``... see
        :class:`PartitionTable`.
        """
        if not self.partitions or self.kind != "stationary":
            raise SGCError("scheme_table needs a solved stationary ILP (partitions=K)")
        return PartitionTable(self)


class PartitionTable:
    """Which partitions of a job each worker set computes, as a function of the history.

    ``assign(h)`` for a history ``h`` of ``P + d`` rounds (the rounds ``t - P .. t + d - 1`` of
    job ``t``) returns ``{A: tuple of partitions}`` for age ``d = len(h) - P``: at age 0 the ``K``
    partitions are split in increasing order over the sets ``A`` (increasing bitmask) with
    ``K y[0, h, A]`` partitions each; at age ``d + 1`` the partitions not covered at age ``d``
    (given to sets ``A`` inside the straggler set ``S`` of round ``t + d``) are re-split in the
    same way according to ``y[d + 1, h + S, .]``.  A partition is covered once some
    non-straggler of its set computed it.
    """

    def __init__(self, lp: CoveringLP):
        if lp.kind != "stationary" or not lp.partitions:
            raise SGCError("a partition table needs a stationary covering ILP (partitions=K)")
        if lp.problem.sol_status not in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible):
            raise SGCError("a partition table needs a solved covering ILP (an integer solution)")
        self.lp = lp
        self.model = lp.model
        self.n, self.P, self.T, self.K = lp.n, lp.P, lp.T, lp.partitions
        self._cache = {}
        self._masks = list(range(1 << self.n))

    def _split(self, d, h, items):
        out = {}
        pos = 0
        for A in self._masks:
            var = self.lp.variables.get(self.lp.key(d, h, A))
            if var is None:
                continue
            c = round(var.varValue or 0.0)
            if c:
                out[A] = tuple(items[pos : pos + c])
                pos += c
        if pos != len(items):
            raise SGCError(
                f"ILP table inconsistent at age {d}, history {h}: "
                f"{pos} partitions assigned, {len(items)} to place"
            )
        return out

    def assign(self, h) -> dict:
        h = tuple(h)
        got = self._cache.get(h)
        if got is not None:
            return got
        d = len(h) - self.P
        if d < 0 or d > self.T:
            raise SGCError(f"history must have P..P+T = {self.P}..{self.P + self.T} rounds")
        if d == 0:
            items = list(range(self.K))
        else:
            prev = self.assign(h[:-1])
            S = h[-1]
            items = sorted(p for A, ps in prev.items() if A & ~S == 0 for p in ps)
        out = self._split(d, h, items)
        self._cache[h] = out
        return out

    def worker_partitions(self, h, i) -> list:
        """Partitions of the job that worker ``i`` computes at the age ``len(h) - P``."""
        return sorted(p for A, ps in self.assign(h).items() if A >> i & 1 for p in ps)


# ----------------------------------------------------------------------------------------------
# builders


def _check_common(n, model, T, partitions):
    n = check_int("n", n, minimum=1)
    if getattr(model, "n", None) != n:
        raise SGCError(f"model must be for n={n} workers (got {model!r})")
    T = check_int("T", T, minimum=0)
    if partitions is not None:
        partitions = check_int("partitions", partitions, minimum=1)
    if n > 8:
        raise SGCError(f"the covering LP enumerates worker sets: n <= 8 supported (got n={n})")
    return n, T, partitions


class _Builder:
    def __init__(self, n, model, T, partitions, symmetric, kind):
        self.n, self.model, self.T = n, model, T
        self.partitions = partitions
        self.scale = partitions or 1
        self.space = _Space(model, symmetric)
        self.prob = pulp.LpProblem(f"covering_{kind}", pulp.LpMinimize)
        self.L = pulp.LpVariable("L", lowBound=0)
        self.prob += self.L
        self.vars = {}
        self.info = {}
        self.osize = {}
        self.equalities = []
        self.loads = []
        self.symmetric = symmetric
        self._cat = pulp.LpInteger if partitions else pulp.LpContinuous
        self._ub = partitions if partitions else None
        self._ncons = 0

    def var(self, tag, d, h, cols, A):
        key = self.space.key_cols(tag, d, cols, A)
        v = self.vars.get(key, False)
        if v is not False:
            return v
        if d == self.T and A in self.space.blocked(h):
            v = None  # deadline: this set may straggle entirely in the last round
        else:
            v = pulp.LpVariable(f"y{len(self.vars)}", lowBound=0, upBound=self._ub, cat=self._cat)
            self.info[v.name] = (tag, d, tuple(h), A)
            self.osize[v.name] = 1
        self.vars[key] = v
        return v

    def add(self, coefs: dict, sense, rhs, kind):
        expr = pulp.LpAffineExpression([(v, c) for v, c in coefs.items() if c])
        self._ncons += 1
        self.prob.addConstraint(pulp.LpConstraint(expr, sense, f"c{self._ncons}", rhs))
        if kind == "eq":
            self.equalities.append((coefs, rhs))
        else:
            self.loads.append(coefs)

    def job(self, tag, base):
        """Initial, flow and deadline structure of one job whose age-0 history has base rounds."""
        n, T, sp = self.n, self.T, self.space
        masks = range(1 << n)
        for h in sp.reps(base):
            cols = _columns(h, n)
            coefs = {}
            for A in masks:
                v = self.var(tag, 0, h, cols, A)
                if v is not None:
                    coefs[v] = coefs.get(v, 0) + 1
            if not coefs:
                raise SGCError("infeasible: no worker set can carry a job's data")
            self.add(coefs, pulp.LpConstraintEQ, self.scale, "eq")
        for d in range(T):
            for h2 in sp.reps(base + d + 1):
                h, S = h2[:-1], h2[-1]
                cols2 = _columns(h2, n)
                cols = [c & ~(1 << (len(h2) - 1)) for c in cols2]
                coefs = {}
                for A in masks:
                    v = self.var(tag, d + 1, h2, cols2, A)
                    if v is not None:
                        coefs[v] = coefs.get(v, 0) + 1
                for A in _submasks(S):
                    v = self.var(tag, d, h, cols, A)
                    if v is not None:
                        coefs[v] = coefs.get(v, 0) - 1
                self.add(coefs, pulp.LpConstraintEQ, 0, "eq")

    def load_row(self, terms, rows):
        """terms: list of (tag, d, h, cols) of the jobs active in the round."""
        n = self.n
        for i in rows:
            coefs = {}
            for tag, d, h, cols in terms:
                for A in range(1 << n):
                    if A >> i & 1:
                        v = self.var(tag, d, h, cols, A)
                        if v is not None:
                            coefs[v] = coefs.get(v, 0) + 1
            coefs[self.L] = coefs.get(self.L, 0) - self.scale
            self.add(coefs, pulp.LpConstraintLE, 0, "load")

    def finish(self, P, kind, rounds=None):
        if self.symmetric:
            self._orbit_sizes()
        return CoveringLP(
            problem=self.prob,
            n=self.n,
            model=self.model,
            T=self.T,
            P=P,
            partitions=self.partitions,
            symmetric=self.symmetric,
            kind=kind,
            L=self.L,
            variables=self.vars,
            info=self.info,
            orbit_size=self.osize,
            equalities=self.equalities,
            loads=self.loads,
            space=self.space,
            rounds=rounds,
        )

    def _orbit_sizes(self):
        from math import factorial
        from collections import Counter

        nf = factorial(self.n)
        for name, (_tag, _d, h, A) in self.info.items():
            cols = _columns(h, self.n)
            stab = 1
            for c in Counter((c << 1) | (A >> i & 1) for i, c in enumerate(cols)).values():
                stab *= factorial(c)
            self.osize[name] = nf // stab


def build_covering_lp(n, model, T, P=None, partitions=None, symmetric=True) -> CoveringLP:
    """Build the stationary covering LP (ILP with ``partitions=K``) of docs/guide/covering_lp.md.

    Parameters
    ----------
    n : int
        Number of workers (``model.n``).
    model : StragglerModel
    T : int
        Delay: job ``t`` must be covered by the end of round ``t + T``.
    P : int, optional
        Rounds of pre-history the decisions may use; default ``W - 1``; must be ``>= W - 1``.
    partitions : int, optional
        ``K``: integer ``y`` in units of ``1/K`` of a job (an ILP).
    symmetric : bool
        One variable per orbit under worker permutations (default) or the unreduced LP.

    Returns
    -------
    CoveringLP
        Not solved; pass it to :func:`solve`.

    Examples
    --------
    >>> from sgc_theory.models import Bursty
    >>> from sgc_theory.design import solve
    >>> lp = build_covering_lp(3, Bursty(3, B=1, W=2, lam=1), T=0)
    >>> solve(lp).load_fraction
    Fraction(2, 3)
    """
    n, T, partitions = _check_common(n, model, T, partitions)
    W = model.W
    if P is None:
        P = W - 1
    P = check_int("P", P, minimum=0)
    if P < W - 1:
        raise SGCError(
            f"P must be >= W - 1 = {W - 1} so that histories carry the model's "
            f"automaton state (got P={P}, W={W})"
        )
    b = _Builder(n, model, T, partitions, symmetric, "stationary")
    b.job(0, P)
    for g in b.space.reps(P + T):
        gcols = _columns(g, n)
        terms = []
        for d in range(T + 1):
            shift = T - d
            terms.append((0, d, g[shift:], [c >> shift for c in gcols]))
        b.load_row(terms, b.space.worker_classes(gcols))
    return b.finish(P, "stationary")


def build_finite_horizon_lp(n, model, T, rounds, symmetric=True) -> CoveringLP:
    """Finite-horizon covering LP: a lower bound on the load of every scheme of delay ``T``.

    Jobs ``t = 0 .. rounds - 1 - T`` must be covered by round ``t + T``; decisions in round
    ``r`` may depend on the straggler sets of rounds ``0 .. r - 1``; the load constraint holds in
    every round ``0 .. rounds - 1`` and every history.  The restriction of any scheme to the
    horizon is a feasible solution, so ``solve(...).load_fraction`` is a lower bound.

    >>> from sgc_theory.models import Bursty
    >>> from sgc_theory.design import solve
    >>> solve(build_finite_horizon_lp(3, Bursty(3, B=1, W=2, lam=1), T=0, rounds=2)).load_fraction
    Fraction(2, 3)
    """
    n, T, _ = _check_common(n, model, T, None)
    rounds = check_int("rounds", rounds, minimum=T + 1)
    b = _Builder(n, model, T, None, symmetric, "finite")
    last_job = rounds - 1 - T
    for t in range(last_job + 1):
        b.job(t, t)
    for r in range(rounds):
        for H in b.space.reps(r):
            cols = _columns(H, n)
            terms = [(t, r - t, H, cols) for t in range(max(0, r - T), min(r, last_job) + 1)]
            b.load_row(terms, b.space.worker_classes(cols))
    return b.finish(None, "finite", rounds)
