"""Settling the optimal load without the LP, where a family meets a proved lower bound.

**Theorem** (bursty ``(B, W, lam)``, ``1 <= B <= W - 1``, ``n (W - 1 + B) > lam B``).  For every
delay ``T >= B + 1`` the least load of any scheme is the counting bound
``P / (n P - lam B)`` with ``P = W - 1 + B``.

*Lower bound*: the periodic pattern in which ``lam`` fixed workers straggle ``B`` rounds out of
every ``P`` is admitted; over ``P`` rounds the non-stragglers offer ``(n P - lam B) L`` units of
data and must cover ``P`` whole jobs, so ``L >= P / (n P - lam B)``
(:func:`sgc_theory.bounds.counting_bound`).  *Achievability*:
:class:`~sgc_theory.schemes.WCSGC` has exactly this load at delay ``B + 1``, and it decodes every
admitted pattern of every length; that guarantee is proved for the instance at hand by its count
automaton (:mod:`sgc_theory.verify.counts`), which :func:`settle` runs.

:func:`settle` returns a result shaped like the LP's
(:class:`~sgc_theory.design.TypeLPResult`) with ``basis`` naming the bound and the
family, or ``None`` when the theorem does not apply (then the LP decides).  :func:`cap_by_families` lowers an LP result's upper end to the
best proved family load of delay at most ``T`` (a scheme exists at that load), and marks the
result ``optimal`` only when its ends meet exactly.
"""

from __future__ import annotations

import time
from fractions import Fraction

from ..rationals import to_fraction

__all__ = ["settle", "cap_by_families", "family_loads"]


def _bursty(model):
    from ..models.window import Bursty

    return isinstance(model, Bursty) and 1 <= model.B <= model.W - 1


def family_loads(model, T) -> list[tuple[Fraction, str]]:
    """``(load, name)`` of every shipped family proved under ``model`` at a delay ``<= T``
    (bursty models only: BR-SGC at ``T >= B``, M-SGC at ``T >= W - 2 + B``, WC-SGC at
    ``T >= B + 1``)."""
    if not _bursty(model):
        return []
    from ..bounds.loads import brsgc_load, msgc_load, wcsgc_load

    n, B, W, lam = model.n, model.B, model.W, model.lam
    out = []
    if T >= B:
        out.append((to_fraction(brsgc_load(n, lam)), f"BR-SGC (delay {B})"))
    if T >= W - 2 + B:
        out.append((to_fraction(msgc_load(n, B, W, lam)), f"M-SGC (delay {W - 2 + B})"))
    if T >= B + 1:
        out.append((to_fraction(wcsgc_load(n, B, W, lam)), f"WC-SGC (delay {B + 1})"))
    return out


def settle(model, T, meter=None):
    """The optimum by the theorem of the module docstring, or ``None`` when it does not apply.

    Runs WC-SGC's count automaton for this instance (the achievability half); ``meter`` bounds
    its work.  A failed proof (not expected) returns ``None`` so that the LP decides.
    """
    if not _bursty(model) or T < model.B + 1:
        return None
    from ..bounds import counting_bound
    from ..schemes import WCSGC
    from ..verify.counts import WCSGCCounts
    from .type_lp import TypeLPResult

    t0 = time.perf_counter()
    n, B, W, lam = model.n, model.B, model.W, model.lam
    bound = to_fraction(counting_bound(n, B, W, lam))
    sch = WCSGC(n, B, W, lam)
    auto = WCSGCCounts(sch)
    ok, states = auto.join_proof(meter)
    how = "join proof"
    if not ok:
        ok, states, _ = auto.explore(meter)
        how = "exact search"
    if not ok:
        return None
    basis = (
        f"theorem: counting bound (W - 1 + B)/(n(W - 1 + B) - lam B) = {bound} is a lower bound "
        f"on every scheme at any delay, and WC-SGC({n}, B={B}, W={W}, lam={lam}) reaches it at "
        f"delay {B + 1} <= T={T}, proved for all horizons by its count automaton ({how}, "
        f"{states} states)"
    )
    res = TypeLPResult(
        status="optimal",
        load=float(bound),
        upper=bound,
        lower=bound,
        lower_any_size=bound,
        exact=True,
        certificate=basis,
        variables=0,
        constraints=0,
        rounds_of_generation=0,
        seconds=time.perf_counter() - t0,
    )
    res.basis = basis  # type: ignore[attr-defined]
    res.family = "wcsgc"  # type: ignore[attr-defined]
    return res


def cap_by_families(res, model, T):
    """Never report an upper end above a proved family's load; ``optimal`` only when exact.

    ``res`` is an LP result (its ``upper``/``lower`` exact Fractions, or ``None``).  When a
    family of delay ``<= T`` has a load below ``res.upper`` the upper end becomes that load
    (the family is a scheme of that load); when the ends then meet the optimum is exact.  A
    result still marked ``optimal`` whose ends differ is re-marked ``bracket``.
    """
    fams = family_loads(model, T)
    if fams:
        best, name = min(fams)
        above = res.upper is None or best < res.upper
        if above and (res.lower is None or best >= res.lower):
            res.upper, res.load = best, float(best)
            res.certificate = f"{res.certificate}; upper end = the load of {name}"
            res.basis = f"LP lower bound, and {name} reaches {best}"  # type: ignore[attr-defined]
    if res.upper is not None and res.lower is not None:
        res.exact = res.upper == res.lower
    if res.status == "optimal" and not res.exact:
        res.status = "bracket"
    return res
