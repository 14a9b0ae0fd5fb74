"""Helpers shared by the command modules: strict JSON output, progress, scheme options.

One rule for scheme options, used by ``load``, ``verify``, ``show`` and ``simulate``: ``--scheme``
is a registered family (:data:`SCHEMES`; ``simulate`` also takes ``nocoding``), spelled in any
case with dashes or underscores ignored (``SR-SGC`` = ``srsgc``); the family's parameters
(:data:`SCHEME_PARAMS`) must all be given, and a parameter it does not take is refused, each in
one line naming the options.
"""

from __future__ import annotations

import json
import math
import sys
from fractions import Fraction
from pathlib import PurePath

from ..errors import SGCError, check_int

#: the parameters each scheme family takes on the command line (everything else given is
#: refused); a test checks that it lists every family of :data:`sgc_theory.schemes.SCHEMES`
SCHEME_PARAMS = {
    "gc": ("s",),
    "srsgc": ("B", "W", "lam"),
    "msgc": ("B", "W", "lam"),
    "brsgc": ("B", "W", "lam"),
    "wcsgc": ("B", "W", "lam"),
    "prsgc": ("B", "W", "lam"),
    "rwcsgc": ("B", "W", "lam"),
}

#: parameters a family takes but does not need (WC-SGC's deadline, capacity and job size,
#: default the theorem's: ``B + 1``, ``W - 1 + B``, ``n P - lam B``)
SCHEME_OPTIONAL = {
    "wcsgc": ("T", "P", "K"),
    "rwcsgc": ("T", "P", "K"),
}  # flags --T --capacity --units

#: scheme names accepted on the command line (any case, dashes ignored: "SR-SGC" = "srsgc")
SCHEMES = tuple(SCHEME_PARAMS)

#: how the families are written in text output
LABELS = {
    "nocoding": "no coding",
    "gc": "GC",
    "srsgc": "SR-SGC",
    "msgc": "M-SGC",
    "brsgc": "BR-SGC",
    "wcsgc": "WC-SGC",
    "prsgc": "PR-SGC",
    "rwcsgc": "RWC-SGC",
}

#: every scheme option, in the order they are listed (by parameter name)
PARAM_OPTIONS = ("s", "B", "W", "lam", "T", "P", "K")

#: the command-line flag of a parameter whose name is not its flag
FLAGS = {"P": "--capacity", "K": "--units"}


def _flag(k: str) -> str:
    return FLAGS.get(k, "--" + k)


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


def budget_arg(flag: str):
    """argparse type of the budget option ``flag``: a positive whole number (``1e6`` allowed)
    or ``inf``, the grammar of ``--max-work`` everywhere
    (:func:`sgc_theory.budget.parse_max_work`)."""
    import argparse

    from ..budget import parse_max_work

    def parse(text):
        try:
            return parse_max_work(text, flag)
        except SGCError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    return parse


#: what an unlimited budget (``inf``) becomes where a library function takes an integer
UNLIMITED = 10**18


def budget_value(value):
    """A parsed budget for library functions that take an integer (``None`` stays ``None``).

    >>> budget_value(None), budget_value(5), budget_value(float("inf")) == UNLIMITED
    (None, 5, True)
    """
    if value is None:
        return None
    return UNLIMITED if value == math.inf else int(value)


def budget_option(p, flag: str, help_text: str, default=None) -> None:
    """A budget option ``flag`` (``--max-work``, ``--max-dp-work``): :func:`budget_arg`'s
    grammar, value ``N``, stored under the flag's name (``max_dp_work``)."""
    p.add_argument(
        flag,
        dest=flag.lstrip("-").replace("-", "_"),
        type=budget_arg(flag),
        default=default,
        metavar="N",
        help=help_text,
    )


def budget_options(p, help_text: str) -> None:
    """``--max-work`` of a command whose own budgets count its own steps (``simulate``,
    ``sweep``, ``reproduce``): the same grammar as everywhere; given before the command
    (``sgc --max-work N simulate ...``) it applies too."""
    import argparse

    budget_option(
        p, "--max-work", help_text + "; e.g. 1e7, or inf for no limit", default=argparse.SUPPRESS
    )


def mu_option(p, help_text: str = "straggler slack (default 1)", default=1.0) -> None:
    """``--mu``: the straggler slack (a delay is a straggler's beyond ``(1 + mu)`` times the
    round's fastest)."""
    p.add_argument("--mu", type=float, default=default, help=help_text)


def probe_load_option(
    p, help_text: str = "load at which the trace was measured (default: index.csv, else 0)"
) -> None:
    """``--probe-load``: the load a trace was measured at (the origin of the load shift)."""
    p.add_argument("--probe-load", dest="probe_load", type=float, default=None, help=help_text)


def secs(x, spec: str = ".4f") -> str:
    """Seconds for text output: ``spec`` for ordinary values, 6 significant digits for huge
    ones (a slope of 1e300 gives astronomically long runs), ``-`` for ``None``.

    >>> secs(1.23456), secs(7.8e306), secs(None)
    ('1.2346', '7.8e+306', '-')
    """
    if x is None:
        return "-"
    return format(x, spec) if abs(x) < 1e12 else f"{x:.6g}"


