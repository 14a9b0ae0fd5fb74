"""The three straggler models (docs/guide/models.md): per-round, bursty and arbitrary.

References
----------
.. [KEK23] M. N. Krishnan, M. R. Ebrahimi, A. Khisti, "Sequential Gradient Coding for Straggler
   Mitigation", ICLR 2023 (bursty and arbitrary straggler models).
"""

from __future__ import annotations

from typing import Any

import re
from math import comb

from ..errors import SGCError, check_int
from collections.abc import Sequence

from .base import StragglerModel

__all__ = ["PerRound", "Bursty", "Arbitrary", "parse_model", "as_model"]


class PerRound(StragglerModel):
    """At most ``s`` stragglers in every round (``W = 1``); the model classical GC tolerates.

    >>> PerRound(4, s=1).count(3)
    125
    """

    kind = "per-round"

    def __init__(self, n: int, s: int) -> None:
        n = check_int("n", n, minimum=1)
        self.s = check_int("s", s, minimum=0, maximum=n)
        super().__init__(n, 1, self.s)

    def _row_ok_by_definition(self, rounds: list[int]) -> bool:
        return True

    @property
    def spec(self) -> str:
        return f"per-round:s={self.s}"

    def _params(self) -> str:
        return f"s={self.s}"


class Bursty(StragglerModel):
    """Bursty stragglers ``(B, W, lam)``.

    In every window of ``W`` rounds at most ``lam`` distinct workers straggle, and each worker's
    straggling rounds in the window lie within ``B`` consecutive rounds (gaps allowed).

    >>> Bursty(2, B=1, W=2, lam=1).count(2)   # {}{}, {}{0}, {}{1}, {0}{}, {1}{}
    5
    """

    kind = "bursty"

    def __init__(self, n: int, B: int, W: int, lam: int) -> None:
        n = check_int("n", n, minimum=1)
        self.B = check_int("B", B, minimum=1)
        W = check_int("W", W, minimum=1)
        if self.B > W:
            raise SGCError(f"bursty model needs 1 <= B <= W (got B={self.B}, W={W})")
        super().__init__(n, W, lam)

    def _row_ok_by_definition(self, rounds: list[int]) -> bool:
        return not rounds or max(rounds) - min(rounds) + 1 <= self.B

    def _row_ok_mask(self, row: int) -> bool:
        # the straggles span from the lowest to the highest set bit
        return not row or row.bit_length() - ((row & -row).bit_length() - 1) <= self.B

    def history_classes(self, rounds: int | None = None) -> int:
        # nonzero (W - 1)-bit histories whose ones span at most B rounds
        m = self.W - 1 if rounds is None else min(self.W - 1, rounds)
        return sum((m - L + 1) * (1 << max(L - 2, 0)) for L in range(1, min(self.B, m) + 1))

    def _max_disjoint_sum(self, counts: Sequence[int]) -> int:
        # a worker cannot straggle in two rounds of a window that are >= B apart: the largest
        # total over rounds pairwise >= B apart (a path DP) counts distinct workers
        best: list[int] = []
        for k, c in enumerate(counts):
            prev = best[k - self.B] if k >= self.B else 0
            best.append(max(best[k - 1] if k else 0, prev + c))
        return best[-1] if best else 0

    @property
    def spec(self) -> str:
        return f"bursty:B={self.B},W={self.W},lam={self.lam}"

    def _params(self) -> str:
        return f"B={self.B}, W={self.W}, lam={self.lam}"


