"""The answer of :func:`sgc_theory.design.design`: a proved bracket on the optimal load.

Every request is answered by two proved ends and what proves them:

* a **lower end** (:class:`LowerEnd`): a load no scheme of a stated class can beat, with its
  argument (counting or density bound, the delay-0 bound, the finite-horizon LP, the covering
  LP by worker types or its restriction to an easier adversary) and the class it holds for
  (``holds_for``: every scheme, or the schemes that look back ``P`` rounds, ...);
* an **upper end** (:class:`UpperEnd`): the load of a runnable scheme of the toolkit whose
  guarantee at a delay ``<= T`` is proved (by hand for the closed-form families, or for this
  instance by the count automaton), with its command line.

``status`` is ``"optimal"`` only when the two ends meet; then ``optimal_among`` names the class in
which no scheme does better (the widest class of a lower end equal to the upper end).  Steps that
did not fit the work budget are listed in ``not_run`` (one line each: what and why), never raised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from ..rationals import load_json

__all__ = ["LowerEnd", "UpperEnd", "DesignAnswer", "EVERY_SCHEME"]

#: the class of a lower bound that holds whatever the scheme's memory, coding and delay <= T
EVERY_SCHEME = "every scheme"


class _ByValue:
    """Ends compare with each other and with numbers by their ``value`` (so that code written
    for the LP results' Fraction ends keeps working: ``load >= answer.lower``)."""

    def _v(self, other):
        return other.value if isinstance(other, _ByValue) else other

    def __lt__(self, other):
        return self.value < self._v(other)

    def __le__(self, other):
        return self.value <= self._v(other)

    def __gt__(self, other):
        return self.value > self._v(other)

    def __ge__(self, other):
        return self.value >= self._v(other)

    def __float__(self):
        return float(self.value)


@dataclass(eq=False)
class LowerEnd(_ByValue):
    """A proved lower bound on the load of every scheme of ``holds_for`` with delay ``<= T``."""

    value: Fraction
    kind: str  # short name: "counting bound", "covering LP by worker types", ...
    argument: str  # the argument, in one sentence
    holds_for: str  # EVERY_SCHEME, or the class it is proved for

    def as_dict(self) -> dict:
        return {
            "value": load_json(self.value),
            "kind": self.kind,
            "argument": self.argument,
            "holds_for": self.holds_for,
        }


@dataclass(eq=False)
class UpperEnd(_ByValue):
    """A runnable scheme whose guarantee at delay ``delay <= T`` is proved, and its load."""

    value: Fraction
    scheme: str  # command-line scheme name
    params: dict  # its command-line parameters (besides --n)
    delay: int
    proof: str  # "by hand: ..." or what the count automaton proved
    seconds: float = 0.0

    @property
    def command(self) -> str:
        """The ``sgc verify`` options that build the scheme."""
        args = " ".join(f"--{k} {v}" for k, v in self.params.items())
        return f"--scheme {self.scheme} {args}".strip()

    def summary(self) -> dict:
        """The scheme of this end without its load: name, command line, delay, proof."""
        return {
            "name": self.scheme,
            "command": self.command,
            "delay": self.delay,
            "proof": self.proof,
        }

    def as_dict(self) -> dict:
        return {
            "value": load_json(self.value),
            "scheme": self.scheme,
            "params": dict(self.params),
            "delay": self.delay,
            "proof": self.proof,
            "seconds": round(self.seconds, 3),
        }


@dataclass
class DesignAnswer:
    """The bracket ``lower <= optimum <= upper`` for one request (see the module docstring).

    ``lp`` is the covering LP's result when that LP was solved (``None`` otherwise: then
    ``not_run`` says why); ``restricted`` the restricted-adversary LP's, ``integer`` the
    integer design's (``partitions=K``), each only when run.
    """

    n: int
    model: object
    T: int
    P: int
    lower: LowerEnd | None
    upper: UpperEnd | None
    bounds: list = field(default_factory=list)  # every LowerEnd found
    schemes: list = field(default_factory=list)  # every UpperEnd proved
    not_run: list = field(default_factory=list)  # one line per step not run, and why
    lp: object = None
    restricted: object = None
    integer: object = None
    seconds: float = 0.0

    # ----- the verdict ----------------------------------------------------------------------
    @property
    def optimal(self) -> bool:
        return (
            self.lower is not None
            and self.upper is not None
            and self.lower.value == self.upper.value
        )

    @property
    def status(self) -> str:
        if self.optimal:
            return "optimal"
        return "bracket" if self.upper is not None else "lower bound only"

    @property
    def optimal_among(self) -> str | None:
        """The widest class in which no scheme beats the upper end (``None`` unless optimal)."""
        if not self.optimal:
            return None
        meet = [
            b
            for b in self.bounds
            if b.value == self.upper.value and " worker sets " not in b.holds_for
        ]
        every = [b for b in meet if b.holds_for == EVERY_SCHEME]
        return (every or meet)[0].holds_for

    @property
    def lower_every_scheme(self) -> LowerEnd | None:
        """The best lower end that holds for every scheme (any memory)."""
        every = [b for b in self.bounds if b.holds_for == EVERY_SCHEME]
        return max(every, key=lambda b: b.value) if every else None

    @property
    def ratio(self) -> float | None:
        if self.lower is None or self.upper is None or not self.lower.value:
            return None
        return float(self.upper.value / self.lower.value)

    # ----- names shared with the LP results -------------------------------------------------
    @property
    def load_fraction(self) -> Fraction | None:
        """The upper end, the least load of a runnable scheme proved at a delay ``<= T``."""
        return None if self.upper is None else self.upper.value

    @property
    def exact(self) -> bool:
        """The least load of the class ``lower.holds_for`` is known exactly: the bracket is
        closed, or the covering LP's optimum (for that class) is certified and is the lower end."""
        if self.optimal:
            return True
        lp = self.lp
        return bool(
            lp is not None
            and lp.exact
            and self.lower is not None
            and lp.lower == self.lower.value
            and getattr(lp.lp, "max_replication", None) is None
        )

    @property
    def certificate(self) -> str:
        """The two arguments in one line."""
        low = "no lower bound" if self.lower is None else f"lower: {self.lower.argument}"
        up = "no proved scheme" if self.upper is None else f"upper: {self.upper.proof}"
        return f"{low}; {up}"

    @property
    def variables(self) -> int:
        """Variables of the LP (or integer design) solved, 0 when none was (Python only)."""
        solved = self.integer if self.integer is not None else self.lp
        return 0 if solved is None else solved.variables

    @property
    def constraints(self) -> int:
        solved = self.integer if self.integer is not None else self.lp
        return 0 if solved is None else solved.constraints

    def as_dict(self) -> dict:
        """JSON-ready; every load as :func:`~sgc_theory.rationals.load_json`."""
        low, up, every = self.lower, self.upper, self.lower_every_scheme
        out = {
            "n": self.n,
            "model": self.model.spec,
            "T": self.T,
            "P": self.P,
            "status": self.status,
            "optimal_among": self.optimal_among,
            "lower": None if low is None else load_json(low.value),
            "lower_argument": None if low is None else low.argument,
            "lower_holds_for": None if low is None else low.holds_for,
            "upper": None if up is None else load_json(up.value),
            "scheme": None if up is None else up.summary(),
            "ratio": self.ratio,
            "lower_every_scheme": None if every is None else load_json(every.value),
            "lower_every_scheme_argument": None if every is None else every.argument,
            "bounds": [b.as_dict() for b in self.bounds],
            "schemes": [s.as_dict() for s in self.schemes],
            "not_run": list(self.not_run),
            "lp": None if self.lp is None else _lp_dict(self.lp, self.P),
            "seconds": round(self.seconds, 3),
        }
        if self.restricted is not None:
            out["restricted_bound"] = self.restricted.as_dict()
        if self.integer is not None:
            out["integer_design"] = self.integer.as_dict()
        return out


def _lp_dict(res, P) -> dict:
    """The covering LP's own fields (named after the LP because it was solved)."""
    lp = res.lp
    r = getattr(lp, "max_replication", None)
    among = f"schemes looking back P={P} rounds"
    if r is not None:
        among += f" whose worker sets have at most {r} workers"
    exact = res.upper is not None and res.upper == res.lower
    return {
        "among": among,
        "optimal_among": among if exact else None,
        "lp_upper": load_json(res.upper),
        "lp_lower": load_json(res.lower),
        "lp_lower_any_set_size": load_json(res.lower_any_size) if r is not None else None,
        "max_replication": r,
        "exact": bool(res.exact),
        "status": res.status,
        "certificate": res.certificate,
        "variables": res.variables,
        "constraints": res.constraints,
        "seconds": round(res.seconds, 3),
    }