def check_number(name: str, value, minimum=None) -> float:
    """A finite float option (``--mu``, ``--probe-load``), refused in one line naming it.

    >>> check_number("--mu", 0.5, minimum=0)
    0.5
    """
    v = float(value)
    if not math.isfinite(v):
        raise SGCError(f"{name} must be a finite number (got {name} {value!r})")
    if minimum is not None and v < minimum:
        raise SGCError(f"{name} must be >= {minimum} (got {name} {value!r})")
    return v


def show_progress(args) -> bool:
    """Progress bars go to stderr, and only when it is a terminal."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # pragma: no cover
        return False


def _key(text) -> str:
    return str(text).strip().lower().replace("-", "").replace("_", "")


def scheme_name(text: str) -> str:
    """argparse type of ``--scheme``: a registered family (``gc``, ``srsgc``, ``msgc``,
    ``brsgc``, ``wcsgc``) in any case, dashes and underscores ignored.

    >>> scheme_name("BR-SGC")
    'brsgc'
    """
    import argparse

    key = _key(text)
    if key not in SCHEMES:
        raise argparse.ArgumentTypeError(f"choose one of {', '.join(SCHEMES)} (got {text!r})")
    return key


def sim_scheme_name(text: str) -> str:
    """argparse type of ``simulate --scheme``: ``nocoding`` or a registered family (spelled as
    for :func:`scheme_name`; ``no-coding`` = ``nocoding``)."""
    import argparse

    key = _key(text)
    if key not in ("nocoding",) + SCHEMES:
        raise argparse.ArgumentTypeError(
            f"choose one of nocoding, {', '.join(SCHEMES)} (got {text!r})"
        )
    return key


def add_param_args(p) -> None:
    """``--s --B --W --lam`` (which of them a family takes: :data:`SCHEME_PARAMS`)."""
    p.add_argument("--s", type=int, default=None, help="GC: stragglers tolerated per round")
    p.add_argument(
        "--B", type=int, default=None, help="SR-SGC, M-SGC, BR-SGC, WC-SGC: burst length"
    )
    p.add_argument(
        "--W", type=int, default=None, help="SR-SGC, M-SGC, BR-SGC, WC-SGC: window length"
    )
    p.add_argument(
        "--lam",
        type=int,
        default=None,
        help="SR-SGC, M-SGC, BR-SGC, WC-SGC: distinct stragglers per window",
    )


def add_scheme_args(p) -> None:
    """The scheme-selecting options shared by ``verify``, ``show`` and ``load``."""
    p.add_argument(
        "--scheme",
        required=True,
        type=scheme_name,
        metavar="{" + ",".join(SCHEMES) + "}",
        help=", ".join(SCHEMES[:-1])
        + " or "
        + SCHEMES[-1]
        + " (any case, dashes ignored: SR-SGC = srsgc)",
    )
    p.add_argument("--n", type=int, required=True, help="number of workers")
    add_param_args(p)
    tune = "WC-SGC only, default the theorem's"
    p.add_argument("--T", type=int, default=None, help=f"{tune} B + 1: the deadline (delay)")
    p.add_argument(
        "--capacity",
        dest="P",
        metavar="P",
        type=int,
        default=None,
        help=f"{tune} W - 1 + B: units a worker computes per round",
    )
    p.add_argument(
        "--units",
        dest="K",
        metavar="K",
        type=int,
        default=None,
        help=f"{tune} n P - lam B: units per job (load P/K; other values hold only where "
        "verify proves them)",
    )


def check_params(scheme: str, given: dict) -> dict:
    """The one rule: ``given`` (option -> value or ``None``) must hold every parameter of
    ``scheme`` and no other; returns the parameters of ``scheme``.

    >>> check_params("brsgc", {"s": None, "B": 1, "W": 2, "lam": 3})
    {'B': 1, 'W': 2, 'lam': 3}
    """
    needs = () if scheme == "nocoding" else SCHEME_PARAMS[scheme]
    optional = SCHEME_OPTIONAL.get(scheme, ())
    extra = [
        _flag(k) for k in PARAM_OPTIONS if k not in needs + optional and given.get(k) is not None
    ]
    if extra:
        what = " ".join(map(_flag, needs)) if needs else "no parameters"
        what += f" (optional {' '.join(map(_flag, optional))})" if optional else ""
        raise SGCError(f"--scheme {scheme} takes {what} (not {', '.join(extra)})")
    missing = [_flag(k) for k in needs if given.get(k) is None]
    if missing:
        raise SGCError(f"--scheme {scheme} needs {', '.join(missing)}")
    out = {k: given[k] for k in needs}
    for k in optional:
        if given.get(k) is not None:  # all three are positive whole numbers
            out[k] = check_int(_flag(k), given[k], minimum=1)
    return out


def scheme_params(args) -> dict:
    """The parameters of ``args.scheme``; refuses missing ones and ones it does not take (the
    same rule for every command: :func:`check_params`)."""
    params = check_params(args.scheme, {k: getattr(args, k, None) for k in PARAM_OPTIONS})
    P, K = params.get("P"), params.get("K")
    if P is not None and K is not None and check_int("--capacity", P) > check_int("--units", K):
        raise SGCError(
            f"--capacity must be <= --units: a worker cannot compute more than the units of a "
            f"job in a round (got --capacity {P}, --units {K}: load {Fraction(P, K)} > 1)"
        )
    return params
