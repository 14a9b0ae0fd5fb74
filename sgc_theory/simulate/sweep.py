"""Parameter sweep over every scheme configuration on one trace (vectorized).

For a trace, a job count ``J`` and a largest delay ``T``, :func:`sweep` evaluates

* no coding (once);
* GC for every ``s`` in ``0..n-1``;
* SR-SGC for every ``(B, W, lam)`` with ``1 <= B <= T``, ``B + 1 <= W <= J``, ``1 <= lam <= n``;
* M-SGC for every ``(B, W, lam)`` with ``1 <= B <= W - 1``, ``W - 2 + B <= T``, ``W <= J``,
  ``1 <= lam <= n``;
* BR-SGC for every ``(B, W, lam)`` with ``1 <= B <= min(T, W - 1)``, ``W <= J``,
  ``1 <= lam <= n`` (its delay is ``B``);
* any other registered scheme through its objects (design model, ``decode_rounds``);

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
  BR-SGC decodes job ``t`` in round ``t`` when its round had no straggler and in round ``t + B``
  otherwise, so its last decode round is ``max_t (t + B [e[t] > 0])``.
  Every other case (ambiguous SR-SGC histories, M-SGC with ``lam = n``) asks the scheme's
  ``decode_rounds``; so do the best configurations, which are also checked against it.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field

import numpy as np

from ..errors import SGCError, check_int
from .optimal import BudgetError
from .runtime import (
    POLICIES,
    SCHEMES,
    _make,
    as_trace,
    check_run_args,
    decode_failure,
    decode_rounds,
    param_names,
    resolve_probe_load,
    shifted_delays,
)

__all__ = ["sweep", "SweepResult", "sweep_choices"]

_CHUNK = 8192


# --------------------------------------------------------------------------------------------
# configurations
# --------------------------------------------------------------------------------------------
def sweep_choices(n: int, jobs: int, max_delay: int) -> dict[str, np.ndarray]:
    """All configurations of the sweep, per scheme, as integer arrays.

    Returns ``{"nocoding": (1, 0), "gc": (C, 1) [s], "srsgc": (C, 3), "msgc": (C, 3),
    "brsgc": (C, 3)}`` with columns ``B, W, lam`` for the sequential schemes.
    """
    lam = np.arange(1, n + 1)
    sr, ms, br = [], [], []
    for B in range(1, max_delay + 1):
        for W in range(B + 1, jobs + 1):
            sr.append(np.column_stack([np.full(n, B), np.full(n, W), lam]))
    for W in range(2, jobs + 1):
        for B in range(1, W):
            if W - 2 + B <= max_delay:
                ms.append(np.column_stack([np.full(n, B), np.full(n, W), lam]))
    for W in range(2, jobs + 1):
        for B in range(1, min(max_delay, W - 1) + 1):
            br.append(np.column_stack([np.full(n, B), np.full(n, W), lam]))
    empty = np.zeros((0, 3), dtype=np.int64)
    return {
        "nocoding": np.zeros((1, 0), dtype=np.int64),
        "gc": np.arange(n, dtype=np.int64)[:, None],
        "srsgc": np.concatenate(sr).astype(np.int64) if sr else empty,
        "msgc": np.concatenate(ms).astype(np.int64) if ms else empty,
        "brsgc": np.concatenate(br).astype(np.int64) if br else empty,
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
    if scheme == "brsgc":
        fl = sp.lambdify([ls], bounds.brsgc_load(n, ls), "numpy")
        load = np.broadcast_to(np.asarray(fl(lam.astype(float)), dtype=float), (C,)).copy()
        for j in {0, C - 1}:
            assert math.isclose(load[j], float(bounds.brsgc_load(n, int(lam[j]))))
        return load, np.asarray(B, dtype=np.int64), None
    if scheme == "srsgc":
        fs = sp.lambdify([Bs, Ws, ls], bounds.srsgc_s(Bs, Ws, ls), "numpy")
        s = np.rint(np.asarray(fs(B.astype(float), W.astype(float), lam.astype(float)))).astype(
            np.int64
        )
        fl = sp.lambdify([sp.Symbol("s")], bounds.gc_load(n, sp.Symbol("s")), "numpy")
        load = np.asarray(fl(s.astype(float)), dtype=float)
        # the closed form of the load itself, checked on the extremes
        for j in {0, C - 1}:
            assert math.isclose(
                load[j], float(bounds.srsgc_load(n, int(B[j]), int(W[j]), int(lam[j])))
            )
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


# --------------------------------------------------------------------------------------------
# one chunk of configurations of one scheme
# --------------------------------------------------------------------------------------------
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
    """Evaluate the configurations of one chunk ``spec`` under ``policy``: dict of arrays."""
    R = prep.R
    kind = spec["kind"]
    P, T, s, shifts = spec["P"], spec["T"], spec["s"], spec["shifts"]
    C = P.shape[0]
    kc = prep.candidates(shifts)
    if kind == "nocoding":
        mx = prep.desc[0][None, :] + shifts[:, None]
        cs = np.cumsum(mx[:, :jobs], axis=1)
        return {
            "runtime": cs[:, -1],
            "rounds": np.full(C, jobs),
            "e": np.zeros((C, R), np.int64),
            "waits": (kc[:, :jobs] > 0).sum(axis=1),
            "failed": np.zeros(C, dtype=bool),
        }
    e = _effective(prep, spec, kc, policy)
    times = _times(prep, shifts, kc, e)
    last = np.full(C, jobs - 1, dtype=np.int64)
    fallback = np.zeros(C, dtype=bool)
    if kind == "msgc":
        full = P[:, 2] >= prep.n
        last = np.where(full, -1, jobs - 1 + T)
        fallback |= full
    elif kind == "generic":
        fallback[:] = True
    elif kind == "brsgc":  # job t: round t if e[t] == 0, else t + B (in time: see the docstring)
        late = np.arange(jobs)[None, :] + np.where(e[:, :jobs] > 0, P[:, :1], 0)
        last = late.max(axis=1)
    elif kind == "srsgc":
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
    if kind == "srsgc" and fallback.any():
        rows = np.flatnonzero(fallback)
        last_x, fail_x = _srsgc_exact(prep, e[rows], s[rows], P[rows, 0], jobs)
        last[rows], failed[rows] = last_x, fail_x
        fallback[:] = False
    if kind == "msgc" and fallback.any():
        for c in np.flatnonzero(fallback):
            lc = _msgc_uncoded_last(
                prep.pattern(e[c, : jobs + int(T[c])]), int(P[c, 0]), int(P[c, 1]), jobs
            )
            failed[c], last[c] = lc is None, (jobs - 1 + int(T[c]) if lc is None else lc)
        fallback[:] = False
    for c in np.flatnonzero(fallback):
        params = _params(spec, P[c])
        sch = spec["objs"][c] if kind == "generic" else _make(kind, prep.n, params)
        Tc = int(T[c])
        dec = decode_rounds(sch, prep.pattern(e[c, : jobs + Tc]), jobs)
        if decode_failure(spec["name"], params, dec, Tc) is not None:
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


def _params(spec, row) -> dict:
    names = (
        spec["names"]
        if isinstance(spec, dict)
        else {
            "gc": ("s",),
            "srsgc": ("B", "W", "lam"),
            "msgc": ("B", "W", "lam"),
            "brsgc": ("B", "W", "lam"),
        }.get(spec, ())
    )
    return {p: int(v) for p, v in zip(names, row)}


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
        ``None`` when the scheme has no admissible configuration. For ``optimal`` also
        ``exact`` (the best runtime is the proven optimum over all configurations).
    table : list[dict]
        one row per configuration and policy: ``scheme, policy, params, load, T, runtime,
        rounds, waits``. ``optimal`` rows carry ``lower_bound`` and ``upper_bound`` (the better
        of the paper and minimal policies); ``runtime`` is the optimum where it was computed (or
        the bounds met) and ``None`` for configurations pruned because their lower bound already
        exceeds the best optimum found.
    evaluated : int
        number of (configuration, policy) pairs evaluated.
    skipped : dict
        scheme -> why some of its configurations were left out (e.g. they cannot exist for the
        trace's ``n``).
    """

    best: dict
    table: list
    evaluated: int
    settings: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)


