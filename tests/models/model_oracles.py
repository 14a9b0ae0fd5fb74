"""Independent oracles for the straggler-model battery (SPEC section 2).

Nothing here imports the model implementation: the reference membership test, the brute-force
pattern lists and the transfer-matrix / recurrence counts are written straight from the words of
SPEC section 2, so that the battery compares two independent routes.
"""

from __future__ import annotations

import itertools
from math import comb

import numpy as np

# (kind, n, params): the instances the shared battery runs over.
CASES = [
    ("per-round", 1, {"s": 0}),
    ("per-round", 1, {"s": 1}),
    ("per-round", 2, {"s": 1}),
    ("per-round", 3, {"s": 2}),
    ("per-round", 4, {"s": 1}),
    ("bursty", 1, {"B": 1, "W": 2, "lam": 1}),
    ("bursty", 2, {"B": 1, "W": 2, "lam": 1}),
    ("bursty", 2, {"B": 2, "W": 3, "lam": 1}),
    ("bursty", 2, {"B": 2, "W": 3, "lam": 2}),
    ("bursty", 3, {"B": 2, "W": 3, "lam": 2}),
    ("bursty", 3, {"B": 1, "W": 3, "lam": 2}),
    ("bursty", 3, {"B": 3, "W": 3, "lam": 1}),
    ("bursty", 4, {"B": 2, "W": 3, "lam": 2}),
    ("bursty", 4, {"B": 1, "W": 2, "lam": 0}),
    ("bursty", 2, {"B": 2, "W": 4, "lam": 2}),
    ("arbitrary", 1, {"N": 2, "W": 3, "lam": 1}),
    ("arbitrary", 2, {"N": 1, "W": 2, "lam": 2}),
    ("arbitrary", 2, {"N": 2, "W": 3, "lam": 1}),
    ("arbitrary", 3, {"N": 2, "W": 3, "lam": 2}),
    ("arbitrary", 3, {"N": 1, "W": 3, "lam": 3}),
    ("arbitrary", 4, {"N": 2, "W": 3, "lam": 2}),
    ("arbitrary", 2, {"N": 2, "W": 4, "lam": 2}),
]


def case_id(case) -> str:
    kind, n, params = case
    return f"{kind}-n{n}-" + ",".join(f"{k}{v}" for k, v in params.items())


def window_length(kind, params) -> int:
    return 1 if kind == "per-round" else params["W"]


def window_ok(kind, params, win: np.ndarray) -> bool:
    """Does one window (bool array workers x rounds-in-window) satisfy the SPEC table row?"""
    if kind == "per-round":
        # W = 1: the window is a single round, at most s stragglers in it
        return all(int(win[:, c].sum()) <= params["s"] for c in range(win.shape[1]))
    distinct = int(win.any(axis=1).sum())
    if distinct > params["lam"]:
        return False
    for row in win:
        rounds = [t for t, b in enumerate(row) if b]
        if not rounds:
            continue
        if kind == "bursty" and rounds[-1] - rounds[0] + 1 > params["B"]:
            return False
        if kind == "arbitrary" and len(rounds) > params["N"]:
            return False
    return True


def ref_admits(kind, params, S) -> bool:
    """SPEC membership: every window [a, a+W-1] of W consecutive rounds, including the ones that
    start before round 0 (those rounds are clean) and the ones running past the last round."""
    S = np.asarray(S, dtype=bool)
    n, R = S.shape
    W = window_length(kind, params)
    for a in range(-(W - 1), R):
        win = np.zeros((n, W), dtype=bool)
        for t in range(W):
            r = a + t
            if 0 <= r < R:
                win[:, t] = S[:, r]
        if not window_ok(kind, params, win):
            return False
    return True


def all_patterns(n: int, R: int):
    """Every boolean (n, R) array, 2^(n R) of them."""
    for bits in itertools.product((False, True), repeat=n * R):
        yield np.array(bits, dtype=bool).reshape(n, R)


def key(P) -> bytes:
    P = np.asarray(P, dtype=bool)
    return (
        P.shape[0].to_bytes(2, "big")
        + np.packbits(P, axis=None).tobytes()
        + P.shape[1].to_bytes(2, "big")
    )


def _mask_window(n, masks) -> np.ndarray:
    win = np.zeros((n, len(masks)), dtype=bool)
    for t, m in enumerate(masks):
        for i in range(n):
            win[i, t] = bool(m >> i & 1)
    return win


