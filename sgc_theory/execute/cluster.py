"""The workers on Dask distributed (docs/guide/execute.md).

Each round the master submits one Dask task per scheme worker (the scheme's ``n`` workers are
tasks, not Dask workers): it computes the worker's encoded gradients and, when delays are
injected, sleeps until ``round start + delay`` (the trace's response time of that worker in that
round, measured from the start of the round as in the simulator; the real compute and dispatch
time count only where they exceed it). The master learns each arrival through a done-callback
and applies the waiting policy (:class:`~sgc_theory.execute.policy.Waiter`) to the arrival times.

**Late results.** Dask cannot interrupt a running task. When the policy ends a round, the master
stops waiting, gathers the results of the workers that arrived in time and keeps the others'
futures only to notice when they finish: their arrivals carry the round they belong to, and any
arrival of an earlier round is counted as *late* and discarded (never gathered). A result is thus
accepted by round and worker, never by time alone, so a straggler that finishes during a later
round cannot enter that round's decoding. The tasks still occupy a thread until they end, so the
cluster gets ``n`` threads per process: a round's tasks start at once even while stragglers of
earlier rounds sleep.

**Result channel.** Dask relays a worker's event through the scheduler, and both hops batch their
messages (every 2 ms in distributed 2024-2025): about 1.5 ms from a worker's send to the master's
receipt, paid by the first arrival and so by the policy's threshold ``(1 + mu) f`` in every round.
With ``relay="direct"`` (the default when the scheduler runs on this machine) the master listens
on a socket of its own (``multiprocessing.connection``, a random key per run, shipped with the
tasks) and each Dask worker process sends its results there over one kept-open connection; Dask
still schedules the tasks, ships the data and reports task errors. ``relay="events"`` keeps
everything on Dask (what a cluster whose workers cannot reach the master needs); a worker whose
direct send fails falls back to the event.
"""

from __future__ import annotations

import importlib
import itertools
import logging
import os
import queue
import socket
import threading
import time
import uuid
from contextlib import contextmanager
from multiprocessing import connection as mpconn

import numpy as np

from ..errors import SGCError
from .engine import Outcome, compute_items

__all__ = ["DaskExecutor", "local_cluster", "dask_client"]

#: the master never blocks longer than this without looking at Ctrl-C
_POLL = 0.25


#: per Dask worker process: open connections to masters' result channels, by address
_CHANNELS: dict = {}
_CHANNEL_LOCK = threading.Lock()


def _deliver(worker, topic, channel, msg) -> None:
    """Send ``msg`` to the master: on its direct channel when there is one, else (or when the
    channel fails) as a Dask event on ``topic``."""
    if channel is not None:
        address, key = channel
        with _CHANNEL_LOCK:
            try:
                conn = _CHANNELS.get(address)
                if conn is None:
                    conn = _CHANNELS[address] = _no_delay(mpconn.Client(address, authkey=key))
                conn.send(msg)
                return
            except (OSError, EOFError, ValueError):
                _CHANNELS.pop(address, None)
    worker.log_event(topic, msg)


def _no_delay(conn):
    """``conn`` with Nagle's algorithm off: a message over 16 KiB goes out as two writes, and
    the second would wait for the peer's delayed acknowledgement (up to 40 ms on Linux)."""
    with socket.socket(fileno=os.dup(conn.fileno())) as sock:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def _block_task(block, items, delays, data, params, start, topic, r, channel=None):
    """Serve the scheme workers of ``block`` in the order of their delays: wait until a worker's
    ``start + delay`` and deliver its encoded gradients as an event on ``topic``, together with
    those of the next workers already due by then (one event per batch keeps the scheduler's
    relay off the critical path when hundreds of workers arrive within a few ms). Results are
    computed ahead, in that order, while there is time before the next delivery (the longest
    compute so far must fit), so that one worker's compute does not delay the next worker's
    delivery when their delays are close, and a large block does not compute everything
    before its first delivery."""
    from distributed import get_worker

    began = time.time() - start
    kind, X, y, bounds = data
    worker = get_worker()
    order = sorted(range(len(block)), key=lambda k: delays[k] or 0.0)
    due = [start + (delays[k] or 0.0) for k in order]
    out: list = []
    longest = 0.0

    def compute_next():
        nonlocal longest
        t0 = time.time()
        k = order[len(out)]
        out.append([v.tolist() for v in compute_items(kind, X, y, bounds, items[k], params)])
        longest = max(longest, time.time() - t0)

    j = 0
    while j < len(order):
        while len(out) <= j or (len(out) < len(order) and time.time() + longest < due[j]):
            compute_next()
        left = due[j] - time.time()
        if left > 0:
            time.sleep(left)
        batch = [(block[order[j]], out[j])]
        j += 1
        while j < len(order) and due[j] <= time.time():
            if len(out) <= j:
                compute_next()
            batch.append((block[order[j]], out[j]))
            j += 1
        msg = {"r": r, "batch": batch, "sent": time.time(), "began": began}
        _deliver(worker, topic, channel, msg)


