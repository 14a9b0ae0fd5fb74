"""Measured delay traces (SPEC section 7).

A trace is a delay matrix ``delays`` of shape ``(workers, rounds)`` in seconds (SPEC convention:
one row per worker). The shipped AWS Lambda traces live in ``sgc_theory/data/aws_lambda`` as CSV
files with one header line ``w0,...,w{n-1}`` and one line per round (so the files are
rounds x workers); :func:`load_trace` transposes them.

>>> names = list_traces()
>>> t = load_trace("sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000")
>>> t.delays.shape, t.probe_load
((256, 30), 0.0)
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from importlib import resources

import numpy as np

from ..errors import SGCError

__all__ = ["Trace", "list_traces", "load_trace", "trace_index"]

_DATA_PACKAGE = "sgc_theory.data"
_DATA_FOLDER = "aws_lambda"


@dataclass(frozen=True, eq=False)
class Trace:
    """A delay matrix with its metadata.

    Attributes
    ----------
    delays : np.ndarray
        float array ``(workers, rounds)``, seconds, all finite and ``>= 0``.
    name : str
        shipped file name (with ``.csv``) or the user file's base name.
    probe_load : float or None
        normalized load each worker processed when the trace was measured (``None`` if unknown;
        the simulator then assumes 0).
    region, source :
        AWS region (shipped traces) and where the data came from (path or ``"shipped"``).
    meta : dict
        the remaining ``index.csv`` columns (strings), empty for user files.
    """

    delays: np.ndarray
    name: str
    probe_load: float | None = None
    region: str | None = None
    source: str | None = None
    meta: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Number of workers."""
        return int(self.delays.shape[0])

    @property
    def rounds(self) -> int:
        """Number of measured rounds."""
        return int(self.delays.shape[1])

    def require_rounds(self, needed: int, why: str = "") -> None:
        """Raise :class:`SGCError` unless the trace has at least ``needed`` rounds."""
        if self.rounds < needed:
            extra = f" ({why})" if why else ""
            raise SGCError(
                f"trace {self.source or self.name}: has {self.rounds} rounds but {needed} are "
                f"needed{extra}")


def _data_dir():
    return resources.files(_DATA_PACKAGE).joinpath(_DATA_FOLDER)


def trace_index() -> dict[str, dict[str, str]]:
    """``index.csv`` of the shipped traces: file name -> row (all values as strings)."""
    text = _data_dir().joinpath("index.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    return {row["file"]: row for row in rows}


def list_traces() -> list[str]:
    """Names (file names, with ``.csv``) of the shipped traces, as listed in ``index.csv``."""
    return list(trace_index())


def _resolve_shipped(name: str) -> str | None:
    index = trace_index()
    if name in index:
        return name
    if name + ".csv" in index:
        return name + ".csv"
    matches = [f for f in index if f.startswith(name)]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        shown = ", ".join(matches[:4]) + (", ..." if len(matches) > 4 else "")
        raise SGCError(f"trace {name!r} is ambiguous: it is a prefix of {len(matches)} shipped "
                       f"traces ({shown}); give more of the name")
    return None


def parse_delay_csv(text: str, label: str) -> np.ndarray:
    """Parse a rounds x workers CSV (optional header line) into a ``(workers, rounds)`` array.

    ``label`` names the file in error messages.
    """
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        raise SGCError(f"trace file {label}: empty (expected a header w0,w1,... and one line "
                       "per round)")
    rows = list(csv.reader(lines))
    first = rows[0]
    start = 0
    try:
        [float(x) for x in first]
    except ValueError:
        start = 1  # header line
        if any(not cell.strip() for cell in first):
            raise SGCError(f"trace file {label}: header line has an empty column name")
    data_rows = rows[start:]
    if not data_rows:
        raise SGCError(f"trace file {label}: no data lines (need one line per round)")
    width = len(rows[0])
    if width == 0:
        raise SGCError(f"trace file {label}: no worker columns")
    values = []
    for k, row in enumerate(data_rows):
        lineno = k + start + 1
        if len(row) != width:
            raise SGCError(f"trace file {label}: line {lineno} has {len(row)} values, expected "
                           f"{width} (one per worker; ragged rows are not allowed)")
        parsed = []
        for j, cell in enumerate(row):
            try:
                v = float(cell)
            except ValueError:
                raise SGCError(f"trace file {label}: line {lineno}, column {j + 1}: {cell!r} is "
                               "not a number") from None
            if not math.isfinite(v):
                raise SGCError(f"trace file {label}: line {lineno}, column {j + 1}: {cell!r} is "
                               "not a finite number (NaN/inf are not allowed)")
            if v < 0:
                raise SGCError(f"trace file {label}: line {lineno}, column {j + 1}: negative "
                               f"time {v} (delays must be >= 0)")
            parsed.append(v)
        values.append(parsed)
    return np.asarray(values, dtype=float).T.copy()


def load_trace(name_or_path) -> Trace:
    """Load a shipped trace (file name with or without ``.csv``, or a unique prefix) or a CSV file.

    A :class:`Trace` is returned unchanged. Malformed files raise :class:`SGCError` naming the
    file and the problem (empty, ragged rows, non-numbers, NaN, negative times).
    """
    if isinstance(name_or_path, Trace):
        return name_or_path
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise SGCError(f"trace must be a shipped trace name or a CSV path (got "
                       f"{type(name_or_path).__name__})")
    path = os.fspath(name_or_path)
    if os.path.isfile(path):
        try:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        except (OSError, UnicodeDecodeError) as exc:
            raise SGCError(f"trace file {path}: cannot be read ({exc})") from None
        delays = parse_delay_csv(text, path)
        return Trace(delays=delays, name=os.path.basename(path), probe_load=None, region=None,
                     source=path)
    shipped = _resolve_shipped(path) if path else None
    if shipped is None:
        raise SGCError(f"trace {path!r}: no such file and no shipped trace of that name "
                       "(see list_traces() / sgc_theory/data/aws_lambda/index.csv)")
    row = trace_index()[shipped]
    text = _data_dir().joinpath(shipped).read_text(encoding="utf-8")
    delays = parse_delay_csv(text, shipped)
    probe = row.get("probe_load")
    probe_load = float(probe) if probe not in (None, "") else None
    meta = {k: v for k, v in row.items() if k not in ("file", "probe_load", "region")}
    return Trace(delays=delays, name=shipped, probe_load=probe_load, region=row.get("region"),
                 source=f"shipped:{shipped}", meta=meta)
