"""The fast kernel of WC-SGC's join proof on counts (:mod:`sgc_theory.verify.count_join`).

It evaluates the same transitions as ``count_join._transitions`` and joins them into the same
table; only the arithmetic is organised differently (the tests compare the two tables entry by
entry).  Three facts make it cheap, each exact:

* **Separable losses.**  A transition of a record count ``c`` is a vector ``x`` of stragglers per
  mover record, and the first ``x[h]`` workers of record ``h`` lose the stream places
  ``[lo_h, lo_h + x[h] P)``.  The lost tail sums are the sum, over the movers, of a table
  ``L_h[x]`` (one row per ``x = 0 .. cap_h``), plus the units beyond the round's capacity; the
  next key is the state's key plus ``x[h]`` times a constant per mover.  The movers are split in
  two groups ``A`` and ``B``; the sums over each group are tabulated per state, and an edge is
  one entry of each table: two gathers and two additions.
* **Failure per state.**  Every term is nonnegative and ``L_h[x]`` grows with ``x``, so some
  transition of ``c`` loses a unit of age ``T`` iff the capacity overflow or some ``L_h[cap_h]``
  does.  No edge is checked one by one; an edge of a state that does not fail loses nothing of
  age ``T``, so its next pending tail sums are its lost tail sums of ages ``0 .. T - 1``.
* **Packed tail sums.**  The straggler blocks and the overflow are disjoint stretches of the
  stream, so each lost tail sum of an edge is at most the stream length ``b_0``; with
  ``2^bits > b_0`` the ``T`` tail sums are packed in ``bits``-bit fields of int64 words, and
  adding packed words adds the fields without carries.

The table maps keys to rows with an open-addressing hash on numpy arrays (no Python loop per
key), and joins by ``np.maximum.at`` per age.
"""

from __future__ import annotations

import numpy as np

__all__ = ["HashIndex", "JoinTable", "expand", "failing"]

_MUL = np.uint64(0x9E3779B97F4A7C15)

#: bits of an int64 word the packed tail sums may use (the sign bit stays clear)
WORD_BITS = 63


class HashIndex:
    """Distinct nonnegative int64 keys -> rows ``0, 1, ...`` in insertion order (linear probing,
    load at most one half; rows are stored as int32, far above any table the budget admits)."""

    def __init__(self, bits: int = 12):
        self._alloc(bits)
        self.size = 0

    def _alloc(self, bits):
        self.bits = bits
        self.mask = (1 << bits) - 1
        self.keys = np.full(1 << bits, -1, dtype=np.int64)
        self.vals = np.full(1 << bits, -1, dtype=np.int32)

    def _slot(self, keys):
        return ((keys.view(np.uint64) * _MUL) >> np.uint64(64 - self.bits)).view(np.int64)

    def get(self, keys):
        """Rows of ``keys`` (``-1`` for a key not stored)."""
        slot = self._slot(keys)
        have = self.keys[slot]
        out = self.vals[slot]
        hit = have == keys
        go = np.flatnonzero(~hit)
        out[go] = -1
        while len(go):  # the keys not at their first slot: probe on
            go = go[self.keys[slot[go]] != -1]
            slot[go] = (slot[go] + 1) & self.mask
            have = self.keys[slot[go]]
            hit = have == keys[go]
            out[go[hit]] = self.vals[slot[go[hit]]]
            go = go[~hit]
        return out

    def add(self, keys):
        """Store ``keys`` (distinct, none stored yet); return their rows."""
        rows = np.arange(self.size, self.size + len(keys), dtype=np.int64)
        self.size += len(keys)
        if 2 * self.size > len(self.keys):
            old = self.keys[self.keys >= 0], self.vals[self.keys >= 0]
            bits = self.bits
            while 2 * self.size > (1 << bits):
                bits += 1
            self._alloc(bits)
            self._put(*old)
        self._put(keys, rows)
        return rows

    def _put(self, keys, rows):
        slot = self._slot(keys)
        while len(keys):
            free = self.keys[slot] == -1
            self.keys[slot[free]] = keys[free]  # several keys may claim one slot: one wins
            won = self.keys[slot] == keys
            self.vals[slot[won]] = rows[won]
            keys, rows, slot = keys[~won], rows[~won], (slot[~won] + 1) & self.mask


