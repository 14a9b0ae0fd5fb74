"""A lower bound on the load of every scheme, whatever its memory, at ``T = B = 1``.

The counting bound fixes one periodic pattern; a scheme that knows it meets the bound.  Here the
adversary keeps the counting pattern's rhythm but **draws its stragglers at random**:

*Random-burst adversary* (bursty ``(1, W, lam)``): in rounds ``0, W, 2W, ...`` a uniformly random
set of ``lam`` workers straggles; every other round is clean.  Every pattern it draws is admitted
(one straggle per worker per window of ``W`` rounds, ``lam`` distinct per window).

**Theorem.**  Let ``p_a = C(lam, a) / C(n, a)`` (the chance that a given set of ``a`` workers
straggles in a straggling round).  Every scheme of delay ``T = 1`` under bursty ``(1, W, lam)``, with
any memory, coded or not, has load ``L >= V / n`` where ``V`` is the value of the LP

    minimize ``V`` over the split of each job of one period (rounds ``0 .. W - 1``), subject to:
    the work of every round ``r`` of the period is at most ``V``,

in which a unit of the job released in

* round ``0`` (straggling) costs either ``a`` in round ``0`` and ``p_a`` in round ``1``
  (placed on ``a`` workers, ``a = 1 .. lam + 1``, lost with chance ``p_a`` and then redone), or
  ``1`` in round ``1`` (deferred);
* round ``j = 1 .. W - 2`` (clean) costs ``1`` in round ``j`` or ``1`` in round ``j + 1``;
* round ``W - 1`` costs ``1`` in round ``W - 1``, or ``lam + 1`` in round ``0`` of the next period
  (a piece computed in a straggling round at its deadline must sit on more than ``lam`` workers,
  else the adversary draws a set containing them with positive probability).

*Proof.*  A job's data is recovered iff a non-straggler computed every piece (the covering
model of the load).  Fix a scheme of load ``L``.  In every round and for every drawn pattern the
workers process at most ``n L`` data in total.  For the job of a straggling round, a piece the
scheme places on a set ``A`` of ``a`` workers (its choice is made before the draw) is lost with
probability exactly ``p_a``, and what is lost or not placed must be processed in the next round
(the deadline, a clean round) at cost at least its mass.  Pieces of the other jobs cost at least
their mass in the round they are processed, and ``lam + 1`` times it in a straggling round at
their deadline.  Taking expectations over the draws and averaging over ``N`` periods, the mean
split of the jobs of each phase is a split of the LP and every round's mean work is at most
``n L``, up to boundary terms ``O(1/N)``; so ``n L >= V``.  Larger sets than ``lam + 1``
cost more and lose nothing more, and replicating a piece in two rounds only adds work.  QED.

The bound is computed exactly from the LP dual: for weights ``w_r >= 0`` on the rounds of the
period summing to one, ``n L >= sum_r w_r work_r >= min over splits`` of that weighted cost, and
the minimum is the sum over jobs of each job's cheapest option (a product of simplices).  The
weights come from HiGHS, are rounded to fractions and re-normalised, and the minimum is
evaluated in exact arithmetic: the bound holds whatever the rounding, and it is the LP optimum
when an exact primal split of the same value exists (checked too, ``tight``).

Where it settles the optimum
    At ``n = 256``, ``(1, 2, lam)``, ``T = 1``, the bound equals the covering LP optimum of
    schemes that look back ``W - 1`` rounds (and PR-SGC's load where PR-SGC meets that LP,
    e.g. ``lam = 27``: ``6529/1524544``), so longer memory cannot lower the optimum there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import comb

from ..budget import check_work
from ..errors import SGCError, check_int

__all__ = ["AnyMemoryBound", "any_memory_lower_bound", "random_burst_lp"]


@dataclass
class AnyMemoryBound:
    """An exact lower bound on every scheme's load, with its argument.

    ``bound``: the Fraction; ``argument``: one sentence naming the adversary and the LP;
    ``weights``: the exact dual certificate (weights of the rounds of the period, summing to 1);
    ``lp_size``: ``(variables, constraints)``; ``status``: the float solver's status; ``tight``:
    an exact primal split of value ``n * bound`` was found (the bound is the LP optimum);
    ``split``: that split, per job, option -> mass."""

    bound: Fraction
    argument: str
    weights: tuple
    lp_size: tuple
    status: str
    tight: bool
    split: list = field(default_factory=list)


def random_burst_lp(n: int, W: int, lam: int) -> list:
    """The options of each job of one period: per job a list of ``(name, cost vector)`` with the
    cost of one unit of that job in each round ``0 .. W - 1`` of the period (exact)."""
    zero = [Fraction(0)] * W
    first = []
    for a in range(1, lam + 2):
        v = list(zero)
        v[0] += a
        v[1 % W] += Fraction(comb(lam, a), comb(n, a)) if a <= n else Fraction(0)
        first.append((f"on {a} workers in round 0", v))
    v = list(zero)
    v[1 % W] += 1
    first.append(("deferred to round 1", v))
    jobs = [first]
    for j in range(1, W - 1):
        a_, b_ = list(zero), list(zero)
        a_[j], b_[j + 1] = Fraction(1), Fraction(1)
        jobs.append([(f"round {j}", a_), (f"round {j + 1}", b_)])
    a_, b_ = list(zero), list(zero)
    a_[W - 1], b_[0] = Fraction(1), Fraction(lam + 1)
    jobs.append([(f"round {W - 1}", a_), (f"on {lam + 1} workers in round 0 (next period)", b_)])
    return jobs


def _weighted_min(jobs, w):
    """``min over splits of sum_r w_r work_r``: each job's cheapest option; with the argmins."""
    total, picks = Fraction(0), []
    for opts in jobs:
        costs = [sum(wr * cr for wr, cr in zip(w, v)) for _, v in opts]
        best = min(costs)
        total += best
        picks.append(costs.index(best))
    return total, picks