class DaskExecutor:
    """Run each round's worker computations on a Dask client; wait by the policy in real time.

    ``block`` scheme workers share one Dask task (default: ``ceil(n / 2)``, one task per round
    and process of the default cluster): scheduling ``n`` tasks a round costs the scheduler far
    more than the rounds last at ``n = 64``. Each scheme worker's results still travel on their
    own, as an event at the worker's own time; ``block=1`` gives one Dask task per scheme worker.
    """

    name = "dask"

    def __init__(self, client, block: int | None = None, relay: str = "auto"):
        if relay not in RELAYS:
            raise SGCError(f"relay must be one of {', '.join(RELAYS)} (got {relay!r})")
        self.client, self.waiter, self.data, self.block = client, None, None, block
        self.relay_mode = _resolve_relay(client, relay)
        self.channel = None  # (address, key) of the direct result channel
        self._listener = None
        self.events: queue.Queue = queue.Queue()
        self.run_id = uuid.uuid4().hex[:8]
        self.topic = f"sgc-run-{self.run_id}"
        self.late = 0
        self.futures: list = []
        self.relay: list = []  # seconds from a worker's send to the master's receipt
        self.began: list = []  # seconds from a round's dispatch to its block task's start
        self.excess: list = []  # seconds an in-time arrival came after its injected delay
        self.first: list = []  # per round: first arrival minus the smallest injected delay

    def bind(self, problem, bounds, waiter) -> None:
        """Ship the data set and the partition bounds to every Dask worker once."""
        payload = (problem.kind, problem.X, problem.y, bounds)
        self.data = self.client.scatter([payload], broadcast=True, hash=False)[0]
        self.waiter = waiter
        self.client.run(importlib.import_module, __name__)  # warm: no import in round 0
        self.client.subscribe_topic(self.topic, self._on_event)
        if self.relay_mode == "direct":
            self._listen()
        # warm every Dask worker on the real code path (a one-sample gradient, an event on a
        # topic nobody reads), so that round 0 does not pay for first calls
        item = [(0, np.zeros(1, dtype=np.int64), np.ones(1))]
        workers = list(self.client.scheduler_info()["workers"])
        warm = [
            self.client.submit(
                _block_task,
                [0],
                [item],
                [None],
                self.data,
                {0: np.zeros(problem.dim)},
                0.0,
                self.topic + "-warm",
                -1,
                self.channel,  # opens each process's connection before round 0
                workers=[w],
                pure=False,
            )
            for w in workers
        ]
        self.client.gather(warm)

    def _listen(self) -> None:
        """Open the direct result channel: a listener on this machine and a thread per worker
        process's connection, feeding the same queue as the Dask events."""
        key = os.urandom(16)
        host = _local_host(self.client)
        self._listener = mpconn.Listener((host, 0), authkey=key)
        self.channel = (self._listener.address, key)
        threading.Thread(target=self._accept, daemon=True, name="sgc-relay").start()

    def _accept(self) -> None:
        listener = self._listener
        while True:
            try:
                conn = listener.accept()
            except Exception:  # noqa: BLE001 - closed, or a peer without the key: go on
                if self._listener is None:
                    return
                continue
            threading.Thread(target=self._read, args=(_no_delay(conn),), daemon=True).start()

    def _read(self, conn) -> None:
        with conn:
            while True:
                try:
                    msg = conn.recv()
                except (OSError, EOFError):
                    return
                self._on_event(msg)

    def _on_event(self, event):
        msg = event[1] if isinstance(event, tuple) else event
        if msg["r"] < 0:  # the warm-up's deliveries
            return
        now = time.time()
        self.relay.append(now - msg["sent"])
        self.began.append(msg["began"])
        for i, res in msg["batch"]:
            self.events.put((msg["r"], i, now, res))

    def _on_done(self, fut):
        if fut.status == "error":
            self.events.put((None, None, time.time(), fut))

    def run_round(self, r, items, params, delays=None) -> Outcome:
        n = len(items)
        size = self.block or max(1, -(-n // 2))
        start = time.time()
        blocks = [list(range(a, min(n, a + size))) for a in range(0, n, size)]
        futs = self.client.map(
            _block_task,
            blocks,
            [[items[i] for i in b] for b in blocks],
            [[None if delays is None else float(delays[i]) for i in b] for b in blocks],
            data=self.data,
            params=params,
            start=start,
            topic=self.topic,
            r=r,
            channel=self.channel,
            key=[f"{self.topic}-r{r}-b{k}" for k in range(len(blocks))],
            pure=False,
        )
        for f in futs:
            f.add_done_callback(self._on_done)
        self.futures = [f for f in self.futures if not f.done()] + futs
        rw = self.waiter.round()
        late_before = self.late
        results: list = [None] * n
        while True:
            decided, wake = rw.poll(time.time() - start)
            if decided:
                break
            timeout = _POLL if wake is None else min(_POLL, max(0.0, wake - (time.time() - start)))
            try:
                event = self.events.get(timeout=timeout)
            except queue.Empty:
                continue
            for rr, i, t, res in itertools.chain([event], _drain(self.events)):
                if rr is None:
                    raise SGCError(f"a worker task failed on the cluster: {res.exception()!r}")
                if rr != r:  # a straggler of an earlier round: discarded
                    self.late += 1
                    continue
                rw.arrive(i, t - start)
                if delays is not None:
                    self.excess.append(t - start - float(delays[i]))
                results[i] = [np.asarray(v, dtype=np.float64) for v in res]
        if delays is not None and np.isfinite(rw.times).any():
            self.first.append(float(rw.times.min()) - float(np.min(delays)))
        for i in np.flatnonzero(rw.mask):
            results[int(i)] = None  # arrived after the policy's time: discarded
        return Outcome(rw.mask, results, rw.end, self.late - late_before)

    def close(self) -> None:
        try:
            self.client.unsubscribe_topic(self.topic)
        except Exception:  # noqa: BLE001 - the client may already be closing
            pass
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.close()
            except OSError:  # pragma: no cover
                pass
        self.futures = []


#: how results travel from the Dask workers to the master
RELAYS = ("auto", "direct", "events")


def _scheduler_host(client) -> str | None:
    address = getattr(client.scheduler, "address", None) or ""
    if "://" not in address:
        return None
    rest = address.split("://", 1)[1]
    return rest.rsplit(":", 1)[0].strip("[]") if ":" in rest else rest


def _resolve_relay(client, relay: str) -> str:
    """``auto``: the direct channel when the scheduler is on this machine, else Dask events."""
    if relay != "auto":
        return relay
    host = _scheduler_host(client)
    return "direct" if host in ("127.0.0.1", "localhost", "::1") else "events"


def _local_host(client) -> str:
    """The address of this machine that the workers can reach: loopback for a local
    scheduler, else the interface this machine uses to reach the scheduler."""
    host = _scheduler_host(client)
    if host in (None, "127.0.0.1", "localhost", "::1"):
        return "127.0.0.1"
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect((host, 9))  # no packet is sent: this only picks the route
        return probe.getsockname()[0]


def _drain(q):
    while True:
        try:
            yield q.get_nowait()
        except queue.Empty:
            return


@contextmanager
def local_cluster(n_workers: int = 2, threads: int = 8):
    """A Dask ``LocalCluster`` of ``n_workers`` processes with ``threads`` threads each and a
    client; both closed on exit, also on Ctrl-C (no worker process outlives the block)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover
        raise SGCError(f"dask.distributed is not installed ({exc})") from None
    with _sigint_deferred() as interrupted:  # Ctrl-C while starting: finish starting, then close
        cluster = LocalCluster(
            n_workers=n_workers,
            threads_per_worker=threads,
            processes=True,
            dashboard_address=":0",
            scheduler_kwargs={"dashboard": False},
            silence_logs=logging.ERROR,
        )
        try:
            client = Client(cluster, set_as_default=False)
        except BaseException:
            cluster.close()
            raise
    try:
        try:
            if interrupted():
                raise KeyboardInterrupt
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


@contextmanager
def _sigint_deferred():
    """Hold Ctrl-C while a cluster starts (a half-started ``LocalCluster`` cannot be closed
    cleanly); yields a function telling whether Ctrl-C came meanwhile."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    hits: list = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: hits.append(signum))
    try:
        yield lambda: bool(hits)
    finally:
        signal.signal(signal.SIGINT, previous)


def dask_client(scheduler):
    """A client of the running scheduler at ``scheduler`` (``tcp://host:port``), closed on exit
    (a context manager); one :class:`~sgc_theory.errors.SGCError` when the address is
    malformed or unreachable, or the server there sends no Dask handshake.  The sweep's client
    (:mod:`sgc_theory.simulate`): one address check for both."""
    from ..simulate._sweep_tasks import _dask_client

    return _dask_client(scheduler)
