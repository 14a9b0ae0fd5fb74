"""Coded training runs: the round loop, the in-process executor, the result and its prediction
(docs/guide/execute.md).

A run needs an *executor*, an object with ``run_round(r, items, params, delays) -> Outcome``:

* :class:`LocalExecutor` computes every worker's encoded gradients in this process; stragglers
  come from a fixed pattern (the verification route: any admitted pattern, no clock), or from
  delays on a virtual clock through the same :class:`~sgc_theory.execute.policy.Waiter` a real
  master uses;
* :class:`sgc_theory.execute.cluster.DaskExecutor` runs the workers' tasks on Dask distributed
  and waits in real time.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from ..budget import check_work
from ..errors import SGCError, check_int
from ..models.base import as_pattern
from .master import Master, reference_losses
from .policy import Waiter, replay
from .problem import encoded_gradient, load_problem

#: work units of one worker's task in one round (encode, ship, decode: about 100 microseconds)
WORK_PER_TASK = 100

__all__ = [
    "Outcome",
    "LocalExecutor",
    "TrainResult",
    "train",
    "build_scheme",
    "code_choice",
    "compute_items",
]


@dataclass
class Outcome:
    """One round as the master saw it: stragglers, results of the others, the policy's end time
    (seconds from the round's start) and results discarded because they came too late."""

    mask: np.ndarray
    results: list
    end: float
    late: int = 0


def compute_items(kind, X, y, bounds, items, params) -> list:
    """A worker's encoded gradients for its ``items`` (``(job, partitions, coefficients)``)."""
    return [encoded_gradient(kind, X, y, bounds, params[j], p, c) for j, p, c in items]


class LocalExecutor:
    """Workers in this process: stragglers from ``pattern`` (bool ``(n, R)``) or from ``delays``
    (``(n, R)`` seconds on a virtual clock, decided by ``waiter``)."""

    name = "local"

    def __init__(self, problem, bounds, n, pattern=None, waiter=None):
        self.problem, self.bounds, self.n = problem, bounds, n
        self.pattern = None if pattern is None else as_pattern(pattern, n)
        self.waiter = waiter

    def run_round(self, r, items, params, delays=None) -> Outcome:
        if self.pattern is not None:
            if r >= self.pattern.shape[1]:
                mask, end = np.zeros(self.n, dtype=bool), 0.0
            else:
                mask, end = self.pattern[:, r].copy(), 0.0
        else:
            mask, end = replay(self.waiter, delays)
        p = self.problem
        results = [
            None if mask[i] else compute_items(p.kind, p.X, p.y, self.bounds, items[i], params)
            for i in range(self.n)
        ]
        return Outcome(mask, results, end)


#: the families with an inner (n, s) gradient code, whose construction can be chosen
CODED_FAMILIES = ("gc", "srsgc", "msgc")


def build_scheme(family: str, n: int, construction: str | None = None, **params):
    """The scheme object of a run, built here and only here.

    ``construction`` (GC, SR-SGC, M-SGC) names the inner gradient code; ``None`` picks the
    float-safe one where the installed toolkit has it (``sgc_theory.codes.float_safe_code``:
    construction ``"stable"``, fractional repetition with unequal groups when ``s + 1`` does not
    divide ``n``), else the scheme's default (Reed-Solomon when ``s + 1`` does not divide ``n``,
    ill-conditioned in float64 at large ``n``: see docs/guide/execute.md).
    """
    from .. import codes
    from ..schemes import make_scheme

    key = str(family).lower().replace("-", "")
    if key in CODED_FAMILIES:
        if construction is None and hasattr(codes, "float_safe_code"):
            construction = "stable"
        if construction is not None:
            params["construction"] = construction
    elif construction is not None:
        raise SGCError(f"construction: {family} has no inner gradient code (only gc, srsgc, msgc)")
    return make_scheme(key, n=n, **{k: v for k, v in params.items() if v is not None})


def code_choice(scheme, family: str, n: int, **params) -> dict | None:
    """The inner gradient code a run executes with, next to the scheme's default one: ``None``
    for the families without an inner code, else ``{"construction", "s", "load",
    "default_construction", "default_load"}`` (loads exact, as strings such as ``"29/3840"``).

    ``default_*`` describe the scheme built without ``construction`` (the optimal-load code of
    the load tables: Reed-Solomon when ``s + 1`` does not divide ``n``).
    """
    from ..schemes import make_scheme

    basis = scheme.code_basis() if hasattr(scheme, "code_basis") else None
    if basis is None:
        return None
    key = str(family).lower().replace("-", "")
    keep = {k: v for k, v in params.items() if v is not None and k != "construction"}
    default = make_scheme(key, n=n, **keep)
    return {
        "construction": str(basis["construction"]),
        "s": int(basis["s"]),
        "load": str(scheme.load),
        "default_construction": str(default.code_basis()["construction"]),
        "default_load": str(default.load),
    }


@dataclass
class TrainResult:
    """What a coded training run did, measured, and what the simulator predicted.

    ``losses[t]`` is the loss after job ``t``'s step and ``reference[t]`` the same for uncoded
    delayed gradient descent; ``errors[t]`` the relative error of job ``t``'s decoded gradient
    against the uncoded one; ``round_times`` measured seconds per round (wall clock from the
    round's dispatch to the end of its steps); ``policy_times`` the policy's end time of each round
    (the time the simulator models); ``predicted`` the simulator's round times on the same
    injected delays.
    """

    scheme: str
    family: str
    n: int
    T: int
    load: float
    jobs: int
    rounds: int
    model: str
    lr: float
    executor: str
    losses: list
    reference: list
    errors: list
    conditions: list
    pattern: np.ndarray
    round_times: list
    policy_times: list
    late: int = 0
    policy: str | None = None
    mu: float | None = None
    predicted: list | None = None
    decode_seconds: float = 0.0
    applied_rounds: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)

    predicted_applied: list | None = None

    def job_times(self, predicted: bool = False) -> list:
        """Seconds from the start of the run to the end of the round in which each job's step
        was taken: measured, or as the simulator predicts (its round times and decode rounds)."""
        if predicted:
            times, rounds = self.predicted, self.predicted_applied
        else:
            times, rounds = self.round_times, self.applied_rounds
        ends = np.cumsum(times)
        return [float(ends[r]) for r in rounds]

    @property
    def runtime(self) -> float:
        return math.fsum(self.round_times)

    @property
    def predicted_runtime(self) -> float | None:
        return None if self.predicted is None else math.fsum(self.predicted)

    @property
    def ratio(self) -> float | None:
        p = self.predicted_runtime
        return None if not p else self.runtime / p

    @property
    def overhead(self) -> float | None:
        """Mean seconds per round the run took beyond the prediction (dispatch, transfer, decode)."""
        p = self.predicted_runtime
        return None if p is None else (self.runtime - p) / max(1, self.rounds)

    @property
    def max_error(self) -> float:
        return max(self.errors, default=0.0)

    @property
    def loss_gap(self) -> float:
        """Largest relative difference between the loss curve and uncoded gradient descent's."""
        return max(
            (abs(a - b) / max(abs(b), 1e-300) for a, b in zip(self.losses, self.reference)),
            default=0.0,
        )

    def to_json(self) -> dict:
        out = {
            "scheme": self.scheme,
            "family": self.family,
            "n": self.n,
            "T": self.T,
            "load": self.load,
            "jobs": self.jobs,
            "rounds": self.rounds,
            "model": self.model,
            "lr": self.lr,
            "executor": self.executor,
            "policy": self.policy,
            "mu": self.mu,
            "final_loss": self.losses[-1] if self.losses else None,
            "losses": self.losses,
            "reference_losses": self.reference,
            "loss_gap": self.loss_gap,
            "max_relative_error": self.max_error,
            "worst_condition": max(self.conditions, default=1.0),
            "stragglers": int(self.pattern.sum()),
            "late_discarded": self.late,
            "measured_runtime": self.runtime,
            "round_times": self.round_times,
            "policy_times": self.policy_times,
            "predicted_runtime": self.predicted_runtime,
            "predicted_round_times": self.predicted,
            "measured_over_predicted": self.ratio,
            "overhead_per_round": self.overhead,
            "decode_seconds": self.decode_seconds,
            "job_times": self.job_times(),
            "predicted_job_times": None if self.predicted is None else self.job_times(True),
        }
        out.update(self.meta)
        return out


