"""The covering LP by worker types: the optimal load for a delay ``T`` at any ``n``.

Setting
-------
Computation load depends only on which worker computes which data: a piece of job data is
recovered iff some non-straggler computed it.  So the least load of any scheme with delay ``T``
whose decisions about job ``t`` in round ``t + d`` use the straggler sets of rounds
``t - P .. t + d - 1`` (its *history*, ``P + d`` rounds) is the value of a covering game: in
each round, the master spreads each active job's still-uncovered data over worker sets, then the
model's adversary picks the stragglers; data given to a set that straggles entirely stays
uncovered, and nothing may be left uncovered after round ``t + T``.

Worker types
------------
A worker's row of a history is its *type*; a history up to worker permutations is its *orbit*
(how many workers have each type, :class:`~sgc_theory.design.types.TypeSpace`), and a worker
set up to the permutations that fix the history is a vector ``a`` (how many members of each
type).  The game is invariant under worker permutations, so averaging any optimal scheme over
them gives an optimal scheme that spreads the data given to a set orbit uniformly over its
sets.  One variable per (age ``d``, history orbit ``H``, set orbit ``a``) then suffices:

* ``z[d, H, a] >= 0``: the mass of job data (in units of one job) given at age ``d`` after
  history orbit ``H`` to the sets of orbit ``a``, spread uniformly over them;
* **start**: ``sum_a z[0, H, a] = 1`` for every orbit ``H`` of ``P`` rounds;
* **flow**: when ``s_j`` of the ``c_j`` workers of type ``j`` straggle, the part of a set orbit
  ``a`` that is left uncovered is ``U(a, s) = prod_j C(s_j, a_j) / C(c_j, a_j)``, so for the child
  orbit ``H'`` of ``H`` by ``s``: ``sum_a z[d + 1, H', a] = sum_a U(a, s) z[d, H, a]``;
* **deadline**: at age ``T`` only *safe* set orbits (no admitted next straggler vector ``s``
  has ``s >= a``) carry data;
* **load**: a worker of type ``j`` carries ``v[d, H, j] = sum_a z[d, H, a] a_j / c_j`` of the job;
  for every orbit ``G`` of ``P + T`` rounds and every type of ``G``,
  ``sum_d v[d, suffix_{P+d}(G), type's suffix] <= L``; minimise ``L``.

Everything is an integer or a ratio of binomials: the LP is exact for every ``n``, and its size
grows with the number of orbits, not with ``2^n``.  It equals the set-enumeration LP of
:mod:`sgc_theory.design.covering_lp` (tests compare them exactly on every small case).

Which set orbits are needed
---------------------------
At age ``T`` only the *minimal* safe orbits (a superset costs more load and covers no better).
Before the deadline, a type ``j`` never needs more than ``m_j + 1`` members, where ``m_j`` is the
most stragglers of that type any next round can have (beyond that the set is never entirely
straggling and costs more).  Within these boxes the solver starts from sets of at most two
workers (or ``max_replication``) and adds the set orbits the dual prices favour (column
generation), until none has a negative reduced cost.

Solving and certificates
------------------------
:func:`~sgc_theory.design.solve_type_lp` solves it by column generation
(:mod:`~sgc_theory.design.type_lp_solve`, pricing in :mod:`~sgc_theory.design.type_lp_pricing`)
and turns the float optimum into an exact bracket (:mod:`~sgc_theory.design.type_lp_certify`).

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023 (the bursty model and M-SGC).
.. [Chv83] V. Chvatal, *Linear Programming*, Freeman, 1983 (weak duality, column generation).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import comb

import numpy as np

from ..errors import SGCError, check_int
from ..rationals import load_json
from .types import TypeSpace

__all__ = ["TypeLP", "TypeLPResult", "build_type_lp", "MAX_BOX"]

#: refuse to price a node whose box of set orbits has more points than this
MAX_BOX = 3_000_000


def _ratio(s: int, c: int, a: int) -> Fraction:
    """``C(s, a) / C(c, a)``: the chance that ``a`` random members of ``c`` lie among ``s``."""
    if a > s:
        return Fraction(0)
    return Fraction(comb(s, a), comb(c, a))


def _box(limits, total=None) -> np.ndarray:
    """All integer vectors ``0 <= a_j <= limits[j]`` (with ``sum a <= total``), one per row."""
    pts = np.zeros((1, 0), dtype=np.int64)
    for lim in limits:
        k = pts.shape[0]
        reps = np.repeat(pts, lim + 1, axis=0)
        col = np.tile(np.arange(lim + 1, dtype=np.int64), k)[:, None]
        pts = np.hstack([reps, col])
        if total is not None:
            pts = pts[pts.sum(axis=1) <= total]
        if pts.shape[0] > MAX_BOX:
            raise SGCError(
                f"more than {MAX_BOX} worker-set orbits to price at one history; "
                "use max_replication to bound the set size"
            )
    return pts


@dataclass
class _Node:
    d: int
    h: int  # index of the orbit in TypeSpace.levels[P + d]
    orbit: tuple
    counts: tuple
    row: int  # its start/flow row
    def_rows: tuple  # one per type
    children: list  # [(child node id, s), ...] (empty at age T)
    caps: tuple  # largest admitted next stragglers per type
    costly: tuple  # a straggler of this type is new in the window
    budget: int  # remaining distinct stragglers allowed in the window
    limits: tuple = ()  # box of useful set orbits (before the deadline)


@dataclass
class TypeLPResult:
    """Outcome of :func:`solve_type_lp`.

    ``upper`` and ``lower`` are exact (Fractions): an exactly feasible scheme has load
    ``upper`` and no scheme of the LP's class does better than ``lower``; ``exact`` when they
    are equal.  ``lower_any_size`` is the lower bound over worker sets of any size (equal to
    ``lower`` unless ``max_replication`` was given): the larger of the restricted LP's duals
    re-priced over every set size and the closed-form bound (the re-priced duals alone can be
    far weaker).
    """

    status: str
    load: float
    upper: Fraction | None
    lower: Fraction | None
    lower_any_size: Fraction | None
    exact: bool
    certificate: str
    variables: int
    constraints: int
    rounds_of_generation: int
    seconds: float
    lp: TypeLP = field(repr=False, default=None)

    @property
    def load_fraction(self) -> Fraction | None:
        """The exactly achievable load ``upper`` (the name the integer design's result shares)."""
        return self.upper

    def support(self, tol: float = 1e-12) -> list:
        """The solved LP's support (``TypeLP.support``): where its design puts the data."""
        return self.lp.support(tol)

    def as_dict(self) -> dict:
        """JSON-ready: the loads (``load`` = ``upper``, ``lp_lower``, ``lp_lower_any_set_size``)
        as :func:`~sgc_theory.rationals.load_json`."""
        return {
            "load": load_json(self.upper),
            "lp_lower": load_json(self.lower),
            "lp_lower_any_set_size": load_json(self.lower_any_size),
            "status": self.status,
            "exact": self.exact,
            "certificate": self.certificate,
            "variables": self.variables,
            "constraints": self.constraints,
        }


class TypeLP:
    """The covering LP by worker types (see the module docstring).  Build with
    :func:`build_type_lp`, solve with :func:`solve_type_lp`.

    Attributes
    ----------
    model, T, P, max_replication
    space : TypeSpace
    nodes : list of _Node          one per (age, history orbit)
    columns : list                 ``(node id, a)`` of every ``z`` column added so far
    """

    #: the history orbits the adversary may produce (a subclass restricts them:
    #: :mod:`sgc_theory.design.restricted`)
    space_class = TypeSpace

    def __init__(self, model, T, P=None, max_replication=None, max_orbits=500_000):
        from ..budget import Meter
        from ..models.window import Arbitrary, Bursty, PerRound

        if not isinstance(model, (Bursty, Arbitrary, PerRound)):
            raise SGCError(f"model must be a window straggler model (got {model!r})")
        self.model = model
        self.n = model.n
        self.T = check_int("T", T, minimum=0)
        self.P = model.W - 1 if P is None else check_int("P", P, minimum=0)
        self.max_replication = (
            None
            if max_replication is None
            else check_int("max_replication", max_replication, minimum=1)
        )
        what = (
            f"the covering LP by worker types of {model.spec} on n={model.n} workers, "
            f"T={self.T}, P={self.P}"
        )
        # every level of the histories (P + T + 1 of them) holds at least one orbit whose
        # types are (P + T)-bit integers: building them costs at least about (P + T)^2 / 2000
        # work units whatever the model (a lower estimate; the meter then counts the rest)
        from ..budget import check_work

        check_work(
            (self.P + self.T) ** 2 // 2000 + self.P + self.T,
            f"building {what} ({self.P + self.T + 1} levels of histories)",
            cheaper="a smaller P (--P)",
        )
        self.meter = Meter(
            f"building {what}", cheaper="a smaller T or P (--P), or --max-replication"
        )
        self.space = self.space_class(model, max_orbits=max_orbits, meter=self.meter)
        self._build()

    # ----- structure ------------------------------------------------------------------------
    def _build(self):
        sp, P, T = self.space, self.P, self.T
        self.nodes: list[_Node] = []
        self.node_id: list[dict] = []
        row = 0
        self.eq_rows = 0
        for d in range(T + 1):
            ids = {}
            for h, orbit in enumerate(sp.orbits(P + d)):
                ids[h] = len(self.nodes)
                self.nodes.append(
                    _Node(d, h, orbit, tuple(c for _, c in orbit), row, (), [], (), (), 0)
                )
                row += 1
            self.node_id.append(ids)
        for node in self.nodes:
            node.def_rows = tuple(range(row, row + len(node.orbit)))
            row += len(node.orbit)
        self.eq_rows = row
        # children, caps and boxes
        for node in self.nodes:
            length = P + node.d
            caps, costly, node.budget = sp.next_round(node.orbit, length)
            node.caps, node.costly = tuple(caps), tuple(costly)
            m = [min(cp, node.budget) if cs else cp for cp, cs in zip(caps, costly)]
            node.limits = tuple(min(c, mj + 1) for c, mj in zip(node.counts, m))
            if node.d < T:
                nid = self.node_id[node.d + 1]
                node.children = [(nid[j], s) for j, s in sp.children(length, node.h)]
        # load rows: every orbit G of P + T rounds, every type of G
        self.load_rows: list[tuple] = []  # (node id of G at age T, type position)
        self.v_rows: dict = {}  # (node id, type position) -> [load row, ...]
        for h, g in enumerate(sp.orbits(P + T)):
            self.meter.charge(len(g) * (T + 2))
            maps = []
            for d in range(T + 1):
                suf, pos = sp.suffix(g, T - d)
                maps.append((self.node_id[d][sp.index[P + d][suf]], pos))
            for j in range(len(g)):
                r = row
                row += 1
                self.load_rows.append((self.node_id[T][h], j))
                for nid, pos in maps:
                    self.v_rows.setdefault((nid, pos[j]), []).append(r)
        self.num_rows = row
        self.columns: list[tuple] = []
        self._col_index: dict = {}
        self.solution: dict = {}  # (node id, a) -> float mass, after solving
        self.loads: dict = {}  # (node id, type position) -> float load per worker

    def type_label(self, typ: int, length: int) -> str:
        """A worker type as a string of its rounds, oldest first (``1`` = straggled)."""
        return "".join("1" if typ >> k & 1 else "0" for k in range(length)) or "-"

    def describe(self, nid: int) -> str:
        """Readable node: age and how many workers have each type."""
        node = self.nodes[nid]
        L = self.P + node.d
        return f"age {node.d}: " + ", ".join(
            f"{c} x {self.type_label(t, L)}" for t, c in node.orbit
        )

    def support(self, tol: float = 1e-12) -> list:
        """The solved ``z``: rows ``(node id, description, {type: members}, mass)``."""
        out = []
        for (nid, a), val in sorted(self.solution.items()):
            if val > tol:
                node = self.nodes[nid]
                L = self.P + node.d
                members = {self.type_label(t, L): x for (t, _), x in zip(node.orbit, a) if x}
                out.append((nid, self.describe(nid), members, val))
        return out

    # ----- set orbits ------------------------------------------------------------------------
    def safe_singles(self, node: _Node, total=None) -> list:
        """Minimal safe orbits made of one type: ``cap_j + 1`` workers of a type of which at
        most ``cap_j < c_j`` can straggle next (a single worker when the type cannot)."""
        m = len(node.orbit)
        out = []
        for j in range(m):
            if node.caps[j] < node.counts[j] and (total is None or node.caps[j] + 1 <= total):
                a = [0] * m
                a[j] = node.caps[j] + 1
                out.append(tuple(a))
        return out

    def greedy_composition(self, node: _Node, prices, total=None):
        """The cheapest minimal safe orbit that beats the window budget: ``budget + 1`` workers
        of the types whose stragglers are new in the window, each type within its cap, filled
        in increasing order of ``prices`` (a fractional knapsack with integral caps, so greedy
        is optimal); ``None`` when there is none (or it has more than ``total`` workers)."""
        need = node.budget + 1
        if total is not None and need > total:
            return None
        costly = [j for j in range(len(node.orbit)) if node.costly[j]]
        if sum(node.caps[j] for j in costly) < need:
            return None
        a = [0] * len(node.orbit)
        for j in sorted(costly, key=lambda j: (prices[j], j)):
            x = min(node.caps[j], need)
            a[j] = x
            need -= x
            if not need:
                break
        return tuple(a)

    def coefficient(self, node: _Node, a, s) -> Fraction:
        """``U(a, s)``: the part of set orbit ``a`` left uncovered when ``s`` straggle."""
        out = Fraction(1)
        for c, x, sj in zip(node.counts, a, s):
            if x:
                out *= _ratio(sj, c, x)
                if not out:
                    break
        return out

    def column_entries(self, nid: int, a) -> list:
        node = self.nodes[nid]
        ent = [(node.row, 1.0)]
        for cid, s in node.children:
            u = self.coefficient(node, a, s)
            if u:
                ent.append((self.nodes[cid].row, -float(u)))
        for r, x in zip(node.def_rows, a):
            if x:
                ent.append((r, -float(x)))
        return ent

    def initial_columns(self, r0: int) -> list:
        cols = []
        R = r0 if self.max_replication is None else min(r0, self.max_replication)
        for nid, node in enumerate(self.nodes):
            if node.d == self.T:
                # every safe single-type orbit, and compositions of the window budget led by
                # each type in turn (then by size): a basis rich enough to balance the loads of
                # the types, so that column generation does not creep one node per round
                mine = self.safe_singles(node, self.max_replication)
                m = len(node.orbit)
                for lead in range(m):
                    prices = [0.0 if j == lead else 1.0 / node.counts[j] for j in range(m)]
                    g = self.greedy_composition(node, prices, self.max_replication)
                    if g is not None and g not in mine:
                        mine.append(g)
                cols.extend((nid, a) for a in mine)
            else:
                for a in _box(node.limits, R):
                    cols.append((nid, tuple(int(x) for x in a)))
        return cols

    @property
    def num_variables(self) -> int:
        return len(self.columns) + len(self.v_rows) + 1

    @property
    def num_constraints(self) -> int:
        return self.num_rows

    def to_pulp(self):
        """The current LP (with the columns generated so far) as a ``pulp.LpProblem``."""
        import pulp

        prob = pulp.LpProblem("covering_by_types", pulp.LpMinimize)
        L = pulp.LpVariable("L", lowBound=0)
        prob += L
        rows: dict = {}
        for k, (nid, a) in enumerate(self.columns):
            var = pulp.LpVariable(f"z{k}", lowBound=0)
            for r, v in self.column_entries(nid, a):
                rows.setdefault(r, []).append((var, v))
        for k, ((nid, j), lrows) in enumerate(self.v_rows.items()):
            var = pulp.LpVariable(f"v{k}", lowBound=0)
            rows.setdefault(self.nodes[nid].def_rows[j], []).append(
                (var, float(self.nodes[nid].counts[j]))
            )
            for r in lrows:
                rows.setdefault(r, []).append((var, 1.0))
        for r in range(self.num_rows):
            expr = pulp.LpAffineExpression(rows.get(r, []))
            if r < self.eq_rows:
                rhs = 1 if r < len(self.node_id[0]) else 0
                prob += pulp.LpConstraint(expr, pulp.LpConstraintEQ, f"r{r}", rhs)
            else:
                prob += pulp.LpConstraint(expr - L, pulp.LpConstraintLE, f"r{r}", 0)
        return prob


def build_type_lp(model, T, P=None, max_replication=None, max_orbits=500_000) -> TypeLP:
    """Build the covering LP by worker types for ``model`` and delay ``T``.

    Parameters
    ----------
    model : StragglerModel
        A window model (bursty, arbitrary, per-round) on any number of workers.
    T : int
        Delay.
    P : int, optional
        Rounds before a job's release that its decisions may use (default ``W - 1``).  A smaller
        ``P`` gives the best load of schemes that remember less (the value of memory).
    max_replication : int, optional
        Only worker sets of at most this many workers.
    max_orbits : int
        Refuse histories with more orbits than this per length (an estimate of the LP size).

    Examples
    --------
    >>> from sgc_theory.models import Bursty
    >>> from sgc_theory.design import solve_type_lp
    >>> res = solve_type_lp(build_type_lp(Bursty(4, B=1, W=2, lam=1), T=1))
    >>> res.upper, res.exact
    (Fraction(7, 24), True)
    """
    return TypeLP(model, T, P=P, max_replication=max_replication, max_orbits=max_orbits)
