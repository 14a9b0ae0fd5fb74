"""One ``sgc run``: scheme, injected delays, cluster, training, prediction (docs/guide/execute.md)."""

from __future__ import annotations

import math
from contextlib import nullcontext

from ..errors import SGCError, check_int
from .cluster import RELAYS, DaskExecutor, dask_client, local_cluster
from .delays import injected_delays
from .engine import TrainResult, build_scheme, code_choice, train

__all__ = ["run"]


def _check(mu, time_scale, workers):
    for name, v, lo in (("mu", mu, 0.0), ("time_scale", time_scale, None)):
        if not (isinstance(v, (int, float)) and math.isfinite(v)) or (
            v < lo if lo is not None else v <= 0
        ):
            raise SGCError(f"{name} must be a finite number {'>= 0' if lo is not None else '> 0'}")
    check_int("workers", workers, minimum=1)


def run(
    family: str,
    n: int,
    params: dict,
    *,
    jobs: int = 20,
    model: str = "logistic",
    lr=None,
    trace=None,
    time_scale: float = 1.0,
    slope=None,
    probe_load=None,
    mu: float = 1.0,
    policy: str = "paper",
    scheduler: str | None = None,
    local: bool = False,
    workers: int = 2,
    threads: int | None = None,
    block: int | None = None,
    relay: str = "auto",
    progress: bool = False,
    construction: str | None = None,
) -> TrainResult:
    """Train ``model`` with scheme ``family`` on ``n`` workers: in process on a virtual clock
    (``local``), on a new Dask ``LocalCluster`` of ``workers`` processes (default), or on the
    cluster at ``scheduler``. ``trace`` (a shipped trace, a CSV or a process spec) injects delays
    shifted to the scheme's load and scaled by ``time_scale``; without it a Dask run measures the
    cluster as it is."""
    _check(mu, time_scale, workers)
    sch = build_scheme(family, n, construction, **params)
    jobs = check_int("jobs", jobs, minimum=1)
    delays = None
    if trace is not None:
        delays = injected_delays(
            trace,
            sch.n,
            jobs + sch.T,
            sch.load,
            slope=slope,
            probe_load=probe_load,
            time_scale=time_scale,
        )
    common = dict(jobs=jobs, model=model, lr=lr, delays=delays, mu=mu, policy=policy)
    meta = {
        "trace": None if trace is None else str(trace),
        "time_scale": float(time_scale),
        "code": code_choice(sch, family, n, **params),
    }
    if local:
        if scheduler is not None:
            raise SGCError("local and scheduler exclude each other (local runs in this process)")
        res = train(sch, progress=progress, **common)
        res.meta.update(meta, cluster="in process (virtual clock)")
        return res
    threads = check_int("threads", threads, minimum=1) if threads is not None else sch.n + 4
    if block is not None:
        block = check_int("block", block, minimum=1)
    if scheduler is None:
        ctx, where = local_cluster(workers, threads), f"LocalCluster({workers} x {threads} threads)"
    else:
        ctx, where = dask_client(scheduler), str(scheduler)
    if relay not in RELAYS:  # before a cluster starts
        raise SGCError(f"relay must be one of {', '.join(RELAYS)} (got {relay!r})")
    with ctx as client, nullcontext(DaskExecutor(client, block, relay)) as ex:
        try:
            res = train(sch, executor=ex, progress=progress, **common)
        finally:
            ex.close()
    res.meta.update(meta, cluster=where)
    return res
