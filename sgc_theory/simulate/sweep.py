"""Parameter sweep over every scheme configuration on one trace (vectorized).

For a trace, a job count ``J`` and a largest delay ``T``, :func:`sweep` evaluates

* no coding (once);
* GC for every ``s`` in ``0..n-1``;
* SR-SGC for every ``(B, W, lam)`` with ``1 <= B <= T``, ``B + 1 <= W <= J``, ``1 <= lam <= n``;
* M-SGC for every ``(B, W, lam)`` with ``1 <= B <= W - 1``, ``W - 2 + B <= T``, ``W <= J``,
  ``1 <= lam <= n``;

under the rules of :mod:`sgc_theory.simulate.runtime`, and reports the best configuration per
scheme (and policy) and the whole table (for a runtime-versus-load scatter).

How work is shared
------------------
* The straggler rule ``D[i,r] + delta > (1 + mu)(min_j D[j,r] + delta)`` keeps the *order* of the
  workers in a round, whatever the load shift ``delta``: a candidate straggler set, and every set
  the minimal policy may stop at, is "the ``k`` slowest workers of round ``r``". Each round is
  sorted once; a configuration's effective pattern is the vector of counts ``e[r]``.
* Candidate counts depend only on the load, so they are computed once per distinct load.
* Admission (bursty ``(B, W, lam)``) of "the ``k`` slowest" after a history of effective counts
  is checked for all configurations at once with per-round prefix bitmasks over the workers that
  ever straggle: the union of the last ``W - 1`` effective sets bounds the number of distinct
  stragglers (``<= lam``) and the union over the rounds ``r-W+1 .. r-B`` must avoid the new set
  (each worker's straggles inside ``B`` consecutive rounds).
* The last decode round is ``J - 1`` for GC and ``J - 1 + T`` for M-SGC with ``lam < n`` (the last
  coded group of the last job is computed in round ``J - 1 + T``). For SR-SGC, job ``t`` is decoded
  in round ``t`` when at most ``s`` of its tasks are missing and in round ``t + B`` otherwise; the
  number of missing tasks follows from the counts as long as re-attempts are drawn from the
  previous stragglers (which never straggle again ``B`` rounds later under the bursty model).
  Every other case (ambiguous SR-SGC histories, M-SGC with ``lam = n``) asks the scheme's
  ``decode_rounds``; so do the best configurations, which are also checked against it.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

import numpy as np

from ..errors import SGCError, check_int
from .runtime import (POLICIES, _make, as_trace, check_run_args, decode_failure, decode_rounds,
                      resolve_probe_load)

__all__ = ["sweep", "SweepResult", "sweep_choices"]

_CHUNK = 8192


# --------------------------------------------------------------------------------------------
# configurations
# --------------------------------------------------------------------------------------------
def sweep_choices(n: int, jobs: int, max_delay: int) -> dict[str, np.ndarray]:
    """All configurations of the sweep, per scheme, as integer arrays.

    Returns ``{"nocoding": (1, 0), "gc": (C, 1) [s], "srsgc": (C, 3), "msgc": (C, 3)}`` with
    columns ``B, W, lam`` for the sequential schemes.
    """
    lam = np.arange(1, n + 1)
    sr, ms = [], []
    for B in range(1, max_delay + 1):
        for W in range(B + 1, jobs + 1):
            sr.append(np.column_stack([np.full(n, B), np.full(n, W), lam]))
    for W in range(2, jobs + 1):
        for B in range(1, W):
            if W - 2 + B <= max_delay:
                ms.append(np.column_stack([np.full(n, B), np.full(n, W), lam]))
    empty = np.zeros((0, 3), dtype=np.int64)
    return {
        "nocoding": np.zeros((1, 0), dtype=np.int64),
        "gc": np.arange(n, dtype=np.int64)[:, None],
        "srsgc": np.concatenate(sr).astype(np.int64) if sr else empty,
        "msgc": np.concatenate(ms).astype(np.int64) if ms else empty,
    }


def _loads_and_delays(scheme: str, n: int, P: np.ndarray):
    """Float loads, delays ``T`` (and SR-SGC's ``s``) of the configurations ``P``.

    The formulas come from :mod:`sgc_theory.bounds` (lambdified once, evaluated on arrays).
    """
    import sympy as sp

    from .. import bounds

    C = P.shape[0]
    if scheme == "nocoding":
        return np.array([float(bounds.nocoding_load(n))]), np.zeros(1, np.int64), None
    if scheme == "gc":
        s = P[:, 0]
        f = sp.lambdify([sp.Symbol("s")], bounds.gc_load(n, sp.Symbol("s")), "numpy")
        return np.broadcast_to(f(s.astype(float)), (C,)).astype(float), np.zeros(C, np.int64), s
    B, W, lam = (P[:, j] for j in range(3))
    Bs, Ws, ls = sp.symbols("B W lam")
    if scheme == "srsgc":
        fs = sp.lambdify([Bs, Ws, ls], bounds.srsgc_s(Bs, Ws, ls), "numpy")
        s = np.rint(np.asarray(fs(B.astype(float), W.astype(float), lam.astype(float)))
                    ).astype(np.int64)
        fl = sp.lambdify([sp.Symbol("s")], bounds.gc_load(n, sp.Symbol("s")), "numpy")
        load = np.asarray(fl(s.astype(float)), dtype=float)
        # the closed form of the load itself, checked on the extremes
        for j in {0, C - 1}:
            assert math.isclose(load[j], float(bounds.srsgc_load(n, int(B[j]), int(W[j]),
                                                                  int(lam[j]))))
        T = np.asarray(B, dtype=np.int64)
        return load, T, s
    # msgc
    fl = sp.lambdify([Bs, Ws, ls], bounds.msgc_load(n, Bs, Ws, ls), "numpy")
    load = np.asarray(fl(B.astype(float), W.astype(float), lam.astype(float)), dtype=float)
    full = lam == n  # no coded part: separate closed form
    for j in np.flatnonzero(full):
        load[j] = float(bounds.msgc_load(n, int(B[j]), int(W[j]), int(lam[j])))
    T = (W - 2 + B).astype(np.int64)
    return load, T, None


# --------------------------------------------------------------------------------------------
# shared preparation of a trace
# --------------------------------------------------------------------------------------------
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
        """Prefix bitmasks ``PM[r, k]`` of the ``k`` slowest workers (k <= K) of every round."""
        self.K = K
        R, n = self.R, self.n
        top = self.order[:K, :]  # (K, R)
        workers = np.unique(top)
        label = np.full(n, -1, np.int64)
        label[workers] = np.arange(workers.size)
        self.m = int(workers.size)
        self.lab = label[top]  # (K, R): label of the j-th slowest worker of round r
        self.words = max(1, -(-workers.size // 64))
        PM = np.zeros((R, K + 1, self.words), dtype=np.uint64)
        for r in range(R):
            acc = np.zeros(self.words, dtype=np.uint64)
            for j in range(K):
                b = label[top[j, r]]
                acc[b // 64] |= np.uint64(1) << np.uint64(b % 64)
                PM[r, j + 1] = acc
        self.PMf = PM.reshape(R * (K + 1), self.words)
        # largest k' <= k whose set "the k' slowest" is a threshold set (ties stay together)
        vf = np.zeros((R, K + 1), dtype=np.int64)
        for r in range(R):
            d = self.desc[:, r]
            last = 0
            for k in range(1, K + 1):
                if d[k - 1] > d[k]:
                    last = k
                vf[r, k] = last
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


# --------------------------------------------------------------------------------------------
# vectorized admission
# --------------------------------------------------------------------------------------------
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

        def ok(k):
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


# --------------------------------------------------------------------------------------------
# one chunk of configurations of one scheme
# --------------------------------------------------------------------------------------------
def _eval_chunk(prep: _Prep, scheme, P, loads, T, s, shifts, jobs, policy):
    """Evaluate configurations ``P`` of ``scheme``: returns dict of arrays."""
    R = prep.R
    C = P.shape[0]
    if scheme == "nocoding":
        kc = prep.candidates(shifts)
        mx = prep.desc[0][None, :] + shifts[:, None]
        cs = np.cumsum(mx[:, :jobs], axis=1)
        return {"runtime": cs[:, -1], "rounds": np.full(C, jobs), "e": np.zeros((C, R), np.int64),
                "waits": (kc[:, :jobs] > 0).sum(axis=1), "failed": np.zeros(C, dtype=bool)}
    kc = prep.candidates(shifts)
    if scheme == "gc":
        e = _run_perround(prep, s, kc, policy)
    else:
        e = _run_bursty(prep, P[:, 0], P[:, 1], P[:, 2], kc, policy)
    times = _times(prep, shifts, kc, e)
    last = np.full(C, jobs - 1, dtype=np.int64)
    fallback = np.zeros(C, dtype=bool)
    if scheme == "msgc":
        full = P[:, 2] >= prep.n
        last = np.where(full, -1, jobs - 1 + T)
        fallback |= full
    elif scheme == "srsgc":
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
    if scheme == "srsgc" and fallback.any():
        rows = np.flatnonzero(fallback)
        last_x, fail_x = _srsgc_exact(prep, e[rows], s[rows], P[rows, 0], jobs)
        last[rows], failed[rows] = last_x, fail_x
        fallback[:] = False
    if scheme == "msgc" and fallback.any():
        for c in np.flatnonzero(fallback):
            lc = _msgc_uncoded_last(prep.pattern(e[c, :jobs + int(T[c])]), int(P[c, 0]),
                                    int(P[c, 1]), jobs)
            failed[c], last[c] = lc is None, (jobs - 1 + int(T[c]) if lc is None else lc)
        fallback[:] = False
    for c in np.flatnonzero(fallback):
        params = _params(scheme, P[c])
        sch = _make(scheme, prep.n, params)
        Tc = int(T[c])
        dec = decode_rounds(sch, prep.pattern(e[c, :jobs + Tc]), jobs)
        if decode_failure(scheme, params, dec, Tc) is not None:
            failed[c] = True
            last[c] = jobs - 1 + Tc
        else:
            last[c] = max(dec)
    cs = np.cumsum(times, axis=1)
    runtime = np.where(failed, np.nan, cs[np.arange(C), last])
    rr = np.arange(R)[None, :]
    inside = rr <= last[:, None]
    waits = ((kc > 0) & (e == 0) & inside).sum(axis=1)
    return {"runtime": runtime, "rounds": last + 1, "e": e, "waits": waits, "failed": failed}


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
        miss = P[:, t:t + W - 1].sum(axis=1)
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


def _params(scheme, row) -> dict:
    if scheme == "gc":
        return {"s": int(row[0])}
    if scheme in ("srsgc", "msgc"):
        return {"B": int(row[0]), "W": int(row[1]), "lam": int(row[2])}
    return {}


def _check_decoded(scheme, params, dec, T):
    msg = decode_failure(scheme, params, dec, T)
    if msg is not None:
        raise AssertionError(msg)


# --------------------------------------------------------------------------------------------
# driver
# --------------------------------------------------------------------------------------------
@dataclass
class SweepResult:
    """Outcome of :func:`sweep`.

    Attributes
    ----------
    best : dict
        ``best[policy][scheme]`` = dict with the parameters, ``load``, ``runtime``, ``rounds``,
        ``waits`` of the fastest configuration (ties: smaller load, then first enumerated), or
        ``None`` when the scheme has no admissible configuration.
    table : list[dict]
        one row per configuration and policy: ``scheme, policy, params, load, T, runtime,
        rounds, waits``.
    evaluated : int
        number of (configuration, policy) pairs evaluated.
    """

    best: dict
    table: list
    evaluated: int
    settings: dict = field(default_factory=dict)


def _as_policies(policy):
    pols = (policy,) if isinstance(policy, str) else tuple(policy)
    if not pols:
        raise SGCError("policy: give at least one of paper, minimal")
    for p in pols:
        if p not in POLICIES:
            raise SGCError(f"policy must be one of {', '.join(POLICIES)} (got {p!r})")
    return pols


def sweep(trace, *, jobs: int, max_delay: int, mu: float, policy="paper",
          slope: float | None = None, probe_load: float | None = None,
          scheduler: str | None = None, progress: bool | None = None,
          verify_best: bool = True, schemes=("nocoding", "gc", "srsgc", "msgc")) -> SweepResult:
    """Evaluate every configuration of every scheme on a trace; see the module docstring.

    Parameters
    ----------
    trace : Trace, shipped trace name, CSV path or ``(workers, rounds)`` array
    jobs, max_delay : ``J >= 1`` jobs and the largest delay ``T >= 0`` allowed
    mu : straggler slack (``>= 0``)
    policy : ``"paper"``, ``"minimal"`` or a sequence of both
    slope, probe_load : delay model (see :func:`sgc_theory.simulate.simulate`)
    scheduler : ``None`` (run here) or the address of a running Dask scheduler
    progress : show a tqdm bar (default: when stderr is a terminal)
    verify_best : check the best configurations with the schemes' ``decode_rounds``

    Examples
    --------
    >>> D = [[1.0, 1.0, 1.0], [1.0, 3.0, 1.0], [1.0, 1.0, 1.0]]
    >>> res = sweep(D, jobs=2, max_delay=1, mu=0.5, slope=0.0, verify_best=False)
    >>> res.best["paper"]["nocoding"]["runtime"]
    4.0
    """
    tr = as_trace(trace)
    jobs, mu, _, slope = check_run_args(jobs, mu, "paper", slope)
    max_delay = check_int("max_delay", max_delay, minimum=0)
    pols = _as_policies(policy)
    L0 = resolve_probe_load(tr, probe_load)
    for sc in schemes:
        if sc not in ("nocoding", "gc", "srsgc", "msgc"):
            raise SGCError(f"schemes: unknown scheme {sc!r}")
    n = tr.n
    R = jobs + max_delay
    tr.require_rounds(R, f"{jobs} jobs with delays up to {max_delay} need jobs + max_delay "
                         "rounds")
    D = np.ascontiguousarray(tr.delays[:, :R], dtype=float)
    label = f"trace {tr.source or tr.name}"

    choices = sweep_choices(n, jobs, max_delay)
    work = []  # (scheme, P, loads, T, s, shifts)
    min_shift = math.inf
    for sc in schemes:
        P = choices[sc]
        if P.shape[0] == 0:
            continue
        loads, T, s = _loads_and_delays(sc, n, P)
        shifts = (loads - L0) * slope
        min_shift = min(min_shift, float(shifts.min()))
        work.append((sc, P, loads, T, s, shifts))
    if work and float(D.min(axis=0).min()) + min_shift <= 0:
        raise SGCError(f"{label}: delays shifted to the smallest load become non-positive "
                       f"(probe_load={L0:g}, slope={slope:g}); use a trace measured at a smaller "
                       "probe load, or a smaller --slope")

    prep = _Prep(D, mu)
    K = int(prep.candidates(np.array([min_shift])).max()) if work else 0
    prep.build_masks(K)

    tasks = []  # (scheme, slice, policy)
    for sc, P, loads, T, s, shifts in work:
        for pol in pols:
            for a in range(0, P.shape[0], _CHUNK):
                tasks.append((sc, pol, a, min(a + _CHUNK, P.shape[0])))
    by_scheme = {w[0]: w for w in work}

    def args_of(task):
        sc, pol, a, b = task
        _, P, loads, T, s, shifts = by_scheme[sc]
        return (sc, P[a:b], loads[a:b], T[a:b], None if s is None else s[a:b], shifts[a:b],
                jobs, pol)

    if progress is None:
        progress = sys.stderr.isatty()
    results = _run_tasks(prep, tasks, args_of, scheduler, progress)

    # assemble
    table, best = [], {p: {sc: None for sc in schemes} for p in pols}
    best_rows = {}
    for task, out in zip(tasks, results):
        sc, pol, a, b = task
        _, P, loads, T, s, shifts = by_scheme[sc]
        for j in range(b - a):
            c = a + j
            row = {"scheme": sc, "policy": pol, "params": _params(sc, P[c]),
                   "load": float(loads[c]), "T": int(T[c]),
                   "runtime": float(out["runtime"][j]), "rounds": int(out["rounds"][j]),
                   "waits": int(out["waits"][j]), "decoded": not bool(out["failed"][j])}
            if not row["decoded"]:
                row["runtime"] = None  # the configuration missed a deadline on this trace
            table.append(row)
            if not row["decoded"]:
                continue
            key = (pol, sc)
            cur = best_rows.get(key)
            if cur is None or (row["runtime"], row["load"]) < (cur[0]["runtime"], cur[0]["load"]):
                best_rows[key] = (row, out["e"][j])
    for (pol, sc), (row, e) in best_rows.items():
        if verify_best and sc != "nocoding":
            sch = _make(sc, n, row["params"])
            dec = decode_rounds(sch, prep.pattern(e[:jobs + row["T"]]), jobs)
            _check_decoded(sc, row["params"], dec, row["T"])
            if max(dec) + 1 != row["rounds"]:
                raise AssertionError(f"bug: sweep counted {row['rounds']} rounds for {sc} "
                                     f"{row['params']} but decode_rounds ends at {max(dec)}")
        best[pol][sc] = dict(row["params"], load=row["load"], runtime=row["runtime"],
                             rounds=row["rounds"], waits=row["waits"], T=row["T"])
    return SweepResult(best=best, table=table, evaluated=len(table),
                       settings={"trace": tr.name, "jobs": jobs, "max_delay": max_delay,
                                 "mu": mu, "policies": pols, "slope": slope,
                                 "probe_load": L0})


def _chunk_job(prep, args):
    return _eval_chunk(prep, *args[:7], args[7])


def _run_tasks(prep, tasks, args_of, scheduler, progress):
    from tqdm import tqdm

    if scheduler is None:
        out = []
        for task in tqdm(tasks, desc="sweep", unit="chunk", disable=not progress):
            out.append(_chunk_job(prep, args_of(task)))
        return out
    try:
        from dask.distributed import Client
    except ImportError as exc:  # pragma: no cover
        raise SGCError(f"scheduler: dask.distributed is not installed ({exc})") from None
    try:
        client = Client(scheduler, timeout="3s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SGCError(f"scheduler: cannot reach the Dask scheduler at {scheduler!r} "
                       f"({type(exc).__name__}: {exc})") from None
    try:
        prep_f = client.scatter(prep, broadcast=True)
        futures = [client.submit(_chunk_job, prep_f, args_of(t), pure=False) for t in tasks]
        out = []
        with tqdm(total=len(tasks), desc="sweep", unit="chunk", disable=not progress) as bar:
            for fut in futures:
                out.append(fut.result())
                bar.update(1)
        return out
    finally:
        client.close()
