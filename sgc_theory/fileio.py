"""Files in and out, one way everywhere: the CSV reader and the atomic writer.

**Reading.** Every CSV the package reads (an encoding matrix for ``sgc gc verify --matrix``, a
delay trace for ``sgc simulate --trace``) goes through :func:`read_csv`, which applies the same
rules to all of them:

* the file size is checked before anything is parsed (a hard limit, :data:`MAX_CSV_BYTES`, and
  the work budget of :mod:`sgc_theory.budget`: reading costs about one work unit per byte, more
  for exact rationals), and so is the shape (rows and columns are counted, a ragged or wrongly
  shaped table is refused before a single value is converted);
* the text is UTF-8; a byte-order mark at the start is dropped;
* blank lines are skipped; the first line is a **header** exactly when none of its cells is a
  number (a line mixing names and numbers is refused); the header, if any, is returned
  (the ``header`` of the :class:`CsvTable`) so that callers can say what they read;
* a header naming a ``worker`` column is the *long* format (one line per measurement); it is
  refused with the layout that is expected instead (one line per round, one column per worker);
* numbers are floats (``exact=False``: finite, checked by the caller) or exact rationals
  (``exact=True``: ``3``, ``-3/2``, ``0.25``, ``1e-3``); an exact number's decimal exponent
  must satisfy ``|e| <=`` :data:`MAX_EXPONENT` and a cell may hold at most
  :data:`MAX_CELL_CHARS` characters, so that no cell of a few bytes stands for an integer of a
  billion digits.

**Writing.** :func:`atomic_write` writes a file under a temporary name in the same folder and
renames it into place when the writing succeeded, so that an output file is whole or absent
(after a full disk, a Ctrl-C, an error in the middle).

>>> import os, tempfile
>>> d = tempfile.mkdtemp(); p = os.path.join(d, "t.csv")
>>> with atomic_write(p, "w") as fh:
...     _ = fh.write("\\ufeffw0,w1\\n1,2\\n3,4\\n")
>>> t = read_csv(p, "trace file")
>>> t.header, t.rows, t.shape
(('w0', 'w1'), [[1.0, 2.0], [3.0, 4.0]], (2, 2))
"""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import IO, Any

from .budget import check_work
from .errors import SGCError, check_input_file

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_EXPONENT",
    "MAX_CELL_CHARS",
    "CsvTable",
    "read_csv",
    "parse_csv_text",
    "atomic_write",
]

#: largest CSV file read (bytes), whatever the budget
MAX_CSV_BYTES = 64 * 2**20

#: largest decimal exponent of an exact number in a CSV cell (``1e1000`` is the largest power)
MAX_EXPONENT = 1000

#: most characters in one CSV cell
MAX_CELL_CHARS = 1000

#: work units per byte read: splitting and float conversion, and exact rationals
_WORK_PER_BYTE = {False: 2, True: 20}

#: column names that mark the long format (one line per measurement, not per round)
_LONG_FORMAT = {"worker", "workers", "worker_id", "node"}

_DECIMAL = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?")
_RATIO = re.compile(r"[+-]?\d+\s*/\s*[+-]?\d+")


@dataclass(frozen=True)
class CsvTable:
    """A table read by :func:`read_csv`.

    Attributes: ``rows`` (the values, one list per data line), ``header`` (the column names,
    or ``None`` when the file has no header line), ``label`` (the file, for messages) and
    ``first_line`` (the file's line number of the first data line, 1-based).
    """

    rows: list[list[Any]]
    header: tuple[str, ...] | None
    label: str
    first_line: int

    @property
    def shape(self) -> tuple[int, int]:
        """``(data lines, columns)``."""
        return len(self.rows), (len(self.rows[0]) if self.rows else 0)


def _is_number(cell: str) -> bool:
    text = cell.strip()
    return bool(_DECIMAL.fullmatch(text) or _RATIO.fullmatch(text)) or text.lower() in (
        "nan",
        "inf",
        "-inf",
        "+inf",
        "infinity",
        "-infinity",
    )