def _check_train(jobs, lr, problem, T):
    """``(jobs, lr)``; the default step ``1 / (L (T + 1))`` keeps gradient descent with delay
    ``T`` stable (``L`` the gradient's Lipschitz constant)."""
    jobs = check_int("jobs", jobs, minimum=1)
    if lr is None:
        return jobs, 1.0 / (problem.lipschitz() * (T + 1))
    if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        raise SGCError(f"lr must be a positive number (got {lr!r})")
    return jobs, float(lr)


def train(
    scheme,
    *,
    jobs: int,
    model: str = "logistic",
    lr=None,
    pattern=None,
    delays=None,
    mu: float = 1.0,
    policy: str = "paper",
    executor=None,
    progress: bool = False,
    check: bool = True,
) -> TrainResult:
    """Train ``model`` with ``jobs`` coded gradient steps of ``scheme`` (a scheme object).

    Stragglers: a fixed ``pattern`` (bool ``(n, R)``; local executor only), or ``delays``
    (``(n, jobs + T)`` seconds, injected per worker and round) with the waiting ``policy`` and
    slack ``mu``, or neither (a real executor then measures the cluster as it is). ``executor``
    defaults to :class:`LocalExecutor`. With delays, the simulator's prediction on the same
    delays is attached (``predicted``).
    """
    problem = load_problem(model)
    jobs, lr = _check_train(jobs, lr, problem, int(scheme.T))
    check_work(
        WORK_PER_TASK * scheme.n * (scheme.T + 1) * (jobs + scheme.T),
        f"a coded training run of {scheme!r} over {jobs} jobs",
    )
    master = Master(scheme, problem, jobs, lr, check=check)
    R = jobs + master.T
    if delays is not None:
        delays = np.asarray(delays, dtype=np.float64)
        if delays.shape != (scheme.n, R):
            raise SGCError(
                f"delays must have shape (n, jobs + T) = {(scheme.n, R)} ({delays.shape})"
            )
    waiter = None if pattern is not None else Waiter(scheme.design_model, scheme.n, mu, policy)
    if executor is None:
        if pattern is None and delays is None:
            pattern = np.zeros((scheme.n, R), dtype=bool)
        executor = LocalExecutor(problem, master.bounds, scheme.n, pattern, waiter)
    else:
        if pattern is not None:
            raise SGCError("a fixed straggler pattern runs in process only (no executor)")
        executor.bind(problem, master.bounds, waiter)
    times, ends, late, decode_s = _loop(master, executor, delays, R, progress)
    res = TrainResult(
        scheme=repr(scheme),
        family=scheme.name,
        n=scheme.n,
        T=master.T,
        load=float(scheme.load),
        jobs=jobs,
        rounds=len(times),
        model=model,
        lr=lr,
        executor=executor.name,
        losses=master.losses,
        reference=reference_losses(problem, jobs, master.T, lr),
        errors=master.errors,
        conditions=master.conditions,
        pattern=np.column_stack(master.masks),
        round_times=times if executor.name != "local" else ends,
        policy_times=ends,
        late=late,
        policy=None if pattern is not None else policy,
        mu=None if pattern is not None else float(mu),
        decode_seconds=decode_s,
        applied_rounds=list(master.applied_rounds),
    )
    if delays is not None:
        res.predicted, res.predicted_applied = predict(scheme, delays, jobs, mu, policy)
        if getattr(executor, "excess", None):
            res.meta["calibrated"] = calibrated(res, scheme, delays, executor)
    for key, name in (("relay", "relay_latency"), ("began", "dispatch_latency")):
        seen = getattr(executor, key, None)
        if seen:  # a real executor: medians and 90th percentiles, seconds
            res.meta[name] = {
                "median": float(np.median(seen)),
                "p90": float(np.quantile(seen, 0.9)),
            }
    return res


