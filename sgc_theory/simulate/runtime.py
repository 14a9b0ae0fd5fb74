"""Trace-driven runtime of one scheme under one waiting policy (SPEC section 7).

Model of a run
--------------
* Delays: the trace ``D`` (workers x rounds, measured at probe load ``L0``) is shifted to the
  scheme's load ``L``: ``D' = D + (L - L0) * slope``.
* Straggler rule: in round ``r`` the threshold is ``theta_r = (1 + mu) * min_i D'[i, r]``; the
  *candidate* stragglers are the workers with ``D'[i, r] > theta_r``.
* Policies (the scheme's design model decides what is tolerable: GC -> per-round(s),
  SR-SGC and M-SGC -> bursty(B, W, lam)):

  - ``paper``: if the candidates, appended to the history of *effective* stragglers, are admitted
    by the model, they become the round's stragglers and the round lasts
    ``min(theta_r, max_i D'[i, r])``; otherwise the master waits for everyone: the round lasts
    ``max_i D'[i, r]`` and records no stragglers.
  - ``minimal``: the master waits until the smallest time ``t >= theta_r`` at which the workers
    still running (``D' > t``) form an admitted straggler set; those are the round's stragglers
    and the round lasts ``t`` (``max_i D'`` when nobody is left).

  No coding always waits for everyone.
* Rounds: ``J`` jobs with delay ``T`` use at most ``J + T`` trace rounds. The effective pattern is
  handed to the scheme's ``decode_rounds``; every job must be decoded by its deadline (a failure
  is a bug and raises ``AssertionError``). The run ends with the round that decodes the last job:
  ``rounds = last decode round + 1`` and ``runtime = sum(round_times)`` over those rounds (no
  coding: ``rounds = J``).
* ``waits`` counts the rounds in which the master waited for the slowest worker although some
  workers were past the threshold (no coding: every round with a candidate straggler; paper: every
  round the model rejected; minimal: the rounds where no straggler set short of "nobody" was
  admitted). Partial waits of the minimal policy are counted in ``partial_waits``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import SGCError, check_int
from .traces import Trace, load_trace

__all__ = ["SimResult", "simulate", "SCHEMES", "POLICIES", "DEFAULT_SLOPE", "scheme_params",
           "resolve_probe_load", "as_trace"]

#: seconds per unit of normalized load (linear fit of the ``desktop_long`` probes, Canada)
DEFAULT_SLOPE = 1.1218
SCHEMES = ("nocoding", "gc", "srsgc", "msgc")
POLICIES = ("paper", "minimal")
_PARAMS = {"nocoding": (), "gc": ("s",), "srsgc": ("B", "W", "lam"), "msgc": ("B", "W", "lam")}


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
    decode_rounds : list or None
        round at whose end each job was decoded (``None`` for no coding).
    partial_waits : int
        rounds (minimal policy) where the master waited for some but not all stragglers.
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

    def job_times(self) -> list[float]:
        """Wall-clock time at which each job is decoded (end of its decode round); with no
        coding, job ``t`` completes at the end of round ``t``."""
        ends = np.cumsum(self.round_times)
        dec = self.decode_rounds if self.decode_rounds is not None else range(self.rounds)
        return [float(ends[d]) for d in dec]

    def to_json(self) -> dict:
        """The CLI's JSON payload."""
        return {"runtime": float(self.runtime), "round_times": [float(x) for x in self.round_times],
                "waits": int(self.waits), "rounds": int(self.rounds)}


def as_trace(trace) -> Trace:
    """A :class:`Trace` from a Trace, a shipped name, a CSV path or a ``(workers, rounds)`` array."""
    if isinstance(trace, Trace):
        return trace
    if isinstance(trace, np.ndarray) or isinstance(trace, (list, tuple)):
        D = np.asarray(trace, dtype=float)
        if D.ndim != 2 or D.size == 0:
            raise SGCError(f"trace array must be a non-empty 2-D (workers, rounds) array "
                           f"(got shape {D.shape})")
        if not np.isfinite(D).all() or (D < 0).any():
            raise SGCError("trace array must hold finite, non-negative delays")
        return Trace(delays=D, name="<array>", source="<array>")
    return load_trace(trace)


