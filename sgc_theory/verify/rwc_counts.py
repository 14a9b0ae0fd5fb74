"""All-horizon proof of RWC-SGC on counts: an exact automaton at any ``n``
(docs/guide/verification.md, "RWC-SGC on counts").

RWC-SGC (:mod:`sgc_theory.schemes.rwc_sgc`) is WC-SGC's placement plus window-budget-safe
replication of last-chance units.  The abstract state is WC-SGC's,

    ``(c, p)``: ``c[h]`` = how many workers have record ``h`` of the last ``W - 1`` rounds;
    ``p[a - 1]`` = pending units of age ``a = 1 .. T``,

and the abstraction is exact by **equivariance** alone: the scheme orders the workers by
(safe or exposed, record, index) and what a worker computes depends only on its place in that
order and on ``(c, p)``; the window budget ``b = lam - (n - c[0])`` and the replication layout
depend on ``(c, p)`` only.  So two concrete states with equal ``(c, p)`` are related by a
bijection of places mapping admitted straggler sets to admitted straggler sets with the same
record counts and the same lost units: they have the same futures, failures included.

Unlike WC-SGC's automaton (:mod:`sgc_theory.verify.counts`) it uses **no** monotonicity or
dominance lemma: replication breaks them (an age-``T`` unit is protected, an age-``T - 1`` unit
on an exposed worker is not, so an *older* pending vector can be better for the scheme).  The
adversary therefore chooses, for every record that may straggle, how many workers of each
*class* straggle, a class being the workers of that record whose non-replicated units have the
same ages (within a record block the places hold consecutive stretches of the stream, so there
are few classes); every distinct outcome (stragglers per record, lost units per age) is a
transition, and every reachable state is kept.  A replicated unit is never lost: at most ``b``
fresh workers straggle under the design model, and it sits on ``b + 1`` of them.  Hence the
automaton is restricted to the scheme's design model (other models: the exact automaton at
small ``n``).  The search is breadth-first: a failure comes with a shortest counterexample,
written out worker by worker and replayed through the scheme's exact token decoder.
"""

from __future__ import annotations

from collections import deque

from ..errors import SGCError
from ..schemes.rwc_sgc import replication_layout
from .counts import _path  # the breadth-first search's parent links -> the steps to a node

__all__ = ["RWCSGCCounts", "BASIS", "token_first_missed", "confirm_by_tokens"]

#: what the proof rests on (quoted in the verification result)
BASIS = (
    "exact count automaton of RWC-SGC: (workers per record of the last W - 1 rounds, pending "
    "units per age), adversary = how many workers of each (record, class of equal work) "
    "straggle, every reachable state kept (exact by equivariance; no monotonicity or "
    "dominance assumed; replicated units never lost under the design model)"
)


