"""The sweep's configurations: every family's parameter table, its loads and delays, and the
arrays the evaluation engine reads (one dict per family, a *spec*).

A spec holds ``name``, ``kind`` (the family, or ``"generic"`` for a scheme evaluated through its
objects), the parameter table ``P`` (one row per configuration, columns ``names``), float
``loads``, delays ``T``, SR-SGC's ``s``, the model's straggler cap ``cap``, the last round every
run needs ``end_min`` and, once the probe load is known, the delay ``shifts``; generic specs add
the scheme objects ``objs`` and their design models' kind and parameters (``mkind``, ``mpar``).
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import SGCError
from .runtime import SCHEMES, _make, param_names


def sweep_choices(n: int, jobs: int, max_delay: int) -> dict[str, np.ndarray]:
    """All configurations of the sweep, per scheme, as integer arrays.

    Returns ``{"nocoding": (1, 0), "gc": (C, 1) [s], "srsgc": (C, 3), "msgc": (C, 3),
    "brsgc": (C, 3)}`` with columns ``B, W, lam`` for the sequential schemes.
    """
    lam = np.arange(1, n + 1)
    sr, ms, br = [], [], []
    for B in range(1, max_delay + 1):
        for W in range(B + 1, jobs + 1):
            sr.append(np.column_stack([np.full(n, B), np.full(n, W), lam]))
    for W in range(2, jobs + 1):
        for B in range(1, W):
            if W - 2 + B <= max_delay:
                ms.append(np.column_stack([np.full(n, B), np.full(n, W), lam]))
    for W in range(2, jobs + 1):
        for B in range(1, min(max_delay, W - 1) + 1):
            br.append(np.column_stack([np.full(n, B), np.full(n, W), lam]))
    empty = np.zeros((0, 3), dtype=np.int64)
    return {
        "nocoding": np.zeros((1, 0), dtype=np.int64),
        "gc": np.arange(n, dtype=np.int64)[:, None],
        "srsgc": np.concatenate(sr).astype(np.int64) if sr else empty,
        "msgc": np.concatenate(ms).astype(np.int64) if ms else empty,
        "brsgc": np.concatenate(br).astype(np.int64) if br else empty,
    }


def _loads_and_delays(scheme: str, n: int, P: np.ndarray):
    """Float loads, delays ``T`` (and SR-SGC's ``s``) of the configurations ``P``.

    The formulas come from :mod:`sgc_theory.bounds` (lambdified once, evaluated on arrays).
    """
    import sympy as sp

    from .. import bounds

    C = P.shape[0]
    if scheme == "nocoding":
        return np.array([float(bounds.nocoding_load(n))]), np.zeros(1, np.int64), None
    if scheme == "gc":
        s = P[:, 0]
        f = sp.lambdify([sp.Symbol("s")], bounds.gc_load(n, sp.Symbol("s")), "numpy")
        return np.broadcast_to(f(s.astype(float)), (C,)).astype(float), np.zeros(C, np.int64), s
    B, W, lam = (P[:, j] for j in range(3))
    Bs, Ws, ls = sp.symbols("B W lam")
    if scheme == "brsgc":
        fl = sp.lambdify([ls], bounds.brsgc_load(n, ls), "numpy")
        load = np.broadcast_to(np.asarray(fl(lam.astype(float)), dtype=float), (C,)).copy()
        for j in {0, C - 1}:
            assert math.isclose(load[j], float(bounds.brsgc_load(n, int(lam[j]))))
        return load, np.asarray(B, dtype=np.int64), None
    if scheme == "srsgc":
        fs = sp.lambdify([Bs, Ws, ls], bounds.srsgc_s(Bs, Ws, ls), "numpy")
        s = np.rint(np.asarray(fs(B.astype(float), W.astype(float), lam.astype(float)))).astype(
            np.int64
        )
        fl = sp.lambdify([sp.Symbol("s")], bounds.gc_load(n, sp.Symbol("s")), "numpy")
        load = np.asarray(fl(s.astype(float)), dtype=float)
        # the closed form of the load itself, checked on the extremes
        for j in {0, C - 1}:
            assert math.isclose(
                load[j], float(bounds.srsgc_load(n, int(B[j]), int(W[j]), int(lam[j])))
            )
        T = np.asarray(B, dtype=np.int64)
        return load, T, s
    # msgc
    fl = sp.lambdify([Bs, Ws, ls], bounds.msgc_load(n, Bs, Ws, ls), "numpy")
    load = np.asarray(fl(B.astype(float), W.astype(float), lam.astype(float)), dtype=float)
    full = lam == n  # no coded part: separate closed form
    for j in np.flatnonzero(full):
        load[j] = float(bounds.msgc_load(n, int(B[j]), int(W[j]), int(lam[j])))
    T = (W - 2 + B).astype(np.int64)
    return load, T, None


#: the families with closed-form fast paths (every other registered scheme goes the generic way)
_BUILTIN = ("nocoding", "gc", "srsgc", "msgc", "brsgc")


#: what :func:`sweep` and :func:`~sgc_theory.simulate.reproduce` cover when no scheme is named:
#: the families with a fast path. The others (WC-SGC: its decoding depends on which workers
#: straggle, not only on how many) go the generic route, minutes per trace at n = 256; name
#: them to include them.
DEFAULT_SCHEMES = _BUILTIN


def _check_schemes(schemes) -> tuple:
    """The families to sweep (default :data:`DEFAULT_SCHEMES`), each a known name."""
    schemes = DEFAULT_SCHEMES if schemes is None else schemes
    if isinstance(schemes, str):
        schemes = (schemes,)
    for sc in schemes:
        if not isinstance(sc, str) or sc not in SCHEMES:
            raise SGCError(f"schemes: unknown scheme {sc!r} (known: {', '.join(SCHEMES)})")
    return tuple(schemes)


def _families(schemes, n, jobs, max_delay, L0, slope, skipped, force_generic, budget=None) -> list:
    """Every family's configurations (vectorised tables), with their delay shifts."""
    work = []
    for sc in schemes:
        if sc == "nocoding" or (sc in _BUILTIN and not force_generic):
            spec = _builtin_family(sc, n, jobs, max_delay, skipped)
        elif sc == "prsgc":
            spec = _prsgc_family(n, jobs, max_delay, skipped, budget)
        else:
            spec = _generic_family(sc, n, jobs, max_delay, skipped)
        if spec is not None:
            with np.errstate(over="ignore", invalid="ignore"):  # checked by shifted_delays
                spec["shifts"] = (spec["loads"] - L0) * slope
            work.append(spec)
    return work


def _builtin_family(sc, n, jobs, max_delay, skipped):
    P = sweep_choices(n, jobs, max_delay)[sc]
    if sc == "srsgc" and P.shape[0]:
        B, W, lam = P[:, 0], P[:, 1], P[:, 2]
        s = -(-(B * lam) // (W - 1 + B))
        ok = s < n
        if not ok.all():
            skipped[sc] = (
                f"{int((~ok).sum())} configurations with s = ceil(B lam / (W - 1 + B)) "
                f">= n = {n} cannot exist"
            )
        P = P[ok]
    if P.shape[0] == 0:
        return None
    loads, T, s = _loads_and_delays(sc, n, P)
    if sc == "gc":
        cap = P[:, 0]
    elif sc == "nocoding":
        cap = np.zeros(1, np.int64)
    else:
        cap = P[:, 2]
    if sc == "msgc":
        end_min = np.where(P[:, 2] < n, jobs - 1 + T, jobs - 1)
    else:
        end_min = np.full(P.shape[0], jobs - 1, np.int64)
    return {
        "name": sc,
        "kind": sc,
        "P": P,
        "loads": loads,
        "T": T,
        "s": s,
        "cap": cap,
        "end_min": end_min,
        "names": {"gc": ("s",), "nocoding": ()}.get(sc, ("B", "W", "lam")),
    }


def _generic_family(sc, n, jobs, max_delay, skipped):
    """Every constructible configuration of a registered scheme with delay ``T <= max_delay``.

    ``s``-schemes: ``s = 0 .. n - 1``. ``(B, W, lam)``-schemes: ``1 <= B <= W <= J``,
    ``1 <= lam <= n``; a ``(B, W)`` pair is kept when the scheme builds at ``lam = 1`` or
    ``lam = n`` with ``T <= max_delay`` (its delay is assumed not to depend on ``lam``).
    Configurations the constructor refuses are skipped (and counted in ``skipped``).
    """
    names = param_names(sc)
    grid = _generic_grid(sc, names, n, jobs, max_delay)
    if grid is None:
        skipped[sc] = f"the sweep does not enumerate parameters {', '.join(names)}"
        return None
    objs, rows, refused = [], [], 0
    for params in grid:
        o = _try_make(sc, n, params)
        refused += o is None
        if o is None or int(o.T) > max_delay:
            continue
        objs.append(o)
        rows.append([params[p] for p in names])
    if refused:
        skipped[sc] = f"{refused} configurations refused by the {sc} constructor for n = {n}"
    if not objs:
        return None
    spec = {
        "name": sc,
        "P": np.asarray(rows, dtype=np.int64).reshape(len(rows), len(names)),
        "cap": np.array([o.design_model.lam for o in objs], np.int64),
        "end_min": np.full(len(objs), jobs - 1, np.int64),
        "names": names,
    }
    spec.update(_objects_spec(objs))
    return spec


#: PR-SGC's ``lam`` grid in the sweep (its load needs an LP per ``lam``, about
#: ``12 lam^2`` microseconds: every ``lam`` at ``n = 256`` would take minutes)
def prsgc_lams(n: int) -> list:
    """The ``lam`` values PR-SGC is swept on: powers of two, ``n / 2`` and ``n - 1``."""
    return sorted({x for x in (1, 2, 4, 8, 16, 32, 64, 128, n // 2, n - 1) if 1 <= x < n})


def prsgc_cost(n: int, max_delay: int) -> int:
    """Work units (about a microsecond) of building PR-SGC's swept configurations."""
    return max_delay * sum(15 * (lam + 1) ** 2 + 2000 for lam in prsgc_lams(n))


def _prsgc_family(n, jobs, max_delay, skipped, budget):
    """PR-SGC on a stated grid: delay ``T = B <= max_delay``, ``W = B + 1``, ``lam`` in
    :func:`prsgc_lams`; refused beyond the budget before any LP is solved."""
    from .optimal import BudgetError

    est = prsgc_cost(n, max_delay)
    if budget is not None and est > budget:
        raise BudgetError(
            f"prsgc: building its {max_delay * len(prsgc_lams(n))} configurations (an LP per "
            f"lam) is about {est:.3g} units, beyond the budget max_work={budget:,}; raise it "
            "(--max-work) or use a smaller --max-delay"
        )
    skipped["prsgc"] = (
        f"searched on a grid: B <= {max_delay}, W = B + 1, lam in "
        f"{{{', '.join(map(str, prsgc_lams(n)))}}} (an LP per lam; other (W, lam) not swept)"
    )
    objs, rows = [], []
    for B in range(1, max_delay + 1):
        for lam in prsgc_lams(n):
            o = _try_make("prsgc", n, {"B": B, "W": B + 1, "lam": lam})
            if o is not None:
                objs.append(o)
                rows.append([B, B + 1, lam])
    if not objs:
        return None
    spec = {
        "name": "prsgc",
        "P": np.asarray(rows, dtype=np.int64).reshape(len(rows), 3),
        "cap": np.array([o.design_model.lam for o in objs], np.int64),
        "end_min": np.full(len(objs), jobs - 1, np.int64),
        "names": ("B", "W", "lam"),
    }
    spec.update(_objects_spec(objs))
    return spec


def _try_make(sc, n, params):
    """The scheme object, or ``None`` when its constructor refuses the parameters."""
    try:
        return _make(sc, n, params)
    except SGCError:
        return None


def _generic_grid(sc, names, n, jobs, max_delay):
    """The parameter grid of :func:`_generic_family` (``None`` for other parameter names)."""
    if names == ("s",):
        return [{"s": v} for v in range(n)]
    if names != ("B", "W", "lam"):
        return None
    grid = []
    for W in range(1, jobs + 1):
        for B in range(1, W + 1):
            probes = [_try_make(sc, n, {"B": B, "W": W, "lam": x}) for x in sorted({1, n})]
            if not any(o is not None and int(o.T) <= max_delay for o in probes):
                continue
            grid += [{"B": B, "W": W, "lam": x} for x in range(1, n + 1)]
    return grid


def _objects_spec(objs) -> dict:
    """The spec entries of configurations evaluated through their scheme objects: loads, delays,
    the objects, and their design models' kind (``perround``, ``bursty`` or ``other``) and
    parameters (``mpar``: ``[s]`` or ``[B, W, lam]`` rows) for the vectorised admission."""
    from ..models import Bursty, PerRound

    models = [o.design_model for o in objs]
    if all(isinstance(m, PerRound) for m in models):
        mkind, mpar = "perround", np.array([[m.s] for m in models], np.int64)
    elif all(isinstance(m, Bursty) for m in models):
        mkind, mpar = "bursty", np.array([[m.B, m.W, m.lam] for m in models], np.int64)
    else:
        mkind, mpar = "other", None
    return {
        "kind": "generic",
        "loads": np.array([float(o.load) for o in objs]),
        "T": np.array([int(o.T) for o in objs], np.int64),
        "s": None,
        "objs": objs,
        "mkind": mkind,
        "mpar": mpar,
    }


def _slice(spec, a, b):
    out = dict(spec)
    for key in ("P", "loads", "T", "s", "cap", "end_min", "shifts", "mpar"):
        if out.get(key) is not None:
            out[key] = out[key][a:b]
    if "objs" in out:
        out["objs"] = out["objs"][a:b]
    return out


def _params(spec, row) -> dict:
    """The parameters ``{name: value}`` of the configuration ``row`` of a family."""
    return {p: int(v) for p, v in zip(spec["names"], row)}


def _scheme_of(spec, c, n):
    """The scheme object of configuration ``c`` of a family on ``n`` workers."""
    if spec["kind"] == "generic":
        return spec["objs"][c]
    return _make(spec["kind"], n, _params(spec, spec["P"][c]))
