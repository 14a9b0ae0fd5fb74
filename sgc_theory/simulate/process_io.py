"""Straggler-process files and delay CSVs: reading with the same checks as a CSV trace (a
regular file of at most 64 MB, strict JSON of bounded depth), writing atomically, and the
``process:FILE,rounds=R,seed=S`` trace specs (docs/guide/processes.md)."""

from __future__ import annotations

import json
import os

import numpy as np

from ..errors import SGCError
from .process_model import ProcessError, StragglerProcess, atomic_write_text

__all__ = [
    "load_process",
    "write_delay_csv",
    "is_process_spec",
    "trace_from_spec",
    "MAX_PROCESS_BYTES",
    "MAX_DEPTH",
]

#: largest process file read (bytes), as for CSV traces
MAX_PROCESS_BYTES = 64 * 2**20

#: deepest nesting of lists/objects accepted in a process file
MAX_DEPTH = 16


def _depth_ok(text: str) -> bool:
    """Is the bracket nesting of the JSON text at most :data:`MAX_DEPTH` (strings skipped)?"""
    depth, in_str, esc = 0, False, False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _reject_constant(name):
    raise ValueError(f"{name} is not a number in strict JSON")


def load_process(path) -> StragglerProcess:
    """Read a process JSON file written by ``StragglerProcess.save`` (formats 1 and 2).

    Refused with :class:`ProcessError`: not a path, missing, not a regular file (a FIFO, a
    device such as ``/dev/zero``), over ``MAX_PROCESS_BYTES`` (64 MB), not UTF-8 strict JSON
    (``NaN``/``Infinity`` refused), nested deeper than ``MAX_DEPTH`` (16) levels, or any field of the
    wrong type or out of range.
    """
    from ..errors import check_input_file

    try:
        p = check_input_file(path, "process file", max_bytes=MAX_PROCESS_BYTES)
    except ProcessError:
        raise
    except SGCError as exc:
        raise ProcessError(str(exc)) from None
    label = f"process file {os.fspath(path)}"
    try:
        with open(p, "rb") as fh:
            raw = fh.read(MAX_PROCESS_BYTES + 1)
    except OSError as exc:
        raise ProcessError(f"{label}: cannot read ({exc.strerror or exc})") from None
    if len(raw) > MAX_PROCESS_BYTES:
        raise ProcessError(f"{label}: larger than {MAX_PROCESS_BYTES >> 20} MB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProcessError(f"{label}: not UTF-8 text ({exc.reason})") from None
    if not _depth_ok(text):
        raise ProcessError(f"{label}: nested deeper than {MAX_DEPTH} levels")
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise ProcessError(f"{label}: cannot be read as JSON ({str(exc)[:120]})") from None
    return StragglerProcess.from_json(data, label=label)


def write_delay_csv(D, path) -> None:
    """Write a ``(workers, rounds)`` matrix of finite positive delays in the shipped CSV format
    (header ``w0,...``, one line per round), atomically."""
    try:
        D = np.asarray(D, dtype=float)
    except (TypeError, ValueError):
        raise ProcessError(
            "write_delay_csv: D must be a numeric (workers, rounds) matrix"
        ) from None
    if D.ndim != 2 or D.size == 0:
        raise ProcessError(
            f"write_delay_csv: D must be a non-empty 2-D matrix (got shape {D.shape})"
        )
    if not np.isfinite(D).all() or (D < 0).any():
        raise ProcessError("write_delay_csv: D must hold finite delays >= 0")
    lines = [",".join(f"w{i}" for i in range(D.shape[0]))]
    lines += [",".join(repr(float(x)) for x in row) for row in D.T]
    atomic_write_text(path, "\n".join(lines) + "\n")


def is_process_spec(text) -> bool:
    """Does a ``--trace`` value name a process (``process:FILE[,rounds=R][,seed=S]`` or a
    ``.json`` file) rather than a delay trace?"""
    return isinstance(text, (str, os.PathLike)) and (
        os.fspath(text).startswith("process:") or os.fspath(text).lower().endswith(".json")
    )


def trace_from_spec(text, default_rounds: int = 1000):
    """A :class:`~sgc_theory.simulate.traces.Trace` generated from a process spec:
    ``process:MODEL.json,rounds=R,seed=S`` or ``MODEL.json`` (``R = 1000``, ``S = 0``)."""
    from ..errors import check_int
    from .traces import Trace

    text = os.fspath(text)
    body = text[len("process:") :] if text.startswith("process:") else text
    parts = body.split(",")
    opts = {"rounds": default_rounds, "seed": 0}
    for part in parts[1:]:
        key, eq, val = part.partition("=")
        key = key.strip()
        if not eq or key not in opts:
            raise ProcessError(
                f"process spec {text!r}: options are rounds=R and seed=S (got {part!r})"
            )
        try:
            opts[key] = int(val)
        except ValueError:
            raise ProcessError(f"process spec {text!r}: {key} must be an integer") from None
    rounds = check_int("rounds", opts["rounds"], minimum=1)
    seed = check_int("seed", opts["seed"], minimum=0)
    proc = load_process(parts[0])
    D = proc.generate(rounds, seed=seed)
    return Trace(
        delays=D,
        name=f"process:{os.path.basename(parts[0])},rounds={rounds},seed={seed}",
        probe_load=proc.meta.get("probe_load"),
        region=proc.meta.get("region"),
        source=f"process:{parts[0]}",
        meta={"process": parts[0], "rounds": rounds, "seed": seed},
    )
