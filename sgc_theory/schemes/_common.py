"""Shared helpers of the built-in schemes: validated parameters and lazily built exact GCs."""

from __future__ import annotations

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


def resolve_construction(n: int, s: int, construction: str = "auto") -> str:
    """The construction :func:`gradient_code` uses: ``identity`` for ``s = 0``; ``auto`` is
    fractional repetition when (s+1) | n, else Reed-Solomon (both proved for every straggler set
    by their structure, so no enumeration is needed at any n)."""
    if s == 0:
        return "identity"
    if construction == "auto":
        return "frc" if n % (s + 1) == 0 else "rs"
    return construction


@lru_cache(maxsize=64)
def gradient_code(n: int, s: int, construction: str = "auto", seed=0):
    """An exact (n, s)-GC, proved or certified (see :func:`resolve_construction`)."""
    from ..codes import identity_code, make_code

    name = resolve_construction(n, s, construction)
    if name == "identity":
        return identity_code(n)
    return make_code(n, s, name, seed=seed)


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
    guarantee = code_guarantee(n, s, "rs" if name == "identity" else name)
    return {
        "n": n,
        "s": s,
        "construction": name,
        "guarantee": guarantee,
        "count_rule": "exact" if name in COUNT_RULE_EXACT else "sufficient",
    }


def check_construction(construction: str) -> str:
    if construction not in ("auto", "cyclic", "frc", "rs"):
        raise SGCError(
            f"construction must be 'auto', 'cyclic', 'frc' or 'rs' (got {construction!r})"
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