class JoinTable:
    """The join table: key -> row, the joined pending tail sums of every row (one column per
    age, ``J[a]``), and versions (bumped when an entry grows) for the fixpoint."""

    def __init__(self, T, root_key, root_t):
        self.index = HashIndex()
        self.T = T
        self.J = np.zeros((T, 1024), dtype=np.int64)
        self.ver = np.zeros(1024, dtype=np.int64)
        self.seen = np.full(1024, -1, dtype=np.int64)
        self.key = np.zeros(1024, dtype=np.int64)
        self.mark = np.zeros(1024, dtype=bool)  # scratch: rows touched by a merge
        self.index.add(np.array([root_key], dtype=np.int64))
        self.key[0] = root_key
        self.J[:, 0] = root_t

    @property
    def size(self):
        return self.index.size

    def keys_of(self, rows):
        return self.key[rows]

    def distinct(self, rows):
        """``rows`` without repetitions, in increasing order."""
        self.mark[rows] = True
        out = np.flatnonzero(self.mark[: self.size])
        self.mark[out] = False
        return out

    def rows_of(self, keys):
        return self.index.get(keys)

    def entries(self, rows):
        """Joined tail sums of ``rows``, one row each (shape ``(len(rows), T)``)."""
        return self.J[:, rows].T

    def _grow(self, need):
        if need <= self.J.shape[1]:
            return
        size = max(need, 2 * self.J.shape[1])
        J = np.zeros((self.T, size), dtype=np.int64)
        J[:, : self.J.shape[1]] = self.J
        ver, seen = np.zeros(size, np.int64), np.full(size, -1, np.int64)
        key = np.zeros(size, np.int64)
        ver[: len(self.ver)], seen[: len(self.seen)], key[: len(self.key)] = (
            self.ver,
            self.seen,
            self.key,
        )
        self.J, self.ver, self.seen, self.key = J, ver, seen, key
        self.mark = np.zeros(size, dtype=bool)

    def merge(self, keys, cols):
        """Join the pending tail sums ``cols[a]`` (one array per age) reached with ``keys``;
        return the rows whose entry grew or is new (possibly repeated).  An entry grows iff
        some edge exceeds its value before the merge in some age."""
        rows = self.index.get(keys)
        new = rows < 0
        fresh = np.zeros(0, dtype=np.int64)
        if new.any():  # (a merge's new keys are few: most edges reach known entries)
            uk, inv = np.unique(keys[new], return_inverse=True)
            fresh = self.index.add(uk)
            self._grow(self.size)
            self.key[fresh] = uk
            rows[new] = fresh[inv]
        up = np.zeros(len(rows), dtype=bool)
        for a in range(self.T):
            up |= cols[a] > self.J[a][rows]
        for a in range(self.T):
            np.maximum.at(self.J[a], rows, cols[a])
        grew = rows[up]
        self.ver[grew] += 1
        self.ver[fresh] += 1
        return np.concatenate([grew, fresh])


def _lost(b, lo, x, P):
    """Lost tail sums (ages ``0 .. T``, one column each) of ``x`` stragglers from stream place
    ``lo`` on, with ``b`` the stream's tail sums (rows aligned)."""
    return np.maximum(np.minimum((lo + x * P)[:, None], b) - lo[:, None], 0)


def _leaf(auto, codec, b, first, cap, h, shift):
    """Per state the table of mover ``h``: for ``x = 0 .. cap_h`` stragglers, the lost tail
    sums of ages ``0 .. T - 1`` (packed in one word, or ``shift`` ``None``: one column each)
    and the key increment."""
    P, T, m = auto.P, auto.T, len(cap)
    cnt = cap[:, h] + 1
    sid = np.repeat(np.arange(m), cnt)
    x = np.arange(int(cnt.sum()), dtype=np.int64) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    lost = _lost(b[sid], first[sid, h] * P, x, P)[:, :T]
    return _pack(lost, shift), x * codec.move(h, auto.hmask), cnt


def _pack(cols, shift):
    if shift is None:
        return cols
    out = np.zeros(len(cols), dtype=np.int64)
    for a, s in enumerate(shift):
        out += cols[:, a] << s
    return out


