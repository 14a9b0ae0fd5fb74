"""Trace-driven runtime of one scheme under one waiting policy (docs/guide/simulation.md).

Model of a run
--------------
* Delays: the trace ``D`` (workers x rounds, measured at probe load ``L0``) is shifted to the
  scheme's load ``L``: ``D' = D + (L - L0) * slope``. The default slope, 1.1218 s per unit of
  normalized load, is the least-squares fit of mean round time against probe load over the five
  shipped ``desktop_long`` probes (Canada), see :func:`sgc_theory.simulate.fit_slope`;
  ``slope="paper"`` uses 2.2013, the value of the paper's experiment (fitted by its authors on
  probes that are not shipped).
* Straggler rule: in round ``r`` the threshold is ``theta_r = (1 + mu) * min_i D'[i, r]``; the
  *candidate* stragglers are the workers with ``D'[i, r] > theta_r``.
* Policies (the scheme's design model decides what is tolerable: GC -> per-round(s),
  SR-SGC and M-SGC -> bursty(B, W, lam); any registered scheme -> its ``design_model``):

  - ``paper``: if the candidates, appended to the history of *effective* stragglers, are admitted
    by the model, they become the round's stragglers and the round lasts
    ``min(theta_r, max_i D'[i, r])``; otherwise the master waits for everyone: the round lasts
    ``max_i D'[i, r]`` and records no stragglers.
  - ``minimal``: the master waits until the smallest time ``t >= theta_r`` at which the workers
    still running (``D' > t``) form an admitted straggler set; those are the round's stragglers
    and the round lasts ``t`` (``max_i D'`` when nobody is left).
  - ``optimal``: the offline optimum over every admitted choice of stop times
    (:mod:`sgc_theory.simulate.optimal`); a lower bound for every master.

  No coding always waits for everyone.
* Rounds: ``J`` jobs with delay ``T`` use at most ``J + T`` trace rounds. The effective pattern is
  handed to the scheme's ``decode_rounds``; every job must be decoded by its deadline (for a
  scheme proven to decode its design model a failure is a bug and raises ``AssertionError``;
  otherwise it is reported as an :class:`SGCError`). The run ends with the round that decodes the
  last job: ``rounds = last decode round + 1`` and ``runtime = sum(round_times)`` over those
  rounds (no coding: ``rounds = J``).
* ``waits`` counts the rounds in which the master waited for the slowest worker although some
  workers were past the threshold; ``partial_waits`` the rounds in which it waited for some but
  not all of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..errors import SGCError, check_int
from ..rationals import load_json, to_fraction
from .optimal import BudgetError

# the arguments of a run live in run_args; re-exported here, where they always were
from .run_args import (  # noqa: F401
    DEFAULT_MAX_CELLS,
    DEFAULT_SLOPE,
    PAPER_SLOPE,
    POLICIES,
    SCHEMES,
    _make,
    as_trace,
    check_run_args,
    locate,
    param_names,
    resolve_probe_load,
    resolve_slope,
    scheme_params,
    shifted_delays,
)

__all__ = [
    "SimResult",
    "simulate",
    "SCHEMES",
    "POLICIES",
    "DEFAULT_SLOPE",
    "PAPER_SLOPE",
    "scheme_params",
    "param_names",
    "resolve_probe_load",
    "resolve_slope",
    "as_trace",
    "DEFAULT_MAX_CELLS",
]


@dataclass
class SimResult:
    """Outcome of :func:`simulate`.

    Attributes
    ----------
    runtime : float
        total seconds, ``sum(round_times)``.
    round_times : list[float]
        ``round_times[r]`` = duration of round ``r`` (``rounds`` entries).
    waits : int
        rounds in which the master waited for the slowest worker beyond the threshold.
    rounds : int
        rounds simulated (last decode round + 1).
    pattern : np.ndarray
        effective straggler pattern, bool ``(n, rounds)``.
    params, load, scheme, policy, T :
        the configuration (``load`` as float).
    load_exact : Fraction or None
        the exact load (``to_json`` prints it as ``{"fraction", "float"}``).
    decode_rounds : list or None
        round at whose end each job was decoded (``None`` for no coding).
    partial_waits : int
        rounds where the master waited for some but not all candidate stragglers.
    exact : bool
        ``optimal`` policy: the runtime is the proven optimum (always, except on the generic path
        of :mod:`sgc_theory.simulate.optimal` when the cheapest end could not be confirmed).
    lower_bound : float or None
        ``optimal`` policy: a proven lower bound on every master's runtime (``== runtime`` when
        ``exact``).
    """

    runtime: float
    round_times: list
    waits: int
    rounds: int
    pattern: np.ndarray
    params: dict
    load: float
    scheme: str = ""
    policy: str = "paper"
    T: int = 0
    decode_rounds: list | None = None
    partial_waits: int = 0
    thresholds: list = field(default_factory=list)
    exact: bool = True
    lower_bound: float | None = None
    dp_transitions: int = 0
    load_exact: Fraction | None = None

    def job_times(self) -> list[float]:
        """Wall-clock time at which each job is decoded (end of its decode round); with no
        coding, job ``t`` completes at the end of round ``t``."""
        ends = np.cumsum(self.round_times)
        dec = self.decode_rounds if self.decode_rounds is not None else range(self.rounds)
        return [float(ends[d]) for d in dec]

    def to_json(self) -> dict:
        """The CLI's JSON payload (finite numbers only)."""
        out = {
            "runtime": float(self.runtime),
            "round_times": [float(x) for x in self.round_times],
            "waits": int(self.waits),
            "rounds": int(self.rounds),
            "partial_waits": int(self.partial_waits),
            "scheme": self.scheme,
            "params": dict(self.params),
            "load": load_json(self.load_exact) if self.load_exact is not None else self.load,
            "T": int(self.T),
            "policy": self.policy,
        }
        if self.policy == "optimal":
            out["exact"] = bool(self.exact)
            out["lower_bound"] = float(self.lower_bound)
        return out


