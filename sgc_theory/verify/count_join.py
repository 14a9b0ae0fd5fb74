"""WC-SGC's join proof on counts, vectorized over whole frontiers of record counts.

The join proof of :mod:`sgc_theory.verify.counts` keeps, for every record count ``c`` (how many
workers have each record of the last ``W - 1`` rounds), one pending vector: the tail-sum maximum
(join) of every pending vector reached with ``c``.  By the monotonicity lemma every reachable
state is dominated by the join of its ``c``, so a fixpoint with no failing transition proves
WC-SGC for all horizons (the lemmas are stated and proved in docs/guide/verification.md).

This module computes that fixpoint on the quotient of the record counts by *interchangeable
safe records* (``merged_records``, an exact bisimulation), and evaluates every transition of
a batch of record counts at once with integer numpy arithmetic, so its cost per transition is a
few array operations instead of a Python loop: by default with the kernel of
:mod:`sgc_theory.verify.count_kernel` (separable loss tables, one failure test per state,
packed tail sums, a numpy hash index), or with ``kernel="reference"`` one row per transition as
described below (the tests compare the two tables entry by entry).  Without merged records it is the reference
fixpoint itself; with them each entry is the join over its class.  Tests check, on every
``(B, W)`` with ``W <= 5`` at small ``n`` (tuned ``T`` and ``K`` that fail included), the same
verdict as the reference join, and that every state the exact search reaches lies below its
class's entry:

* a transition of ``c`` is a vector ``x`` of stragglers per *mover* record (a record whose
  workers may straggle: the model's per-worker rule, and the budget of newly active workers for
  record 0), the first ``x[h]`` workers of record ``h`` in the scheme's order;
* the units of age ``>= a`` lost at the stream places ``[lo, hi)`` are
  ``max(0, min(hi, b_a) - lo)`` with ``b_a`` the number of stream units of age ``>= a`` (the stream
  is sorted oldest first), plus the units beyond the round's capacity ``n P``;
* the next pending tail sums are the lost tail sums one age older; a lost or left-out unit of
  age ``T`` is a failing transition.

All arithmetic is on int64 and exact (every count is at most ``n P + K`` units).
"""

from __future__ import annotations

import numpy as np

from ..errors import SGCError
from .count_kernel import JoinTable, expand

__all__ = ["batch_join", "forgettable_records", "simulation_moves", "PAIRS_PER_CHUNK"]

#: how many transitions are evaluated per numpy batch; a batch holds a few int64 arrays of this
#: length, small enough to stay in cache and large enough that the Python overhead is negligible
PAIRS_PER_CHUNK = 1 << 16


def _layout(auto, C):
    """Per state (rows of ``C``): first stream place of every record, and the cap (largest
    number of stragglers) of every record (0 for a record that may not straggle)."""
    m, H = C.shape
    n = auto.n
    active = n - C[:, 0]
    # sort key of a record: (exposed, -h); exposed for h != 0 is fixed, for h = 0 per state,
    # so there are two orders of the records: the first place of a record is the number of
    # workers of the records before it
    exp0 = auto.d_row[0] & (active < auto.scheme.lam)
    first = np.zeros((m, H), dtype=np.int64)
    for e0 in (False, True):
        sel = exp0 == e0
        if not sel.any():
            continue
        exp = [e0 if h == 0 else bool(auto.d_row[h]) for h in range(H)]
        order = sorted(range(H), key=lambda h: (exp[h], -h))
        Cs = C[sel][:, order]
        first[np.ix_(np.flatnonzero(sel), order)] = np.cumsum(Cs, axis=1) - Cs
    budget = auto.model.lam - active
    cap = np.zeros((m, H), dtype=np.int64)
    ok = budget >= 0
    for h in range(H):
        if not auto.a_row[h]:
            continue
        if h:
            cap[:, h] = np.where(ok, C[:, h], 0)
        else:
            cap[:, h] = np.where(ok & (budget > 0), np.minimum(C[:, 0], np.maximum(budget, 0)), 0)
    return first, cap