class RWCSGCCounts:
    """The count automaton of ``scheme`` (an :class:`~sgc_theory.schemes.RWCSGC`) under its
    design model (the only model it accepts)."""

    def __init__(self, scheme, model=None):
        design = scheme.design_model
        if model is not None and (
            type(model) is not type(design)
            or (model.n, model.B, model.W, model.lam) != (design.n, design.B, design.W, design.lam)
        ):
            raise SGCError(
                f"RWC-SGC's count automaton runs under the scheme's design model {design!r} "
                f"only (got {model!r}): its replicas are safe by that model's window budget; "
                "use method='automaton' (exact algebra) at small n"
            )
        self.scheme, self.model = scheme, design
        self.n, self.P, self.K, self.T, self.lam = (
            scheme.n,
            scheme.P,
            scheme.K,
            scheme.T,
            scheme.lam,
        )
        self.H = 1 << (scheme.W - 1)
        full = (1 << scheme.W) - 1
        self.row = [design.row_ok(((h << 1) | 1) & full) for h in range(self.H)]
        self.hmask = self.H - 1

    def initial(self):
        return ((self.n,) + (0,) * (self.H - 1), (0,) * self.T)

    def blocks(self, state):
        """The round's layout: ``(classes, carry, failed)``.  ``classes`` lists, per record that
        may straggle, ``(h, cap, [(place, count, lost_by_age), ...])``: ``cap`` the most workers
        of record ``h`` that may straggle, each class ``count`` workers from place ``place`` of
        the order, each holding ``lost_by_age`` (non-replicated units per age ``0 .. T``).
        ``carry`` = units per age that do not fit; ``failed`` when a unit of age ``T`` cannot
        be protected (it does not fit, or sits on a worker that may straggle)."""
        c, p = state
        P, T, n = self.P, self.T, self.n
        active = n - c[0]
        budget = self.lam - active
        keys = sorted((self.row[h] and (h != 0 or budget > 0), -h) for h in range(self.H) if c[h])
        nsafe = sum(c[-mh] for exp, mh in keys if not exp)
        f = c[0] if budget >= 1 else 0
        S = nsafe * P
        x, copies = replication_layout(f, P, p[T - 1] - S, budget)
        # the stream without the replicated units: runs of (age, count), oldest first
        runs = [[a, p[a - 1]] for a in range(T, 0, -1)] + [[0, self.K]]
        runs[0][1] -= x
        runs = [r for r in runs if r[1] > 0]
        pos, place, out = 0, 0, []
        for exposed, mh in keys:
            h = -mh
            if h == 0 and f:
                q = copies[0] if copies else 0
                parts = [(f - sum(1 for y in copies if y > q), P - q)]
                parts.append((f - parts[0][0], P - q - 1))
            else:
                parts = [(c[h], P)]
            cls = []
            for cnt, slots in parts:
                if cnt:
                    cls.extend(_classes(runs, pos, cnt, slots, place, T))
                    pos += cnt * slots
                    place += cnt
            if exposed:
                cap = c[h] if h else min(c[0], budget)
                out.append((h, cap, cls))
        carry = [0] * (T + 1)
        for a, lo, hi in _spans(runs):
            if hi > pos:
                carry[a] += hi - max(lo, pos)
        failed = carry[T] > 0 or any(
            cap > 0 and lost[T] > 0 for _, cap, cls in out for _, _, lost in cls
        )
        return out, carry, failed

    def successors(self, state):
        """``(failed, [(next_state, choice), ...])``: ``choice`` lists ``(place, k)``: the
        first ``k`` workers from ``place`` of the order straggle.  When ``failed`` the list
        holds one failing ``choice`` (``next_state`` ``None``)."""
        out, carry, failed = self.blocks(state)
        T = self.T
        if failed:
            if carry[T] > 0:
                return True, [(None, ())]
            for _, cap, cls in out:
                for place, _, lost in cls:
                    if cap > 0 and lost[T] > 0:
                        return True, [(None, ((place, 1),))]
        per_record = []
        for h, cap, cls in out:
            opts = {(0, (0,) * T): ()}
            for place, cnt, lost in cls:
                new = dict(opts)
                for (xh, loss), ch in opts.items():
                    for k in range(1, min(cnt, cap - xh) + 1):
                        key = (xh + k, tuple(v + k * w for v, w in zip(loss, lost[:T])))
                        new.setdefault(key, ch + ((place, k),))
                opts = new
            per_record.append((h, list(opts.items())))
        return False, list(self._combine(state[0], per_record, carry))

    def _combine(self, c, per_record, carry):
        T, H, hmask = self.T, self.H, self.hmask
        base = [0] * H
        for h in range(H):
            base[(h << 1) & hmask] += c[h]
        seen = {}
        combos = [((), (0,) * T, ())]
        for h, opts in per_record:
            combos = [
                (xs + ((h, xh),), tuple(a + b for a, b in zip(loss, l2)), ch + ch2)
                for xs, loss, ch in combos
                for (xh, l2), ch2 in opts
            ]
        for xs, loss, ch in combos:
            nc = list(base)
            for h, xh in xs:
                nc[(h << 1) & hmask] -= xh
                nc[((h << 1) | 1) & hmask] += xh
            np_ = tuple(loss[a] + carry[a] for a in range(T))
            nxt = (tuple(nc), np_)
            if nxt not in seen:
                seen[nxt] = ch
        return [(s, ch) for s, ch in seen.items()]

    def explore(self, meter=None, progress=None, max_states=None):
        """Breadth-first search over every reachable state.  Returns ``(ok, states, steps)``:
        ``steps`` = the choices of a shortest failing path (``None`` when proved)."""
        root = self.initial()
        parent = {root: None}
        queue = deque([root])
        unit = 2 + self.T
        while queue:
            state = queue.popleft()
            failed, succ = self.successors(state)
            if meter is not None:
                meter.charge(unit * max(1, len(succ)))
            if failed:
                return False, len(parent), _path(parent, state) + [succ[0][1]]
            for nxt, ch in succ:
                if nxt in parent:
                    continue
                parent[nxt] = (state, ch)
                queue.append(nxt)
                if progress is not None:
                    progress.update(1)
            if max_states is not None and len(parent) > max_states:
                from ..budget import StateLimitError

                raise StateLimitError(f"more than max_states={max_states} count states")
        return True, len(parent), None

    def concretize(self, steps):
        """Bitmasks of a concrete admitted pattern taking the given steps."""
        from ..schemes.wc_sgc import worker_order

        design = self.model
        hist = design.initial_state()
        masks = []
        for choice in steps:
            order, _ = worker_order(design, hist)
            mask = 0
            for place, k in choice:
                for i in order[place : place + k]:
                    mask |= 1 << i
            masks.append(mask)
            hist = design.advance(hist, mask)
        return masks