def _solve_float(jobs, n, W):
    import numpy as np
    from scipy.optimize import linprog

    cols = [(j, o) for j, opts in enumerate(jobs) for o in range(len(opts))]
    nv = len(cols) + 1
    c = np.zeros(nv)
    c[-1] = 1.0
    A_ub = np.zeros((W, nv))
    A_eq = np.zeros((len(jobs), nv))
    for k, (j, o) in enumerate(cols):
        A_ub[:, k] = [float(x) for x in jobs[j][o][1]]
        A_eq[j, k] = 1.0
    A_ub[:, -1] = -1.0  # work of each round <= V
    res = linprog(
        c, A_ub=A_ub, b_ub=np.zeros(W), A_eq=A_eq, b_eq=np.ones(len(jobs)), method="highs"
    )
    return res, cols, (nv, W + len(jobs))


def _exact_split(jobs, W, res, cols):
    """An exact primal split from the float one (rounded, re-normalised per job), and its
    value: the largest exact round work."""
    split = []
    for j in range(len(jobs)):
        xs = [
            Fraction(max(0.0, float(res.x[k]))).limit_denominator(10**9)
            for k, (jj, _) in enumerate(cols)
            if jj == j
        ]
        s = sum(xs)
        split.append([x / s for x in xs])
    work = [
        sum(x * v[r] for opts, xs in zip(jobs, split) for (_, v), x in zip(opts, xs))
        for r in range(W)
    ]
    return split, max(work)


def any_memory_lower_bound(model, T) -> AnyMemoryBound | None:
    """The random-burst lower bound of the module docstring for ``model`` = bursty
    ``(1, W, lam)`` at delay ``T = 1``; ``None`` for other models or delays (where it is not
    proved).  Valid for every scheme whatever its memory; exact (a checked dual certificate).

    >>> from sgc_theory.models import Bursty
    >>> any_memory_lower_bound(Bursty(256, 1, 2, 27), 1).bound
    Fraction(6529, 1524544)
    """
    from ..models.window import Bursty

    T = check_int("T", T, minimum=0)
    if not isinstance(model, Bursty) or model.B != 1 or T != 1 or model.W < 2:
        return None
    n, W, lam = model.n, model.W, model.lam
    if lam >= n:
        raise SGCError(f"lam must be below n for a finite load (got lam={lam}, n={n})")
    check_work(
        W * W * (lam + 2),
        f"the random-burst LP of bursty(1, {W}, {lam}) ({W} jobs of {lam + 2} options, "
        f"{W} rounds each)",
    )
    jobs = random_burst_lp(n, W, lam)
    res, cols, size = _solve_float(jobs, n, W)
    if res.status != 0:
        raise SGCError(f"the random-burst LP ended with status {res.message!r}")
    w = [
        max(Fraction(0), Fraction(-float(m)).limit_denominator(10**9))
        for m in res.ineqlin.marginals
    ]
    s = sum(w)
    w = [x / s for x in w] if s else [Fraction(1, W)] * W
    value, _ = _weighted_min(jobs, w)
    split, upper = _exact_split(jobs, W, res, cols)
    bound = value / n
    return AnyMemoryBound(
        bound=bound,
        argument=(
            f"random-burst adversary (lam={lam} random workers straggle every W={W} rounds): "
            f"LP over one period ({size[0]} variables, {size[1]} constraints), exact dual "
            f"certificate, valid for every scheme of delay 1 whatever its memory"
        ),
        weights=tuple(w),
        lp_size=size,
        status="optimal" if res.status == 0 else res.message,
        tight=upper == value,
        split=split,
    )
