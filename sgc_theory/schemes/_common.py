"""Shared helpers of the built-in schemes: validated parameters and lazily built exact GCs."""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

from ..bounds import check_scheme_params
from ..errors import SGCError, check_int
from ..models.base import MAX_WINDOW
from ..models.base import _bits as bits  # noqa: F401  (set bits of a mask, ascending)


def bursty_params(family: str, n, B, W, lam) -> tuple[int, int, int, int]:
    """``(n, B, W, lam)`` of a scheme designed for bursty ``(B, W, lam)``, as ints: each must be
    an integer, then the rules of ``family`` in ``sgc_theory.bounds.SCHEME_RULES`` (the one
    table the closed forms consult too), then ``W`` within the models' windows."""
    n, B, W, lam = (check_int(k, v) for k, v in (("n", n), ("B", B), ("W", W), ("lam", lam)))
    check_scheme_params(family, n=n, B=B, W=W, lam=lam)
    check_int("W", W, maximum=MAX_WINDOW)
    return n, B, W, lam


#: the constructions a scheme accepts by name (or a ready GradientCode of the right n and s)
SCHEME_CONSTRUCTIONS = ("auto", "cyclic", "frc", "rs", "stable")


def _is_code(construction) -> bool:
    from ..codes import GradientCode

    return isinstance(construction, GradientCode)


def resolve_construction(n: int, s: int, construction="auto") -> str:
    """The construction :func:`gradient_code` uses: ``identity`` for ``s = 0``; ``auto`` is
    fractional repetition when (s+1) | n, else Reed-Solomon (both proved for every straggler set
    by their structure, so no enumeration is needed at any n); ``stable`` is fractional
    repetition when (s+1) | n, else unequal fractional repetition (``ufrc``,
    :mod:`sgc_theory.codes.stable`); a given code is named by its ``name``."""
    if _is_code(construction):
        return construction.name
    if s == 0:
        return "identity"
    if construction == "auto":
        return "frc" if n % (s + 1) == 0 else "rs"
    if construction == "stable":
        from ..codes.stable import stable_construction

        return stable_construction(n, s)
    return construction


def code_load(n: int, s: int, construction="auto") -> Fraction | None:
    """Exact load of the (n, s)-GC a scheme uses when it is not one of the optimal-load
    constructions (``stable`` or a given code), else ``None`` (the closed forms of
    :mod:`sgc_theory.bounds` apply: ``(s + 1) / n``)."""
    if _is_code(construction):
        return construction.load
    if construction == "stable":
        from ..codes.stable import stable_load

        load = stable_load(n, s)
        return None if load == Fraction(s + 1, n) else load
    return None


@lru_cache(maxsize=64)
def gradient_code(n: int, s: int, construction: str = "auto", seed=0):
    """An exact (n, s)-GC, proved or certified (see :func:`resolve_construction`)."""
    from ..codes import identity_code, make_code

    if _is_code(construction):
        return construction
    name = resolve_construction(n, s, construction)
    if name == "identity":
        return identity_code(n)
    return make_code(n, s, "stable" if name == "ufrc" else name, seed=seed)


#: constructions whose decodability is "at least n - s results", necessary and sufficient
COUNT_RULE_EXACT = ("rs", "identity")


def code_basis(n: int, s: int, construction: str = "auto") -> dict:
    """What a scheme's (n, s)-GC is and why it decodes, without building it.

    Returns ``{"n", "s", "construction", "guarantee": Guarantee, "count_rule": "exact" |
    "sufficient"}``; ``count_rule`` says whether "any ``n - s`` results decode" is also
    necessary for this code (Reed-Solomon, identity) or only sufficient (fractional repetition
    decodes from one result per group; a cyclic draw may decode from fewer by accident).
    """
    from ..codes import code_guarantee

    name = resolve_construction(n, s, construction)
    if _is_code(construction):
        guarantee = construction.guarantee  # type: ignore[attr-defined]
    else:
        guarantee = code_guarantee(
            n, s, "rs" if name == "identity" else ("stable" if name == "ufrc" else name)
        )
    return {
        "n": n,
        "s": s,
        "construction": name,
        "guarantee": guarantee,
        "count_rule": "exact" if name in COUNT_RULE_EXACT else "sufficient",
    }


def check_construction(construction, n: int | None = None, s: int | None = None):
    """A construction name of :data:`SCHEME_CONSTRUCTIONS`, or a GradientCode whose ``n`` and
    ``s`` are the scheme's (e.g. :func:`sgc_theory.codes.float_safe_code`)."""
    if _is_code(construction):
        if (construction.n, construction.s) != (n, s):
            raise SGCError(
                f"construction: the given code is an ({construction.n}, {construction.s})-GC, "
                f"the scheme needs an ({n}, {s})-GC"
            )
        return construction
    if not isinstance(construction, str) or construction not in SCHEME_CONSTRUCTIONS:
        raise SGCError(
            "construction must be 'auto', 'cyclic', 'frc', 'rs', 'stable' or an (n, s) "
            f"GradientCode (got {construction!r})"
        )
    return construction


class BurstyDesigned:
    """Mixin of the schemes designed for a bursty ``(B, W, lam)`` model (SR-SGC, M-SGC)."""

    def _params(self):
        return f"n={self.n}, B={self.B}, W={self.W}, lam={self.lam}"

    @property
    def design_model(self):
        from ..models import Bursty

        return Bursty(self.n, self.B, self.W, self.lam)
