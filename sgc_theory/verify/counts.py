"""All-horizon proof of WC-SGC on counts: an exact automaton at any ``n``
(docs/guide/verification.md, "WC-SGC on counts").

A concrete state of WC-SGC (:mod:`sgc_theory.schemes.wc_sgc`) is every worker's record of the
last ``W - 1`` rounds (bit 0 = last round) and the pending units per age.  The abstract state is

    ``(c, p)``: ``c[h]`` = how many workers have record ``h``; ``p`` = pending units per age,

and it loses nothing, because of three facts (proved in the guide):

1. **Equivariance.**  WC-SGC's worker order is by (safe or exposed, record, index), so the
   workers of one record occupy consecutive places of the order, and what a worker computes
   depends only on its place.  Two concrete states with the same ``(c, p)`` are related by a
   bijection of places that maps admitted straggler sets to admitted straggler sets with the same
   counts per record and the same lost units: they have the same futures, failures included.
2. **Monotonicity.**  Order pending vectors by their tail sums (``p <= p'`` when, for every age
   ``a``, ``p'`` has at least as many units of age ``>= a``).  Then the stream of ``p'`` is, place by
   place, at least as old and at least as long, so under the same straggler set the next pending
   vector of ``p'`` dominates that of ``p`` and a failure from ``p`` is a failure from ``p'``.
3. **Dominance.**  Among the workers of one record, making the first ``x`` of them straggle loses
   a vector that dominates the one lost by any other ``x`` of them (places earlier in the order
   hold older units, and every place holds ``P`` units until the stream ends); the next records
   are the same.

So the adversary is explored exactly by "how many workers of each record straggle" (the first
ones of each record), and a state dominated by an already seen state with the same counts ``c``
is not expanded (its failures, of the same length, are failures of the dominating one).  The
search is breadth-first: the verdict is exact, and a failure comes with a shortest counterexample
that is a real admitted pattern (written out worker by worker and replayed through the scheme's
exact token decoder).
"""

from __future__ import annotations

from collections import deque
import numpy as np

from ..errors import SGCError

__all__ = ["WCSGCCounts", "BASIS", "BASIS_JOIN"]

#: what the proof rests on (quoted in the verification result)
BASIS = (
    "exact count automaton: (workers per record of the last W - 1 rounds, pending units per "
    "age), adversary = how many workers of each record straggle; states pruned by tail-sum "
    "dominance (sound and complete by the equivariance, monotonicity and dominance lemmas of "
    "sgc_theory.verify.counts), searched layer by layer (sgc_theory.verify.count_search)"
)

#: the same, when the faster join proof (:meth:`WCSGCCounts.join_proof`) went through
BASIS_JOIN = (
    "count automaton: (workers per record of the last W - 1 rounds, pending units per age), "
    "adversary = how many workers of each record straggle; one pending vector per record "
    "count, the tail-sum maximum of all reached, iterated to a fixpoint, an entry covered by "
    "a neighbour one simulation move away not expanded (sound by the equivariance, "
    "monotonicity and dominance lemmas of sgc_theory.verify.counts and the simulation lemma "
    "of sgc_theory.verify.count_join); transitions evaluated by the exact kernel of "
    "sgc_theory.verify.count_kernel (separable losses, one failure test per state)"
)


