"""WC-SGC's exact breadth-first search on counts, one whole layer at a time.

The same search as :meth:`sgc_theory.verify.counts.WCSGCCounts.explore` (exact pending vectors,
a state dominated by a kept state with the same record counts not expanded), with the
transitions of a whole layer evaluated by the kernel of :mod:`sgc_theory.verify.count_kernel`
on the quotient by interchangeable safe records (an exact bisimulation,
``count_join.merged_records``).  It decides exactly: a state dropped by
dominance has only failures that the dominating state has too, with paths of the same length
(the monotonicity and dominance lemmas of docs/guide/verification.md), and a dominating state
is kept at the same or an earlier depth, so the first failing layer is the length of a shortest
counterexample.  The failing path is then written out on the raw record counts by replaying it
through :meth:`~sgc_theory.verify.counts.WCSGCCounts.successors` (one state per round), ready
for :meth:`~sgc_theory.verify.counts.WCSGCCounts.concretize`.

Dominance inside a layer: candidates with the same record counts are compared pairwise (the
groups are small); a candidate is dropped when a kept state, or another candidate that is
strictly larger or equal and earlier, dominates it.  Every dropped candidate is dominated by a
surviving one (the relation is acyclic: the sum of the tail sums grows, or stays and the
position decreases).
"""

from __future__ import annotations

import numpy as np

from ..errors import SGCError
from .count_join import _chunks, _Codec, _layout
from .count_kernel import expand, failing

__all__ = ["batch_explore"]


def _survivors(keys, Q, old):
    """Mask of the rows not dominated: ``old`` rows always survive; a new row is dropped when
    another row with the same key dominates it (strictly, or equal and earlier)."""
    order = np.lexsort((~old, keys))  # by key, the kept (old) rows of a key first
    k, q, o = keys[order], Q[order], old[order]
    start = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    first = np.repeat(start, np.diff(np.r_[start, len(k)]))  # first position of each key
    drop = np.zeros(len(k), dtype=bool)
    new = np.flatnonzero(~o)
    cnt = new - first[new]  # the rows of the same key before each new row
    for lo, hi in _chunks(cnt, 1 << 20):
        c = cnt[lo:hi]
        j = np.repeat(new[lo:hi], c)
        i = np.arange(int(c.sum()), dtype=np.int64) - np.repeat(np.cumsum(c) - c, c)
        i += np.repeat(first[new[lo:hi]], c)
        le = (q[j] <= q[i]).all(axis=1)  # j below the earlier i: drop j
        drop[j[le]] = True
        lt = ~le & (q[i] <= q[j]).all(axis=1) & ~o[i]  # a new i strictly below j: drop i
        drop[i[lt]] = True
    out = np.ones(len(k), dtype=bool)
    out[order] = ~drop
    return out


def _distinct_rows(keys, Q):
    """Indices (increasing) of the first occurrence of every distinct row ``(key, Q)``: rows are
    grouped by a 64-bit hash, and a row that differs from its hash's first row is kept too
    (so a collision never loses a row; it may keep a duplicate, which dominance then drops)."""
    h = keys.view(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for a in range(Q.shape[1]):
        h = (h ^ Q[:, a].view(np.uint64)) * np.uint64(0xBF58476D1CE4E5B9 + 2 * a)
    _, idx, inv = np.unique(h, return_index=True, return_inverse=True)
    rep = idx[inv]
    keep = (keys != keys[rep]) | (Q != Q[rep]).any(axis=1)
    keep[idx] = True
    return np.flatnonzero(keep)


def batch_explore(auto, meter=None, progress=None, unit: int = 1):
    """Returns ``(ok, states, steps)`` like :meth:`WCSGCCounts.explore`: ``states`` = states
    kept, ``steps`` = stragglers per raw record of a shortest failing path (``None`` when
    proved)."""
    codec = _Codec(auto)
    if not codec.ok:
        raise SGCError("the record counts do not fit an int64 key; use WCSGCCounts.explore")
    root_c, root_t = auto.initial()
    keys = codec.key(np.array([root_c], dtype=np.int64))
    Q = np.array([root_t], dtype=np.int64).reshape(1, auto.T)
    all_keys, all_Q, all_parent = [keys], [Q], [np.array([-1])]
    ids = np.array([0])
    size = 1
    while len(keys):
        C = codec.rows(keys)
        first, cap = _layout(auto, C)
        bad = failing(auto, Q, first, cap)
        if bad.any():
            return False, size, _steps(auto, codec, all_keys, all_Q, all_parent, ids[bad][0])
        counts = np.prod(cap + 1, axis=1)
        nk, nq, par = [], [], []
        for a, b in _chunks(counts):
            if meter is not None:
                meter.charge(unit * int(counts[a:b].sum()))
            base = np.zeros_like(C[a:b])
            for h in range(auto.H):
                base[:, (h << 1) & auto.hmask] += C[a:b, h]
            _, k, cols = expand(auto, codec, C[a:b], Q[a:b], first[a:b], cap[a:b], codec.key(base))
            nk.append(k)
            nq.append(np.stack(cols, axis=1))
            par.append(np.repeat(ids[a:b], counts[a:b]))
        keys, Q, parent = np.concatenate(nk), np.concatenate(nq), np.concatenate(par)
        # exact duplicates first (cheap), then dominance against the kept states and each other
        first_of = _distinct_rows(keys, Q)
        keys, Q, parent = keys[first_of], Q[first_of], parent[first_of]
        seen_k, seen_Q = np.concatenate(all_keys), np.concatenate(all_Q)
        near = np.isin(seen_k, keys)
        K2 = np.concatenate([seen_k[near], keys])
        Q2 = np.concatenate([seen_Q[near], Q])
        old = np.zeros(len(K2), dtype=bool)
        old[: int(near.sum())] = True
        keep = _survivors(K2, Q2, old)[int(near.sum()) :]
        keys, Q, parent = keys[keep], Q[keep], parent[keep]
        ids = np.arange(size, size + len(keys))
        size += len(keys)
        all_keys.append(keys)
        all_Q.append(Q)
        all_parent.append(parent)
        if progress is not None:
            progress.update(len(keys))
    return True, size, None


def _steps(auto, codec, all_keys, all_Q, all_parent, last):
    """Stragglers per raw record of the path from the root to state ``last`` and on to a
    failing transition, replayed on raw record counts."""
    keys, Q, parent = (np.concatenate(x) for x in (all_keys, all_Q, all_parent))
    path = [last]
    while parent[path[-1]] >= 0:
        path.append(int(parent[path[-1]]))
    path.reverse()
    state, steps = auto.initial(), []
    for i in path[1:]:
        want_k, want_q = int(keys[i]), tuple(Q[i].tolist())
        for x, nxt, bad in auto.successors(state):
            if bad is None and nxt[1] == want_q and _key(codec, nxt[0]) == want_k:
                steps.append(x)
                state = nxt
                break
        else:  # pragma: no cover - the quotient is a bisimulation
            raise AssertionError("a layer's state has no raw predecessor")
    for x, _, bad in auto.successors(state):
        if bad is not None:
            return steps + [x]
    raise AssertionError("the failing state has no failing transition")  # pragma: no cover


def _key(codec, c):
    return int(codec.key(np.array([c], dtype=np.int64))[0])