def resolve_probe_load(trace: Trace, probe_load) -> float:
    """``probe_load`` if given, else the trace's (``index.csv``), else 0."""
    if probe_load is not None:
        return _check_float("probe_load", probe_load, minimum=0.0)
    return float(trace.probe_load) if trace.probe_load is not None else 0.0


def _check_float(name, value, minimum=None):
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SGCError(f"{name} must be a number (got {value!r})") from None
    if not math.isfinite(v):
        raise SGCError(f"{name} must be finite (got {name}={value!r})")
    if minimum is not None and v < minimum:
        raise SGCError(f"{name} must be >= {minimum} (got {name}={v})")
    return v


def scheme_params(scheme: str, **given) -> dict:
    """Validate that exactly the parameters of ``scheme`` are given; return them as ints."""
    if scheme not in _PARAMS:
        raise SGCError(f"scheme must be one of {', '.join(SCHEMES)} (got {scheme!r})")
    need = _PARAMS[scheme]
    missing = [p for p in need if given.get(p) is None]
    extra = [p for p, v in given.items() if v is not None and p not in need]
    if missing:
        raise SGCError(f"scheme {scheme} needs {', '.join('--' + p for p in need)} "
                       f"(missing {', '.join('--' + p for p in missing)})")
    if extra:
        takes = ", ".join("--" + p for p in need) or "no parameters"
        raise SGCError(f"scheme {scheme} takes {takes} (got {', '.join('--' + p for p in extra)})")
    return {p: check_int(p, given[p]) for p in need}


def _make(scheme: str, n: int, params: dict):
    from ..schemes import make_scheme  # imported lazily: another area of the package

    return make_scheme(scheme, n=n, **params)


def guaranteed(scheme: str, params: dict) -> bool:
    """Is ``scheme`` proven to decode every pattern of its design model (SPEC section 4)?

    GC and M-SGC (``B <= W - 1``): yes. SR-SGC: the paper states it for ``B`` dividing ``W - 1``;
    other ``(B, W)`` can miss deadlines on admitted patterns.
    """
    if scheme == "srsgc":
        return (params["W"] - 1) % params["B"] == 0
    return True


def decode_failure(scheme: str, params: dict, dec, T: int):
    """``None`` if every job met its deadline, else a message; raises ``AssertionError`` when the
    scheme is guaranteed to decode (then a missed deadline is a bug)."""
    for t, d in enumerate(dec):
        if d is None or d > t + T:
            msg = (f"{scheme} {params} misses the deadline of job {t} (decode round {d}, deadline "
                   f"{t + T}) on an admitted effective pattern")
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


def shifted_delays(D: np.ndarray, load: float, probe_load: float, slope: float, label="trace"):
    """``D + (load - probe_load) * slope``; non-positive results are an error."""
    Dp = D + (load - probe_load) * slope
    if Dp.size and Dp.min() <= 0:
        raise SGCError(
            f"{label}: delays shifted to load {load:.6g} (probe_load={probe_load:g}, "
            f"slope={slope:g}) become non-positive (min {Dp.min():.4g} s); use a trace measured "
            "at a smaller probe load, or a smaller --slope")
    return Dp


def check_run_args(jobs, mu, policy, slope):
    jobs = check_int("jobs", jobs, minimum=1)
    mu = _check_float("mu", mu, minimum=0.0)
    if policy not in POLICIES:
        raise SGCError(f"policy must be one of {', '.join(POLICIES)} (got {policy!r})")
    slope = DEFAULT_SLOPE if slope is None else _check_float("slope", slope)
    return jobs, mu, policy, slope