def calibrated(res, scheme, delays, executor) -> dict:
    """The prediction with the engine's measured fixed overhead put in explicitly, two ways:

    * ``plus_master``: the simulator on the injected delays plus the master's own mean time per
      round ``own`` (plan, submit, decode, step, state update: measured round time minus the
      policy's end time; it lies outside the policy's window, so it adds up);
    * ``calibrated``: the same on the delays shifted by ``lat``, the median over rounds of the
      first arrival's latency (first arrival minus the smallest injected delay: dispatch and
      relay), which moves the policy's threshold ``(1 + mu) f`` as it does in the run.

    What stays between these and the measured time is the spread of the latencies from worker
    to worker, which can change the policy's decisions (a round waiting for everyone)."""
    own = float(np.mean(np.subtract(res.round_times, res.policy_times)))
    first = getattr(executor, "first", None) or [0.0]
    lat = max(0.0, float(np.median(first)))
    shifted, _ = predict(scheme, delays + lat, res.jobs, res.mu, res.policy)
    plus = res.predicted_runtime + own * len(res.predicted)
    cal = math.fsum(shifted) + own * len(shifted)
    excess = executor.excess
    return {
        "master_seconds_per_round": own,
        "first_arrival_latency_median": lat,
        "arrival_latency_median": float(np.median(excess)),
        "arrival_latency_p90": float(np.quantile(excess, 0.9)),
        "plus_master_runtime": plus,
        "plus_master_ratio": res.runtime / plus if plus else None,
        "predicted_runtime": cal,
        "measured_over_predicted": res.runtime / cal if cal else None,
    }


