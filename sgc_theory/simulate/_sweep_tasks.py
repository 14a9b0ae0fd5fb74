"""The sweep's tasks: chunks of configurations per family and policy, run here or on a Dask
scheduler (the prepared trace scattered once to every worker).
"""

from __future__ import annotations

from contextlib import contextmanager

from ..errors import SGCError
from ._sweep_engine import _eval_chunk
from .runtime import POLICIES


_CHUNK = 8192


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


def _chunk_job(prep, args):
    return _eval_chunk(prep, *args)


#: seconds a scheduler has to answer: the connection, then its handshake
HANDSHAKE_TIMEOUT = 3.0


def _check_scheduler(address) -> None:
    """Refuse a malformed, unreachable or silent scheduler address before any Dask client
    exists (a client that fails to connect prints a traceback when it is garbage-collected, and
    one connected to a server that never answers waits without a deadline). Only ``tcp://``
    addresses are accepted, and ``inproc://`` ones of a scheduler running in this process. A Dask scheduler sends its handshake as soon as it accepts a
    connection: a server that says nothing for :data:`HANDSHAKE_TIMEOUT` seconds is not one."""
    if not isinstance(address, str) or not address.strip():
        raise SGCError(f"scheduler: give an address such as tcp://host:8786 (got {address!r})")
    try:
        from distributed.comm.addressing import parse_address, parse_host_port

        proto, loc = parse_address(address)
        if proto == "inproc" and _inproc_listening(loc):
            return  # a scheduler of this process (LocalCluster(processes=False))
        if proto != "tcp":
            raise ValueError(
                f"protocol {proto}:// is not supported here"
                + (" (no such scheduler in this process)" if proto == "inproc" else "")
            )
        host, port = parse_host_port(loc)
    except (ValueError, TypeError) as exc:
        raise SGCError(
            f"scheduler: {address!r} is not a Dask scheduler address ({exc}); "
            "expected tcp://host:port"
        ) from None
    _handshake(address, host, port)


def _inproc_listening(loc) -> bool:
    """Is there an in-process Dask listener at ``loc``?"""
    try:
        from distributed.comm.inproc import global_manager

        return global_manager.get_listener_for(loc) is not None
    except Exception:  # noqa: BLE001 - any failure: not a listener
        return False


def _handshake(address, host, port) -> None:
    """Connect to ``host:port`` and wait for the first bytes of the scheduler's handshake."""
    import socket

    try:
        with socket.create_connection((host, int(port)), timeout=HANDSHAKE_TIMEOUT) as sock:
            sock.settimeout(HANDSHAKE_TIMEOUT)
            first = sock.recv(1)
    except TimeoutError:
        raise SGCError(
            f"scheduler: the server at {address!r} accepted the connection but sent no Dask "
            f"handshake within {HANDSHAKE_TIMEOUT:g} s: not a Dask scheduler"
        ) from None
    except (OSError, ValueError, OverflowError) as exc:
        raise SGCError(
            f"scheduler: cannot reach the Dask scheduler at {address!r} "
            f"({type(exc).__name__}: {exc})"
        ) from None
    if not first:
        raise SGCError(
            f"scheduler: the server at {address!r} closed the connection without a Dask "
            "handshake: not a Dask scheduler"
        )


def _run_tasks(prep, tasks, args_of, scheduler, progress):
    """The chunks' results, in the order of ``tasks``: run here, or on the Dask scheduler at
    ``scheduler`` (the prepared trace ``prep`` scattered once to every worker)."""
    from tqdm import tqdm

    if scheduler is None:
        out = []
        for task in tqdm(tasks, desc="sweep", unit="chunk", disable=not progress):
            out.append(_chunk_job(prep, args_of(task)))
        return out
    with _dask_client(scheduler) as client:
        prep_f = client.scatter(prep, broadcast=True)
        futures = [client.submit(_chunk_job, prep_f, args_of(t), pure=False) for t in tasks]
        out = []
        with tqdm(total=len(tasks), desc="sweep", unit="chunk", disable=not progress) as bar:
            for fut in futures:
                out.append(fut.result())
                bar.update(1)
        return out


@contextmanager
def _dask_client(scheduler):
    """A client of the Dask scheduler at ``scheduler`` (its address checked first), closed on
    exit; one ``SGCError`` when dask is missing or the scheduler cannot be reached."""
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
        yield client
    finally:
        client.close()