# --------------------------------------------------------------------------------------------
# decoding: guarantees and deadlines
# --------------------------------------------------------------------------------------------
def guaranteed(scheme: str, params: dict) -> bool:
    """Is ``scheme`` proven to decode every pattern of its design model (docs/guide/schemes.md)?

    GC, M-SGC, BR-SGC (``B <= W - 1``) and WC-SGC (``B = 1``): yes. SR-SGC: the paper states it for ``B`` dividing
    ``W - 1``; other ``(B, W)`` can miss deadlines on admitted patterns. Other registered schemes:
    not assumed (a missed deadline is reported, not treated as a bug).
    """
    if scheme == "srsgc":
        return (params["W"] - 1) % params["B"] == 0
    return scheme in ("gc", "msgc", "brsgc", "wcsgc")


def decode_failure(scheme: str, params: dict, dec, T: int):
    """``None`` if every job met its deadline, else a message; raises ``AssertionError`` when the
    scheme is guaranteed to decode (then a missed deadline is a bug)."""
    for t, d in enumerate(dec):
        if d is None or d > t + T:
            msg = (
                f"{scheme} {params} misses the deadline of job {t} (decode round {d}, deadline "
                f"{t + T}) on an admitted effective pattern"
            )
            if guaranteed(scheme, params):
                raise AssertionError("bug: " + msg)
            return msg
    return None


def decode_rounds(sch, pattern, jobs):
    """``sch.decode_rounds(pattern, jobs)``: the scheme's token-level decoder, which runs on its
    coefficient-free plan (no exact code is built, so it is fast at ``n = 256``)."""
    return list(sch.decode_rounds(pattern, jobs))


def _mask(bools: np.ndarray) -> int:
    m = 0
    for i in np.flatnonzero(bools):
        m |= 1 << int(i)
    return m


def simulate(
    trace,
    scheme: str,
    *,
    jobs: int,
    mu: float,
    policy: str = "paper",
    slope=None,
    probe_load: float | None = None,
    s=None,
    B=None,
    W=None,
    lam=None,
    scheme_obj=None,
    max_work: int | None = None,
    progress: bool = False,
) -> SimResult:
    """Simulate ``jobs`` jobs of ``scheme`` on a delay trace (one configuration, one policy).

    A straightforward round-by-round loop that asks the scheme's design model
    (``model.allows``) and decoder (``decode_rounds``); :func:`sgc_theory.simulate.sweep`
    is the vectorized route over many configurations.

    Parameters
    ----------
    trace : Trace, shipped trace name, CSV path or ``(workers, rounds)`` array
    scheme : ``"nocoding"`` or a registered scheme (``"gc"``, ``"srsgc"``, ``"msgc"``, ...)
    jobs, mu : number of jobs ``J >= 1`` and straggler slack ``mu >= 0``
    policy : ``"paper"``, ``"minimal"`` or ``"optimal"``
    slope, probe_load : delay model ``D + (L - L0) * slope`` (defaults 1.1218 -- ``"paper"`` for
        2.2013 -- and the trace's probe load, 0 if unknown)
    s, B, W, lam : the scheme's parameters (GC: ``s``; SR-SGC, M-SGC: ``B, W, lam``)
    max_work : budget; ``optimal``: dynamic-programming transitions (default 3,000,000);
        ``paper``/``minimal``: trace cells ``workers x rounds`` (default 20,000,000)

    Examples
    --------
    >>> D = [[1.0, 1.0], [1.0, 5.0]]          # worker 1 is slow in round 1
    >>> simulate(D, "nocoding", jobs=2, mu=1.0, slope=0.0).round_times
    [1.0, 5.0]
    >>> D = [[1.0, 1.0, 1.0], [4.0, 100.0, 1.0], [5.0, 1.0, 1.0]]
    >>> [simulate(D, "msgc", jobs=2, mu=1.0, slope=0.0, policy=p, B=1, W=2, lam=1).runtime
    ...  for p in ("paper", "minimal", "optimal")]
    [8.0, 105.0, 8.0]
    """
    tr = as_trace(trace)
    jobs, mu, policy, slope = check_run_args(jobs, mu, policy, slope)
    if max_work is not None:
        max_work = check_int("max_work", max_work, minimum=1)
    sch, params, T, load = _configure(scheme, tr.n, s, B, W, lam, scheme_obj)
    L0 = resolve_probe_load(tr, probe_load)
    R = jobs + T
    label = f"trace {tr.source or tr.name}"
    tr.require_rounds(R, f"{jobs} jobs with delay T={T} need jobs + T rounds")
    if policy != "optimal" or sch is None:
        _check_cells(tr.n, R, max_work, label)
    D = shifted_delays(tr.delays[:, :R], float(load), L0, slope, label=label, mu=mu, trace=tr)
    run = (D, mu, sch, scheme, params, jobs, T, label, max_work, progress, tr, slope, L0)
    outcome = _run_policy(policy, *run)
    rounds, dec = _decoded(sch, scheme, params, outcome[0], jobs, T, label)
    fields = dict(params=params, scheme=scheme, policy=policy, T=T)
    return _result(D, mu, sch, outcome, rounds, dec, load, **fields)