def _product(A, B):
    """Per state, every entry of ``A``'s table with every entry of ``B``'s (values and keys
    added); tables are ``(values, keys, entries per state)``, entries grouped by state."""
    vA, kA, nA = A
    vB, kB, nB = B
    sA = np.repeat(np.arange(len(nA)), nA)  # the state of each entry of A
    per_a = nB[sA]
    iA = np.repeat(np.arange(len(kA)), per_a)
    first = np.cumsum(per_a) - per_a
    offB = np.cumsum(nB) - nB
    iB = np.arange(len(iA), dtype=np.int64) - np.repeat(first - offB[sA], per_a)
    return vA[iA] + vB[iB], kA[iA] + kB[iB], nA * nB


def _fold(auto, codec, b, first, cap, group, shift, start):
    """The product of ``start`` (one entry per state) and the tables of the movers ``group``."""
    out = start
    for h in group:
        out = _product(out, _leaf(auto, codec, b, first, cap, h, shift))
    return out


def _split(movers, cap):
    """The movers in two groups whose tables are smallest in total (sum over the states of
    the two products of ``cap + 1``)."""
    best = None
    k = len(movers)
    for pick in range(1 << max(k - 1, 0)):  # the last mover always in B
        A = [h for i, h in enumerate(movers) if pick >> i & 1]
        B = [h for h in movers if h not in A]
        nA = np.prod(cap[:, A] + 1, axis=1) if A else np.ones(len(cap), np.int64)
        nB = np.prod(cap[:, B] + 1, axis=1) if B else np.ones(len(cap), np.int64)
        size = int(nA.sum() + nB.sum())
        if best is None or size < best[0]:
            best = (size, A, B)
    return best[1], best[2]


def _stream(auto, TL, first, cap, movers):
    """The stream's tail sums ``b``, the capacity overflow ``OV`` (ages ``0 .. T``) and which
    states have a transition that loses a unit of age ``T``."""
    P, T = auto.P, auto.T
    b = np.empty((len(TL), T + 1), dtype=np.int64)  # b[a] = stream units of age >= a
    b[:, 0] = TL[:, 0] + auto.K
    b[:, 1:] = TL
    OV = np.maximum(b - auto.n * P, 0)  # units beyond the round's capacity
    fails = OV[:, T] > 0
    for h in movers:  # the most stragglers lose the most
        fails |= _lost(b, first[:, h] * P, cap[:, h], P)[:, T] > 0
    return b, OV, fails


def failing(auto, TL, first, cap):
    """Mask of the states (rows of ``TL``, with their layout) that have a failing transition."""
    return _stream(auto, TL, first, cap, range(auto.H))[2]


def expand(auto, codec, C, TL, first, cap, base_keys):
    """Every transition of the states ``C`` (rows) with pending tail sums ``TL``: returns
    ``(failed, keys, cols)``: ``failed`` whether some transition loses a unit of age ``T``
    (then nothing else), else the next keys and the next pending tail sums per age."""
    T, m = auto.T, len(C)
    movers = [h for h in range(auto.H) if cap[:, h].any()]
    b, OV, fails = _stream(auto, TL, first, cap, movers)
    if fails.any():
        return True, None, None
    bits = max(int(b[:, 0].max()).bit_length(), 1)
    shift = [a * bits for a in range(T)] if WORD_BITS // bits >= T else None
    one = np.ones(m, dtype=np.int64)
    # the overflow and the state's key, then the movers in two groups (edges = A x B)
    A, B = _split(movers, cap)
    tA = _fold(auto, codec, b, first, cap, A, shift, (_pack(OV[:, :T], shift), base_keys, one))
    zero = np.zeros((m, T), dtype=np.int64)
    tB = _fold(auto, codec, b, first, cap, B, shift, (_pack(zero, shift), zero[:, 0], one))
    vals, keys, _ = _product(tA, tB)
    if shift is None:  # too long a stream to pack: one column per age
        return False, keys, [vals[:, a] for a in range(T)]
    mask = (1 << bits) - 1
    return False, keys, [(vals >> s) & mask for s in shift]
