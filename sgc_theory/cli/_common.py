"""Helpers shared by the command modules: strict JSON output, progress, scheme options."""

from __future__ import annotations

import json
import math
import sys
from fractions import Fraction
from pathlib import PurePath

from ..errors import SGCError

#: scheme names accepted on the command line (any case, dashes ignored: "SR-SGC" = "srsgc")
SCHEMES = ("gc", "srsgc", "msgc")

#: the parameters each scheme takes (everything else given is refused)
SCHEME_PARAMS = {"gc": ("s",), "srsgc": ("B", "W", "lam"), "msgc": ("B", "W", "lam")}


def jsonable(x):
    """``x`` made of JSON types only: big integers stay exact, ``Fraction`` and sympy rationals
    become ``"p/q"`` strings (integers stay integers), numpy scalars and arrays become numbers and
    lists, and a non-finite float becomes ``null`` (strict JSON has no NaN/Infinity).

    >>> from fractions import Fraction
    >>> jsonable({"a": Fraction(1, 3), "b": float("inf"), "c": (1, 2)})
    {'a': '1/3', 'b': None, 'c': [1, 2]}
    """
    if x is None or isinstance(x, (bool, str)):
        return x
    if isinstance(x, int):
        return int(x)
    if isinstance(x, float):
        return x if math.isfinite(x) else None
    if isinstance(x, Fraction):
        return x.numerator if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    if isinstance(x, dict):
        return {str(k): jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [jsonable(v) for v in x]
    if isinstance(x, (set, frozenset)):
        return [jsonable(v) for v in sorted(x, key=repr)]
    if isinstance(x, PurePath):
        return str(x)
    mod = type(x).__module__.split(".")[0]
    if mod == "numpy":
        if hasattr(x, "tolist"):
            return jsonable(x.tolist())
    if mod == "sympy":
        if getattr(x, "is_Integer", False):
            return int(x)
        if getattr(x, "is_Rational", False):
            return f"{int(x.p)}/{int(x.q)}"
        if getattr(x, "is_Float", False):
            return jsonable(float(x))
        return None if getattr(x, "is_infinite", False) or x.is_number is False else str(x)
    if hasattr(x, "__index__"):
        return int(x)
    if hasattr(x, "__float__"):
        return jsonable(float(x))
    return str(x)


def to_json(payload) -> str:
    """Strict JSON text of ``payload`` (see :func:`jsonable`); never NaN or Infinity."""
    return json.dumps(jsonable(payload), allow_nan=False)


def emit(args, payload: dict, text: str) -> None:
    """Print ``payload`` as strict JSON when ``--json`` was given, else ``text``."""
    if getattr(args, "json", False):
        print(to_json(payload))
    else:
        print(text)


def show_progress(args) -> bool:
    """Progress bars go to stderr, and only when it is a terminal."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # pragma: no cover
        return False


def scheme_name(text: str) -> str:
    """argparse type of ``--scheme``: ``gc``, ``srsgc``, ``msgc`` in any case, dashes ignored."""
    import argparse

    key = str(text).strip().lower().replace("-", "").replace("_", "")
    if key not in SCHEMES:
        raise argparse.ArgumentTypeError(f"choose one of {', '.join(SCHEMES)} (got {text!r})")
    return key


def add_scheme_args(p) -> None:
    """The scheme-selecting options shared by ``verify``, ``show`` and ``load``."""
    p.add_argument("--scheme", required=True, type=scheme_name, metavar="{gc,srsgc,msgc}",
                   help="gc, srsgc or msgc")
    p.add_argument("--n", type=int, required=True, help="number of workers")
    p.add_argument("--s", type=int, default=None, help="GC: stragglers tolerated per round")
    p.add_argument("--B", type=int, default=None, help="SR-SGC/M-SGC: burst length")
    p.add_argument("--W", type=int, default=None, help="SR-SGC/M-SGC: window length")
    p.add_argument("--lam", type=int, default=None,
                   help="SR-SGC/M-SGC: distinct stragglers per window")


def scheme_params(args) -> dict:
    """The parameters of ``args.scheme``; refuses missing ones and ones it does not take (the
    same rule for every command)."""
    takes = SCHEME_PARAMS[args.scheme]
    extra = [f"--{k}" for k in ("s", "B", "W", "lam") if k not in takes
             and getattr(args, k, None) is not None]
    if extra:
        raise SGCError(f"--scheme {args.scheme} takes {' '.join('--' + k for k in takes)} "
                       f"(not {', '.join(extra)})")
    missing = [f"--{k}" for k in takes if getattr(args, k, None) is None]
    if missing:
        raise SGCError(f"--scheme {args.scheme} needs {', '.join(missing)}")
    return {k: getattr(args, k) for k in takes}