def _spans(runs):
    """``(age, lo, hi)`` stream positions of each run."""
    pos = 0
    for a, cnt in runs:
        yield a, pos, pos + cnt
        pos += cnt


def _classes(runs, start, cnt, slots, place, T):
    """Classes of ``cnt`` consecutive workers with ``slots`` slots each, filling the stream from
    position ``start``: ``[(place, count, units per age 0..T)]``, equal consecutive workers
    merged."""
    spans = list(_spans(runs))
    out: list = []
    k = 0
    while k < cnt:
        lo = start + k * slots
        prof = _profile(spans, lo, lo + slots, T)
        # how many following workers have the same profile: jump within one run when pure
        step = 1
        if slots > 0:
            run = next(((a, a_lo, a_hi) for a, a_lo, a_hi in spans if a_lo <= lo < a_hi), None)
            if run is not None and lo + slots <= run[2]:
                step = max(1, min(cnt - k, (run[2] - lo) // slots))
            elif run is None:  # past the stream: empty workers
                step = cnt - k
        if out and out[-1][2] == prof and out[-1][0] + out[-1][1] == place + k:
            out[-1] = (out[-1][0], out[-1][1] + step, prof)
        else:
            out.append((place + k, step, prof))
        k += step
    return out


def _profile(spans, lo, hi, T):
    prof = [0] * (T + 1)
    for a, a_lo, a_hi in spans:
        s, e = max(lo, a_lo), min(hi, a_hi)
        if e > s:
            prof[a] += e - s
    return tuple(prof)


def verify_rwc_counts(scheme, model, progress=False, max_states=None):
    """RWC-SGC for all horizons on its exact count automaton: a
    :class:`~sgc_theory.verify.result.VerificationResult` (``method="counts"``); a failure's
    counterexample is replayed through the scheme's exact token decoder."""
    import time

    from ..budget import Meter
    from .result import VerificationResult

    t0 = time.perf_counter()
    auto = RWCSGCCounts(scheme, model)
    meter = Meter(f"the count automaton of {scheme!r} under {auto.model!r} for all horizons")
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(desc=f"verify {scheme.name}", unit=" states", leave=False)
    try:
        ok, states, steps = auto.explore(meter, bar, max_states)
    finally:
        if bar is not None:
            bar.close()
    res = VerificationResult(ok=ok, method="counts", scheme=scheme, model=auto.model)
    res.states, res.basis = states, BASIS
    res.notes.append(
        "decodability decided per unit: RWC-SGC is uncoded, a job decodes iff each of its "
        "units arrived from some worker (exact, no code assumed)"
    )
    if not ok:
        confirm_by_tokens(res, auto.concretize(steps))
    res.seconds = time.perf_counter() - t0
    return res


def token_first_missed(scheme, pattern):
    """The first job that misses its deadline when ``scheme``'s token rule (``decode_rounds``:
    result counts) decodes under ``pattern`` (workers x rounds, ``True`` = straggler), or
    ``None``; exact for an uncoded scheme (WC-SGC, RWC-SGC), else only sufficient."""
    R = pattern.shape[1]
    rounds = scheme.decode_rounds(pattern, R)
    for t, d in enumerate(rounds):
        if t + scheme.T < R and (d is None or d > t + scheme.T):
            return t
    return None


def confirm_by_tokens(res, masks):
    """Write a count automaton's shortest counterexample ``masks`` (the stragglers of each
    round) into the failing verdict ``res`` of an uncoded scheme, replayed through its exact
    token decoder (shared by WC-SGC's and RWC-SGC's count automata)."""
    from . import exact

    res.counterexample = exact._pattern(res.scheme.n, masks)
    missed = token_first_missed(res.scheme, res.counterexample)
    res.failed_job, res.confirmed = missed, missed is not None
    res.confirmation = (
        "the scheme's exact token decoder (uncoded units), on the automaton's own "
        "shortest counterexample"
    )
