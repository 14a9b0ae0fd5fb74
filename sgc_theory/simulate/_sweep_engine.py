"""The sweep's evaluation engine: one chunk of configurations of one family under one online
policy, on a trace prepared once (rounds sorted, candidate counts, prefix bitmasks); see
"How work is shared" in :mod:`sgc_theory.simulate.sweep`.
"""

from __future__ import annotations

import numpy as np

from ._sweep_families import _params
from .runtime import decode_failure, decode_rounds


class _Prep:
    """Per-round sorted delays of the (unshifted) trace."""

    def __init__(self, D: np.ndarray, mu: float):
        self.D = D
        self.mu = mu
        self.n, self.R = D.shape
        self.order = np.argsort(-D, axis=0, kind="stable")  # order[j, r]: j-th slowest
        self.desc = np.take_along_axis(D, self.order, axis=0)
        self.min = self.desc[-1]
        self.K = None

    def candidates(self, shifts: np.ndarray) -> np.ndarray:
        """Candidate straggler counts ``(C, R)`` for load shifts ``delta`` (same floats as
        ``D + delta > (1 + mu) * min(D + delta)``)."""
        uniq, inv = np.unique(shifts, return_inverse=True)
        out = np.empty((uniq.size, self.R), dtype=np.int64)
        for r in range(self.R):
            col = self.desc[:, r]
            thr = (1.0 + self.mu) * (col[-1] + uniq)
            lo = np.zeros(uniq.size, np.int64)
            hi = np.full(uniq.size, self.n, np.int64)
            while True:
                act = lo < hi
                if not act.any():
                    break
                mid = (lo + hi) // 2
                p = (col[np.minimum(mid, self.n - 1)] + uniq) > thr
                lo = np.where(act & p, mid + 1, lo)
                hi = np.where(act & ~p, mid, hi)
            out[:, r] = lo
        return out[inv.reshape(-1)]

    def build_masks(self, K: int):
        """Prefix bitmasks ``PM[r, k]`` of the ``k`` slowest workers (k <= K) of every round (a
        cumulative OR over the ``K`` slowest), and ``validfloor[r, k]``: the largest ``k' <= k``
        whose set "the k' slowest" is a threshold set (ties stay together)."""
        R, n = self.R, self.n
        self.K = K
        top = self.order[:K, :]  # (K, R)
        workers = np.unique(top)
        label = np.full(n, -1, np.int64)
        label[workers] = np.arange(workers.size)
        self.m = int(workers.size)
        self.lab = label[top]  # (K, R): label of the j-th slowest worker of round r
        self.words = max(1, -(-workers.size // 64))
        PM = np.zeros((R, K + 1, self.words), dtype=np.uint64)
        vf = np.zeros((R, K + 1), dtype=np.int64)
        if K:
            bits = np.zeros((K, R, self.words), dtype=np.uint64)
            jj, rr = np.indices((K, R))
            bits[jj, rr, self.lab // 64] = np.left_shift(
                np.uint64(1), (self.lab % 64).astype(np.uint64)
            )
            PM[:, 1:, :] = np.bitwise_or.accumulate(bits, axis=0).transpose(1, 0, 2)
            d = self.desc[: K + 1, :]
            ks = np.arange(1, K + 1)[:, None]
            vf[:, 1:] = np.maximum.accumulate(np.where(d[:-1] > d[1:], ks, 0), axis=0).T
        self.PMf = PM.reshape(R * (K + 1), self.words)
        self.validfloor = vf

    def pattern(self, e: np.ndarray) -> np.ndarray:
        """Boolean pattern ``(n, len(e))`` whose round ``r`` holds the ``e[r]`` slowest workers."""
        P = np.zeros((self.n, len(e)), dtype=bool)
        for r, k in enumerate(e):
            P[self.order[:k, r], r] = True
        return P


def _times(prep: _Prep, shifts, kc, e):
    """Round times ``(C, R)`` of effective counts ``e`` given candidate counts ``kc``."""
    R = kc.shape[1]
    desc = prep.desc
    sh = shifts[:, None]
    thr = (1.0 + prep.mu) * (desc[-1][None, :] + sh)
    mx = desc[0][None, :] + sh
    at = desc[np.minimum(e, prep.n - 1), np.arange(R)[None, :]] + sh
    return np.where(e == kc, np.where(kc > 0, thr, mx), at)


def _run_perround(prep: _Prep, s, kc, policy):
    if policy == "paper":
        return np.where(kc <= s[:, None], kc, 0)
    cap = np.minimum(kc, s[:, None])
    e = prep.validfloor[np.arange(prep.R)[None, :], cap]
    return np.where(cap == kc, kc, e)


def _run_bursty(prep: _Prep, B, W, lam, kc, policy):
    """Effective counts ``(C, R)`` of bursty(B, W, lam) designs under ``policy``."""
    C, R = kc.shape
    perm = np.argsort(-W, kind="stable")
    B, W, lam, kc = B[perm], W[perm], lam[perm], kc[perm]
    K1 = prep.K + 1
    PMf = prep.PMf
    words = prep.words
    wneg = -(W - 1)  # ascending
    e = np.zeros((C, R), dtype=np.int64)
    U = np.zeros((C, words), dtype=np.uint64)
    Rw = np.zeros((C, words), dtype=np.uint64)
    zero = np.uint64(0)
    for r in range(R):
        U[:] = 0
        Rw[:] = 0
        for d in range(1, r + 1):
            na = int(np.searchsorted(wneg, -d, side="right"))  # choices with W - 1 >= d
            if na == 0:
                break
            G = PMf[(r - d) * K1 + e[:na, r - d]]
            U[:na] |= G
            Rw[:na] |= np.where((B[:na] <= d)[:, None], G, zero)

        def ok(k, r=r):
            Pk = PMf[r * K1 + k]
            good = ~((Pk & Rw).any(axis=1))
            return good & (np.bitwise_count(U | Pk).sum(axis=1) <= lam)

        k = kc[:, r]
        if policy == "paper":
            e[:, r] = np.where(ok(k), k, 0)
        else:
            lo = np.zeros(C, np.int64)  # admitted
            hi = k.copy()
            while True:
                act = lo < hi
                if not act.any():
                    break
                mid = (lo + hi + 1) // 2
                g = ok(mid)
                lo = np.where(act & g, mid, lo)
                hi = np.where(act & ~g, mid - 1, hi)
            e[:, r] = np.where(lo == k, k, prep.validfloor[r, lo])
    out = np.empty_like(e)
    out[perm] = e
    return out


def _effective(prep: _Prep, spec, kc, policy):
    """Effective straggler counts ``(C, R)`` of the configurations of ``spec`` under ``policy``."""
    kind = spec["kind"]
    P = spec["P"]
    if kind == "gc":
        return _run_perround(prep, spec["s"], kc, policy)
    if kind in ("srsgc", "msgc", "brsgc"):
        return _run_bursty(prep, P[:, 0], P[:, 1], P[:, 2], kc, policy)
    # generic: by the design models
    mk = spec["mkind"]
    if mk == "perround":
        return _run_perround(prep, spec["mpar"][:, 0], kc, policy)
    if mk == "bursty":
        mp = spec["mpar"]
        return _run_bursty(prep, mp[:, 0], mp[:, 1], mp[:, 2], kc, policy)
    from .runtime import _online

    e = np.zeros_like(kc)
    for c, obj in enumerate(spec["objs"]):
        Dc = prep.D + spec["shifts"][c]
        pat, _ = _online(Dc, prep.mu, obj.design_model, policy)
        e[c] = pat.sum(axis=0)
    return e


def _eval_chunk(prep: _Prep, spec, jobs, policy):
    """Evaluate the configurations of one chunk ``spec`` under ``policy``: dict of arrays
    ``runtime`` (NaN where a job missed its deadline), ``rounds``, effective counts ``e``,
    ``waits`` and ``failed``."""
    kc = prep.candidates(spec["shifts"])
    if spec["kind"] == "nocoding":
        return _eval_nocoding(prep, spec, kc, jobs)
    e = _effective(prep, spec, kc, policy)
    times = _times(prep, spec["shifts"], kc, e)
    last, failed = _last_rounds(prep, spec, e, jobs)
    cs = np.cumsum(times, axis=1)
    runtime = np.where(failed, np.nan, cs[np.arange(e.shape[0]), last])
    inside = np.arange(prep.R)[None, :] <= last[:, None]
    waits = ((kc > 0) & (e == 0) & inside).sum(axis=1)
    return {"runtime": runtime, "rounds": last + 1, "e": e, "waits": waits, "failed": failed}


def _eval_nocoding(prep: _Prep, spec, kc, jobs):
    """No coding: every round waits for its slowest worker, job ``t`` ends in round ``t``."""
    C = spec["P"].shape[0]
    mx = prep.desc[0][None, :] + spec["shifts"][:, None]
    cs = np.cumsum(mx[:, :jobs], axis=1)
    return {
        "runtime": cs[:, -1],
        "rounds": np.full(C, jobs),
        "e": np.zeros((C, prep.R), np.int64),
        "waits": (kc[:, :jobs] > 0).sum(axis=1),
        "failed": np.zeros(C, dtype=bool),
    }


def _last_rounds(prep: _Prep, spec, e, jobs):
    """``(last decode round, failed)`` per configuration, for the effective counts ``e`` (see
    the module docstring of :mod:`sgc_theory.simulate.sweep` for each family's rule)."""
    kind, P = spec["kind"], spec["P"]
    C = P.shape[0]
    if kind == "brsgc":  # job t: round t if e[t] == 0, else t + B (in time: see the docstring)
        late = np.arange(jobs)[None, :] + np.where(e[:, :jobs] > 0, P[:, :1], 0)
        return late.max(axis=1), np.zeros(C, dtype=bool)
    if kind == "srsgc":
        return _srsgc_last(prep, spec, e, jobs)
    if kind == "msgc":
        return _msgc_last(prep, spec, e, jobs)
    if kind == "generic":
        return _decoded_last(prep, spec, e, jobs)
    return np.full(C, jobs - 1, dtype=np.int64), np.zeros(C, dtype=bool)


def _srsgc_last(prep: _Prep, spec, e, jobs):
    """SR-SGC: job ``t`` decodes in round ``t`` with at most ``s`` missing tasks, else in round
    ``t + B``; histories where the counts do not determine the re-attempts are decoded exactly
    (:func:`_srsgc_exact`)."""
    P, s = spec["P"], spec["s"]
    C = P.shape[0]
    last = np.full(C, jobs - 1, dtype=np.int64)
    fallback = np.zeros(C, dtype=bool)
    Bv = P[:, 0]
    m = np.zeros((C, jobs), dtype=np.int64)
    idx = np.arange(C)
    for t in range(jobs):
        back = t - Bv
        has = back >= 0
        bb = np.maximum(back, 0)
        prev_m = np.where(has, m[idx, bb], 0)
        prev_e = np.where(has, e[idx, bb], 0)
        a = np.maximum(prev_m - s, 0)
        fallback |= a > prev_e
        m[:, t] = e[:, t] + a
        late = m[:, t] > s
        last = np.where(late, np.maximum(last, t + Bv), last)
    failed = np.zeros(C, dtype=bool)
    if fallback.any():
        rows = np.flatnonzero(fallback)
        last[rows], failed[rows] = _srsgc_exact(prep, e[rows], s[rows], P[rows, 0], jobs)
    return last, failed


def _msgc_last(prep: _Prep, spec, e, jobs):
    """M-SGC: the last coded group ends in round ``J - 1 + T``; with ``lam = n`` (no coded part)
    the recomputations decide (:func:`_msgc_uncoded_last`)."""
    P, T = spec["P"], spec["T"]
    full = P[:, 2] >= prep.n
    last = np.where(full, -1, jobs - 1 + T)
    failed = np.zeros(P.shape[0], dtype=bool)
    for c in np.flatnonzero(full):
        lc = _msgc_uncoded_last(
            prep.pattern(e[c, : jobs + int(T[c])]), int(P[c, 0]), int(P[c, 1]), jobs
        )
        failed[c], last[c] = lc is None, (jobs - 1 + int(T[c]) if lc is None else lc)
    return last, failed


def _decoded_last(prep: _Prep, spec, e, jobs):
    """Any other scheme: its own ``decode_rounds`` on the effective pattern."""
    P, T = spec["P"], spec["T"]
    C = P.shape[0]
    last = np.full(C, jobs - 1, dtype=np.int64)
    failed = np.zeros(C, dtype=bool)
    for c in range(C):
        params = _params(spec, P[c])
        Tc = int(T[c])
        dec = decode_rounds(spec["objs"][c], prep.pattern(e[c, : jobs + Tc]), jobs)
        if decode_failure(spec["name"], params, dec, Tc) is not None:
            failed[c] = True
            last[c] = jobs - 1 + Tc
        else:
            last[c] = max(dec)
    return last, failed


def _lower_bounds(prep: _Prep, spec, jobs):
    """A lower bound on the optimal policy's runtime of every configuration of ``spec``: in every
    round the cheapest set any admitted pattern may hold (at most ``lam`` -- the model's cap --
    slowest workers), summed over the rounds every run needs (``J``; ``J + T`` for M-SGC with a
    coded part)."""
    shifts = spec["shifts"]
    kc = prep.candidates(shifts)
    e = _run_perround(prep, spec["cap"], kc, "minimal")
    times = _times(prep, shifts, kc, e)
    cs = np.cumsum(times, axis=1)
    return cs[np.arange(len(shifts)), spec["end_min"]]


def _sets(prep: _Prep, e_col: np.ndarray, r: int) -> np.ndarray:
    """Boolean ``(C, m)`` (worker labels) of the ``e_col[c]`` slowest workers of round ``r``."""
    C = e_col.shape[0]
    S = np.zeros((C, prep.m), dtype=bool)
    K = prep.K
    if K:
        sel = np.arange(K)[None, :] < e_col[:, None]
        rr, jj = np.nonzero(sel)
        S[rr, prep.lab[jj, r]] = True
    return S


def _srsgc_exact(prep: _Prep, e, s, B, jobs):
    """SR-SGC token decoding (re-attempts: stragglers first, then lowest index) on the effective
    patterns given by counts ``e``; returns (last decode round, failed) per configuration."""
    C = e.shape[0]
    m = prep.m
    Bmax = int(B.max())
    hM = np.zeros((C, jobs + Bmax, m), dtype=bool)
    hS = np.zeros((C, jobs + Bmax, m), dtype=bool)
    dec = np.full((C, jobs), -1, dtype=np.int64)
    failed = np.zeros(C, dtype=bool)
    idx = np.arange(C)
    n = prep.n
    for t in range(jobs + Bmax):
        St = _sets(prep, e[:, t], t)
        back = t - B
        has = (back >= 0) & (back < jobs)
        bb = np.clip(back, 0, jobs - 1)
        Mp = hM[idx, bb] & has[:, None]
        Sp = hS[idx, bb] & has[:, None]
        q = np.maximum(Mp.sum(axis=1) - s, 0)
        pick = np.zeros_like(Mp)
        act = np.flatnonzero(q > 0)
        if act.size:
            Spa, Mpa, qa = Sp[act], Mp[act], q[act][:, None]
            pa = Spa & (np.cumsum(Spa, axis=1, dtype=np.int16) <= qa)
            O = Mpa & ~Spa
            rest = np.maximum(qa - Spa.sum(axis=1, keepdims=True), 0)
            pa |= O & (np.cumsum(O, axis=1, dtype=np.int16) <= rest)
            pick[act] = pa
        Mt = St | pick
        if t < jobs:
            hM[:, t], hS[:, t] = Mt, St
            cnt = Mt.sum(axis=1)
            dec[:, t] = np.where(cnt <= s, t, -1)
        # job t - B: decoded now if enough of its re-attempts returned
        job = back
        pend = has & (dec[idx, bb] < 0)
        if pend.any():
            got = n - Mp.sum(axis=1) + (pick & ~St).sum(axis=1)
            ok = got >= n - s
            dec[idx[pend & ok], job[pend & ok]] = t
            failed |= pend & ~ok
    failed |= (dec < 0).any(axis=1)
    return np.where(failed, jobs - 1 + B, dec.max(axis=1)), failed


def _msgc_uncoded_last(P: np.ndarray, B: int, W: int, jobs: int):
    """Last decode round of M-SGC with ``lam = n`` (no coded part) on pattern ``P``, or None.

    Worker ``i`` computes chunk ``j`` of job ``t`` in round ``t + j`` (``j <= W - 2``), then uses
    its ``B`` later slots to recompute missing chunks, one per non-straggling round.
    """
    T = W - 2 + B
    last = -1
    for t in range(jobs):
        miss = P[:, t : t + W - 1].sum(axis=1)
        done = np.full(P.shape[0], t + W - 2)
        need = miss.copy()
        for r in range(t + W - 1, t + T + 1):
            up = (need > 0) & ~P[:, r]
            need = need - up
            done = np.where(up & (need == 0), r, done)
        if (need > 0).any():
            return None
        last = max(last, int(done.max()))
    return last
