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

Certificates
------------
The float optimum of HiGHS is turned into an exact bracket ``lower <= L* <= upper``:

* **upper**: the rounded primal is repaired in exact rationals, age by age (each orbit's
  incoming uncovered mass is redistributed over its set orbits in the solver's proportions), so
  it is an exactly feasible scheme; ``upper`` is its exact largest load;
* **lower**: weak duality.  For any weights ``w >= 0`` on the load rows with ``sum w <= 1`` (the
  solver's duals, rounded), the prices ``pi[d, H, j] = (sum of w over the rows that contain
  v[d, H, j]) / c_j`` and, backwards from age ``T``, ``u[d, H] = min_a (sum_j a_j pi_j +
  sum_children U(a, s) u[d + 1, H'])`` are dual feasible, so ``sum_H u[0, H] <= L*``.  The
  minimum runs over **every** set orbit in the boxes above (any size), in exact arithmetic
  (a float screen with a proven error margin picks the candidates): this is what certifies that
  larger worker sets cannot help.  With ``max_replication=r`` the same computation restricted
  to sets of at most ``r`` workers brackets the restricted optimum.

When ``lower == upper`` the optimum is exact.

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023 (the bursty model and M-SGC).
.. [Chv83] V. Chvatal, *Linear Programming*, Freeman, 1983 (weak duality, column generation).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from math import comb

import numpy as np

from ..bounds.lower import closed_form_lower_bound
from ..errors import SGCError, check_int
from ..lp.highs import HighsLP, check_time_limit
from ..rationals import load_json
from .types import TypeSpace

__all__ = ["TypeLP", "TypeLPResult", "build_type_lp", "solve_type_lp"]

#: refuse to price a node whose box of set orbits has more points than this
MAX_BOX = 3_000_000
#: first solve by interior point above this many rows (simplex below, and after it)
IPM_ROWS = 20_000
#: recover the exact optimal vertex from the basis up to this many rows (else an exact bracket)
EXACT_VERTEX_ROWS = 80_000


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
    >>> res = solve_type_lp(build_type_lp(Bursty(4, B=1, W=2, lam=1), T=1))
    >>> res.upper, res.exact
    (Fraction(7, 24), True)
    """
    return TypeLP(model, T, P=P, max_replication=max_replication, max_orbits=max_orbits)


# ----------------------------------------------------------------------------------------------
# pricing


class _Pricer:
    """Evaluates ``f(a) = sum_j a_j pi_j + sum_children U(a, s) u_child`` over the useful set
    orbits of one node: the box of :attr:`_Node.limits` before the deadline, the minimal safe
    orbits at the deadline (the single-type ones and the cheapest composition for the prices
    at hand, which is the cheapest of all compositions)."""

    def __init__(self, lp: TypeLP, node: _Node, total=None):
        self.lp, self.node, self.total = lp, node, total
        self.deadline = node.d == lp.T
        m = len(node.orbit)
        if self.deadline:
            self._singles = lp.safe_singles(node, total)
            self.points = np.array(self._singles, dtype=np.int64).reshape(len(self._singles), m)
        else:
            self.points = _box(node.limits, total)
        self._tables = None

    def prepare(self, prices) -> int:
        """Fix the candidate points for ``prices`` (deadline nodes); returns their number
        (0: no safe set of the allowed size, so no data may reach this node)."""
        if self.deadline:
            pts = list(self._singles)
            g = self.lp.greedy_composition(self.node, prices, self.total)
            if g is not None and g not in pts:
                pts.append(g)
            self.points = np.array(pts, dtype=np.int64).reshape(len(pts), len(self.node.orbit))
        return self.points.shape[0]

    def _child_tables(self):
        if self._tables is None:
            node = self.node
            tabs = []
            for cid, s in node.children:
                per = []
                for c, sj, lim in zip(node.counts, s, node.limits):
                    per.append(np.array([comb(sj, x) / comb(c, x) for x in range(lim + 1)]))
                tabs.append((cid, per))
            self._tables = tabs
        return self._tables

    def floats(self, pi, u) -> np.ndarray:
        """``f`` on every candidate point, in floats (``pi``: per type; ``u``: per node id)."""
        pts = self.points
        out = pts @ np.asarray(pi, dtype=float)
        if not self.deadline:
            for cid, per in self._child_tables():
                uc = u[cid]
                if uc == 0:
                    continue
                prod = np.ones(pts.shape[0])
                for j, tab in enumerate(per):
                    prod *= tab[pts[:, j]]
                if math.isinf(uc):  # data reaching that child can never be covered
                    out[prod > 0] = math.inf
                else:
                    out += prod * float(uc)
        return out

    def exact(self, a, pi, u) -> Fraction | None:
        """Exact ``f(a)`` (``None`` = infinite: ``a`` leaves data where it cannot be covered)."""
        node = self.node
        val = sum((x * p for x, p in zip(a, pi) if x), Fraction(0))
        if not self.deadline:
            for cid, s in node.children:
                uc = u[cid]
                if uc is None:
                    if self.lp.coefficient(node, a, s):
                        return None
                elif uc:
                    val += self.lp.coefficient(node, a, s) * uc
        return val


# ----------------------------------------------------------------------------------------------
# solving


def solve_type_lp(
    lp: TypeLP,
    solver: str = "highs",
    time_limit=None,
    certify: bool = True,
    progress: bool = False,
    max_rounds: int = 200,
    initial_size: int = 2,
    use_known_bound: bool = True,
) -> TypeLPResult:
    """Solve a :class:`TypeLP` by column generation and certify the optimum exactly.

    ``solver`` is ``"highs"`` (HiGHS through highspy, the default and the fast route) or
    ``"cbc"`` (PuLP's CBC on the exported problem; small instances).  ``use_known_bound=False``
    reports the LP's own certificates only (no early stop at, or raising to, the closed-form
    bound).
    """
    time_limit = check_time_limit(time_limit)
    solver = str(solver).lower()
    if solver not in ("highs", "cbc"):
        raise SGCError(f"solver must be 'highs' or 'cbc' (got {solver!r})")
    run = _open_run(lp, solver, time_limit, initial_size)
    if use_known_bound:
        run.known, run.known_name = closed_form_lower_bound(lp.model)
    status, rounds, met_bound = _generate_columns(run, max_rounds, progress)
    load = run.hl.objective if status == "optimal" else math.nan
    if run.has_x():
        _store_solution(run)
    upper = lower = lower_any = None
    cert = "not certified"
    if certify:
        upper, lower, lower_any, cert = _certify(run, status, met_bound)
    lower, lower_any = _floor_bounds(lower, lower_any, run.known, upper)
    exact = upper is not None and upper == lower
    stopped = status == "time limit"
    status = _final_status(status, exact, upper, lower, run.budget_deadline)
    if stopped:
        load = float(upper) if upper is not None else math.nan
    return TypeLPResult(
        status=status,
        load=float(load) if not math.isnan(load) else load,
        upper=upper,
        lower=lower,
        lower_any_size=lower_any,
        exact=exact,
        certificate=cert,
        variables=lp.num_variables,
        constraints=lp.num_constraints,
        rounds_of_generation=rounds,
        seconds=time.perf_counter() - run.t0,
        lp=lp,
    )


@dataclass
class _Run:
    """One solve of a :class:`TypeLP`: the HiGHS problem, its fixed columns, the deadlines and
    the closed-form bound it may stop at."""

    lp: TypeLP
    solver: str
    hl: HighsLP
    v_keys: list  # (node id, type position) of every v column, in column order
    t0: float
    deadline: float | None
    budget_deadline: float | None  # the deadline, when it is the work budget's
    known: Fraction | None = None
    known_name: str = ""

    @property
    def fixed(self) -> int:
        """Number of fixed columns (every ``v``, then ``L``) before the ``z`` columns."""
        return len(self.v_keys) + 1

    def has_x(self) -> bool:
        """Whether the solver returned a value for every column."""
        return self.hl.x.size == self.fixed + len(self.lp.columns)


def _deadlines(lp: TypeLP, t0: float, time_limit) -> tuple:
    """``(deadline, budget_deadline)`` of a solve started at ``t0``.

    The work budget meters the solve too: one work unit is about a microsecond, so the solver's
    wall time counts against what is left of it (column generation has no tight a-priori cost;
    this is what makes every request end).  ``budget_deadline`` is set when the budget, not
    ``time_limit``, ends the solve first."""
    deadline = None if time_limit is None else t0 + time_limit
    budget_deadline = None
    if math.isfinite(lp.meter.limit):
        budget_deadline = t0 + max(1.0, (lp.meter.limit - lp.meter.used) / 1e6)
        if deadline is None or budget_deadline < deadline:
            deadline = budget_deadline
        else:
            budget_deadline = None
    return deadline, budget_deadline


def _open_run(lp: TypeLP, solver: str, time_limit, initial_size: int) -> _Run:
    """Hand the LP's rows, its fixed columns and its initial set orbits to HiGHS."""
    from ..budget import check_work

    t0 = time.perf_counter()
    deadline, budget_deadline = _deadlines(lp, t0, time_limit)
    n0 = len(lp.node_id[0])
    row_lo = [1.0] * n0 + [0.0] * (lp.eq_rows - n0) + [-math.inf] * (lp.num_rows - lp.eq_rows)
    row_up = [1.0] * n0 + [0.0] * (lp.num_rows - n0)
    hl = HighsLP(row_lo, row_up, time_limit)
    # fixed columns: v (per node and type) then L
    v_keys = list(lp.v_rows)
    hl.add_columns(
        [0.0] * len(v_keys),
        [
            [(lp.nodes[nid].def_rows[j], float(lp.nodes[nid].counts[j]))]
            + [(r, 1.0) for r in lp.v_rows[(nid, j)]]
            for nid, j in v_keys
        ],
    )
    hl.add_columns([1.0], [[(r, -1.0) for r in range(lp.eq_rows, lp.num_rows)]])
    run = _Run(lp, solver, hl, v_keys, t0, deadline, budget_deadline)
    _add_columns(run, lp.initial_columns(initial_size))
    check_work(
        lp.num_rows * 100 + len(lp.columns) * 10,
        f"solving the covering LP by worker types ({lp.num_rows} rows, "
        f"{len(lp.columns)} initial columns)",
        cheaper="a smaller T or P (--P), or --max-replication",
    )
    return run


def _add_columns(run: _Run, cols) -> int:
    """Add the set-orbit columns ``(node id, a)`` not in the LP yet; how many were new."""
    lp = run.lp
    cols = [c for c in cols if c not in lp._col_index]
    for c in cols:
        lp._col_index[c] = len(lp.columns)
        lp.columns.append(c)
    run.hl.add_columns([0.0] * len(cols), [lp.column_entries(nid, a) for nid, a in cols])
    return len(cols)


def _generate_columns(run: _Run, max_rounds: int, progress: bool) -> tuple[str, int, bool]:
    """Column generation: solve, price every node, add the set orbits of negative reduced
    cost, until none is left (or a stop); ``(status, rounds, met the known bound)``."""
    lp, hl = run.lp, run.hl
    pricers = [_Pricer(lp, node, lp.max_replication) for node in lp.nodes]
    met_bound = False
    rounds = 0
    status = "not solved"
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc="column generation", unit=" rounds", leave=False)
    try:
        while True:
            _solve_once(run, rounds)
            status = hl.status
            rounds += 1
            if bar is not None:
                bar.update(1)
                bar.set_postfix(columns=len(lp.columns), load=f"{hl.objective:.6g}")
            if status != "optimal" or rounds >= max_rounds:
                break
            if run.deadline is not None and time.perf_counter() > run.deadline:
                status = "time limit"
                break
            if run.known is not None and hl.objective <= float(run.known) * (1 + 1e-12):
                # the restricted LP already meets a bound valid for every scheme: no column
                # can improve it (checked exactly in _certify, on the exact primal)
                met_bound = True
                break
            new = _price(lp, hl, pricers)
            if not new:
                break
            _add_columns(run, new)
    finally:
        if bar is not None:
            bar.close()
    return status, rounds, met_bound


def _solve_once(run: _Run, rounds: int) -> None:
    """One solve of the current columns within what is left of the deadline."""
    if run.deadline is not None:
        run.hl.h.setOptionValue("time_limit", max(1e-3, run.deadline - time.perf_counter()))
    if run.solver == "highs":
        # a large cold start goes faster by interior point; later rounds warm-start
        run.hl.solve("ipm" if rounds == 0 and run.lp.num_rows > IPM_ROWS else "simplex")
    else:
        _solve_cbc(run.lp, run.hl, run.deadline)


def _price(lp: TypeLP, hl, pricers: list) -> list:
    """The new columns: at every node, up to four set orbits of most negative reduced cost."""
    u, pis = _duals(lp, hl)
    new = []
    for nid, node in enumerate(lp.nodes):
        pr = pricers[nid]
        if pr.prepare(pis[nid]) == 0:
            continue
        lp.meter.charge(pr.points.shape[0] * (1 + len(node.children)) // 20 + 1)
        f = pr.floats(pis[nid], u)
        rc = f - u[nid]
        tol = 1e-9 * max(1.0, abs(u[nid]))
        bad = np.flatnonzero(rc < -tol)
        if bad.size:
            best = bad[np.argsort(rc[bad])[:4]]
            for k in best:
                a = tuple(int(x) for x in pr.points[k])
                if (nid, a) not in lp._col_index:
                    new.append((nid, a))
    return new


def _store_solution(run: _Run) -> None:
    """Keep the solver's ``z`` masses and per-worker loads on the LP (``support()``)."""
    lp, hl, fixed = run.lp, run.hl, run.fixed
    lp.solution = {c: float(v) for c, v in zip(lp.columns, hl.x[fixed:]) if v > 1e-15}
    lp.loads = {k: float(v) for k, v in zip(run.v_keys, hl.x[: len(run.v_keys)])}


def _certify(run: _Run, status: str, met_bound: bool) -> tuple:
    """Exact ``(upper, lower, lower_any, certificate)``: an exact primal meeting the known bound,
    else the exact vertex of the final basis, else the rounded primal and duals."""
    lp = run.lp
    primal = _primal_rounder(run)
    if met_bound and run.has_x():
        for D in (10**4, 10**6, 10**9, 10**12):
            cand = primal(D)
            if cand is not None and cand == run.known:
                cert = (
                    f"an exactly feasible scheme meets the {run.known_name} bound (a lower bound "
                    "on every scheme)"
                )
                return run.known, run.known, run.known, cert
    upper = lower = lower_any = None
    left = None if run.deadline is None else run.deadline - time.perf_counter()
    if (
        status == "optimal"
        and run.solver == "highs"
        and lp.num_rows <= EXACT_VERTEX_ROWS
        and (left is None or left > 1)
    ):
        seconds = 30.0 if left is None else min(30.0, left)
        upper, lower, wq = _exact_from_basis(lp, run.hl, run.v_keys, seconds)
        if upper is not None and lower is not None and upper == lower:
            lower_any = lower if lp.max_replication is None else _exact_dual(lp, wq, None)
            cert = "exact vertex (iterative refinement, checked) with a matching dual bound"
            return upper, lower, lower_any, cert
    if run.has_x() and status in ("optimal", "time limit"):
        return _certify_by_rounding(run, primal, upper, lower)
    return upper, lower, lower_any, "not certified"


def _primal_rounder(run: _Run):
    """``primal(D)``: the exact load of the solver's primal repaired with denominators up to
    ``D`` (each ``D`` computed once)."""
    rounded: dict = {}

    def primal(D):
        if D not in rounded:
            rounded[D] = _exact_primal(run.lp, run.hl.x[run.fixed :], D)
        return rounded[D]

    return primal


def _certify_by_rounding(run: _Run, primal, upper, lower) -> tuple:
    """Round the solver's primal and duals into an exact bracket, keeping the best of each
    side (and of ``upper``/``lower`` found before); ``(upper, lower, lower_any, certificate)``."""
    lp = run.lp
    w = -run.hl.row_dual[lp.eq_rows :]
    # round the solver's primal and dual with small denominators first (they hit the exact
    # vertex when it is simple), then finer ones; keep the best of each side
    late = run.deadline is not None and time.perf_counter() > run.deadline
    for D in (10**12,) if late else (10**4, 10**6, 10**9, 10**12):
        cand = primal(D)
        if cand is not None and (upper is None or cand < upper):
            upper = cand
        low = _exact_dual(lp, w, lp.max_replication, D)
        if low is not None and (lower is None or low > lower):
            lower = low
        if upper is not None and upper == lower:
            break
    lower_any = lower if lp.max_replication is None else _exact_dual(lp, w, None)
    known = run.known
    if known is not None and (lower is None or known > lower):
        lower = known  # valid for every scheme, so for this LP too
        if lower_any is None or known > lower_any:
            lower_any = known
    cert = "not certified"
    if upper is not None and lower is not None:
        cert = (
            "exact primal and dual certificates agree"
            if upper == lower
            else f"exact bracket of width {float(upper - lower):.2g}: a feasible scheme of "
            f"load {float(upper):.12g} and a dual bound {float(lower):.12g}"
        )
    return upper, lower, lower_any, cert


def _final_status(status: str, exact: bool, upper, lower, budget_deadline) -> str:
    """The reported status: ``optimal (float)`` when only the float optimum is certain, and a
    stop says whether the time limit or the work budget ended it."""
    if status == "optimal" and not exact and upper is not None and lower is not None:
        status = "optimal (float)" if float(upper - lower) > 1e-9 * float(upper) else "optimal"
    if status == "time limit":
        status = (
            "stopped early (work budget: raise it with --max-work N, Python: max_work=N)"
            if budget_deadline is not None
            else "stopped early (time limit)"
        )
    return status


def _floor_bounds(lower, lower_any, known, upper):
    """Raise the reported lower bounds to the closed-form bound ``known`` (valid for every
    scheme, hence for every restriction of the LP too).

    ``lower_any`` (sets of any size) comes from the duals of the LP restricted to small sets,
    re-priced over every set orbit.  That is a valid weak-duality bound, but those duals were
    optimal for the restricted columns only: re-pricing lets the large sets make every ``u``
    cheap, and the bound can fall far below the counting bound (5/1688 against 2/121 at
    n = 64, bursty(1, 2, 7), T = 1, pairs only).  Reporting the larger of the two keeps every
    bound valid and never weaker than one already known."""
    if known is None:
        return lower, lower_any
    if lower_any is None or known > lower_any:
        lower_any = known
    if lower is not None and known > lower and (upper is None or known <= upper):
        lower = known
    return lower, lower_any


def _solve_cbc(lp, hl, deadline):  # pragma: no cover - exercised on small cases in tests
    import pulp

    from ..lp.solvers import get_solver

    prob = lp.to_pulp()
    tl = None if deadline is None else max(1, int(deadline - time.perf_counter()))
    prob.solve(get_solver("cbc", tl))
    names = {v.name: v.varValue or 0.0 for v in prob.variables()}
    nv = len(lp.v_rows)
    x = (
        [names.get(f"v{k}", 0.0) for k in range(nv)]
        + [names.get("L", 0.0)]
        + [names.get(f"z{k}", 0.0) for k in range(len(lp.columns))]
    )
    hl.x = np.array(x)
    cons = prob.constraints
    hl.row_dual = np.array(
        [cons[f"r{r}"].pi or 0.0 if f"r{r}" in cons else 0.0 for r in range(lp.num_rows)]
    )
    hl.objective = pulp.value(prob.objective)
    hl.status = (
        "optimal" if prob.status == pulp.LpStatusOptimal else pulp.LpStatus[prob.status].lower()
    )


def _duals(lp, hl):
    """Node duals ``u`` (per node id) and type prices ``pi`` (per node, per type) in floats."""
    y = hl.row_dual
    u = np.array([y[node.row] for node in lp.nodes])
    pis = [np.array([y[r] for r in node.def_rows]) for node in lp.nodes]
    return u, pis


# ----------------------------------------------------------------------------------------------
# exact certificates


def _exact_from_basis(lp: TypeLP, hl, v_keys, seconds: float = 30.0):
    """``(upper, lower, w)`` from the exact optimal vertex of HiGHS's final basis
    (:func:`sgc_theory.lp.exact.exact_vertex`): ``upper`` its exact load when it is exactly
    primal feasible, ``lower`` the weak-duality bound of its exact row duals (every set orbit
    priced), ``w`` those duals on the load rows; ``None`` entries when a step fails."""
    from ..lp.exact import exact_vertex

    nv = len(v_keys)
    load_rows = range(lp.eq_rows, lp.num_rows)

    def column(j):
        if j < nv:
            nid, t = v_keys[j]
            return [(lp.nodes[nid].def_rows[t], Fraction(lp.nodes[nid].counts[t]))] + [
                (r, Fraction(1)) for r in lp.v_rows[(nid, t)]
            ]
        if j == nv:
            return [(r, Fraction(-1)) for r in load_rows]
        nid, a = lp.columns[j - nv - 1]
        node = lp.nodes[nid]
        ent = [(node.row, Fraction(1))]
        for cid, s in node.children:
            u = lp.coefficient(node, a, s)
            if u:
                ent.append((lp.nodes[cid].row, -u))
        ent += [(r, Fraction(-x)) for r, x in zip(node.def_rows, a) if x]
        return ent

    n0 = len(lp.node_id[0])
    bounds = (
        [(Fraction(1), Fraction(1))] * n0
        + [(Fraction(0), Fraction(0))] * (lp.eq_rows - n0)
        + [(None, Fraction(0))] * (lp.num_rows - lp.eq_rows)
    )
    try:
        got = exact_vertex(
            hl.h, column, bounds, lambda j: Fraction(1 if j == nv else 0), seconds=seconds
        )
    except Exception:  # pragma: no cover - numerical trouble: fall back to the bracket
        got = None
    if got is None:
        return None, None, None
    x, y = got
    upper = None
    if all(v >= 0 for v in x.values()):
        act = [Fraction(0)] * lp.num_rows
        for j, v in x.items():
            if v:
                for r, a in column(j):
                    act[r] += a * v
        if all(
            (lo is None or lo <= a) and (up is None or a <= up) for a, (lo, up) in zip(act, bounds)
        ):
            upper = x.get(nv, Fraction(0))
    w = [-y[r] for r in load_rows]
    lower = None
    if all(v >= 0 for v in w) and sum(w) <= 1:
        lower = _exact_dual(lp, w, lp.max_replication)
    return upper, lower, w


def _exact_primal(lp: TypeLP, x, denominator: int = 10**12) -> Fraction | None:
    """Repair the solver's ``z`` into an exactly feasible solution; its exact largest load."""
    by_node: dict = {}
    for k, (nid, a) in enumerate(lp.columns):
        by_node.setdefault(nid, []).append((a, max(0.0, float(x[k]))))
    inflow = {nid: Fraction(1) for nid in lp.node_id[0].values()}
    z: dict = {}
    for nid, node in enumerate(lp.nodes):  # nodes are stored age by age
        m = inflow.get(nid, Fraction(0))
        cols = by_node.get(nid, [])
        if m:
            q = [(a, Fraction(v).limit_denominator(denominator)) for a, v in cols]
            tot = sum(v for _, v in q)
            if tot == 0:
                if not cols:
                    return None
                a0 = max(cols, key=lambda t: t[1])[0]
                q, tot = [(a0, Fraction(1))], Fraction(1)
            vals = [(a, m * v / tot) for a, v in q if v]
        else:
            vals = []
        z[nid] = vals
        for cid, s in node.children:
            add = sum((lp.coefficient(node, a, s) * v for a, v in vals), Fraction(0))
            if add:
                inflow[cid] = inflow.get(cid, Fraction(0)) + add
    # deadline: every column at age T is safe by construction; loads
    v: dict = {}
    for nid, vals in z.items():
        node = lp.nodes[nid]
        for j, c in enumerate(node.counts):
            tot = sum((val * a[j] for a, val in vals if a[j]), Fraction(0))
            if tot:
                v[(nid, j)] = tot / c
    worst = Fraction(0)
    rows: dict = {}
    for (nid, j), lrows in lp.v_rows.items():
        val = v.get((nid, j))
        if val:
            for r in lrows:
                rows[r] = rows.get(r, Fraction(0)) + val
    if rows:
        worst = max(rows.values())
    return worst


def _exact_dual(lp: TypeLP, w, total, denominator: int = 10**12) -> Fraction | None:
    """Weak-duality lower bound from load-row weights ``w`` (see the module docstring)."""
    if isinstance(w, list) and w and isinstance(w[0], Fraction):  # exact weights
        wq = [x if x > 0 else Fraction(0) for x in w]
    else:
        w = np.clip(np.nan_to_num(np.asarray(w, dtype=float)), 0.0, None)
        if w.sum() <= 0:
            return Fraction(0)
        wq = [Fraction(x).limit_denominator(denominator) if x > 0 else Fraction(0) for x in w]
    sw = sum(wq)
    if sw > 1:
        wq = [x / sw for x in wq]
    base = lp.eq_rows
    pi_exact: list = []
    for nid, node in enumerate(lp.nodes):
        pis = []
        for j, c in enumerate(node.counts):
            rows = lp.v_rows.get((nid, j), ())
            pis.append(sum((wq[r - base] for r in rows), Fraction(0)) / c)
        pi_exact.append(pis)
    # u[nid] = None stands for +infinity: no allowed set can ever cover data at that node (its
    # dual constraint does not exist), so data must never reach it
    u: dict = {}
    uf = np.zeros(len(lp.nodes))
    for nid in range(len(lp.nodes) - 1, -1, -1):  # children come after their parents
        node = lp.nodes[nid]
        pr = _Pricer(lp, node, total)
        if pr.prepare(pi_exact[nid]) == 0:
            u[nid], uf[nid] = None, math.inf
            continue
        pif = [float(p) for p in pi_exact[nid]]
        f = pr.floats(pif, uf)
        fmin = float(f.min())
        if math.isinf(fmin):
            u[nid], uf[nid] = None, math.inf
            continue
        cand = np.flatnonzero(f <= fmin * (1 + 1e-9) + 1e-300)
        vals = [pr.exact(tuple(int(x) for x in pr.points[k]), pi_exact[nid], u) for k in cand]
        best = min(v for v in vals if v is not None)
        # every other point has float value > fmin (1 + 1e-9); all terms are >= 0, so its exact
        # value exceeds fmin (1 + 1e-9)(1 - 1e-12) > best: `best` is the exact minimum.
        u[nid] = best
        uf[nid] = float(best)
    starts = [u[nid] for nid in lp.node_id[0].values()]
    if any(x is None for x in starts):
        return None  # some job can never be covered: the LP is infeasible
    return sum(starts, Fraction(0))