#: default budget of the sweep, in configuration-rounds (configurations x rounds)
DEFAULT_MAX_WORK = 20_000_000


def _as_policies(policy):
    pols = (policy,) if isinstance(policy, str) else tuple(policy)
    if not pols:
        raise SGCError(f"policy: give at least one of {', '.join(POLICIES)}")
    for p in pols:
        if not isinstance(p, str) or p not in POLICIES:
            raise SGCError(f"policy must be one of {', '.join(POLICIES)} (got {p!r})")
    return tuple(dict.fromkeys(pols))


#: the families with closed-form fast paths (every other registered scheme goes the generic way)
_BUILTIN = ("nocoding", "gc", "srsgc", "msgc", "brsgc")

#: what :func:`sweep` and :func:`~sgc_theory.simulate.reproduce` cover when no scheme is named:
#: the families with a fast path. The others (WC-SGC: its decoding depends on which workers
#: straggle, not only on how many) go the generic route, minutes per trace at n = 256; name
#: them to include them.
DEFAULT_SCHEMES = _BUILTIN


def _builtin_family(sc, n, jobs, max_delay, skipped):
    P = sweep_choices(n, jobs, max_delay)[sc]
    if sc == "srsgc" and P.shape[0]:
        B, W, lam = P[:, 0], P[:, 1], P[:, 2]
        s = -(-(B * lam) // (W - 1 + B))
        ok = s < n
        if not ok.all():
            skipped[sc] = (
                f"{int((~ok).sum())} configurations with s = ceil(B lam / (W - 1 + B)) "
                f">= n = {n} cannot exist"
            )
        P = P[ok]
    if P.shape[0] == 0:
        return None
    loads, T, s = _loads_and_delays(sc, n, P)
    if sc == "gc":
        cap = P[:, 0]
    elif sc == "nocoding":
        cap = np.zeros(1, np.int64)
    else:
        cap = P[:, 2]
    if sc == "msgc":
        end_min = np.where(P[:, 2] < n, jobs - 1 + T, jobs - 1)
    else:
        end_min = np.full(P.shape[0], jobs - 1, np.int64)
    return {
        "name": sc,
        "kind": sc,
        "P": P,
        "loads": loads,
        "T": T,
        "s": s,
        "cap": cap,
        "end_min": end_min,
        "names": {"gc": ("s",), "nocoding": ()}.get(sc, ("B", "W", "lam")),
    }


def _generic_family(sc, n, jobs, max_delay, skipped):
    """Every constructible configuration of a registered scheme with delay ``T <= max_delay``.

    ``s``-schemes: ``s = 0 .. n - 1``. ``(B, W, lam)``-schemes: ``1 <= B <= W <= J``,
    ``1 <= lam <= n``; a ``(B, W)`` pair is kept when the scheme builds at ``lam = 1`` or
    ``lam = n`` with ``T <= max_delay`` (its delay is assumed not to depend on ``lam``).
    Configurations the constructor refuses are skipped (and counted in ``skipped``).
    """
    from ..models import Bursty, PerRound

    names = param_names(sc)
    objs, rows, refused = [], [], 0

    def build(params):
        nonlocal refused
        try:
            return _make(sc, n, params)
        except SGCError:
            refused += 1
            return None

    if names == ("s",):
        grid = [{"s": v} for v in range(n)]
    elif names == ("B", "W", "lam"):
        grid = []
        for W in range(1, jobs + 1):
            for B in range(1, W + 1):
                probes = [build({"B": B, "W": W, "lam": x}) for x in sorted({1, n})]
                if not any(o is not None and int(o.T) <= max_delay for o in probes):
                    continue
                grid += [{"B": B, "W": W, "lam": x} for x in range(1, n + 1)]
    else:
        skipped[sc] = f"the sweep does not enumerate parameters {', '.join(names)}"
        return None
    refused = 0
    for params in grid:
        o = build(params)
        if o is None or int(o.T) > max_delay:
            continue
        objs.append(o)
        rows.append([params[p] for p in names])
    if refused:
        skipped[sc] = f"{refused} configurations refused by the {sc} constructor for n = {n}"
    if not objs:
        return None
    P = np.asarray(rows, dtype=np.int64).reshape(len(rows), len(names))
    models = [o.design_model for o in objs]
    if all(isinstance(m, PerRound) for m in models):
        mkind, mpar = "perround", np.array([[m.s] for m in models], np.int64)
    elif all(isinstance(m, Bursty) for m in models):
        mkind, mpar = "bursty", np.array([[m.B, m.W, m.lam] for m in models], np.int64)
    else:
        mkind, mpar = "other", None
    T = np.array([int(o.T) for o in objs], np.int64)
    return {
        "name": sc,
        "kind": "generic",
        "P": P,
        "loads": np.array([float(o.load) for o in objs]),
        "T": T,
        "s": None,
        "cap": np.array([m.lam for m in models], np.int64),
        "end_min": np.full(len(objs), jobs - 1, np.int64),
        "names": names,
        "objs": objs,
        "mkind": mkind,
        "mpar": mpar,
    }


def _slice(spec, a, b):
    out = dict(spec)
    for key in ("P", "loads", "T", "s", "cap", "end_min", "shifts", "mpar"):
        if out.get(key) is not None:
            out[key] = out[key][a:b]
    if "objs" in out:
        out["objs"] = out["objs"][a:b]
    return out


def sweep(
    trace,
    *,
    jobs: int,
    max_delay: int,
    mu: float,
    policy="paper",
    slope=None,
    probe_load: float | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    verify_best: bool = True,
    schemes=None,
    max_work: int | None = None,
    max_dp_work: int | None = None,
    _force_generic: bool = False,
) -> SweepResult:
    """Evaluate every configuration of every scheme on a trace; see the module docstring.

    Parameters
    ----------
    trace : Trace, shipped trace name, CSV path or ``(workers, rounds)`` array
    jobs, max_delay : ``J >= 1`` jobs and the largest delay ``T >= 0`` allowed
    mu : straggler slack (``>= 0``)
    policy : ``"paper"``, ``"minimal"``, ``"optimal"`` or a sequence of them. ``optimal`` is
        found by branch and bound: configurations in increasing order of a lower bound, the
        exact dynamic program (:mod:`sgc_theory.simulate.optimal`) where the bound and the better
        of the paper/minimal runtimes differ, until the bound exceeds the best optimum.
    slope, probe_load : delay model (see :func:`sgc_theory.simulate.simulate`)
    scheduler : ``None`` (run here) or the address of a running Dask scheduler
    progress : show a tqdm bar on stderr (default: when stderr is a terminal)
    verify_best : check the best configurations with the schemes' ``decode_rounds``
    schemes : names to sweep (default: ``nocoding`` and every registered scheme)
    max_work : budget in configuration-rounds (default 20,000,000)
    max_dp_work : budget of each optimal dynamic program, in transitions (default 300,000; one
        scheme's branch and bound spends at most 30 such budgets); a configuration beyond it stays
        unresolved: its bounds are reported, and the best is marked ``exact=False`` with the
        least ``lower_bound`` any unresolved configuration could still reach

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
    if max_work is not None:
        max_work = check_int("max_work", max_work, minimum=1)
    if max_dp_work is not None:
        max_dp_work = check_int("max_dp_work", max_dp_work, minimum=1)
    schemes = _check_schemes(schemes)
    R = jobs + max_delay
    tr.require_rounds(R, f"{jobs} jobs with delays up to {max_delay} need jobs + max_delay rounds")
    label = f"trace {tr.source or tr.name}"
    budget = DEFAULT_MAX_WORK if max_work is None else max_work
    _check_estimate(tr.n, jobs, max_delay, budget, label)  # before building anything large
    D = np.ascontiguousarray(tr.delays[:, :R], dtype=float)
    skipped: dict = {}
    work = _families(schemes, tr.n, jobs, max_delay, L0, slope, skipped, _force_generic)
    _check_configurations(work, R, pols, budget, label)
    min_shift = min((float(w["shifts"].min()) for w in work), default=math.inf)
    for w in work:  # the extreme loads: every shifted delay positive and finite
        for c in {int(np.argmin(w["shifts"])), int(np.argmax(w["shifts"]))}:
            shifted_delays(D, float(w["loads"][c]), L0, slope, label=label, mu=mu, trace=tr)
    prep = _Prep(D, mu)
    K = int(prep.candidates(np.array([min_shift])).max()) if work else 0
    prep.build_masks(K)
    tasks = _tasks(work, pols)

    def args_of(task):
        wi, pol, a, b = task
        return (_slice(work[wi], a, b), jobs, pol)

    if progress is None:
        progress = sys.stderr.isatty()
    results = _run_tasks(prep, tasks, args_of, scheduler, progress)
    table, best_rows, per = _assemble(work, tasks, results, pols)
    best = _best(work, schemes, pols, best_rows, prep, jobs, tr.n, verify_best)
    if "optimal" in pols:
        for wi, spec in enumerate(work):
            rows, b = _optimal_family(
                tr, prep, spec, per, wi, jobs, mu, slope, L0, max_dp_work, progress
            )
            table.extend(rows)
            best["optimal"][spec["name"]] = b
    settings = {"trace": tr.name, "n": tr.n, "jobs": jobs, "max_delay": max_delay, "mu": mu}
    settings.update(policies=pols, slope=slope, probe_load=L0)
    return SweepResult(
        best=best, table=table, evaluated=len(table), settings=settings, skipped=skipped
    )


def _best(work, schemes, pols, best_rows, prep, jobs, n, verify_best) -> dict:
    """``best[policy][scheme]``: the parameters, load, runtime, rounds, waits and delay of each
    family's best row (``None`` without one), replayed by the scheme's decoder when
    ``verify_best``."""
    best = {p: {w["name"]: None for w in work} for p in pols}
    for sc in schemes:
        for p in pols:
            best[p].setdefault(sc, None)
    for (pol, sc), (row, e, wi, c) in best_rows.items():
        if verify_best and work[wi]["kind"] != "nocoding":
            _verify_best(
                sc, row, _scheme_of(work[wi], c, n), prep.pattern(e[: jobs + row["T"]]), jobs
            )
        best[pol][sc] = dict(
            row["params"],
            load=row["load"],
            runtime=row["runtime"],
            rounds=row["rounds"],
            waits=row["waits"],
            T=row["T"],
        )
    return best


def _check_schemes(schemes) -> tuple:
    """The families to sweep (default :data:`DEFAULT_SCHEMES`), each a known name."""
    schemes = DEFAULT_SCHEMES if schemes is None else schemes
    if isinstance(schemes, str):
        schemes = (schemes,)
    for sc in schemes:
        if not isinstance(sc, str) or sc not in SCHEMES:
            raise SGCError(f"schemes: unknown scheme {sc!r} (known: {', '.join(SCHEMES)})")
    return tuple(schemes)


def _check_estimate(n, jobs, max_delay, budget, label) -> None:
    """Refuse a sweep whose size alone (before the families are built) is far over budget."""
    R = jobs + max_delay
    est = R * (1 + n + max_delay * jobs * n + jobs * (max_delay + 1) * n)
    if est > 20 * budget:
        raise BudgetError(
            f"{label}: the sweep of {jobs} jobs, delays <= {max_delay} on {n} workers "
            f"is about {est:.3g} configuration-rounds, beyond the budget "
            f"max_work={budget:,}; raise it (--max-work) or use fewer jobs / a "
            "smaller --max-delay"
        )


def _families(schemes, n, jobs, max_delay, L0, slope, skipped, force_generic) -> list:
    """Every family's configurations (vectorised tables), with their delay shifts."""
    work = []
    for sc in schemes:
        if sc == "nocoding" or (sc in _BUILTIN and not force_generic):
            spec = _builtin_family(sc, n, jobs, max_delay, skipped)
        else:
            spec = _generic_family(sc, n, jobs, max_delay, skipped)
        if spec is not None:
            with np.errstate(over="ignore", invalid="ignore"):  # checked by shifted_delays
                spec["shifts"] = (spec["loads"] - L0) * slope
            work.append(spec)
    return work


def _check_configurations(work, R, pols, budget, label) -> None:
    """Refuse more configuration-rounds (over every policy run) than the budget."""
    C_total = sum(w["P"].shape[0] for w in work)
    n_pols = len(set(pols) | ({"paper", "minimal"} if "optimal" in pols else set()))
    if C_total * R * n_pols > budget:
        raise BudgetError(
            f"{label}: the sweep evaluates {C_total:,} configurations x {R} rounds x "
            f"{n_pols} policies = {C_total * R * n_pols:,} configuration-rounds, beyond "
            f"the budget max_work={budget:,}; raise it (--max-work) or use fewer jobs "
            "/ a smaller --max-delay"
        )


def _tasks(work, pols) -> list:
    """``(family index, policy, a, b)`` chunks of the online policies (``optimal`` needs both
    online policies as its bounds)."""
    run_pols = tuple(p for p in POLICIES if p in pols or (p != "optimal" and "optimal" in pols))
    tasks = []
    for wi, spec in enumerate(work):
        for pol in run_pols:
            if pol == "optimal":
                continue
            for a in range(0, spec["P"].shape[0], _CHUNK):
                tasks.append((wi, pol, a, min(a + _CHUNK, spec["P"].shape[0])))
    return tasks


def _assemble(work, tasks, results, pols):
    """``(table, best rows, per-family arrays)`` from the chunks' results: one table row per
    configuration and requested policy; the best row of each (policy, family) by runtime, then
    load, then first enumerated."""
    table, best_rows, per = [], {}, {}
    for task, out in zip(tasks, results):
        wi, pol, a, b = task
        spec = work[wi]
        acc = per.setdefault(
            (wi, pol),
            {"runtime": np.full(spec["P"].shape[0], np.nan), "e": [None] * spec["P"].shape[0]},
        )
        acc["runtime"][a:b] = np.where(out["failed"], np.nan, out["runtime"])
        for j in range(b - a):
            c = a + j
            acc["e"][c] = out["e"][j]
            if pol not in pols:
                continue
            row = _row(spec, c, pol, out, j)
            table.append(row)
            if not row["decoded"]:
                continue
            key = (pol, spec["name"])
            cur = best_rows.get(key)
            if cur is None or (row["runtime"], row["load"]) < (cur[0]["runtime"], cur[0]["load"]):
                best_rows[key] = (row, out["e"][j], wi, c)
    return table, best_rows, per


def _row(spec, c, pol, out, j) -> dict:
    """The table row of configuration ``c`` of a family under an online policy."""
    decoded = not bool(out["failed"][j])
    return {
        "scheme": spec["name"],
        "policy": pol,
        "params": _params(spec, spec["P"][c]),
        "load": float(spec["loads"][c]),
        "T": int(spec["T"][c]),
        # None: the configuration missed a deadline on this trace
        "runtime": float(out["runtime"][j]) if decoded else None,
        "rounds": int(out["rounds"][j]),
        "waits": int(out["waits"][j]),
        "decoded": decoded,
    }


def _verify_best(sc, row, sch, pattern, jobs) -> None:
    """Replay a best configuration with the scheme's own decoder: it must decode every job in
    time and end in the round the vectorised sweep counted."""
    dec = decode_rounds(sch, pattern, jobs)
    _check_decoded(sc, row["params"], dec, row["T"])
    if max(dec) + 1 != row["rounds"]:
        raise AssertionError(
            f"bug: sweep counted {row['rounds']} rounds for {sc} "
            f"{row['params']} but decode_rounds ends at {max(dec)}"
        )


def _scheme_of(spec, c, n):
    if spec["kind"] == "generic":
        return spec["objs"][c]
    return _make(spec["kind"], n, _params(spec, spec["P"][c]))


_LAM_GRID = (
    1,
    2,
    3,
    4,
    5,
    6,
    8,
    10,
    12,
    14,
    16,
    20,
    24,
    28,
    32,
    40,
    48,
    56,
    64,
    80,
    96,
    128,
    160,
    192,
    256,
)


def _relaxed_bounds(prep, spec, jobs, idx, max_dp_work):
    """Stronger lower bounds for the configurations ``idx`` of a bursty-designed family.

    Bursty(B, W, lam) patterns (W >= 2) are also patterns of the two-round window model
    ``R_lam`` = bursty(1, 2, lam) for ``B = 1`` and bursty(2, 2, lam) (at most ``lam`` distinct
    stragglers in any two consecutive rounds) for ``B >= 2``; a larger ``lam`` only relaxes it
    further. So the least cost of an ``R_g`` pattern (``g >= lam`` on a fixed grid) over the
    rounds every run needs, at the family's smallest load shift ``a``, plus ``rounds x (shift -
    a)`` (a path at a larger shift maps to one at shift ``a`` with the same sets, each round
    ``shift - a`` shorter), bounds the configuration's optimum from below.
    """
    from ..models import Bursty
    from .optimal import BudgetError, relaxed_prefix

    n = prep.n
    bwl = _bursty_params(spec)
    if bwl is None:
        return {}
    Bm, Wm, lm = bwl
    ref = float(spec["shifts"].min())
    Dref = prep.D + ref
    Rmax = int(spec["end_min"].max()) + 1
    cache = {}
    out = {}
    for c in idx:
        if Wm[c] < 2:
            continue
        rb = 1 if Bm[c] == 1 else 2
        g = next((x for x in _LAM_GRID if x >= lm[c]), n)
        g = min(g, n)
        key = (rb, g)
        if key not in cache:
            try:
                cache[key] = relaxed_prefix(
                    Dref, prep.mu, Bursty(n, rb, 2, g), Rmax, max_work=max_dp_work
                )
            except BudgetError:
                cache[key] = None
        pref = cache[key]
        if pref is None:
            continue
        e = int(spec["end_min"][c])
        out[c] = pref[e] + (e + 1) * (float(spec["shifts"][c]) - ref)
    return out


def _bursty_params(spec):
    """``(B, W, lam)`` arrays of a family's design models when they are bursty, else ``None``."""
    if spec["kind"] in ("srsgc", "msgc", "brsgc"):
        return spec["P"][:, 0], spec["P"][:, 1], spec["P"][:, 2]
    if spec["kind"] == "generic" and spec.get("mkind") == "bursty":
        return tuple(spec["mpar"][:, j] for j in range(3))
    return None


def _block_bounds(prep, spec, idx):
    """Lower bounds from disjoint blocks of ``W`` rounds (bursty-designed families).

    In every window of ``W`` rounds of a bursty(B, W, lam) pattern, sets of rounds at least
    ``B`` apart are disjoint, so for each residue class modulo ``B`` inside a block of ``W``
    consecutive rounds the set sizes add up to at most ``lam``. Dropping every other constraint
    leaves independent knapsacks (per class: choose a cut-off per round, total size ``<= lam``,
    least total time), solved for every ``lam`` at once at the group's smallest load shift ``a``;
    a configuration at shift ``x`` adds ``rounds x (x - a)`` (see :func:`_relaxed_bounds`).
    """
    from .optimal import round_options

    bwl = _bursty_params(spec)
    if bwl is None:
        return {}
    Bm, Wm, lm = bwl
    out = {}
    groups = {}
    for c in idx:
        groups.setdefault((int(Bm[c]), int(Wm[c]), int(spec["end_min"][c])), []).append(c)
    for (B, W, e), cs in groups.items():
        ref = float(min(spec["shifts"][c] for c in cs))
        L = int(max(lm[c] for c in cs))
        opts = [round_options(prep.D[:, r] + ref, prep.mu, L) for r in range(e + 1)]
        total = np.zeros(L + 1)
        for start in range(0, e + 1, W):
            for rho in range(B):
                f = np.zeros(L + 1)
                for r in range(start + rho, min(start + W, e + 1), B):
                    g = np.full(L + 1, np.inf)
                    for k, t in zip(opts[r].cuts, opts[r].times):
                        if k <= L:
                            np.minimum(g[k:], f[: L + 1 - k] + t, out=g[k:])
                    f = g
                total += f
        for c in cs:
            out[c] = float(total[lm[c]]) + (e + 1) * (float(spec["shifts"][c]) - ref)
    return out


#: per-configuration budget of the optimal dynamic programs inside a sweep, and how many such
#: budgets the whole branch and bound of one scheme may spend
_SWEEP_DP_WORK = 300_000
_SWEEP_DP_RUNS = 30


def _optimal_family(tr, prep, spec, per, wi, jobs, mu, slope, L0, max_dp_work, progress):
    """Branch and bound for the optimal policy over one scheme's configurations."""
    from .optimal import BudgetError, optimal_path
    from .runtime import simulate

    max_dp_work = _SWEEP_DP_WORK if max_dp_work is None else max_dp_work
    total_budget = _SWEEP_DP_RUNS * max_dp_work
    spent = 0
    C = spec["P"].shape[0]
    name = spec["name"]
    if spec["kind"] == "nocoding":
        rt = float(per[(wi, "paper")]["runtime"][0])
        row = {
            "scheme": name,
            "policy": "optimal",
            "params": {},
            "load": float(spec["loads"][0]),
            "T": 0,
            "runtime": rt,
            "lower_bound": rt,
            "upper_bound": rt,
            "exact": True,
        }
        return [row], {"load": row["load"], "runtime": rt, "T": 0, "exact": True}
    ub = np.fmin(per[(wi, "paper")]["runtime"], per[(wi, "minimal")]["runtime"])
    lower = _lower_bounds(prep, spec, jobs)
    value = np.full(C, np.nan)
    exact = np.zeros(C, dtype=bool)
    tol = 1 + 1e-12
    incumbent = float(np.nanmin(ub)) if np.isfinite(ub).any() else math.inf
    live = np.flatnonzero(lower <= incumbent * tol)
    for c, v in _block_bounds(prep, spec, live).items():
        lower[c] = max(lower[c], v)
    live = np.flatnonzero(lower <= incumbent * tol)
    for c, v in _relaxed_bounds(prep, spec, jobs, live, max_dp_work).items():
        lower[c] = max(lower[c], v)
    order = sorted(live, key=lambda c: (lower[c], spec["loads"][c], c))
    if np.isfinite(ub).any():  # the best online configuration first: a real incumbent early
        first = int(np.nanargmin(ub))
        order = [first] + [c for c in order if c != first]
    best = None
    from tqdm import tqdm

    bar = tqdm(total=len(order), desc=f"optimal {name}", unit="config", disable=not progress)
    for c in order:
        bar.update(1)
        if lower[c] > incumbent * tol:
            continue
        if np.isfinite(ub[c]) and ub[c] <= lower[c] * tol:
            value[c], exact[c] = ub[c], True  # a valid master attains the lower bound
        elif spent >= total_budget:
            continue
        else:
            sch = _scheme_of(spec, c, prep.n)
            Rc = jobs + int(spec["T"][c])
            try:
                path = optimal_path(
                    prep.D[:, :Rc] + spec["shifts"][c], mu, sch, jobs, max_work=max_dp_work
                )
                spent += path.transitions
                if path.exact:  # decoding is part of the dynamic program
                    val, ex, lo = path.cost, True, path.cost
                else:  # generic scheme: confirm with its decoder (see simulate)
                    r = simulate(
                        tr,
                        name,
                        jobs=jobs,
                        mu=mu,
                        policy="optimal",
                        slope=slope,
                        probe_load=L0,
                        scheme_obj=sch,
                        max_work=max_dp_work,
                    )
                    val, ex, lo = r.runtime, r.exact, r.lower_bound
            except BudgetError:
                spent += max_dp_work
                continue
            except SGCError:
                continue  # no run of this configuration decodes every job in time
            value[c], exact[c], lower[c] = val, ex, max(lower[c], lo)
        incumbent = min(incumbent, float(value[c]))
        if exact[c]:
            key = (value[c], spec["loads"][c])
            if best is None or key < (best[0], best[1]):
                best = (float(value[c]), float(spec["loads"][c]), int(c))
    bar.close()
    rows = []
    for c in range(C):
        rows.append(
            {
                "scheme": name,
                "policy": "optimal",
                "params": _params(spec, spec["P"][c]),
                "load": float(spec["loads"][c]),
                "T": int(spec["T"][c]),
                "runtime": float(value[c]) if np.isfinite(value[c]) else None,
                "lower_bound": float(lower[c]),
                "upper_bound": float(ub[c]) if np.isfinite(ub[c]) else None,
                "exact": bool(exact[c]),
            }
        )
    if best is None:  # nothing proven: report the best known run (a valid master) and bounds
        known = np.where(np.isfinite(value), value, ub)
        if not np.isfinite(known).any():
            return rows, None
        c = int(np.nanargmin(known))
        lb_all = min(float(lower[j]) for j in order) if order else float(known[c])
        return rows, dict(
            _params(spec, spec["P"][c]),
            load=float(spec["loads"][c]),
            runtime=float(known[c]),
            T=int(spec["T"][c]),
            exact=False,
            lower_bound=lb_all,
            unresolved=int(sum(1 for j in order if not exact[j])),
        )
    c = best[2]
    open_ = [lower[j] for j in order if not exact[j] and np.isfinite(lower[j])]
    lb_best = min([best[0]] + open_)
    b = dict(
        _params(spec, spec["P"][c]),
        load=best[1],
        runtime=best[0],
        T=int(spec["T"][c]),
        exact=bool(lb_best >= best[0] * (1 - 1e-12)),
        lower_bound=float(lb_best),
        unresolved=int(sum(1 for j in order if not exact[j] and lower[j] < best[0])),
    )
    return rows, b


def _chunk_job(prep, args):
    return _eval_chunk(prep, *args)


def _check_scheduler(address) -> None:
    """Refuse a malformed or unreachable scheduler address before any Dask client exists (a
    client that fails to connect prints a traceback when it is garbage-collected)."""
    import socket

    if not isinstance(address, str) or not address.strip():
        raise SGCError(f"scheduler: give an address such as tcp://host:8786 (got {address!r})")
    try:
        from distributed.comm.addressing import parse_address, parse_host_port

        proto, loc = parse_address(address)
        if proto != "tcp":
            return
        host, port = parse_host_port(loc)
    except (ValueError, TypeError) as exc:
        raise SGCError(
            f"scheduler: {address!r} is not a Dask scheduler address ({exc}); "
            "expected tcp://host:port"
        ) from None
    try:
        with socket.create_connection((host, int(port)), timeout=3.0):
            pass
    except (OSError, ValueError) as exc:
        raise SGCError(
            f"scheduler: cannot reach the Dask scheduler at {address!r} "
            f"({type(exc).__name__}: {exc})"
        ) from None


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
    _check_scheduler(scheduler)
    try:
        client = Client(scheduler, timeout="3s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise SGCError(
            f"scheduler: cannot reach the Dask scheduler at {scheduler!r} "
            f"({type(exc).__name__}: {exc})"
        ) from None
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