def _exact(cell: str, where: str) -> Fraction:
    text = cell.strip()
    if len(text) > MAX_CELL_CHARS:
        raise SGCError(f"{where}: {len(text)} characters, more than the {MAX_CELL_CHARS} accepted")
    m = _DECIMAL.fullmatch(text)
    if m and m.group(2) is not None and abs(int(m.group(2))) > MAX_EXPONENT:
        raise SGCError(
            f"{where}: {text[:40]!r} has the decimal exponent {m.group(2)}; exact numbers "
            f"need |exponent| <= {MAX_EXPONENT}"
        )
    if not (m or _RATIO.fullmatch(text)):
        raise SGCError(f"{where}: {text[:40]!r} is not a rational number")
    try:
        return Fraction(text.replace(" ", ""))
    except (ValueError, ZeroDivisionError):
        raise SGCError(f"{where}: {text[:40]!r} is not a rational number") from None


def _float(cell: str, where: str) -> float:
    try:
        return float(cell)
    except ValueError:
        raise SGCError(f"{where}: {cell.strip()[:40]!r} is not a number") from None


def _header_of(first: list[str], label: str) -> bool:
    """The rule: the first line is a header exactly when none of its cells is a number."""
    numeric = [_is_number(c) for c in first]
    if any(numeric) and not all(numeric):
        raise SGCError(
            f"{label}: line 1 mixes names and numbers ({', '.join(c.strip() for c in first)[:60]}); "
            "a header line holds only names, a data line only numbers"
        )
    if any(numeric):
        return False
    if any(not c.strip() for c in first):
        raise SGCError(f"{label}: header line has an empty column name")
    names = {c.strip().lower() for c in first}
    if names & _LONG_FORMAT:
        raise SGCError(
            f"{label}: looks like the long format (columns {', '.join(c.strip() for c in first)}"
            "): one line per measurement is not read; give one line per round and one column "
            "per worker (a header w0,w1,... is optional)"
        )
    return True


def parse_csv_text(text: str, label: str, *, exact: bool = False, square: bool = False) -> CsvTable:
    """The rules of :func:`read_csv` applied to ``text`` (``label`` names it in messages)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        lines = [(k + 1, row) for k, row in enumerate(csv.reader(text.splitlines()))]
    except csv.Error as exc:
        raise SGCError(f"{label}: not a readable CSV ({exc})") from None
    lines = [(k, row) for k, row in lines if any(c.strip() for c in row)]
    if not lines:
        raise SGCError(f"{label}: empty (no lines with values)")
    header = _header_of(lines[0][1], label)
    names = tuple(c.strip() for c in lines[0][1]) if header else None
    data = lines[1:] if header else lines
    if not data:
        raise SGCError(f"{label}: no data lines (only a header)")
    width = len(data[0][1]) if names is None else len(names)
    for k, row in data:
        if len(row) != width:
            raise SGCError(
                f"{label}: line {k} has {len(row)} values, expected {width} (ragged rows are "
                "not allowed)"
            )
    if square and len(data) != width:
        raise SGCError(f"{label}: the table is {len(data)} x {width}, it must be square n x n")
    convert = _exact if exact else _float
    rows = [
        [convert(cell, f"{label}: line {k}, column {j + 1}") for j, cell in enumerate(row)]
        for k, row in data
    ]
    return CsvTable(rows=rows, header=names, label=label, first_line=data[0][0])


def read_csv(path, what: str, *, exact: bool = False, square: bool = False) -> CsvTable:
    """Read the CSV file ``path`` by the rules of this module (``what`` names it in messages:
    ``"matrix file"``, ``"trace file"``); ``square=True`` refuses a table that is not n x n."""
    p = check_input_file(path, what, max_bytes=MAX_CSV_BYTES)
    label = f"{what} {os.fspath(path)}"
    size = p.stat().st_size
    check_work(
        size * _WORK_PER_BYTE[exact],
        f"reading {label} ({size} bytes)",
        cheaper="a smaller file",
    )
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise SGCError(f"{label}: cannot read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SGCError(f"{label}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    del raw
    return parse_csv_text(text, label, exact=exact, square=square)


@contextmanager
def atomic_write(path, mode: str = "wb", **kwargs) -> Iterator[IO[Any]]:
    """Open ``path`` for writing such that it is whole or absent: the data go to a temporary
    file in the same folder, which replaces ``path`` only when the block ends without error
    (any error, a full disk or a Ctrl-C removes the temporary file and leaves ``path`` as it
    was). An existing ``path`` that is a folder is refused before writing."""
    target = os.fspath(path)
    if os.path.isdir(target):
        raise IsADirectoryError(21, "is a folder, not a file", target)
    if os.path.exists(target) and not os.access(target, os.W_OK):
        raise PermissionError(13, "the existing file is read-only", target)
    folder = os.path.dirname(target) or "."
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
