"""Exact rational numbers at the package's boundaries: one converter, one JSON shape.

The toolkit's exact numbers come from three libraries: closed-form loads are sympy expressions
(so that a notebook can keep ``lam`` symbolic), the LP's exact arithmetic runs on python-flint,
and verdicts and results use :class:`fractions.Fraction`. The one Python type a concrete exact
value has when it leaves a computation (a result object, a table, the command line) is
:class:`~fractions.Fraction`; :func:`to_fraction` is the one converter, and :func:`load_json` the
one JSON shape of a load: ``{"fraction": "p/q", "float": p/q as a float}``.

The rule, where it applies: a scheme's ``load`` (GC, SR-SGC, M-SGC, BR-SGC, WC-SGC, PR-SGC,
tabular), a gradient code's ``load``, a verification's ``max_load`` and a design's
``load_fraction`` are Fractions; the closed forms of :mod:`sgc_theory.bounds` (``gc_load``,
``msgc_load``, ...) are the one exception and stay sympy, so that ``lam`` can be a symbol.  The two
compare equal (``msgc_load(256, 1, 2, 27) == MSGC(256, 1, 2, 27).load``); only their printed forms
differ (``7/928`` against ``Fraction(7, 928)``). ``tests/schemes/test_load_type.py`` checks the
rule for every scheme and code constructor.

>>> import sympy as sp
>>> to_fraction(sp.Rational(7, 928)), to_fraction(3), to_fraction("2/485")
(Fraction(7, 928), Fraction(3, 1), Fraction(2, 485))
>>> load_json(sp.Rational(7, 928))
{'fraction': '7/928', 'float': 0.007543103448275862}
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .errors import SGCError

__all__ = ["to_fraction", "fraction_str", "load_json"]


def to_fraction(x: Any) -> Fraction:
    """``x`` as a :class:`~fractions.Fraction`: an int, a Fraction, a sympy ``Rational`` or
    ``Integer``, a python-flint ``fmpq``/``fmpz``, a numpy integer, or a string ``"p/q"``.
    Anything else (a float, a symbolic expression, a bool) is refused with :class:`SGCError`:
    an exact value is never made up from an inexact one.

    >>> import flint
    >>> to_fraction(flint.fmpq(-3, 6))
    Fraction(-1, 2)
    """
    if isinstance(x, bool):
        raise SGCError(f"{x!r} is a bool, not a rational number")
    if isinstance(x, Fraction):
        return x
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, str):
        try:
            return Fraction(x.strip())
        except ValueError:
            raise SGCError(f"{x!r:.40} is not a rational number such as '3/7'") from None
    p, q = getattr(x, "p", None), getattr(x, "q", None)  # sympy Rational, flint fmpq
    if p is not None and q is not None and not callable(p):
        return Fraction(int(p), int(q))
    if getattr(x, "is_Integer", False) or type(x).__name__ == "fmpz" or _np_integer(x):
        return Fraction(int(x))
    raise SGCError(f"{x!r:.60} is not an exact rational number")


def _np_integer(x: Any) -> bool:
    return type(x).__module__ == "numpy" and hasattr(x, "__index__")


def fraction_str(x: Any) -> str:
    """``"p/q"`` (``"p"`` for an integer) of an exact rational (see :func:`to_fraction`).

    >>> fraction_str(Fraction(6, 4)), fraction_str(2)
    ('3/2', '2')
    """
    f = to_fraction(x)
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def load_json(x: Any) -> dict[str, Any] | None:
    """The one JSON shape of a load: ``{"fraction": "p/q", "float": p/q}`` (``None`` stays
    ``None``: a load that is not known).

    >>> load_json(Fraction(1, 16))
    {'fraction': '1/16', 'float': 0.0625}
    """
    if x is None:
        return None
    f = to_fraction(x)
    return {"fraction": fraction_str(f), "float": float(f)}