def _result(D, mu, sch, outcome, rounds, dec, load, **fields) -> SimResult:
    """The :class:`SimResult` of a run: the policy's ``outcome`` (pattern, round times,
    exactness, lower bound, DP transitions) cut at the ``rounds`` it took."""
    pattern, times, exact, lower, transitions = outcome
    thresholds = [float(x) for x in (1.0 + mu) * D.min(axis=0)]
    times = times[:rounds]
    waits, partial = _waits(D, mu, pattern, rounds, sch is None)
    runtime = math.fsum(times)
    if fields["policy"] == "optimal":
        lower = runtime if exact else lower
    return SimResult(
        runtime=runtime,
        round_times=times,
        waits=waits,
        rounds=rounds,
        pattern=pattern[:, :rounds],
        load=float(load),
        **fields,
        decode_rounds=dec,
        partial_waits=partial,
        thresholds=thresholds[:rounds],
        exact=exact,
        lower_bound=(runtime if fields["policy"] == "optimal" and sch is None else lower),
        dp_transitions=transitions,
        load_exact=to_fraction(load),
    )


def _configure(scheme, n, s, B, W, lam, scheme_obj):
    """``(scheme object or None for no coding, params, T, exact load)`` of a run on ``n``
    workers (the parameters checked by the scheme's rules)."""
    if scheme_obj is None:
        params = scheme_params(scheme, s=s, B=B, W=W, lam=lam)
    else:
        params = {p: getattr(scheme_obj, p) for p in param_names(scheme)}
    if scheme == "nocoding":
        from ..bounds import nocoding_load

        return None, params, 0, nocoding_load(n)
    sch = scheme_obj if scheme_obj is not None else _make(scheme, n, params)
    if sch.n != n:
        raise SGCError(f"scheme_obj has n={sch.n} workers but the trace has {n}")
    return sch, params, int(sch.T), sch.load


def _check_cells(n, R, max_work, label) -> None:
    """Refuse a run of the online policies over more trace cells than the budget."""
    budget = DEFAULT_MAX_CELLS if max_work is None else max_work
    if n * R > budget:
        raise BudgetError(
            f"{label}: simulating {R} rounds of {n} workers is {n * R:,} trace "
            f"cells, beyond the budget max_work={budget:,}; raise it (--max-work) "
            "or use fewer jobs"
        )


def _run_policy(
    policy, D, mu, sch, scheme, params, jobs, T, label, max_work, progress, tr, slope, L0
):
    """``(pattern, round times, exact, lower bound, DP transitions)`` of the master's policy."""
    from .optimal import DEFAULT_MAX_WORK

    n, R = D.shape
    if sch is None:  # no coding: wait for everyone
        return np.zeros((n, R), dtype=bool), [float(x) for x in D.max(axis=0)], True, None, 0
    if policy == "optimal":
        budget = DEFAULT_MAX_WORK if max_work is None else max_work
        return _optimal(D, mu, sch, scheme, params, jobs, T, label, budget, progress, tr, slope, L0)
    pattern, times = _online(D, mu, sch.design_model, policy)
    return pattern, times, True, None, 0