class Arbitrary(StragglerModel):
    """Arbitrary stragglers ``(N, W, lam)``.

    In every window of ``W`` rounds at most ``lam`` distinct workers straggle, each in at most
    ``N`` rounds of the window.
    """

    kind = "arbitrary"

    def __init__(self, n: int, N: int, W: int, lam: int) -> None:
        n = check_int("n", n, minimum=1)
        self.N = check_int("N", N, minimum=1)
        W = check_int("W", W, minimum=1)
        if self.N > W:
            raise SGCError(f"arbitrary model needs 1 <= N <= W (got N={self.N}, W={W})")
        super().__init__(n, W, lam)

    def _row_ok_by_definition(self, rounds: list[int]) -> bool:
        return len(rounds) <= self.N

    def _row_ok_mask(self, row: int) -> bool:
        return row.bit_count() <= self.N

    def history_classes(self, rounds: int | None = None) -> int:
        # nonzero (W - 1)-bit histories with at most N ones
        m = self.W - 1 if rounds is None else min(self.W - 1, rounds)
        return sum(comb(m, k) for k in range(1, min(self.N, m) + 1))

    def _max_disjoint_sum(self, counts: Sequence[int]) -> int:
        # each worker straggles at most N times in a window: distinct >= ceil(total / N)
        return -(-sum(counts) // self.N)

    @property
    def spec(self) -> str:
        return f"arbitrary:N={self.N},W={self.W},lam={self.lam}"

    def _params(self) -> str:
        return f"N={self.N}, W={self.W}, lam={self.lam}"


_KINDS = {
    "per-round": (PerRound, ("s",)),
    "bursty": (Bursty, ("B", "W", "lam")),
    "arbitrary": (Arbitrary, ("N", "W", "lam")),
}


def _fold(name: str) -> str:
    return name.strip().lower().replace("-", "").replace("_", "")


def parse_model(spec: str, n: int) -> StragglerModel:
    """Build a model from a CLI string such as ``"bursty:B=2,W=3,lam=2"``.

    >>> parse_model("per-round:s=2", 5)
    PerRound(n=5, s=2)
    """
    if not isinstance(spec, str) or ":" not in spec:
        raise SGCError(
            f"model must look like 'per-round:s=2', 'bursty:B=2,W=3,lam=2' or "
            f"'arbitrary:N=2,W=3,lam=2' (got {spec!r})"
        )
    kind, _, rest = spec.partition(":")
    # the case rule of every name on the command line: any case, dashes and underscores
    # ignored ("PER_ROUND" = "per-round"); parameter names in any case ("b=1" = "B=1")
    folded = {_fold(k): k for k in _KINDS}
    if _fold(kind) not in folded:
        raise SGCError(f"unknown model {kind.strip()!r}: choose one of {', '.join(_KINDS)}")
    kind = folded[_fold(kind)]
    cls, names = _KINDS[kind]
    by_lower = {k.lower(): k for k in names}
    params = {}
    items = [p.strip() for p in rest.split(",")] if rest.strip() else []
    for item in items:
        if not item:
            raise SGCError(
                f"model {spec!r}: empty parameter (write e.g. "
                f"'{kind}:{','.join(k + '=1' for k in names)}')"
            )
        key, eq, value = item.partition("=")
        key = by_lower.get(key.strip().lower(), key.strip())
        if not eq or key not in names:
            raise SGCError(f"model {kind} takes parameters {', '.join(names)} (got {item!r})")
        if key in params:
            raise SGCError(f"model {spec!r}: parameter {key} is given twice")
        value = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,30}", value):
            raise SGCError(
                f"model parameter {key} must be an integer of at most 30 digits (got {value!r:.40})"
            )
        params[key] = int(value)
    missing = [k for k in names if k not in params]
    if missing:
        raise SGCError(f"model {kind} is missing parameter(s) {', '.join(missing)}")
    return cls(n, **params)


def as_model(model: Any, n: int, name: str = "model") -> StragglerModel:
    """``model`` as a :class:`StragglerModel` on ``n`` workers: a model object (its ``n`` must
    match) or a model string such as ``"bursty:B=1,W=2,lam=1"``.

    >>> as_model("bursty:B=1,W=2,lam=1", 4)
    Bursty(n=4, B=1, W=2, lam=1)
    """
    if isinstance(model, StragglerModel):
        if model.n != n:
            raise SGCError(f"{name} has n={model.n} workers but the scheme has n={n}")
        return model
    if isinstance(model, str):
        return parse_model(model, n)
    raise SGCError(
        f"{name} must be a straggler model (e.g. Bursty(n, B, W, lam)) or a model "
        f"string such as 'bursty:B=1,W=2,lam=1' (got {type(model).__name__} "
        f"{model!r:.60})"
    )