def transfer_matrix(kind, params, n):
    """Explicit automaton from the SPEC words: state = last W-1 straggler sets (oldest first).

    Returns (states, index, matrix) over the states reachable from the clean state, with
    ``matrix[i][j]`` = number of straggler sets leading from state i to state j (python ints).
    """
    W = window_length(kind, params)
    start = (0,) * (W - 1)
    states, index, edges = [start], {start: 0}, []
    k = 0
    while k < len(states):
        st = states[k]
        out = {}
        for m in range(1 << n):
            if window_ok(kind, params, _mask_window(n, st + (m,))):
                nxt = (st + (m,))[1:] if W > 1 else ()
                if nxt not in index:
                    index[nxt] = len(states)
                    states.append(nxt)
                out[index[nxt]] = out.get(index[nxt], 0) + 1
        edges.append(out)
        k += 1
    size = len(states)
    M = [[0] * size for _ in range(size)]
    for i, out in enumerate(edges):
        for j, c in out.items():
            M[i][j] = c
    return states, index, M


def transfer_count(kind, params, n, R) -> int:
    """Exact count: 1^T M^R e_start with python ints (vector iteration)."""
    states, index, M = transfer_matrix(kind, params, n)
    size = len(states)
    nz = [[(j, c) for j, c in enumerate(row) if c] for row in M]
    v = [0] * size
    v[0] = 1
    for _ in range(R):
        w = [0] * size
        for i, x in enumerate(v):
            if x:
                for j, c in nz[i]:
                    w[j] += x * c
        v = w
    return sum(v)


def transfer_count_mod(kind, params, n, R, p) -> int:
    """The same count mod p by numpy matrix power (repeated squaring, int64)."""
    _, _, M = transfer_matrix(kind, params, n)
    A = np.array(M, dtype=np.int64) % p
    size = A.shape[0]
    assert (p - 1) ** 2 * size < 2**63, "int64 matrix product could overflow"
    result = np.eye(size, dtype=np.int64)
    e = R
    while e:
        if e & 1:
            result = (result @ A) % p
        A = (A @ A) % p
        e >>= 1
    return int(result[0].sum() % p)


def burst1_count(n, W, lam, R) -> int:
    """bursty(1, W, lam): a worker straggles at most once in any W rounds, so the straggler sets
    of W consecutive rounds are disjoint; state = sizes of the last W-1 sets (oldest first).
    A new round of j stragglers is chosen among the n - k workers not in them (k = their total)
    with k + j <= lam: multiplicity C(n - k, j)."""
    dist = {(0,) * (W - 1): 1}
    for _ in range(R):
        new = {}
        for st, c in dist.items():
            k = sum(st)
            for j in range(0, lam - k + 1):
                nxt = (st + (j,))[1:] if W > 1 else ()
                new[nxt] = new.get(nxt, 0) + c * comb(n - k, j)
        dist = new
    return sum(dist.values())


def lam_only_count(n, W, lam, R) -> int:
    """bursty(B=W) / arbitrary(N=W): the per-worker rule is void, only 'at most lam distinct
    workers in every window' is left.  A worker matters only through how long ago it last
    straggled, so the state is, for d = 1..W-1, how many workers last straggled d rounds ago."""
    # state[d-1] = number of workers whose most recent straggle was d rounds ago (d <= W-1)
    dist = {(0,) * (W - 1): 1}
    for _ in range(R):
        new = {}
        for st, c in dist.items():
            recent = sum(st)
            fresh = n - recent
            # choose which recent workers straggle again: any subset, per age class
            # and j fresh ones; distinct in the new window = recent + j <= lam
            for j in range(0, min(fresh, lam - recent) + 1):
                # ages shift by one; workers of age W-1 drop out unless they straggle again
                for picks in itertools.product(*(range(a + 1) for a in st)):
                    mult = comb(fresh, j)
                    for a, p in zip(st, picks):
                        mult *= comb(a, p)
                    again = j + sum(picks)
                    if W > 1:
                        aged = tuple(a - p for a, p in zip(st, picks))
                        nxt = (again,) + aged[:-1]
                    else:
                        nxt = ()
                    new[nxt] = new.get(nxt, 0) + c * mult
        dist = new
    return sum(dist.values())
