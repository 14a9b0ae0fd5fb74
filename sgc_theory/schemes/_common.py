"""Shared helpers of the built-in schemes: validated parameters and lazily built exact GCs."""

from __future__ import annotations

from functools import lru_cache

from ..errors import SGCError
from ..models.base import _bits as bits  # noqa: F401  (set bits of a mask, ascending)


@lru_cache(maxsize=64)
def gradient_code(n: int, s: int, construction: str = "auto", seed=0):
    """A certified exact (n, s)-GC (``auto``: fractional repetition when (s+1) | n, else cyclic)."""
    from ..codes import identity_code, make_code

    if s == 0:
        return identity_code(n)
    if construction == "auto":
        construction = "frc" if n % (s + 1) == 0 else "cyclic"
    return make_code(n, s, construction, seed=seed)


def check_construction(construction: str) -> str:
    if construction not in ("auto", "cyclic", "frc"):
        raise SGCError(f"construction must be 'auto', 'cyclic' or 'frc' (got {construction!r})")
    return construction


class BurstyDesigned:
    """Mixin of the schemes designed for a bursty ``(B, W, lam)`` model (SR-SGC, M-SGC)."""

    def _params(self):
        return f"n={self.n}, B={self.B}, W={self.W}, lam={self.lam}"

    @property
    def design_model(self):
        from ..models import Bursty

        return Bursty(self.n, self.B, self.W, self.lam)