def _decoded(sch, scheme, params, pattern, jobs, T, label):
    """``(rounds run, decode round of every job)``; a job that misses its deadline is an
    error naming the trace."""
    if sch is None:
        return jobs, None
    dec = decode_rounds(sch, pattern, jobs)
    msg = decode_failure(scheme, params, dec, T)
    if msg is not None:
        raise SGCError(
            f"{label}: {msg}"
            + ("; SR-SGC is only guaranteed for B dividing W - 1" if scheme == "srsgc" else "")
        )
    return max(dec) + 1, dec


def _waits(D, mu, pattern, rounds, uncoded):
    """``(rounds where the master waited for a straggler, rounds where it waited for some)``."""
    cand_all = D[:, :rounds] > (1.0 + mu) * D[:, :rounds].min(axis=0)
    eff_all = pattern[:, :rounds]
    if uncoded:
        return int(cand_all.any(axis=0).sum()), 0
    waits = int((cand_all.any(axis=0) & ~eff_all.any(axis=0)).sum())
    partial = int((eff_all.any(axis=0) & (eff_all.sum(axis=0) < cand_all.sum(axis=0))).sum())
    return waits, partial


def _online(D, mu, model, policy):
    """Effective pattern and round times of the paper / minimal policy."""
    n, R = D.shape
    pattern = np.zeros((n, R), dtype=bool)
    times = []
    state = model.initial_state()
    for r in range(R):
        d = D[:, r]
        thr = (1.0 + mu) * d.min()
        mx = d.max()
        cand = d > thr
        if policy == "paper":
            if model.allows(state, _mask(cand)):
                eff, t = cand, (thr if cand.any() else mx)
            else:
                eff, t = np.zeros(n, dtype=bool), mx
        else:  # minimal: smallest time whose remaining workers are admitted
            eff, t = None, mx
            for t_try in [thr] + sorted(set(d[cand].tolist())):
                left = d > t_try
                if model.allows(state, _mask(left)):
                    eff, t = left, (t_try if left.any() else mx)
                    break
            if eff is None:  # cannot happen: nobody left is always admitted
                raise AssertionError("empty straggler set rejected by the model")
        pattern[:, r] = eff
        times.append(float(t))
        state = model.advance(state, _mask(eff))
    return pattern, times


def _optimal(D, mu, sch, scheme, params, jobs, T, label, max_work, progress, tr, slope, L0):
    """Pattern, round times, exactness, lower bound and work of the offline optimum."""
    from .optimal import cuts_pattern, cuts_times, optimal_path

    res = optimal_path(D, mu, sch, jobs, max_work=max_work, label=label, progress=progress)
    if res.exact:
        P = cuts_pattern(D[:, : res.end + 1], res.cuts)
        P = np.concatenate([P, np.zeros((D.shape[0], D.shape[1] - P.shape[1]), bool)], axis=1)
        dec = decode_rounds(sch, P, jobs)
        if decode_failure(scheme, params, dec, T) is not None or max(dec) != res.end:
            raise AssertionError(
                f"bug: the optimal path of {scheme} {params} ends in round "
                f"{res.end} but decode_rounds gives {dec}"
            )
        times = cuts_times(D, mu, res.cuts)
        return P, times, True, res.cost, res.transitions
    # generic path: confirm the cheapest end with the scheme's decoder
    confirmed = None
    for cost, e, cuts in res.candidates:
        if confirmed is not None and cost >= confirmed[0]:
            break
        P = cuts_pattern(D[:, : e + 1], cuts)
        P = np.concatenate([P, np.zeros((D.shape[0], D.shape[1] - P.shape[1]), bool)], axis=1)
        dec = decode_rounds(sch, P, jobs)
        if any(d is None or d > t + T for t, d in enumerate(dec)) or max(dec) > e:
            continue
        times = cuts_times(D, mu, cuts)
        confirmed = (math.fsum(times[: max(dec) + 1]), P, times)
    lower = res.candidates[0][0]
    if confirmed is not None and confirmed[0] <= lower:
        return confirmed[1], confirmed[2], True, lower, res.transitions
    # not confirmed: the best valid master we know (paper / minimal are valid masters)
    best = confirmed
    for pol in ("paper", "minimal"):
        try:
            P, times = _online(D, mu, sch.design_model, pol)
            dec = decode_rounds(sch, P, jobs)
            if any(d is None or d > t + T for t, d in enumerate(dec)):
                continue
            val = math.fsum(times[: max(dec) + 1])
            if best is None or val < best[0]:
                best = (val, P, times)
        except SGCError:  # pragma: no cover
            continue
    if best is None:
        raise SGCError(
            f"{label}: {scheme} {params}: no run that decodes every job by its "
            "deadline was found (the scheme misses deadlines on admitted patterns)"
        )
    return best[1], best[2], False, lower, res.transitions
