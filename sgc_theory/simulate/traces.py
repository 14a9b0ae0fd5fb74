"""Measured delay traces (docs/guide/simulation.md).

A trace is a delay matrix ``delays`` of shape ``(workers, rounds)`` in seconds (one row per
worker, as in docs/guide/simulation.md). The shipped AWS Lambda traces live in
``sgc_theory/data/aws_lambda`` as CSV files with one header line ``w0,...,w{n-1}`` and one line
per round (so the files are rounds x workers); :func:`load_trace` transposes them.

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
from fractions import Fraction
from importlib import resources

import numpy as np

from ..errors import SGCError
from ..fileio import parse_csv_text, read_csv

__all__ = ["Trace", "list_traces", "load_trace", "trace_index", "trace_families", "fit_slope"]

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
                f"needed{extra}"
            )


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
        raise SGCError(
            f"trace {name!r} is ambiguous: it is a prefix of {len(matches)} shipped "
            f"traces ({shown}); give more of the name"
        )
    return None


def _long_format_grid(arr: np.ndarray) -> tuple[int, int] | None:
    """``(a, b)`` when a 3-column table is the long format without its header: the first two
    columns are integers that enumerate every pair of an ``a x b`` grid exactly once, in order
    (worker and round, either one first, from 0 or 1), ``a, b >= 2``; else ``None``. Delays of
    a 3-worker trace do not do that."""
    if arr.ndim != 2 or arr.shape[1] != 3 or arr.shape[0] < 4:
        return None
    ids = arr[:, :2]
    if not (np.isfinite(ids).all() and (ids == np.round(ids)).all() and (ids >= 0).all()):
        return None
    lo, hi = ids.min(axis=0), ids.max(axis=0)
    if not (lo <= 1).all():
        return None
    a, b = (int(x) for x in hi - lo + 1)
    pairs = {(int(x), int(y)) for x, y in ids}
    if a < 2 or b < 2 or a * b != arr.shape[0] or len(pairs) != arr.shape[0]:
        return None
    rows = [(int(x), int(y)) for x, y in ids]
    if rows != sorted(rows) and rows != sorted(rows, key=lambda p: (p[1], p[0])):
        return None  # a measurement log lists the grid in order
    return a, b


def _delays_of(table, label: str) -> np.ndarray:
    """A trace table (rounds x workers, read by :mod:`sgc_theory.fileio`) as a checked
    ``(workers, rounds)`` float array: every value finite and ``>= 0``; the long format without
    a header (``worker,round,time`` lines) is refused like the one with a header."""
    arr = np.asarray(table.rows, dtype=float)
    grid = _long_format_grid(arr) if table.header is None else None
    if grid is not None:
        raise SGCError(
            f"trace file {label}: looks like the long format without a header (one line per "
            f"measurement: its first two columns enumerate every pair of a {grid[0]} x "
            f"{grid[1]} grid, like worker,round,time); one line per measurement is not read: "
            "give one line per round and one column per worker (a header w0,w1,... is optional)"
        )
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        r, j = (int(x) for x in np.argwhere(bad)[0])
        v = arr[r, j]
        where = f"trace file {label}: line {table.first_line + r}, column {j + 1}"
        if not math.isfinite(v):
            raise SGCError(
                f"{where}: {v} is not a finite number (NaN/inf and values beyond 1.8e308 are "
                "not allowed)"
            )
        raise SGCError(f"{where}: negative time {v} (delays must be >= 0)")
    return arr.T.copy()


def parse_delay_csv(text: str, label: str, with_header: bool = False):
    """Parse a rounds x workers CSV (optional header line) into a ``(workers, rounds)`` array.

    The rules of every CSV of the package (:func:`sgc_theory.fileio.parse_csv_text`: a
    byte-order mark dropped, a header exactly when no cell of the first line is a number, the
    long format refused). ``label`` names the file in error messages (with the line and column
    of a bad value). With ``with_header=True`` returns ``(array, header_lines)``.
    """
    table = parse_csv_text(text, f"trace file {label}")
    arr = _delays_of(table, label)
    return (arr, table.first_line - 1) if with_header else arr


def load_trace(name_or_path) -> Trace:
    """Load a shipped trace (file name with or without ``.csv``, or a unique prefix) or a CSV file.

    A :class:`Trace` is returned unchanged. Malformed files raise :class:`SGCError` naming the
    file and the problem (empty, ragged rows, non-numbers, NaN, negative times).
    """
    if isinstance(name_or_path, Trace):
        return name_or_path
    if not isinstance(name_or_path, (str, os.PathLike)):
        raise SGCError(
            f"trace must be a shipped trace name or a CSV path (got {type(name_or_path).__name__})"
        )
    path = os.fspath(name_or_path)
    if os.path.isdir(path):
        raise SGCError(f"trace {path!r} is a directory, not a CSV file")
    if os.path.exists(path) and not os.path.isfile(path):
        raise SGCError(f"trace {path!r} is not a regular file (a device or pipe?); give a CSV file")
    if os.path.isfile(path):
        table = read_csv(path, "trace file")
        delays, header = _delays_of(table, path), table.first_line - 1
        return Trace(
            delays=delays,
            name=os.path.basename(path),
            probe_load=None,
            region=None,
            source=path,
            meta={"header_lines": header, "header": table.header},
        )
    shipped = _resolve_shipped(path) if path else None
    if shipped is None:
        where = os.path.abspath(path) if path else os.getcwd()
        raise SGCError(
            f"trace {path!r}: no such file (looked for {where}: relative paths are read from "
            f"the current directory) and no shipped trace of that name or unique prefix (looked "
            f"in {_data_dir()}; shipped names: sgc traces list, list_traces())"
        )
    row = trace_index()[shipped]
    text = _data_dir().joinpath(shipped).read_text(encoding="utf-8")
    delays = parse_delay_csv(text, shipped)
    probe = row.get("probe_load")
    probe_load = float(probe) if probe not in (None, "") else None
    meta = {k: v for k, v in row.items() if k not in ("file", "probe_load", "region")}
    return Trace(
        delays=delays,
        name=shipped,
        probe_load=probe_load,
        region=row.get("region"),
        source=f"shipped:{shipped}",
        meta=meta,
    )


# --------------------------------------------------------------------------------------------
# families of probes and the load slope
# --------------------------------------------------------------------------------------------


def as_plain_trace(trace) -> Trace:
    """A :class:`Trace` from a Trace, a shipped name, a CSV path or a ``(workers, rounds)`` array
    (no straggler process: :func:`sgc_theory.simulate.runtime.as_trace` also takes those)."""
    if isinstance(trace, Trace):
        return trace
    if isinstance(trace, (np.ndarray, list, tuple)):
        try:
            D = np.asarray(trace, dtype=float)
        except (TypeError, ValueError) as exc:
            kind = (
                "ragged (rows of different lengths)"
                if "inhomogeneous" in str(exc)
                else "not numeric"
            )
            raise SGCError(
                f"trace array must be a 2-D (workers, rounds) array of numbers; it is {kind}"
            ) from None
        if D.ndim != 2 or D.size == 0:
            raise SGCError(
                f"trace array must be a non-empty 2-D (workers, rounds) array (got shape {D.shape})"
            )
        bad = np.argwhere(~np.isfinite(D) | (D < 0))
        if bad.size:
            i, r = (int(x) for x in bad[0])
            raise SGCError(
                f"trace array: entry [{i}, {r}] (worker {i}, round {r}) is {float(D[i, r])!r}; "
                "delays must be finite and >= 0"
            )
        return Trace(delays=D, name="<array>", source="<array>")
    return load_trace(trace)


def trace_families() -> dict[str, list[str]]:
    """Shipped probe families (the authors' probe folder, ``index.csv`` column ``source_folder``)
    -> their trace names, in index order.

    >>> sorted(trace_families())[-1]
    'sam-gc-cnn_profile_est_desktop_long'
    """
    out: dict[str, list[str]] = {}
    for name, row in trace_index().items():
        out.setdefault(row["source_folder"], []).append(name)
    return out


def resolve_family(family: str) -> str:
    """A family's full name from its name or a unique suffix (``"desktop_long"``)."""
    fams = trace_families()
    if not isinstance(family, str) or not family:
        raise SGCError(f"family must be a non-empty string (got {family!r})")
    if family in fams:
        return family
    hits = [f for f in fams if f.endswith(family)]
    if len(hits) == 1:
        return hits[0]
    shown = ", ".join(sorted(fams))
    if hits:
        raise SGCError(f"family {family!r} is ambiguous ({', '.join(hits)})")
    raise SGCError(f"family {family!r}: no such probe family (one of {shown})")


def fit_slope(traces=None, *, family: str | None = None, region: str | None = None) -> dict:
    """Least-squares line of mean delay against probe load.

    Each trace gives one point ``(probe_load, mean of all its delays)``; the fit is computed in
    exact rational arithmetic on those float values (so exactly linear data give the planted line
    exactly) and reported as floats. Within one family every trace has the same shape, so this is
    also the least-squares line through all individual delays.

    Parameters
    ----------
    traces : iterable of Trace (each with ``probe_load``), or None to use ``family``
    family : a shipped probe family (name or unique suffix, e.g. ``"desktop_long"``)
    region : restrict a family to one AWS region (needed when the family spans several)

    Returns
    -------
    dict ``{"slope", "intercept", "r2", "points": [{"trace", "probe_load", "mean_delay"}], ...}``

    Examples
    --------
    >>> fit = fit_slope(family="desktop_long")
    >>> round(fit["slope"], 4), round(fit["intercept"], 4), len(fit["points"])
    (1.1218, 0.7108, 5)
    """
    meta = {}
    if traces is None:
        if family is None:
            raise SGCError("fit_slope: give traces or family")
        traces, meta = _family_traces(family, region)
    elif family is not None or region is not None:
        raise SGCError("fit_slope: give either traces or family/region, not both")
    pts = _mean_delays(list(traces))
    slope, intercept, r2 = _least_squares(pts)
    return {
        "slope": float(slope),
        "intercept": float(intercept),
        "r2": float(r2),
        "points": [
            {"trace": name, "probe_load": float(x), "mean_delay": float(y)} for name, x, y in pts
        ],
        "statistic": "mean delay of each trace (all workers and rounds)",
        **meta,
    }


def _family_traces(family, region) -> tuple[list, dict]:
    """``(traces, {"family", "region"})`` of a shipped probe family in one region (``region``
    may be omitted when the family was measured in one region only)."""
    fam = resolve_family(family)
    names = trace_families()[fam]
    index = trace_index()
    regions = sorted({index[t]["region"] for t in names})
    if region is not None:
        # any case, as every name on the command line ("canada" = "Canada")
        folded = {r.lower(): r for r in regions}
        if not isinstance(region, str) or region.strip().lower() not in folded:
            raise SGCError(f"region {region!r}: family {fam} was measured in {', '.join(regions)}")
        region = folded[region.strip().lower()]
        names = [t for t in names if index[t]["region"] == region]
    elif len(regions) > 1:
        raise SGCError(
            f"family {fam} spans regions {', '.join(regions)}; choose one with "
            "--region (a fit across regions mixes different networks)"
        )
    return [load_trace(t) for t in names], {"family": fam, "region": region or regions[0]}


def _mean_delays(traces) -> list:
    """``[(name, probe load, mean delay)]``, exact rationals of the traces' float values; at
    least two distinct probe loads."""
    pts = []
    for t in traces:
        if not isinstance(t, Trace):
            raise SGCError(f"fit_slope: traces must be Trace objects (got {type(t).__name__})")
        if t.probe_load is None:
            raise SGCError(f"fit_slope: trace {t.name} has no probe load")
        mean = sum((Fraction(float(x)) for x in t.delays.ravel()), Fraction(0)) / t.delays.size
        pts.append((t.name, Fraction(float(t.probe_load)), mean))
    loads = {p[1] for p in pts}
    if len(loads) < 2:
        raise SGCError(
            f"fit_slope: need traces at two or more probe loads (got {len(pts)} "
            f"trace(s) at {len(loads)} load(s))"
        )
    return pts


def _least_squares(pts) -> tuple[Fraction, Fraction, Fraction]:
    """Exact ``(slope, intercept, r2)`` of the least-squares line through ``(load, mean)``."""
    k = len(pts)
    mx = sum(p[1] for p in pts) / k
    my = sum(p[2] for p in pts) / k
    sxx = sum((p[1] - mx) ** 2 for p in pts)
    sxy = sum((p[1] - mx) * (p[2] - my) for p in pts)
    syy = sum((p[2] - my) ** 2 for p in pts)
    slope = sxy / sxx
    intercept = my - slope * mx
    r2 = Fraction(1) if syy == 0 else sxy * sxy / (sxx * syy)
    return slope, intercept, r2
