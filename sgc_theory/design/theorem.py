"""The optimum at ``T >= B + 1``: the counting bound, reached by WC-SGC where its proof holds.

**Statement** (bursty ``(B, W, lam)``, ``1 <= B <= W - 1``, ``n (W - 1 + B) > lam B``).  For every
delay ``T >= B + 1`` the least load of any scheme is the counting bound ``P / (n P - lam B)`` with
``P = W - 1 + B`` -- **proved by hand for** ``B = 1``, and for ``B >= 2`` **per instance**: for
each ``(n, B, W, lam)`` whose WC-SGC guarantee the count automaton proves.  No proof for every
``B >= 2`` at once is known here; the statement is not called a theorem there.

*Lower bound* (every ``B``): the periodic pattern in which ``lam`` fixed workers straggle ``B``
rounds out of every ``P`` is admitted; over ``P`` rounds the non-stragglers offer
``(n P - lam B) L`` units of data and must cover ``P`` whole jobs, so ``L >= P / (n P - lam B)``
(:func:`sgc_theory.bounds.counting_bound`).  *Achievability*: :class:`~sgc_theory.schemes.WCSGC`
has exactly this load at delay ``B + 1``.  For ``B = 1`` it decodes every admitted pattern of
every length because its pending work never exceeds ``lam W`` units (the proof by hand,
:func:`~sgc_theory.schemes.backlog_bound`); for ``B >= 2`` that guarantee is proved for the instance
at hand by its count automaton (:mod:`sgc_theory.verify.counts`), which :func:`settle` runs.

:func:`settle` returns a result shaped like the LP's (:class:`~sgc_theory.design.TypeLPResult`,
``variables = 0``: no LP was solved) with ``basis`` naming the argument, or ``None`` when the
statement does not apply.  :func:`sgc_theory.design.design` reaches the same answer through its
table of upper ends (:data:`~sgc_theory.design.upper.UPPER_CANDIDATES`).
"""

from __future__ import annotations

import time

from ..rationals import to_fraction

__all__ = ["settle"]


def _bursty(model):
    from ..models.window import Bursty

    return isinstance(model, Bursty) and 1 <= model.B <= model.W - 1


def settle(model, T, meter=None):
    """The optimum by the statement of the module docstring, or ``None`` when it does not apply.

    Runs WC-SGC's count automaton for this instance (the achievability half; for ``B = 1`` it
    checks by machine what the proof by hand shows); ``meter`` bounds its work.  A failed proof (not expected)
    returns ``None``.
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
        ok, states, _ = auto.search(meter)
        how = "exact search"
    if not ok:
        return None
    basis = (
        f"counting bound (W - 1 + B)/(n(W - 1 + B) - lam B) = {bound}, a lower bound on every "
        f"scheme at any delay, reached by WC-SGC({n}, B={B}, W={W}, lam={lam}) at delay "
        f"{B + 1} <= T={T}, proved for this instance for all horizons by its count automaton "
        f"({how}, {states} states)"
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
