"""PR-SGC: pair replication with own-share re-computation, delay ``T = B``.

The scheme
----------
Parameters ``n, B, W, lam`` with ``1 <= B <= W - 1``; no coding.  In round ``r`` let ``R`` be the
workers that straggled in round ``r - B`` (``k = |R|``; they are *safe*: see below) and ``F`` the
others (``f = n - k``, *fresh*).  Job ``r`` is split by the parameters ``x_k, y_k`` of
:func:`sgc_theory.bounds.pair_replication.prsgc_parameters`:

* ``x_k`` evenly over the ``C(f, 2)`` pairs of fresh workers: both members compute it;
* ``y_k`` evenly over the ``k`` safe workers;
* ``1 - x_k - y_k`` evenly over the ``f`` fresh workers.

Every worker of ``R`` also **re-computes what it lost of job** ``r - B``: its single share, and
half of each pair it shared with another straggler of round ``r - B`` (the pair's lower-ranked
member takes the first half, the other the second half).

Correct under bursty ``(B, W, lam)``
    A worker that straggles in round ``t`` cannot straggle in round ``t + B`` (both rounds lie in
    one window of ``W >= B + 1`` rounds and span ``B + 1 > B`` of them).  Data of job ``t`` is
    lost in round ``t`` only if every worker holding it straggled then, and each such worker
    re-computes its part in ``t + B``; so job ``t`` is decoded by round ``t + B``.

Load
    A fresh worker computes ``(1 - x_k - y_k)/f + (f - 1) x_k / C(f, 2) = (1 + x_k - y_k)/f``.  A
    safe worker was fresh in round ``r - B`` (it cannot have straggled in ``r - 2B`` too), when
    ``k'`` workers were safe; it computes ``y_k / k + (1 - x_{k'} - y_{k'})/f' + (k - 1) x_{k'} /
    (f' (f' - 1))`` with ``f' = n - k'`` and ``k + k' <= lam`` (the stragglers of rounds ``r - 2B``
    and ``r - B`` are distinct workers of one window).  The parameters minimise the largest of
    these (a small LP, made exact); with ``x = 0`` this is BR-SGC, so PR-SGC's load is never
    above ``(n + lam)/n^2``.

Where it comes from
    The covering LP by worker types for bursty ``(1, 2, lam)`` at ``T = 1`` restricted to sets of
    at most two workers: its solutions put a part of each job on pairs of fresh workers, the
    rest on single fresh workers, and (when many workers are safe) a part on the safe workers.
    At ``n = 256`` PR-SGC's exact load equals that LP's exact optimum (and the unrestricted
    optimum) at ``lam = 27, 35, 50, 100`` and is within 0.2 % of it at ``lam = 10`` (where the
    optimum also uses larger sets at the deadline); see ``results/optimal_T_eq_B_n256.md``.

The partitions
    Job data is the interval ``[0, 1)``; the layout for ``k`` safe workers cuts it into the pair
    halves, the fresh singles and the safe singles, in that order (ranks among ``F`` and ``R`` in
    index order).  The partitions of ``partition_sizes`` are the common refinement of the
    layouts of every ``k`` (built for ``n <= EXACT_MAX_N``; beyond, decodability is decided by
    the exact token rule of ``decode_rounds``).
"""

from __future__ import annotations

import bisect
import math
from fractions import Fraction
from itertools import combinations

from ..bounds.pair_replication import prsgc_parameters
from ..errors import SGCError
from .br_sgc import BRSGC

__all__ = ["PRSGC"]

#: exact tasks are built up to this n (the refinement has about lam n^2 / 2 partitions)
EXACT_MAX_N = 8


def _bits(mask: int, n: int) -> list:
    return [i for i in range(n) if mask >> i & 1]