def _loop(master, executor, delays, R, progress):
    """The rounds: ``(measured seconds per round, policy end times, late results, seconds the
    master spent decoding and stepping)``."""
    from tqdm import tqdm

    times, ends, late, decode_s = [], [], 0, 0.0
    with tqdm(total=master.jobs, desc="sgc run", unit="job", disable=not progress) as bar:
        for r in range(R):
            t0 = time.perf_counter()
            items, params = master.plan(r)
            out = executor.run_round(r, items, params, None if delays is None else delays[:, r])
            t1 = time.perf_counter()
            before = master.applied
            master.finish(r, items, out.mask, out.results)
            decode_s += time.perf_counter() - t1
            times.append(time.perf_counter() - t0)
            ends.append(float(out.end))
            late += out.late
            bar.update(master.applied - before)
            if master.done:
                break
    return times, ends, late, decode_s


def predict(scheme, delays, jobs, mu, policy) -> tuple[list, list]:
    """The simulator's round times for ``scheme`` on the injected ``delays`` (already at the
    scheme's load: no shift), and the round in which the master would step each job on them
    (its deadline, or earlier in the last rounds once every job up to it is decodable)."""
    from ..simulate import simulate

    sim = simulate(
        delays,
        scheme.name,
        jobs=jobs,
        mu=mu,
        policy=policy,
        slope=0.0,
        probe_load=0.0,
        scheme_obj=scheme,
    )
    T, dec, applied, reach = int(scheme.T), sim.decode_rounds, [], 0
    for t in range(jobs):
        reach = max(reach, dec[t])
        applied.append(min(t + T, max(jobs - 1, reach)))
    return [float(x) for x in sim.round_times], applied
