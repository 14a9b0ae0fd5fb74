"""Lower bounds on the load of any sequential scheme (user guide: docs/guide/bounds.md).

Two bounds, one function each:

* the **counting bound** for bursty models, ``(W - 1 + B) / (n (W - 1 + B) - lam B)``: the
  periodic pattern in which ``lam`` fixed workers straggle ``B`` rounds out of every
  ``W - 1 + B`` is admitted, and every job's whole data set must be processed by non-stragglers;
* the **density bound** ``1 / (n - rho)`` for any window model, where ``rho`` is the largest
  long-run average number of stragglers per round the model admits.  Over many rounds the
  non-stragglers process at most ``(n - rho) L`` per round on average and must process one job
  per round, hence ``L >= 1/(n - rho)``.

``rho`` is computed two independent ways (tests check that they agree):

* :func:`max_straggler_density` with ``method="karp"`` (default): the maximum mean cycle of the
  model's *symmetric automaton* (states = counts of workers per ``(W-1)``-round history, edge
  weight = number of stragglers in the transition), by Karp's algorithm, exact;
* ``method="ilp"``: an integer program over periodic patterns (binary ``x[i, r]`` over a period
  ``p``, every window constraint applied cyclically), maximizing ``sum x / p`` for each period in
  ``periods`` (default ``1 .. 2W``; for bursty models the extremal period is ``W - 1 + B <= 2W - 1``)
  and taking the best.  It gives an admitted density, hence a lower estimate of ``rho`` that is
  exact once the optimal cycle length is in the range.

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023.
.. [Karp78] R. M. Karp, "A characterization of the minimum cycle mean in a digraph",
   Discrete Mathematics 23 (1978) 309-311.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from ..budget import Meter, WorkTooLargeError, check_work, fmt_work
from ..errors import SGCError, check_int
from ..rationals import to_fraction
from .loads import Param, _checked_call

if TYPE_CHECKING:
    from ..models.base import StragglerModel, SymState

__all__ = [
    "counting_bound",
    "max_straggler_density",
    "density_bound",
    "model_counting_bound",
    "closed_form_lower_bound",
]


@_checked_call
def counting_bound(n: Param, B: Param, W: Param, lam: Param) -> sp.Expr:
    """Counting lower bound ``(W - 1 + B) / (n (W - 1 + B) - lam B)`` for bursty(B, W, lam).

    Sympy in, sympy out (symbols allowed).

    >>> counting_bound(4, 2, 3, 2)
    1/3
    >>> counting_bound(256, 1, 2, 27)
    2/485
    """
    from .loads import _check_concrete, _sym

    n, B, W, lam = _sym(n, B, W, lam)
    _check_concrete("bursty", n=n, B=B, W=W, lam=lam)
    return (W - 1 + B) / (n * (W - 1 + B) - lam * B)


@_checked_call
def model_counting_bound(model: StragglerModel) -> sp.Expr | None:
    """The counting bound of a model, or ``None`` when it is not bursty.

    A per-round(s) model is bursty(1, 1, s) and gets ``1/(n - s)``.
    """
    from ..models import Bursty, PerRound

    if isinstance(model, Bursty):
        return counting_bound(model.n, model.B, model.W, model.lam)
    if isinstance(model, PerRound):
        return counting_bound(model.n, 1, 1, model.s)
    return None


# ----------------------------------------------------------------------------------------------
# maximum straggler density


@_checked_call
def max_straggler_density(
    model: StragglerModel,
    method: str = "karp",
    periods: Iterable[int] | None = None,
    solver: str | None = None,
) -> Fraction:
    """Largest long-run average number of stragglers per round that ``model`` admits.

    Parameters
    ----------
    model : StragglerModel
    method : {"karp", "ilp"}
        ``"karp"``: exact maximum mean cycle of the symmetric automaton (any ``n``).
        ``"ilp"``: best periodic pattern by PuLP/CBC over ``periods`` (small ``n`` only).
    periods : iterable of int, optional
        Periods tried by the ILP (default ``range(1, 2 * W + 1)``).

    Returns
    -------
    fractions.Fraction

    >>> from sgc_theory.models import Bursty
    >>> max_straggler_density(Bursty(4, B=2, W=3, lam=2))
    Fraction(1, 1)
    """
    _check_model(model)
    if method == "karp":
        return _density_karp(model)
    if method == "ilp":
        if periods is not None:
            try:
                periods = [check_int("periods", p, minimum=1) for p in periods]
            except TypeError:
                raise SGCError(
                    f"periods must be an iterable of integers >= 1 (got {periods!r:.60})"
                ) from None
            if not periods:
                raise SGCError("periods must not be empty")
        return _density_ilp(model, periods, solver)
    raise SGCError(f"method must be 'karp' or 'ilp' (got {method!r})")


def _check_model(model: Any) -> None:
    from ..models import StragglerModel

    if not isinstance(model, StragglerModel):
        raise SGCError(
            f"model must be a straggler model such as Bursty(n, B, W, lam) (got "
            f"{type(model).__name__} {model!r:.60}); parse a string with "
            "parse_model(spec, n)"
        )


@_checked_call
def density_bound(model: StragglerModel) -> sp.Expr:
    """Density lower bound ``1 / (n - rho)`` (a ``sympy.Rational``) on the load of any scheme.

    Returns ``sympy.oo`` when the model lets every worker straggle forever (``rho = n``).

    >>> from sgc_theory.models import Bursty
    >>> density_bound(Bursty(4, B=2, W=3, lam=2))
    1/3
    """
    _check_model(model)
    rho = max_straggler_density(model)
    if rho >= model.n:
        return sp.oo
    return sp.Rational(1) / (sp.Integer(model.n) - sp.Rational(rho.numerator, rho.denominator))


def _stragglers_of(state: Sequence) -> int:
    """Stragglers of the round that led to a symmetric state: workers whose newest history bit
    (bit 0) is set.  Accepts the sparse ``((history, count), ...)`` form and the dense
    ``counts[history]`` form."""
    if state and isinstance(state[0], tuple):
        return sum(c for h, c in state if h & 1)
    return sum(c for h, c in enumerate(state) if h & 1)


#: work units per entry of Karp's (V + 1) x V table (int64 memory and one pass of the edges)
KARP_UNITS = 4


def _symmetric_graph(
    model: StragglerModel, meter: Meter | None = None
) -> tuple[list[SymState], list[tuple[int, int, int]]]:
    """Reachable states of the symmetric automaton and its edges ``(u, v, weight)``."""
    start = model.sym_initial()
    index = {start: 0}
    order = [start]
    edges = []
    k = 0
    while k < len(order):
        st = order[k]
        trans = model.sym_transitions(st)
        if meter is not None:
            meter.charge(len(trans))
        for nxt, _mult in trans:
            if nxt not in index:
                index[nxt] = len(order)
                order.append(nxt)
            # stragglers of this round = workers whose newest history bit is 1
            w = _stragglers_of(nxt)
            edges.append((k, index[nxt], w))
        k += 1
    return order, edges


def _density_karp(model: StragglerModel) -> Fraction:
    if model.W == 1:  # one-round windows: up to lam stragglers every round, if a row may be 1
        return Fraction(model.lam if model.row_ok(1) else 0)
    what = f"the maximum straggler density of {model!r} (Karp's maximum mean cycle)"
    S = model.sym_state_count()
    if S is not None:  # the reachable states, known before listing them
        check_work(KARP_UNITS * (S + 1) * S, f"{what} on {fmt_work(S)} symmetric automaton states")
    states, edges = _symmetric_graph(model, Meter(what))
    V = len(states)
    check_work(
        KARP_UNITS * (V + 1) * (V + len(edges)),
        f"{what} on {fmt_work(V)} symmetric automaton states",
    )
    e = np.array(edges, dtype=np.int64)
    order = np.argsort(e[:, 1], kind="stable")
    src, dst, w = e[order, 0], e[order, 1], e[order, 2]
    uniq, starts = np.unique(dst, return_index=True)
    NEG = np.iinfo(np.int64).min // 4
    # D[k, v] = max weight of a walk of exactly k edges from the start state to v
    D = np.full((V + 1, V), NEG, dtype=np.int64)
    D[0, 0] = 0
    for k in range(V):
        cand = D[k, src] + w
        cand[D[k, src] <= NEG // 2] = NEG
        row = np.full(V, NEG, dtype=np.int64)
        row[uniq] = np.maximum.reduceat(cand, starts)
        D[k + 1] = row
    # Karp: rho = max over v with D[V, v] finite of min over k with D[k, v] finite of
    #        (D[V, v] - D[k, v]) / (V - k)
    best = None
    for v in range(V):
        if D[V, v] <= NEG // 2:
            continue
        ks = np.flatnonzero(D[:V, v] > NEG // 2)
        vals = (D[V, v] - D[ks, v]) / (V - ks)  # floats only locate the minimum ...
        j = int(np.argmin(vals))
        cands = ks[np.abs(vals - vals[j]) <= 1e-9 * max(1.0, abs(vals[j]))]
        # ... the value itself is exact (ties checked in exact arithmetic)
        m = min(Fraction(int(D[V, v] - D[k, v]), int(V - k)) for k in cands)
        if best is None or m > best:
            best = m
    return best if best is not None else Fraction(0)


def _minimal_bad_rows(model: StragglerModel) -> list[int]:
    """Rows (W-bit, bit 0 = newest) violating row_ok whose every one-bit removal is ok."""
    W = model.W
    bad = []
    for row in range(1 << W):
        if model.row_ok(row):
            continue
        if all(model.row_ok(row & ~(1 << k)) for k in range(W) if row >> k & 1):
            bad.append(row)
    return bad


def _density_ilp(
    model: StragglerModel, periods: Iterable[int] | None, solver: str | None
) -> Fraction:
    import pulp

    from ..lp.solvers import get_solver

    n, W, lam = model.n, model.W, model.lam
    periods = list(periods) if periods is not None else list(range(1, 2 * W + 1))
    bad_rows = _minimal_bad_rows(model)
    best = Fraction(0)
    for p in periods:
        prob = pulp.LpProblem(f"density_p{p}", pulp.LpMaximize)
        x = {
            (i, r): pulp.LpVariable(f"x_{i}_{r}", cat=pulp.LpBinary)
            for i in range(n)
            for r in range(p)
        }
        prob += pulp.lpSum(x.values())
        for a in range(p):  # window of rounds a .. a + W - 1 (cyclic)
            rounds = [(a + W - 1 - k) % p for k in range(W)]  # index k = bit k (0 = newest)
            z = {i: pulp.LpVariable(f"z_{i}_{a}", cat=pulp.LpBinary) for i in range(n)}
            for i in range(n):
                for r in set(rounds):
                    prob += z[i] >= x[i, r]
                for row in bad_rows:
                    bits = [k for k in range(W) if row >> k & 1]
                    prob += pulp.lpSum(x[i, rounds[k]] for k in bits) <= len(bits) - 1
            prob += pulp.lpSum(z.values()) <= lam
        prob.solve(get_solver(solver or "cbc"))
        if pulp.LpStatus[prob.status] != "Optimal":
            raise SGCError(
                f"density ILP for period {p} ended with status {pulp.LpStatus[prob.status]}"
            )
        total = round(pulp.value(prob.objective))
        best = max(best, Fraction(total, p))
    return best


@_checked_call
def closed_form_lower_bound(model: StragglerModel) -> tuple[Fraction, str] | tuple[None, None]:
    """``(bound, name)``: the larger of the counting bound (when the model has one) and the
    density bound, as an exact Fraction with its name (``"counting"`` or ``"density"``); both
    bound the load of every scheme under ``model``, whatever its delay. ``(None, None)`` when
    neither applies. The density bound is left out when computing it exceeds the work budget
    (it is a maximum mean cycle over the model's automaton).

    >>> from sgc_theory.models import Bursty
    >>> closed_form_lower_bound(Bursty(256, B=1, W=2, lam=27))
    (Fraction(2, 485), 'counting')
    """
    cands = []
    cb = model_counting_bound(model)
    if cb is not None:
        cands.append((to_fraction(cb), "counting"))
    try:
        db = density_bound(model)
    except WorkTooLargeError:
        db = None  # refused before starting: the counting bound (if any) stands alone
    if db is not None and db != sp.oo:
        cands.append((to_fraction(db), "density"))
    return max(cands, key=lambda c: c[0]) if cands else (None, None)  # ties: counting
