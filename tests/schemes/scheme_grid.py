"""Shared grid of small scheme instances for the scheme and verifier batteries.

Imported by ``tests/schemes/test_schemes_*.py`` and (through a ``sys.path`` entry) by
``tests/verify/test_verify_*.py``. Scheme objects are built once and reused, so their lazily
built gradient codes and task caches are shared between tests.

``heavy`` marks the few instances whose exact checks take a second or more; the batteries run
them only under ``--runslow``. ``always_slow`` marks those the scheme battery too keeps for
``--runslow`` (PR-SGC at n = 5: its partitions refine every layout, a hundred or more).
"""

from __future__ import annotations

import zlib
from functools import cache

import pytest

from sgc_theory.schemes import BRSGC, GC, MSGC, PRSGC, SRSGC, WCSGC
from sgc_theory.verify import verify

NS = (3, 4, 5)


def _spec_list():
    out = []
    for n in NS:
        for s in range(n):
            out.append(("gc", n, dict(s=s)))
        for B in (1, 2):
            for W in range(B + 1, 4):
                for lam in range(0, n + 1):
                    out.append(("srsgc", n, dict(B=B, W=W, lam=lam)))
        for W in (2, 3):
            for B in range(1, W):
                for lam in range(0, n + 1):
                    out.append(("msgc", n, dict(B=B, W=W, lam=lam)))
        for W in (2, 3):
            for B in range(1, W):
                for lam in range(0, n + 1):
                    out.append(("brsgc", n, dict(B=B, W=W, lam=lam)))
        for W in (2, 3):
            for B in range(1, W):
                for lam in range(0, n + 1):
                    out.append(("wcsgc", n, dict(B=B, W=W, lam=lam)))
        for W in (2, 3):
            for B in range(1, W):
                for lam in range(0, n + 1):
                    out.append(("prsgc", n, dict(B=B, W=W, lam=lam)))
    return out


SPECS = _spec_list()
_CLS = {"gc": GC, "srsgc": SRSGC, "msgc": MSGC, "brsgc": BRSGC, "wcsgc": WCSGC, "prsgc": PRSGC}


def spec_id(spec) -> str:
    kind, n, params = spec
    return f"{kind}-n{n}-" + "-".join(f"{k}{v}" for k, v in params.items())


def seed_of(spec, salt=0) -> int:
    """A deterministic seed per instance (no reliance on Python's randomized str hash)."""
    return zlib.crc32(f"{spec_id(spec)}/{salt}".encode())


def is_heavy(spec) -> bool:
    """Exact checks of these take about a second or more (the n = 5, B = 2 M-SGCs)."""
    kind, n, p = spec
    return (
        (kind == "msgc" and n == 5 and p["B"] == 2 and p["lam"] >= 2)
        or (kind == "srsgc" and n == 5 and p["B"] == 2 and p["lam"] >= 4)
        or (kind == "brsgc" and n == 5)
        or (kind == "prsgc" and (n == 5 or (n == 4 and p["W"] == 3)))
        or (kind == "wcsgc" and n == 5 and p["B"] == 2 and p["lam"] >= 2)
    )


@cache
def _build(kind, n, items, construction):
    if kind in ("brsgc", "wcsgc", "prsgc"):  # uncoded: no gradient code to choose
        return _CLS[kind](n, **dict(items))
    return _CLS[kind](n, **dict(items), construction=construction)


def build(spec, construction="auto"):
    kind, n, params = spec
    return _build(kind, n, tuple(sorted(params.items())), construction)


def always_slow(spec) -> bool:
    kind, n, _ = spec
    return kind == "prsgc" and n == 5


def params_of(specs, slow_heavy=True):
    """``pytest.param`` list with ids; heavy instances marked slow when ``slow_heavy``, and
    the ``always_slow`` ones in any case."""
    out = []
    for sp in specs:
        slow = always_slow(sp) or (slow_heavy and is_heavy(sp))
        marks = (pytest.mark.slow,) if slow else ()
        out.append(pytest.param(sp, id=spec_id(sp), marks=marks))
    return out


@cache
def _cached_verify(kind, n, items, construction, model_key, method, rounds):
    sch = _build(kind, n, items, construction)
    model = model_key
    if rounds is None:
        return verify(sch, model, all_horizons=True, method=method)
    return verify(sch, model, rounds=rounds, method=method)


def cached_verify(spec, model=None, method="automaton", rounds=None, construction="auto"):
    """Memoised ``verify`` (so several tests can look at one expensive result)."""
    kind, n, params = spec
    return _cached_verify(
        kind, n, tuple(sorted(params.items())), construction, model, method, rounds
    )