def simulate(trace, scheme: str, *, jobs: int, mu: float, policy: str = "paper",
             slope: float | None = None, probe_load: float | None = None,
             s=None, B=None, W=None, lam=None, scheme_obj=None) -> SimResult:
    """Simulate ``jobs`` jobs of ``scheme`` on a delay trace (one configuration, one policy).

    A straightforward round-by-round loop that asks the scheme's design model
    (``model.allows``) and decoder (``decode_rounds``); :func:`sgc_theory.simulate.sweep`
    is the vectorized route over many configurations.

    Parameters
    ----------
    trace : Trace, shipped trace name, CSV path or ``(workers, rounds)`` array
    scheme : ``"nocoding" | "gc" | "srsgc" | "msgc"``
    jobs, mu : number of jobs ``J >= 1`` and straggler slack ``mu >= 0``
    policy : ``"paper"`` or ``"minimal"``
    slope, probe_load : delay model ``D + (L - L0) * slope`` (defaults 1.1218 and the trace's
        probe load, 0 if unknown)
    s, B, W, lam : the scheme's parameters (GC: ``s``; SR-SGC, M-SGC: ``B, W, lam``)

    Examples
    --------
    >>> D = [[1.0, 1.0], [1.0, 5.0]]          # worker 1 is slow in round 1
    >>> simulate(D, "nocoding", jobs=2, mu=1.0, slope=0.0).round_times
    [1.0, 5.0]
    """
    tr = as_trace(trace)
    jobs, mu, policy, slope = check_run_args(jobs, mu, policy, slope)
    params = scheme_params(scheme, s=s, B=B, W=W, lam=lam)
    L0 = resolve_probe_load(tr, probe_load)
    n = tr.n
    if scheme == "nocoding":
        from ..bounds import nocoding_load

        sch, model, T = None, None, 0
        load = float(nocoding_load(n))
    else:
        sch = scheme_obj if scheme_obj is not None else _make(scheme, n, params)
        model = sch.design_model
        T = int(sch.T)
        load = float(sch.load)
    R = jobs + T
    tr.require_rounds(R, f"{jobs} jobs with delay T={T} need jobs + T rounds")
    D = shifted_delays(tr.delays[:, :R], load, L0, slope, label=f"trace {tr.source or tr.name}")

    pattern = np.zeros((n, R), dtype=bool)
    times, thresholds = [], []
    waits = partial = 0
    state = model.initial_state() if model is not None else None
    for r in range(R):
        d = D[:, r]
        thr = (1.0 + mu) * d.min()
        mx = d.max()
        cand = d > thr
        thresholds.append(float(thr))
        if model is None:
            times.append(float(mx))
            waits += bool(cand.any())
            continue
        if policy == "paper":
            if model.allows(state, _mask(cand)):
                eff, t = cand, (thr if cand.any() else mx)
            else:
                eff, t = np.zeros(n, dtype=bool), mx
                waits += 1
        else:  # minimal: smallest time whose remaining workers are admitted
            eff, t = None, mx
            for t_try in [thr] + sorted(set(d[cand].tolist())):
                left = d > t_try
                if model.allows(state, _mask(left)):
                    eff, t = left, (t_try if left.any() else mx)
                    break
            if eff is None:  # cannot happen: nobody left is always admitted
                raise AssertionError("empty straggler set rejected by the model")
            if cand.any() and not eff.any():
                waits += 1
            elif eff.sum() < cand.sum():
                partial += 1
        pattern[:, r] = eff
        times.append(float(t))
        state = model.advance(state, _mask(eff))

    if sch is None:
        rounds, dec = jobs, None
    else:
        dec = decode_rounds(sch, pattern, jobs)
        msg = decode_failure(scheme, params, dec, T)
        if msg is not None:
            raise SGCError(f"trace {tr.source or tr.name}: {msg}; SR-SGC is only guaranteed "
                           "for B dividing W - 1")
        rounds = max(dec) + 1
    times = times[:rounds]
    # recount waits on the rounds actually simulated
    if rounds < R:
        cand_all = D[:, :rounds] > (1.0 + mu) * D[:, :rounds].min(axis=0)
        eff_all = pattern[:, :rounds]
        if model is None:
            waits = int(cand_all.any(axis=0).sum())
        else:
            waits = int((cand_all.any(axis=0) & ~eff_all.any(axis=0)).sum())
            partial = int((eff_all.any(axis=0)
                           & (eff_all.sum(axis=0) < cand_all.sum(axis=0))).sum())
    return SimResult(runtime=math.fsum(times), round_times=times, waits=int(waits), rounds=rounds,
                     pattern=pattern[:, :rounds], params=params, load=load, scheme=scheme,
                     policy=policy, T=T, decode_rounds=dec, partial_waits=int(partial),
                     thresholds=thresholds[:rounds])
