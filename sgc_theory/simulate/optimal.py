"""The offline-optimal waiting policy: an exact shortest path over (round, model state).

What the optimum is
-------------------
In round ``r`` the master may stop waiting at any time ``tau >= theta_r = (1 + mu) min_i D'[i, r]``
(``D'`` = the delays shifted to the scheme's load); the round's stragglers are then the workers
still running, ``{i : D'[i, r] > tau}``, and the round lasts ``tau``. Such sets are *nested*: they
are "the ``k`` slowest workers of round ``r``" for the cut-offs ``k`` at which the sorted delays
strictly drop (ties stay together), ``k <= k_c`` (the candidate stragglers at ``theta_r``). For a
given set, stopping as early as possible is never worse, so a round offers one choice per cut-off:

* ``k = k_c > 0``: stop at ``theta_r``;
* ``k < k_c``: stop when the ``(k + 1)``-th slowest worker returns, ``tau = D'_{(k+1)}``
  (``k = 0``: the slowest worker, i.e. wait for everyone).

The chosen sets must form a pattern admitted by the scheme's design model. A window model's next
set depends only on the last ``W - 1`` sets (its automaton state), and every set is one of the
round's cut-offs, so the reachable model states of round ``r`` are tuples of cut-offs of the
rounds ``r - W + 1 .. r - 1``: at most the product of their numbers of cut-offs (sets larger than
the model's ``lam`` are never admitted, so a round offers at most ``lam + 1`` cut-offs). The least
total runtime is a shortest path in that layered graph (dynamic programming), exact.

When does a run end? Runtime is the sum of the round times until the last job is decoded.

* GC (``T = 0``) ends with round ``J - 1``, M-SGC with ``lam < n`` with round ``J - 1 + T`` (its
  coded part of job ``t`` is computed in round ``t + T``), whatever the pattern.
* SR-SGC may end anywhere in ``J - 1 .. J - 1 + B``: the dynamic program carries the scheme's
  own re-attempt state (which workers failed to return each of the last ``B`` jobs) and decides
  decoding exactly as the scheme's token decoder does; it also drops paths on which a job misses
  its deadline (possible when ``B`` does not divide ``W - 1``).
* M-SGC with ``lam = n`` (no coded part) ends when the last recomputation arrives; the state
  carries the last ``T`` sets, which decide it.
* BR-SGC decodes job ``t`` in round ``t`` when nobody straggled then, else in round ``t + B``
  (always in time under its design model), so it ends in round ``max_t (t + B [S_t nonempty])``:
  the state carries which of the last ``B`` rounds had stragglers.
* Any other scheme (a newly registered family) is handled
  generically: the dynamic program gives, for every possible last round ``e`` (no earlier than
  the last decode round of the straggler-free run: this path assumes that stragglers never make a
  job decodable earlier), the least cost of an admitted pattern of ``e + 1`` rounds, a lower
  bound; the best pattern of each ``e`` is then
  replayed through the scheme's ``decode_rounds``. The result is exact (``exact=True``) when the
  cheapest ``e`` is confirmed that way; otherwise the value reported is the best confirmed run
  (never worse than the paper and minimal policies, which are valid masters) together with the
  lower bound, and ``exact=False``. This path assumes nothing about decodability beyond what
  ``decode_rounds`` reports.

The result bounds every online master from below (it may look at the whole trace in advance).

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023 (the trace-driven experiment and its waiting rule).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import SGCError

__all__ = [
    "round_options",
    "optimal_path",
    "relaxed_prefix",
    "OptimalPath",
    "DEFAULT_MAX_WORK",
    "BudgetError",
]


class BudgetError(SGCError):
    """The requested work exceeds its budget (the message gives the estimate and the flag)."""


#: default budget of dynamic-programming transitions (state x cut-off pairs); about 1 us each
DEFAULT_MAX_WORK = 3_000_000


@dataclass
class RoundOptions:
    """The choices of one round: cut-offs ``k`` (ascending), round times and straggler masks."""

    cuts: list
    times: list
    masks: list
    kc: int
    thr: float


def round_options(d: np.ndarray, mu: float, cap: int) -> RoundOptions:
    """Cut-offs ``k <= cap`` of one round's (shifted) delays ``d``, their times and masks.

    >>> o = round_options(np.array([1.0, 5.0, 3.0, 3.0]), mu=1.0, cap=4)
    >>> o.cuts, o.times, o.kc            # {} at 5 s, {w1} at 3 s, {w1, w2, w3} at 2 s
    ([0, 1, 3], [5.0, 3.0, 2.0], 3)
    """
    order = np.argsort(-d, kind="stable")
    desc = d[order]
    thr = (1.0 + mu) * float(desc[-1])
    kc = int(np.count_nonzero(d > thr))
    top = min(kc, int(cap))
    cuts, times, masks = [0], [float(desc[0])], [0]
    m = 0
    for k in range(1, top + 1):
        m |= 1 << int(order[k - 1])
        if desc[k - 1] > desc[k]:
            cuts.append(k)
            times.append(thr if k == kc else float(desc[k]))
            masks.append(m)
    return RoundOptions(cuts, times, masks, kc, thr)


# --------------------------------------------------------------------------------------------
# what the scheme adds to the state (when does the run end)
# --------------------------------------------------------------------------------------------
class _FixedEnd:
    """The last decode round does not depend on the pattern (GC, M-SGC with ``lam < n``)."""

    exact_end = True

    def __init__(self, end: int):
        self.first, self.last = end, end

    def initial(self):
        return ()

    def prepare(self, r, extra):
        return None

    def step(self, r, extra, prep, mask):
        return ()

    def can_end(self, e, extra):
        return e == self.last


class _AnyEnd(_FixedEnd):
    """Generic: the run may end in ``J - 1 .. J - 1 + T``; decoding is checked afterwards."""

    exact_end = False

    def __init__(self, jobs: int, T: int):
        self.first, self.last = jobs - 1, jobs - 1 + T

    def can_end(self, e, extra):
        return True


class _SRSGCEnd:
    """SR-SGC's re-attempt state: ``(M_t, S_t)`` for the last ``B`` jobs (as in the scheme).

    ``M_t`` = workers that did not return job ``t`` in round ``t`` (stragglers and re-attempters);
    job ``t`` is decoded in round ``t`` iff ``|M_t| <= s``, else in round ``t + B`` iff its
    re-attempters that do not straggle then bring the count to ``n - s``.
    """

    exact_end = True

    def __init__(self, sch, jobs: int):
        self.sch, self.n, self.s, self.B, self.J = sch, sch.n, sch.s, sch.B, jobs
        self.first, self.last = jobs - 1, jobs - 1 + sch.B

    def initial(self):
        return ((0, 0),) * self.B

    def prepare(self, r, extra):
        busy = self.sch.reattempters(extra)
        t = r - self.B
        Mb = extra[self.B - 1][0]
        pending = 0 <= t < self.J and Mb.bit_count() > self.s
        return busy, (self.n - Mb.bit_count()) if pending else None

    def step(self, r, extra, prep, mask):
        busy, base = prep
        if base is not None and base + (busy & ~mask).bit_count() < self.n - self.s:
            return None  # job r - B misses its deadline on this path
        return ((mask | busy, mask),) + extra[:-1]

    def can_end(self, e, extra):
        if e < self.J - 1:
            return False
        return all(extra[a][0].bit_count() <= self.s for a in range(self.B) if 0 <= e - a < self.J)


class _UncodedMSGCEnd:
    """M-SGC with ``lam = n`` (no coded part): job ``t`` is decoded once every worker has
    recomputed, one per non-straggling round of ``t + W - 1 .. t + T``, the chunks it missed in
    rounds ``t .. t + W - 2``; that depends only on the sets of rounds ``t .. t + T``, so the
    state carries the last ``T`` sets."""

    exact_end = True

    def __init__(self, sch, jobs: int):
        self.T, self.W, self.J = int(sch.T), sch.W, jobs
        self.first, self.last = jobs - 1, jobs - 1 + self.T

    def initial(self):
        return (0,) * self.T

    def prepare(self, r, extra):
        return None

    def step(self, r, extra, prep, mask):
        return extra[1:] + (mask,)

    def can_end(self, e, extra):
        if e < self.J - 1:
            return False
        T, W = self.T, self.W

        def mask(q):  # set of round q (e - T < q <= e)
            return extra[T - 1 - (e - q)]

        for t in range(max(0, e - T + 1), self.J):
            if e < t + W - 2:
                return False
            missed: dict = {}
            for q in range(t, t + W - 1):
                m, i = mask(q), 0
                while m:
                    if m & 1:
                        missed[i] = missed.get(i, 0) + 1
                    m >>= 1
                    i += 1
            for i, cnt in missed.items():
                free = sum(1 for q in range(t + W - 1, e + 1) if not mask(q) >> i & 1)
                if free < cnt:
                    return False
        return True


class _BRSGCEnd:
    """BR-SGC: the run can end in round ``e`` once every job ``t`` of ``e - B < t < J`` saw no
    straggler in its round (the others are decoded by round ``t + B <= e``; a straggler of round
    ``t`` never straggles again in ``t + B`` under bursty ``(B, W, lam)``, ``W >= B + 1``). The
    state: whether each of the last ``B`` rounds had stragglers, oldest first."""

    exact_end = True

    def __init__(self, sch, jobs: int):
        self.B, self.J = int(sch.B), jobs
        self.first, self.last = jobs - 1, jobs - 1 + self.B

    def initial(self):
        return (False,) * self.B

    def prepare(self, r, extra):
        return None

    def step(self, r, extra, prep, mask):
        return extra[1:] + (mask != 0,)

    def can_end(self, e, extra):
        if e < self.J - 1:
            return False
        return not any(extra[self.B - 1 - (e - t)] for t in range(max(0, e - self.B + 1), self.J))


def _tracker(sch, jobs: int):
    from ..schemes import BRSGC, GC, MSGC, SRSGC

    if isinstance(sch, BRSGC):
        return _BRSGCEnd(sch, jobs)
    if isinstance(sch, GC):
        return _FixedEnd(jobs - 1)
    if isinstance(sch, MSGC) and sch.lam < sch.n:
        return _FixedEnd(jobs - 1 + sch.T)
    if isinstance(sch, MSGC):
        return _UncodedMSGCEnd(sch, jobs)
    if isinstance(sch, SRSGC):
        return _SRSGCEnd(sch, jobs)
    tr = _AnyEnd(jobs, int(sch.T))
    # no run ends before the straggler-free one (assumes stragglers never speed decoding up)
    clean = sch.decode_rounds(np.zeros((sch.n, tr.last + 1), dtype=bool), jobs)
    if all(d is not None for d in clean):
        tr.first = max(tr.first, max(clean))
    return tr


# --------------------------------------------------------------------------------------------
# the dynamic program
# --------------------------------------------------------------------------------------------
@dataclass
class OptimalPath:
    """Outcome of :func:`optimal_path`.

    ``cuts[r]`` = number of slowest workers declared stragglers in round ``r`` (``end + 1``
    rounds); ``cost`` = total time; ``exact`` = the value is the optimum (see the module notes);
    ``lower_bound`` = a proven lower bound (equal to ``cost`` when exact); ``transitions`` = work
    done; ``states`` = largest number of states in one round.
    """

    cost: float
    cuts: list
    end: int
    exact: bool
    lower_bound: float
    transitions: int
    states: int
    candidates: list  # (cost, end, cuts) per possible end, cheapest first (generic path)


def _estimate(options, W1):
    est = 0.0
    for r, o in enumerate(options):
        prod = 1.0
        for j in range(max(0, r - W1), r):
            prod *= len(options[j].cuts)
        est += prod * len(o.cuts)
    return est


def _admission(model):
    """``(kind, params)`` of the fastest admission test available for ``model``."""
    from ..models import Bursty, PerRound

    if isinstance(model, PerRound):
        return "perround", model.s
    if isinstance(model, Bursty):
        return "bursty", (model.B, model.lam)
    return "generic", None


def optimal_path(
    D: np.ndarray,
    mu: float,
    sch,
    jobs: int,
    *,
    max_work: int = DEFAULT_MAX_WORK,
    label: str = "trace",
    progress: bool = False,
) -> OptimalPath:
    """Least total runtime of ``sch`` on the shifted delays ``D`` (workers x rounds, at least
    ``jobs + T`` rounds) over every admitted choice of nested straggler sets.

    Raises :class:`BudgetError` when the dynamic program would take more than ``max_work``
    transitions (the message gives the a-priori bound and the count reached).
    """
    what = f"{type(sch).__name__} {sch._params()}"
    tracker = _tracker(sch, jobs)
    ends, history, work, peak = _dp(
        D, mu, sch.design_model, tracker, max_work, label, progress, what
    )
    if not ends:
        raise SGCError(
            f"{label}: no admitted pattern lets {what} decode every job by its "
            "deadline on this trace"
        )

    def backtrack(e, key):
        cuts = []
        for r in range(e, -1, -1):
            c, prev, k = history[r][key]
            cuts.append(k)
            key = prev
        return cuts[::-1]

    ends.sort(key=lambda x: (x[0], x[1]))
    cands = [(c, e, backtrack(e, key)) for c, e, key in ends]
    c, e, cuts = cands[0]
    return OptimalPath(
        cost=c,
        cuts=cuts,
        end=e,
        exact=tracker.exact_end,
        lower_bound=c,
        transitions=work,
        states=peak,
        candidates=cands,
    )


def relaxed_prefix(
    D: np.ndarray, mu: float, model, rounds: int, *, max_work: int = DEFAULT_MAX_WORK
) -> list:
    """``out[e]`` = least cost of an admitted pattern of ``model`` over rounds ``0..e`` (no
    decoding condition): a lower bound for every scheme whose design model is contained in
    ``model`` and whose runs last at least ``e + 1`` rounds."""
    tracker = _AnyEnd(1, rounds - 1)
    tracker.first = 0
    ends, _, _, _ = _dp(D, mu, model, tracker, max_work, "trace", False, model.spec)
    out = [math.inf] * rounds
    for c, e, _ in ends:
        out[e] = min(out[e], c)
    return out


def _dp(D, mu, model, tracker, max_work, label, progress, what):
    """Forward dynamic program; returns (best (cost, end, key) per feasible end, history, work,
    largest state count)."""
    from tqdm import tqdm

    R = tracker.last + 1
    W1 = model.W - 1
    options = [round_options(D[:, r], mu, model.lam) for r in range(R)]
    est = _estimate(options, W1)
    admission = _admission(model)
    maskmaps = [dict(zip(o.cuts, o.masks)) for o in options]
    history, ends = [], []  # ends: (cost, e, key)
    cur = {((0,) * W1, tracker.initial()): (0.0, None, None)}
    work, peak = 0, 1
    for r in tqdm(range(R), desc="optimal", unit="round", disable=not progress):
        step = len(cur) * len(options[r].cuts)
        if work + step > max_work:
            raise BudgetError(
                f"{label}: the optimal policy's dynamic program over (round, model state) for "
                f"{what} may need up to {est:.3g} transitions and would reach {work + step:,} by "
                f"round {r} of {R}, beyond the budget max_work={max_work:,}; raise it "
                "(--max-work) or use fewer jobs"
            )
        work += step
        cur = _dp_round(r, cur, options[r], model, admission, tracker, maskmaps, W1)
        history.append(cur)
        peak = max(peak, len(cur))
        if r >= tracker.first:
            best = None
            for key, (c, _, _) in cur.items():
                if tracker.can_end(r, key[1]) and (best is None or c < best[0]):
                    best = (c, r, key)
            if best is not None:
                ends.append(best)
        if not cur:
            break
    return ends, history, work, peak


def _dp_round(r, cur, o, model, admission, tracker, maskmaps, W1):
    """One round of the dynamic program: from the states ``cur`` (key: the last ``W - 1`` cuts
    and the tracker's state; value: (cost, previous key, cut)) to the cheapest cost of every state
    reachable with one of the round's options ``o`` that the model admits."""
    kind, par = admission
    new = {}
    triples = list(zip(o.cuts, o.times, o.masks))
    for key, (cost, _, _) in cur.items():
        ks, extra = key
        if kind == "bursty":
            B, lam = par
            U = Rw = 0
            for j, k in enumerate(ks):
                rr = r - W1 + j
                m = maskmaps[rr][k] if rr >= 0 else 0
                U |= m
                if W1 - j >= B:
                    Rw |= m
        elif kind == "generic":
            prev = tuple(
                maskmaps[r - W1 + j][k] if r - W1 + j >= 0 else 0 for j, k in enumerate(ks)
            )
        prep = tracker.prepare(r, extra)
        for k, t, m in triples:
            if kind == "bursty":
                if m & Rw or (U | m).bit_count() > lam:
                    continue
            elif kind == "generic":
                if not model.allows(prev, m):
                    continue
            nextra = tracker.step(r, extra, prep, m)
            if nextra is None:
                continue
            nkey = (ks[1:] + (k,) if W1 else (), nextra)
            c = cost + t
            old = new.get(nkey)
            if old is None or c < old[0]:
                new[nkey] = (c, key, k)
    return new


def cuts_pattern(D: np.ndarray, cuts) -> np.ndarray:
    """Boolean pattern ``(n, len(cuts))``: round ``r`` holds the ``cuts[r]`` slowest workers."""
    n = D.shape[0]
    P = np.zeros((n, len(cuts)), dtype=bool)
    for r, k in enumerate(cuts):
        if k:
            P[np.argsort(-D[:, r], kind="stable")[:k], r] = True
    return P


def cuts_times(D: np.ndarray, mu: float, cuts) -> list:
    """Round times of the cut-off choices ``cuts`` (see :func:`round_options`)."""
    out = []
    for r, k in enumerate(cuts):
        o = round_options(D[:, r], mu, k)
        out.append(o.times[o.cuts.index(k)])
    return out


def brute_force(D: np.ndarray, mu: float, model, ends, decodes) -> float:
    """Least cost over *every* sequence of cut-offs (tiny traces only; a test oracle).

    ``ends`` = the possible last rounds; ``decodes(pattern, e)`` says whether a pattern of
    ``e + 1`` rounds decodes every job by its deadline and by round ``e``.
    """
    import itertools

    best = math.inf
    R = max(ends) + 1
    opts = [round_options(D[:, r], mu, D.shape[0]) for r in range(R)]
    for e in ends:
        for choice in itertools.product(*(range(len(o.cuts)) for o in opts[: e + 1])):
            cuts = [opts[r].cuts[j] for r, j in enumerate(choice)]
            P = cuts_pattern(D[:, : e + 1], cuts)
            if not model.admits(P) or not decodes(P, e):
                continue
            best = min(best, math.fsum(opts[r].times[j] for r, j in enumerate(choice)))
    return best