class WCSGCCounts:
    """The count automaton of ``scheme`` (a :class:`~sgc_theory.schemes.WCSGC`) under ``model``
    (a window model with the scheme's ``W``; default its design model)."""

    def __init__(self, scheme, model=None):
        model = scheme.design_model if model is None else model
        if model.W != scheme.W or model.n != scheme.n:
            raise SGCError(
                f"the count automaton needs a model with the scheme's W={scheme.W} and "
                f"n={scheme.n} (got {model!r}); use method='automaton' at small n"
            )
        self.scheme, self.model = scheme, model
        self.n, self.P, self.K, self.T = scheme.n, scheme.P, scheme.K, scheme.T
        self.H = 1 << (scheme.W - 1)
        full = (1 << scheme.W) - 1
        design = scheme.design_model
        self.d_row = [design.row_ok(((h << 1) | 1) & full) for h in range(self.H)]
        self.a_row = [model.row_ok(((h << 1) | 1) & full) for h in range(self.H)]
        self.hmask = self.H - 1

    def initial(self):
        return ((self.n,) + (0,) * (self.H - 1), (0,) * self.T)

    def _layout(self, c):
        """Places of each record in the worker order: ``{h: first place}`` and the records that
        may straggle with their caps, plus the budget of newly active workers."""
        active = self.n - c[0]
        dl, al = self.scheme.lam, self.model.lam
        keys = sorted(
            (self.d_row[h] and (h != 0 or active < dl), -h) for h in range(self.H) if c[h]
        )
        first, place = {}, 0
        for _, mh in keys:
            first[-mh] = place
            place += c[-mh]
        budget = al - active
        movers = [
            h
            for h in range(self.H)
            if c[h] and self.a_row[h] and (h != 0 or budget > 0) and budget >= 0
        ]
        return first, movers, budget

    def _ages(self, tails, lo, hi):
        """Units of each age ``0 .. T`` at stream places ``[lo, hi)``."""
        T = self.T
        out = [0] * (T + 1)
        top = tails[0] + self.K  # stream length
        bounds = [top] + list(tails) + [0]  # places [bounds[a+1], bounds[a]) hold age a
        for a in range(T + 1):
            s, e = max(lo, bounds[a + 1]), min(hi, bounds[a])
            if e > s:
                out[a] = e - s
        return out

    def table(self, state):
        """Every transition of ``state`` at once (numpy): ``(movers, X, NC, NT, failed)`` with
        ``X[k]`` the stragglers of each mover record, ``NC[k]`` the next record counts,
        ``NT[k]`` the next pending tail sums and ``failed[k]`` whether a unit of age ``T`` is
        lost or left out."""
        c, tails = state
        P, T, H, hmask = self.P, self.T, self.H, self.hmask
        first, movers, budget = self._layout(c)
        cap = self.n * P
        lost = np.array(self._ages(tails, cap, tails[0] + self.K), dtype=np.int64)
        tops = []
        for k, h in enumerate(movers):
            top = c[h] if h else min(c[h], budget)
            o = first[h] * P
            L = np.array([self._ages(tails, o, o + x * P) for x in range(top + 1)], np.int64)
            shape = [1] * len(movers) + [T + 1]
            shape[k] = top + 1
            lost = lost + L.reshape(shape)
            tops.append(top + 1)
        flat = lost.reshape(-1, T + 1)
        X = np.indices(tops).reshape(len(movers), -1).T if movers else np.zeros((1, 0), int)
        NT = np.flip(np.cumsum(np.flip(flat[:, :T], 1), 1), 1)  # new age a + 1 = old age a
        base = np.zeros(H, np.int64)
        D = np.zeros((len(movers), H), np.int64)
        for h in range(H):
            base[(h << 1) & hmask] += c[h]
        for k, h in enumerate(movers):
            D[k, (h << 1) & hmask] -= 1
            D[k, ((h << 1) | 1) & hmask] += 1
        NC = base + X @ D
        return movers, X, NC, NT, flat[:, T] > 0

    def successors(self, state):
        """Yield ``(x, next_state, failed_age)``: ``x`` = stragglers per record (a tuple over
        records), ``failed_age`` = ``T`` when a unit of age ``T`` is lost or left out."""
        movers, X, NC, NT, failed = self.table(state)
        for xs, nc, nt, bad in zip(X.tolist(), NC.tolist(), NT.tolist(), failed.tolist()):
            x_of = [0] * self.H
            for h, x in zip(movers, xs):
                x_of[h] = x
            if bad:
                yield tuple(x_of), None, self.T
            else:
                yield tuple(x_of), (tuple(nc), tuple(nt)), None

    def explore(self, meter=None, progress=None):
        """Breadth-first search with dominance pruning.

        Returns ``(ok, states, steps)``: ``states`` = expanded states, ``steps`` = the
        stragglers-per-record vectors of a shortest failing path (``None`` when proved).
        """
        root = self.initial()
        parent = {root: None}
        kept: dict = {root[0]: [root[1]]}
        queue = deque([root])
        unit = 2 + self.T
        while queue:
            state = queue.popleft()
            for x, nxt, failed in self.successors(state):
                if meter is not None:
                    meter.charge(unit)
                if failed is not None:
                    return False, len(parent), _path(parent, state) + [x]
                if nxt in parent or _dominated(kept.setdefault(nxt[0], []), nxt[1]):
                    continue
                kept[nxt[0]].append(nxt[1])
                parent[nxt] = (state, x)
                queue.append(nxt)
                if progress is not None:
                    progress.update(1)
        return True, len(parent), None

    def search(self, meter=None, progress=None):
        """:meth:`explore`, one whole layer at a time (:func:`sgc_theory.verify.count_search.batch_explore`:
        the same exact verdict and a shortest counterexample; the tests compare the two), or
        :meth:`explore` itself when the record counts do not fit an int64 key."""
        from .count_join import _Codec
        from .count_search import batch_explore

        if not _Codec(self).ok:
            return self.explore(meter, progress)
        return batch_explore(self, meter, progress)

    def join_proof(self, meter=None, progress=None):
        """The join proof below (:meth:`join_proof_reference`), evaluated on whole frontiers at
        once by :func:`sgc_theory.verify.count_join.batch_join`, on the exact quotient by
        interchangeable safe records, pruned by the simulation lemma (same verdict; tests
        compare it with the reference).  Returns ``(proved, record counts visited)``."""
        from .count_join import batch_join

        ok, states, _ = batch_join(self, meter, progress=progress, prune=True, want_table=False)
        return ok, states

    def join_proof_reference(self, meter=None):
        """A faster sufficient proof: one pending vector per record count ``c``, the tail-sum
        maximum (join) of every pending vector reached with ``c``, iterated to a fixpoint.

        By monotonicity every reachable state is dominated by the join of its ``c``, and a
        state with no failing transition from the join has none from what it dominates; so
        ``True`` proves the scheme.  ``False`` only says the join is too coarse (then
        :meth:`explore` decides exactly).  Returns ``(proved, record counts visited)``.
        """
        root = self.initial()
        join = {root[0]: root[1]}
        todo = deque([root[0]])
        queued = {root[0]}
        unit = 2 + self.T
        while todo:
            c = todo.popleft()
            queued.discard(c)
            _, X, NC, NT, failed = self.table((c, join[c]))
            if meter is not None:
                meter.charge(unit * len(X))
            if failed.any():
                return False, len(join)
            for nc, nt in zip(map(tuple, NC.tolist()), map(tuple, NT.tolist())):
                old = join.get(nc)
                if old is not None:
                    if all(a <= b for a, b in zip(nt, old)):
                        continue
                    nt = tuple(max(a, b) for a, b in zip(nt, old))
                join[nc] = nt
                if nc not in queued:
                    queued.add(nc)
                    todo.append(nc)
        return True, len(join)

    def concretize(self, steps):
        """Bitmasks of a concrete admitted pattern taking the given steps: in each round the
        first ``x[h]`` workers (in WC-SGC's order) of every record ``h`` straggle."""
        from ..schemes.wc_sgc import worker_order

        design = self.scheme.design_model
        hist = design.initial_state()
        masks = []
        for x in steps:
            order, _ = worker_order(design, hist)
            want = list(x)
            mask = 0
            for i in order:
                h = design._worker_hist(hist, i)
                if want[h]:
                    want[h] -= 1
                    mask |= 1 << i
            masks.append(mask)
            hist = design.advance(hist, mask)
        return masks


def _dominated(seen: list, tails: tuple) -> bool:
    for s in seen:
        if all(a <= b for a, b in zip(tails, s)):
            return True
    return False


def _path(parent, node):
    out = []
    while parent[node] is not None:
        node, x = parent[node]
        out.append(x)
    out.reverse()
    return out
