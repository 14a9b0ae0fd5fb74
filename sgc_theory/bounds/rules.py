"""The parameter rules of every scheme family, in one place (docs/guide/bounds.md).

``SCHEME_RULES`` maps a family to its rules; :func:`~sgc_theory.bounds.check_scheme_params` enforces them. The
closed forms of :mod:`sgc_theory.bounds.loads`, PR-SGC's parameter LP
(:mod:`sgc_theory.bounds.pair_replication`) and every scheme constructor consult it, so that a
family's parameters are refused with the same message wherever they enter. This module imports
nothing else of :mod:`sgc_theory.bounds` (both of those modules import it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..errors import SGCError

__all__ = ["Rule", "SCHEME_RULES", "check_scheme_params"]


@dataclass(frozen=True)
class Rule:
    """One parameter rule: ``holds`` over the integer parameters named ``args`` (as keyword
    arguments); ``message`` names the parameters and the rule (``{label}`` is the family's name,
    the other fields are the parameters' values)."""

    args: tuple[str, ...]
    holds: Callable[..., bool]
    message: str


_N = Rule(("n",), lambda n: n >= 1, "n must be >= 1 (got n={n})")
_B_POS = Rule(("B",), lambda B: B >= 1, "{label} needs B >= 1 (got B={B})")
_LAM_POS = Rule(("lam",), lambda lam: lam >= 0, "{label} needs lam >= 0 (got lam={lam})")
_LAM_IN_N = Rule(
    ("n", "lam"), lambda n, lam: 0 <= lam <= n, "{label} needs 0 <= lam <= n (got lam={lam}, n={n})"
)
_B_BELOW_W = Rule(
    ("B", "W"),
    lambda B, W: 1 <= B <= W - 1,
    "{label} needs 1 <= B <= W - 1 (got B={B}, W={W}): with B >= W a worker may straggle in "
    "every round",
)

#: The parameter rules of every family, in one place: ``family -> (label, rules)``.  The closed
#: forms of :mod:`~sgc_theory.bounds.loads` (with concrete arguments),
#: :func:`~sgc_theory.bounds.scheme_load` and every scheme constructor
#: consult it through :func:`~sgc_theory.bounds.check_scheme_params`, each rule where all of its parameters are
#: given, in the order listed (the first broken rule is reported).
SCHEME_RULES: dict[str, tuple[str, tuple[Rule, ...]]] = {
    "nocoding": ("no coding", (_N,)),
    "gc": (
        "GC",
        (
            _N,
            Rule(
                ("n", "s"), lambda n, s: 0 <= s < n, "{label} needs 0 <= s < n (got s={s}, n={n})"
            ),
        ),
    ),
    "srsgc": (
        "SR-SGC",
        (
            _N,
            _B_POS,
            Rule(
                ("B", "W"), lambda B, W: W >= B + 1, "{label} needs W >= B + 1 (got B={B}, W={W})"
            ),
            _LAM_IN_N,
            _LAM_POS,
            Rule(
                ("n", "B", "W", "lam"),
                lambda n, B, W, lam: -(-B * lam // (W - 1 + B)) < n,
                "{label} needs s = ceil(B lam / (W - 1 + B)) < n (got B={B}, W={W}, lam={lam}, "
                "n={n})",
            ),
        ),
    ),
    "msgc": ("M-SGC", (_N, _B_BELOW_W, _LAM_IN_N, _LAM_POS)),
    "brsgc": ("BR-SGC", (_N, _B_POS, _B_BELOW_W, _LAM_IN_N, _LAM_POS)),
    "prsgc": (
        "PR-SGC",
        (
            Rule(("n",), lambda n: n >= 2, "{label} needs n >= 2 (got n={n})"),
            _B_POS,
            _B_BELOW_W,
            _LAM_IN_N,
            _LAM_POS,
        ),
    ),
    "wcsgc": ("WC-SGC", (_N, _B_POS, _B_BELOW_W, _LAM_IN_N, _LAM_POS)),
    # the model of the counting bound (sgc_theory.bounds.lower), B = W allowed
    "bursty": (
        "bursty(B, W, lam)",
        (
            _N,
            Rule(
                ("B", "W"), lambda B, W: 1 <= B <= W, "{label} needs 1 <= B <= W (got B={B}, W={W})"
            ),
            _LAM_IN_N,
            Rule(
                ("n", "B", "W", "lam"),
                lambda n, B, W, lam: n * (W - 1 + B) > lam * B,
                "no scheme exists when all n={n} workers may straggle in every round "
                "(lam=n with W=1)",
            ),
        ),
    ),
}


def check_scheme_params(scheme: str, **params: int) -> None:
    """Enforce the rules of ``scheme`` in ``SCHEME_RULES`` on integer parameters (each rule
    whose parameters are all given), raising :class:`SGCError` with the first broken rule.

    >>> check_scheme_params("msgc", n=4, B=2, W=2, lam=1)
    Traceback (most recent call last):
    ...
    sgc_theory.errors.SGCError: M-SGC needs 1 <= B <= W - 1 (got B=2, W=2): with B >= W a worker may straggle in every round
    """
    if scheme not in SCHEME_RULES:
        raise SGCError(f"scheme must be one of {', '.join(SCHEME_RULES)} (got {scheme!r})")
    label, rules = SCHEME_RULES[scheme]
    for rule in rules:
        if all(a in params for a in rule.args):
            if not rule.holds(**{a: params[a] for a in rule.args}):
                raise SGCError(rule.message.format(label=label, **params))
