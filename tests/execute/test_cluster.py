"""The engine on Dask distributed (a LocalCluster of 2 processes): every family trains with exact
float64 decoding, late results are discarded by round, and Ctrl-C leaves no process behind.

The CI test of the issue: n = 8, 10 jobs, on a LocalCluster (well under 30 s with the cluster)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")

from sgc_theory.execute import DaskExecutor, build_scheme, injected_delays, local_cluster, train  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
TRACE = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"

FAMILIES = [
    ("gc", dict(s=1)),
    ("srsgc", dict(B=1, W=2, lam=2)),
    ("msgc", dict(B=1, W=2, lam=2)),
    ("brsgc", dict(B=1, W=2, lam=2)),
    ("wcsgc", dict(B=1, W=2, lam=2)),
    ("prsgc", dict(B=1, W=2, lam=2)),
]


@pytest.fixture(scope="module")
def client():
    with local_cluster(2, 16) as c:
        yield c


def _train_on_cluster(client, family, params):
    sch = build_scheme(family, 8, **params)
    D = injected_delays(TRACE, 8, 10 + sch.T, sch.load, time_scale=0.05)
    res = train(sch, jobs=10, delays=D, mu=1.0, executor=DaskExecutor(client))
    assert res.executor == "dask" and len(res.losses) == 10
    assert res.max_error < 1e-9 and res.loss_gap < 1e-9, family
    assert sch.design_model.admits(res.pattern)
    assert res.ratio > 0.9  # a run is never faster than its injected delays allow
    assert len(res.predicted) >= res.rounds
    cal = res.meta["calibrated"]  # the prediction with the engine's measured overhead
    assert cal["master_seconds_per_round"] > 0 and cal["first_arrival_latency_median"] >= 0
    assert cal["plus_master_runtime"] > res.predicted_runtime
    # (shifting every delay by the latency moves the threshold: not monotone in the latency)
    assert cal["predicted_runtime"] > 0 and cal["measured_over_predicted"] > 0


def test_ci_msgc_trains_on_a_local_cluster(client):
    """The CI run: M-SGC, n = 8, 10 jobs, desktop_long delays scaled to about 40-80 ms."""
    _train_on_cluster(client, "msgc", dict(B=1, W=2, lam=2))


@pytest.mark.slow
def test_every_family_trains_on_a_local_cluster(client):
    for family, params in FAMILIES:
        _train_on_cluster(client, family, params)


@pytest.mark.parametrize("relay", ["direct", "events"])
def test_late_results_are_discarded_by_round(client, relay):
    """Worker 0 is slow in round 0 and finishes during round 1: its result is counted late,
    never used, and round 1 still decodes the exact gradient (either way results travel)."""
    sch = build_scheme("gc", 4, s=1)
    D = np.full((4, 3), 0.05)
    D[0, 0] = 0.6  # arrives during round 1
    D[:, 1] = 0.9  # round 1 lasts ~0.9 s
    ex = DaskExecutor(client, relay=relay)
    assert ex.relay_mode == relay
    res = train(sch, jobs=3, delays=D, mu=1.0, executor=ex)
    assert res.pattern[:, 0].tolist() == [True, False, False, False]
    assert not res.pattern[:, 1:].any()
    assert res.late == 1 and res.max_error < 1e-12 and res.loss_gap < 1e-12


def test_direct_channel_takes_only_keyed_peers(client):
    """The master's result channel refuses a peer without the run's key and keeps serving;
    a keyed delivery reaches the master's queue; ``auto`` uses it only for a scheduler on this
    machine; an unknown relay is one error naming the argument."""
    from multiprocessing import AuthenticationError
    from multiprocessing.connection import Client

    from sgc_theory.errors import SGCError
    from sgc_theory.execute.cluster import _resolve_relay

    ex = DaskExecutor(client)
    assert ex.relay_mode == "direct"  # the LocalCluster's scheduler is on 127.0.0.1
    ex._listen()
    address, key = ex.channel
    try:
        with pytest.raises(AuthenticationError):
            Client(address, authkey=b"not the key")
        with Client(address, authkey=key) as conn:
            conn.send({"r": 3, "batch": [(5, [[1.5, 2.5]])], "sent": time.time(), "began": 0.0})
            r, i, _, res = ex.events.get(timeout=10)
        assert (r, i, res) == (3, 5, [[1.5, 2.5]])
    finally:
        ex.close()

    class Remote:
        class scheduler:
            address = "tcp://10.1.2.3:8786"

    assert _resolve_relay(Remote, "auto") == "events"
    with pytest.raises(SGCError, match="relay must be one of"):
        DaskExecutor(client, relay="smoke")


def _descendants(pid):
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def test_ctrl_c_shuts_the_cluster_down():
    _interrupt(while_starting=False)


@pytest.mark.slow
def test_ctrl_c_while_the_cluster_starts():
    """Ctrl-C is held until the cluster has started, then it is closed: no traceback."""
    err = _interrupt(while_starting=True)
    assert "Traceback" not in err


def _interrupt(while_starting):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    cmd = [sys.executable, "-m", "sgc_theory", "run", "--scheme", "gc", "--n", "4", "--s", "1"]
    proc = subprocess.Popen(
        cmd + ["--jobs", "100000"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline, kids = time.time() + 60, []
        while time.time() < deadline and proc.poll() is None:
            kids = _descendants(proc.pid)
            if len(kids) >= (1 if while_starting else 2):  # worker processes are coming up
                break
            time.sleep(0.05 if while_starting else 0.2)
        assert kids, "the LocalCluster did not start"
        if not while_starting:
            time.sleep(1.0)  # training rounds are running
        kids = _descendants(proc.pid)
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=60)
    finally:
        if proc.poll() is None:  # pragma: no cover - only when the test fails
            proc.kill()
    err = proc.stderr.read().decode()
    assert rc == 130, err
    gone, alive = psutil.wait_procs(kids, timeout=10)
    assert not alive, f"orphan processes: {[p.pid for p in alive]}"
    return err


def test_an_existing_scheduler_and_one_task_per_worker(client):
    """``scheduler=ADDRESS`` uses a running cluster (nothing started, nothing closed) and
    ``block=1`` submits one Dask task per scheme worker."""
    from sgc_theory.execute import run

    res = run(
        "gc",
        4,
        {"s": 1},
        jobs=3,
        trace=TRACE,
        time_scale=0.05,
        scheduler=client.scheduler.address,
        block=1,
    )
    assert res.meta["cluster"] == client.scheduler.address
    assert res.max_error < 1e-12 and res.ratio > 0.9
    assert set(res.meta["relay_latency"]) == {"median", "p90"}
    assert client.submit(sum, [1, 2]).result() == 3  # the cluster is still up