def _transitions(auto, codec, C, TL, first, cap, sidx, local):
    """Keys of the next record counts, next pending tail sums and failure flags of the pairs
    ``(state sidx[k], straggler vector number local[k])``.

    The next record counts are linear in the straggler vector (a straggler of record ``h`` moves
    from record ``2h`` to ``2h + 1``, modulo the window), and so is their key."""
    P, T, H, hmask, cap_units = auto.P, auto.T, auto.H, auto.hmask, auto.n * auto.P
    b = np.empty((len(sidx), T + 1), dtype=np.int64)  # b[a] = stream units of age >= a
    b[:, 0] = TL[sidx, 0] + auto.K
    b[:, 1:] = TL[sidx]
    LT = np.maximum(b - cap_units, 0)  # units beyond the round's capacity
    base = np.zeros((len(C), H), dtype=np.int64)
    for h in range(H):
        base[:, (h << 1) & hmask] += C[:, h]
    keys = codec.key(base)[sidx]
    stride = np.ones(len(sidx), dtype=np.int64)
    for h in range(H):
        ch = cap[sidx, h]
        if not ch.any():
            continue
        x = (local // stride) % (ch + 1)
        stride = stride * (ch + 1)
        lo = first[sidx, h] * P
        LT += np.maximum(np.minimum((lo + x * P)[:, None], b) - lo[:, None], 0)
        keys += x * codec.move(h, hmask)
    failed = LT[:, T] > 0
    NT = LT[:, :T] - LT[:, T : T + 1]
    return keys, NT, failed


def merged_records(auto) -> list[int]:
    """``rep[h]``: the record that stands for ``h`` in the quotient by *interchangeable safe
    records* (``rep[h] = h`` when ``h`` is merged with no other).

    Records ``h != g`` are interchangeable when, for every ``k = 0 .. W - 1`` rounds without a
    straggle, their shifts ``h_k, g_k`` are equal or both nonzero and both *record-safe* (the
    scheme places them in its safe block and the adversary's model forbids them to straggle).
    A worker of a record-safe record never straggles, so it does not move until the shifts meet;
    both are active (nonzero) so the budget of newly active workers is the same; and the scheme's
    losses depend on its safe block only through its size (safe workers come first and never
    straggle).  So two record counts that differ by moving workers between interchangeable
    records have the same transitions, to record counts that again differ only so: the quotient
    is a bisimulation and loses nothing.  For ``B = 2, W = 4`` it merges ``010`` with ``110``
    (both become ``100``)."""
    H, hmask = auto.H, auto.hmask
    safe = [not auto.d_row[h] and not auto.a_row[h] for h in range(H)]

    def alike(h, g):
        for _ in range(auto.scheme.W):
            if h != g and not (h and g and safe[h] and safe[g]):
                return False
            h, g = (h << 1) & hmask, (g << 1) & hmask
        return True

    rep = list(range(H))
    for h in range(H):
        for g in range(h + 1, H):
            if alike(h, g):
                rep[h] = max(rep[h], g)
    for h in range(H):  # point every record at the largest of its class
        while rep[rep[h]] != rep[h]:
            rep[h] = rep[rep[h]]
    return rep


class _Codec:
    """Record counts as int64 keys, up to the merge of interchangeable safe records: the counts
    of the representative records other than ``0`` as digits (record 0 is ``n`` minus the
    others).  A nonzero record holds at most the workers active in the window, at most the
    model's ``lam``: the base is one more."""

    def __init__(self, auto):
        self.n, self.H = auto.n, auto.H
        self.rep = merged_records(auto)
        self.digits = sorted({r for r in self.rep if r})
        self.base = min(auto.n, max(auto.model.lam, 0)) + 1
        pos = {r: self.base ** (len(self.digits) - 1 - i) for i, r in enumerate(self.digits)}
        self.w = [pos.get(self.rep[h], 0) for h in range(self.H)]
        self.ok = self.base ** len(self.digits) < 2**62

    def key(self, C):
        k = np.zeros(len(C), dtype=np.int64)
        for h in range(1, self.H):
            if self.w[h]:
                k += C[:, h] * self.w[h]
        return k

    def move(self, h, hmask):
        return self.w[((h << 1) | 1) & hmask] - self.w[(h << 1) & hmask]

    def rows(self, keys):
        """Canonical record counts of ``keys`` (every class's workers on its representative)."""
        C = np.zeros((len(keys), self.H), dtype=np.int64)
        k = keys.copy()
        for r in reversed(self.digits):
            C[:, r] = k % self.base
            k //= self.base
        C[:, 0] = self.n - C[:, 1:].sum(axis=1)
        return C


def simulation_moves(auto) -> list[tuple[int, int]]:
    """Pairs ``(h, g)`` of records such that moving one worker from ``h`` to ``g`` gives a
    state at least as strong for the adversary (the simulation lemma of
    docs/guide/verification.md): ``h`` is record-safe and nonzero, and either ``g = 0`` with
    ``h`` forgettable, or ``g`` is nonzero, comes no earlier in the scheme's order (safe, or a
    record that may straggle) and the shifts of ``h`` and ``g`` (``g`` not straggling) are equal
    or again such a pair.  Cyclic pairs are dropped, so every move lowers a rank.  Empty unless
    the model is the scheme's design model up to the records it lets straggle."""
    forget = set(forgettable_records(auto))
    if not forget:
        return []
    H, hmask = auto.H, auto.hmask
    safe = [not auto.d_row[h] and not auto.a_row[h] for h in range(H)]

    def rel(h, g):
        if h == g:
            return True
        if g == 0:
            return h in forget
        if h == 0 or not safe[h]:
            return False
        return rel((h << 1) & hmask, (g << 1) & hmask)

    pairs = {(h, g) for h in range(1, H) for g in range(H) if h != g and rel(h, g)}
    return sorted((h, g) for h, g in pairs if (g, h) not in pairs)


def _move_digits(auto, codec):
    """The moves of :func:`simulation_moves` between representatives, valid for every record
    of the source class (a canonical row holds a class's workers on its representative)."""
    moves = set(simulation_moves(auto))
    return [
        (r, g)
        for r in codec.digits
        for g in [0] + codec.digits
        if r != g and all((h, g) in moves for h in range(auto.H) if codec.rep[h] == r)
    ]


def forgettable_records(auto) -> list[int]:
    """Records ``h != 0`` whose workers may be *forgotten* (moved to record 0) by the pruning of
    :func:`batch_join`: ``h`` and every nonzero shift of it are record-safe (the scheme puts them
    in its safe block, the model forbids them to straggle).  Empty unless the model is the
    scheme's design model up to the records it lets straggle (same ``lam``, same per-record
    rule), which the simulation lemma needs (docs/guide/verification.md)."""
    if auto.model.lam != auto.scheme.lam or auto.a_row != auto.d_row:
        return []
    safe = [not auto.d_row[h] and not auto.a_row[h] for h in range(auto.H)]
    out = []
    for h in range(1, auto.H):
        g = h
        while g and safe[g]:
            g = (g << 1) & auto.hmask
        if g == 0:
            out.append(h)
    return out


def _dominated_rows(table, codec, moves, frontier, rows, C=None):
    """Mask of the frontier entries covered by a neighbour in the table: the same record counts
    after one move ``(r, g)`` of ``moves`` (a worker from record ``r`` to ``g``), whose entry is
    at least as large (tail sums).  Such an entry needs no expansion (the simulation lemma)."""
    out = np.zeros(len(frontier), dtype=bool)
    if not moves:
        return out
    C = codec.rows(frontier) if C is None else C
    J = table.entries(rows)
    for r, g in moves:
        live = np.flatnonzero((C[:, r] > 0) & ~out)
        if not len(live):
            continue
        nr = table.rows_of(frontier[live] - codec.w[r] + codec.w[g])
        hit = nr >= 0
        cov = np.zeros(len(live), dtype=bool)
        cov[hit] = (table.entries(nr[hit]) >= J[live[hit]]).all(axis=1)
        out[live[cov]] = True
    return out


def _chunks(counts, size: int = PAIRS_PER_CHUNK):
    """Split rows (states) into consecutive runs of at most ``size`` items (transitions, pairs)
    in all (a row with more alone)."""
    out, start, acc = [], 0, 0
    for i, k in enumerate(counts.tolist()):
        if acc and acc + k > size:
            out.append((start, i))
            start, acc = i, 0
        acc += k
    out.append((start, len(counts)))
    return out


def batch_join(
    auto,
    meter=None,
    unit: int = 1,
    progress=None,
    prune: bool = False,
    kernel: str = "fast",
    want_table: bool = True,
):
    """The join fixpoint of :meth:`WCSGCCounts.join_proof_reference`, vectorized.

    With ``prune``, an entry covered by a neighbour (one move of
    :func:`simulation_moves` away, an entry at least as large) is not expanded; the
    table is then a cover of the reachable states up to the simulation order, not entry by
    entry (sound by the simulation lemma of docs/guide/verification.md).  ``kernel`` is
    ``"fast"`` (:func:`sgc_theory.verify.count_kernel.expand`) or ``"reference"`` (one row per
    transition, as in the module docstring); both evaluate the same transitions.

    Returns ``(proved, record counts visited, table)``; ``table`` maps each record count (a
    tuple) to its joined pending tail sums (a tuple), for cross-checks (``None`` when a
    transition fails or ``want_table`` is false).  ``meter`` is charged ``unit`` per transition before each batch is
    evaluated.
    """
    codec = _Codec(auto)
    if not codec.ok:
        raise SGCError(
            f"the vectorized join keys record counts in base lam + 1 = {codec.base} with "
            f"{len(codec.digits)} digits, over int64; use WCSGCCounts.join_proof_reference"
        )
    if kernel not in ("fast", "reference"):
        raise SGCError(f"kernel must be 'fast' or 'reference' (got {kernel!r})")
    root_c, root_t = auto.initial()
    root = codec.key(np.array([root_c], dtype=np.int64))
    table = JoinTable(auto.T, root[0], root_t)
    forget = _move_digits(auto, codec) if prune else []
    frontier = np.zeros(1, dtype=np.int64)  # rows
    while len(frontier):
        keys = table.keys_of(frontier)
        C = codec.rows(keys)
        if forget:
            keep = ~_dominated_rows(table, codec, forget, keys, frontier, C)
            frontier, C = frontier[keep], C[keep]
            if not len(frontier):
                break
        first, cap = _layout(auto, C)
        counts = np.prod(cap + 1, axis=1)
        nxt = []
        for a, b in _chunks(counts):
            if meter is not None:
                meter.charge(unit * int(counts[a:b].sum()))
            # Gauss-Seidel: the entries as they are now; an entry that grows after this
            # expansion is expanded again in the next sweep, one that grew before is not
            r = frontier[a:b]
            table.seen[r] = table.ver[r]
            failed, keys, cols = _expand(
                kernel, auto, codec, C[a:b], table.entries(r), first[a:b], cap[a:b], counts[a:b]
            )
            if failed:
                return False, table.size, None
            nxt.append(table.merge(keys, cols))
            if progress is not None:
                progress.update(b - a)
        cand = table.distinct(np.concatenate(nxt))
        frontier = cand[table.ver[cand] > table.seen[cand]]
    rows = np.arange(table.size, dtype=np.int64)
    keys = table.keys_of(rows)
    if forget:  # every entry not expanded at its final value is still covered by a neighbour
        idle = table.ver[rows] > table.seen[rows]
        assert _dominated_rows(table, codec, forget, keys[idle], rows[idle]).all()
    if not want_table:
        return True, table.size, None
    J = table.entries(rows).tolist()
    out = {tuple(c): tuple(j) for c, j in zip(codec.rows(keys).tolist(), J)}
    return True, table.size, out


def _expand(kernel, auto, codec, C, TL, first, cap, counts):
    """``(failed, next keys, next pending tail sums per age)`` of every transition of ``C``."""
    base = np.zeros_like(C)
    for h in range(auto.H):
        base[:, (h << 1) & auto.hmask] += C[:, h]
    if kernel == "fast":
        return expand(auto, codec, C, TL, first, cap, codec.key(base))
    total = int(counts.sum())
    sidx = np.repeat(np.arange(len(C)), counts)
    local = np.arange(total, dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
    keys, NT, failed = _transitions(auto, codec, C, TL, first, cap, sidx, local)
    if failed.any():
        return True, None, None
    return False, keys, [NT[:, a] for a in range(auto.T)]