class PRSGC(BRSGC):
    """Pair-replication SGC with parameters ``(n, B, W, lam)``, ``1 <= B <= W - 1``.

    >>> sch = PRSGC(256, B=1, W=2, lam=27)
    >>> sch.T, sch.load
    (1, Fraction(6529, 1524544))
    """

    name = "prsgc"
    #: the token rule ``decode_rounds`` (BR-SGC's, with PR-SGC's losers) is exact, not only
    #: sufficient
    exact_token_rule = True

    def __init__(self, n: int, B: int, W: int, lam: int):
        super().__init__(n, B, W, lam)  # validates by PR-SGC's rules (n >= 2 among them)
        self.x, self.y, self._load = prsgc_parameters(self.n, self.lam)
        self._cuts = None
        self._units: int | None = None
        #: ``show`` builds exact tasks up to this n (partition ranges from shares() beyond)
        self.exact_max_n = EXACT_MAX_N

    @property
    def load(self) -> Fraction:
        return self._load

    # ----- layout -----------------------------------------------------------------------------
    def _k_of(self, k: int) -> int:
        return min(k, len(self.x) - 1)  # out-of-model rounds with more than lam: use lam's

    def layout(self, safe_mask: int) -> dict:
        """``{worker: [(start, stop), ...]}``: the intervals of a job (fractions of ``[0, 1)``)
        each worker computes when ``safe_mask`` are the safe workers; and ``"halves"``:
        ``{(i, j): ((a, m), (m, b))}`` for each pair piece (first half for ``i < j``)."""
        n = self.n
        R = _bits(safe_mask, n)
        F = [i for i in range(n) if not safe_mask >> i & 1]
        k, f = len(R), len(F)
        kk = self._k_of(k)
        x, y = self.x[kk], self.y[kk]
        if f < 2:
            x = Fraction(0)
        if k == 0:
            y = Fraction(0)
        if f == 0:
            y = Fraction(1)
        out: dict = {i: [] for i in range(n)}
        halves = {}
        pos = Fraction(0)
        if x:
            size = x / (f * (f - 1) // 2)
            for i, j in combinations(F, 2):
                a, m, b = pos, pos + size / 2, pos + size
                out[i].append((a, b))
                out[j].append((a, b))
                halves[(i, j)] = ((a, m), (m, b))
                pos = b
        if f:
            size = (1 - x - y) / f
            for i in F:
                out[i].append((pos, pos + size))
                pos += size
        if k:
            size = y / k
            for i in R:
                out[i].append((pos, pos + size))
                pos += size
        out["halves"] = halves
        return out

    def _sizes(self, safe_mask: int):
        """``(F, R, pair size, single size, safe size)`` of the layout with safe ``safe_mask``."""
        n = self.n
        R = _bits(safe_mask, n)
        F = [i for i in range(n) if not safe_mask >> i & 1]
        k, f = len(R), len(F)
        kk = self._k_of(k)
        x, y = self.x[kk], self.y[kk]
        x = Fraction(0) if f < 2 else x
        y = Fraction(0) if k == 0 else (Fraction(1) if f == 0 else y)
        pair = x / (f * (f - 1) // 2) if x else Fraction(0)
        single = (1 - x - y) / f if f else Fraction(0)
        return F, R, pair, single, (y / k if k else Fraction(0)), x

    def _pieces(self, safe_mask: int, i: int, lost_with=None) -> list:
        """Worker ``i``'s intervals of a job laid out with safe ``safe_mask``; with
        ``lost_with`` (the stragglers of the job's round), only what ``i`` re-computes: its
        single share and its half of each pair with another straggler."""
        F, R, pair, single, safe, x = self._sizes(safe_mask)
        f = len(F)
        out = []
        if not safe_mask >> i & 1:
            p = F.index(i)
            if pair:
                for q, j in enumerate(F):
                    if j == i or (lost_with is not None and not lost_with >> j & 1):
                        continue
                    lo, hi = min(p, q), max(p, q)
                    a = pair * (lo * f - lo * (lo + 1) // 2 + hi - lo - 1)
                    if lost_with is None:
                        out.append((a, a + pair))
                    else:
                        out.append((a, a + pair / 2) if p == lo else (a + pair / 2, a + pair))
            a = x + p * single
            out.append((a, a + single))
        else:
            a = x + f * single + R.index(i) * safe
            out.append((a, a + safe))
        return [(a, b) for a, b in out if b > a]

    def _new_ranges(self, redo: int, i: int) -> list:
        return self._pieces(redo, i)

    def _lost_ranges(self, older: int, redo: int, i: int) -> list:
        """What worker ``i`` lost of the job laid out with safe ``older`` when ``redo``
        straggled (and re-computes): its single share and its half of each pair with another
        straggler."""
        return self._pieces(older, i, lost_with=redo)

    # ----- partitions -------------------------------------------------------------------------
    def _refinement(self):
        if self._cuts is None:
            if self.n > EXACT_MAX_N:
                raise SGCError(
                    f"PR-SGC's exact partitions are built for n <= {EXACT_MAX_N} (got n="
                    f"{self.n}): use decode_rounds() / verify() for decodability"
                )
            cuts = {Fraction(0), Fraction(1)}
            # every k up to n: rounds outside the model (more than lam safe workers) use
            # lam's parameters with their own layout
            for k in range(self.n + 1):
                lay = self.layout((1 << k) - 1)
                for i in range(self.n):
                    for a, b in lay[i]:
                        cuts |= {a, b}
                for h1, _h2 in lay["halves"].values():
                    cuts.add(h1[1])
            self._cuts = sorted(cuts)
        return self._cuts

    @property
    def partition_sizes(self):
        c = self._refinement()
        return tuple(b - a for a, b in zip(c, c[1:]))

    def _partition_ids(self, start, stop) -> range:
        """The partitions of the refinement inside the interval ``[start, stop)``."""
        c = self._refinement()
        return range(bisect.bisect_left(c, start), bisect.bisect_left(c, stop))

    def _label(self, age: int, start, stop) -> str:
        what = "piece" if age == 0 else "re-computed piece"
        return f"{what}: [{start}, {stop})"

    @property
    def unit_denominator(self) -> int:
        """``D``: every piece boundary of every layout is a multiple of ``1/D``."""
        if self._units is None:
            D = 1
            for k in range(self.n + 1):
                F, R, pair, single, safe, x = self._sizes((1 << k) - 1)
                for q in (pair / 2, single, safe, x):
                    D = math.lcm(D, Fraction(q).denominator)
            self._units = D
        return self._units

    def intervals(self, state, i: int) -> list:
        """Worker ``i``'s work in the coming round: ``(age, start, stop)`` intervals of the job
        (fractions of its data)."""
        return self._work(state, i)

    def shares(self, state, i: int) -> list:
        """``intervals`` in integer units of ``1/D`` (``unit_denominator``), the form
        the command line's ``show`` prints at large ``n``."""
        D = self.unit_denominator
        return [(age, int(a * D), int(b * D)) for age, a, b in self.intervals(state, i)]

    def tasks(self, state):
        """One task per piece (a pair piece, a half, a single share): the master must be able to
        tell replicated pieces apart, so a worker returns each piece's partial gradient."""
        return self._range_tasks(state, len(self.partition_sizes))

    # ----- decoding ---------------------------------------------------------------------------
    def _losers(self, masks: list, t: int) -> int:
        """The stragglers of round ``t`` that lost a piece of job ``t`` (a piece is lost when
        every holder straggled; the others' pieces all arrived from a partner)."""
        safe = masks[t - self.B] if t - self.B >= 0 else 0
        out = 0
        for i in _bits(masks[t], self.n):
            if self._lost_ranges(safe, masks[t], i):
                out |= 1 << i
        return out
