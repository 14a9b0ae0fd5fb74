"""Verification of sequential schemes against straggler models (docs/guide/verification.md).

One interface, pluggable methods::

    verify(scheme)                          # all horizons, default method, design model
    verify(scheme, model, rounds=7)         # every admitted pattern of 7 rounds, exact
    verify(scheme, model, all_horizons=True, method="automaton" | "symmetric")

A failing verdict's counterexample is ``confirmed`` only when the scheme's exact code misses a
deadline on it (exact algebra, :mod:`sgc_theory.verify.confirm`); the symmetric method decides on
result counts, so when the exact code survives its counterexample the search goes on for one it
does not survive (``result.confirmation`` says how it was found), and the verdict is "not proved"
if there is none. ``result.code`` names the gradient code the verdict rests on and why it decodes.

Every verdict also checks the work: a reachable round in which a worker computes more than the
scheme's load fails the verdict (``result.overload`` names the round and the worker; possible
only outside the design model). ``result.load_check`` says how it was checked.
"""

from __future__ import annotations

import time

import numpy as np

from ..budget import Meter, WorkTooLargeError, check_work, current_limit, fmt_work, work_budget
from ..errors import SGCError, check_bool, check_int
from ..models import as_model
from ..schemes import Scheme
from . import confirm, exact, rwc_counts
from .result import Overload, VerificationResult
from .symmetric import SymmetricExplorer

__all__ = ["verify", "replay", "METHODS", "EXACT_MAX_N"]

METHODS = ("auto", "exhaustive", "automaton", "symmetric", "counts")

#: above this many workers the exact methods are not attempted by ``method="auto"``
EXACT_MAX_N = 6


def replay(scheme, pattern, exact_algebra=True):
    """Re-run a counterexample; returns the first job that misses its deadline (or ``None``).

    With ``exact_algebra`` (default) the exact code decides: ``scheme.run`` for small ``n``, an
    exact rank test of each job's received coefficient vectors above (see
    :mod:`sgc_theory.verify.confirm`). ``exact_algebra=False`` uses the scheme's token rule
    (``decode_rounds``: result counts), which is only sufficient for decodability.
    """
    P = np.asarray(pattern, dtype=bool)
    if exact_algebra:
        return confirm.exact_first_missed(scheme, P)[0]
    return rwc_counts.token_first_missed(scheme, P)


def _progress(enabled, desc):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(desc=desc, unit=" states", leave=False)


def verify(
    scheme,
    model=None,
    *,
    rounds=None,
    all_horizons=False,
    method="auto",
    progress=False,
    graph=False,
    max_states=None,
    max_work=None,
) -> VerificationResult:
    """Prove ``scheme`` against every straggler pattern ``model`` admits, or find a failure.

    Parameters
    ----------
    scheme : a :class:`~sgc_theory.schemes.Scheme`
    model : a straggler model or a model string (``"bursty:B=1,W=2,lam=1"``); default
        ``scheme.design_model``.
    rounds : int, optional
        Finite horizon: every admitted pattern of this many rounds (exact algebra, depth-first
        with shared work). Each job with ``t + T < rounds`` must be decoded by ``t + T``.
    all_horizons : bool
        Every pattern of every length, by exploring the finite reachable state space.
    method : {"auto", "exhaustive", "automaton", "symmetric", "counts"}
        ``auto`` picks ``exhaustive`` for a finite horizon; for all horizons ``automaton``
        (exact algebra, small ``n``), ``symmetric`` (counts of worker kinds, any ``n``, or
        where the automaton would cost far more) or for WC-SGC at larger ``n`` ``counts`` (its
        exact count automaton, :mod:`sgc_theory.verify.counts`).
    progress : bool
        Show a tqdm progress bar.
    graph : bool
        All horizons: also return the reachable state graph (networkx, ``result.graph``; edges
        labelled with straggler counts, a ``"FAIL"`` node for a failing transition).
    max_states : int, optional
        All horizons: stop with :class:`~sgc_theory.budget.StateLimitError` beyond this many
        reachable states.
    max_work : int, optional
        Work budget (see :mod:`sgc_theory.budget`): the work is estimated first (the first
        round's admitted straggler sets) and metered as the search goes; beyond the budget a
        :class:`~sgc_theory.budget.WorkTooLargeError` names the estimate and a cheaper route.

    Raises
    ------
    SGCError
        On a bad argument (wrong type, negative horizon, model on another ``n``, ...).

    Examples
    --------
    >>> from sgc_theory import MSGC
    >>> verify(MSGC(4, B=1, W=2, lam=1), all_horizons=True).ok
    True
    >>> verify(MSGC(4, B=1, W=2, lam=1), "bursty:B=1,W=3,lam=1", rounds=4).ok
    True
    """
    model, flags = _checked_arguments(
        scheme, model, all_horizons, progress, graph, max_states, method
    )
    with work_budget(max_work):
        return _verify(scheme, model, rounds=rounds, method=method, **flags)


def _checked_arguments(scheme, model, all_horizons, progress, graph, max_states, method):
    """``verify``'s arguments checked: ``(model or None, the flags as keyword arguments of
    _verify)``; a bad one raises :class:`SGCError` naming it."""
    if not isinstance(scheme, Scheme):
        raise SGCError(
            f"scheme must be a Scheme such as MSGC(n, B, W, lam) or "
            f"make_scheme('msgc', n, B=.., W=.., lam=..) (got {type(scheme).__name__} "
            f"{scheme!r:.60})"
        )
    if model is not None:
        model = as_model(model, scheme.n)
    flags = {
        "all_horizons": check_bool("all_horizons", all_horizons),
        "progress": check_bool("progress", progress),
        "graph": check_bool("graph", graph),
        "max_states": None
        if max_states is None
        else check_int("max_states", max_states, minimum=1),
    }
    if not isinstance(method, str) or method not in METHODS:
        raise SGCError(f"method must be one of {', '.join(METHODS)} (got {method!r})")
    return model, flags


#: ``method="auto"`` keeps the exact automaton at ``n <= EXACT_MAX_N`` unless its estimate
#: exceeds this many work units and the symmetric method's is lower (the automaton's estimate
#: is a lower bound: beyond this it typically runs for minutes where counts take a second)
AUTO_AUTOMATON_UNITS = 10**5


def _automaton_units(scheme, model) -> float:
    """Lower bound on the exact automaton's work: one exact step per straggler history of
    ``W - 1`` rounds (each is a distinct model state)."""
    counts = model.count_series(max(model.W - 1, 1))
    return counts[-1] * (1 + exact.step_units(scheme))


def _symmetric_units(scheme, model) -> float | None:
    """Lower bound on the symmetric method's work (``None``: not known a priori)."""
    S = model.sym_state_count()
    return None if S is None else S * 3 * (1 + scheme.T)


def _auto_method(scheme, model) -> str:
    """The all-horizon method ``auto`` picks: ``symmetric`` (counts of worker kinds) when the
    scheme has a worker-symmetric view and either ``n > EXACT_MAX_N`` or the exact automaton
    would cost more than :data:`AUTO_AUTOMATON_UNITS` and more than the symmetric method; else
    the exact automaton (at small ``n`` it checks the exact code, not only counts)."""
    if getattr(scheme, "name", "") in ("wcsgc", "rwcsgc") and scheme.n > EXACT_MAX_N:
        return "counts"
    if scheme.symmetric_view() is None:
        return "automaton"
    if scheme.n > EXACT_MAX_N:
        return "symmetric"
    try:
        auto = _automaton_units(scheme, model)
    except WorkTooLargeError:  # even counting the model's histories is over the budget
        return "symmetric"
    sym = _symmetric_units(scheme, model)
    if auto > AUTO_AUTOMATON_UNITS and (sym is None or sym < auto):
        return "symmetric"
    return "automaton"


def _cheaper(scheme, model, method) -> str | None:
    """A cheaper route than ``method`` for ``scheme``, in the user's terms, for a refusal."""
    view = scheme.symmetric_view() is not None
    if method == "exhaustive":
        how = "counts of worker kinds" if view else "the exact automaton"
        return f"--all-horizons (every length at once, by {how}; often far cheaper)"
    if method == "automaton" and view:
        S = model.sym_state_count()
        size = f", {fmt_work(S)} states here" if S is not None else ""
        return (
            f"--method symmetric (tracks how many workers are in each state, not which ones{size})"
        )
    if method == "automaton" and getattr(scheme, "name", "") == "wcsgc":
        return "--method counts (WC-SGC's exact count automaton: record counts and pending work)"
    if method == "automaton":
        return (
            "a smaller n, or --rounds R (a finite horizon); at this size the guarantee is the "
            f"proof in {type(scheme).__name__}'s docstring (docs/guide/schemes.md)"
        )
    return None


def _why_automaton(scheme) -> str:
    """Why the per-worker automaton is the only all-horizon route (no symmetric view)."""
    return (
        f"; {type(scheme).__name__} has no worker-symmetric abstraction (its decoding depends "
        "on which workers straggle, not only how many), so only the per-worker automaton "
        "checks all horizons"
    )


def _start_meter(scheme, model, method, rounds):
    """Estimate a verification's work before it starts, refuse beyond the budget, and return
    the meter that bounds the rest.

    The estimates are lower bounds, so a refusal is never premature: an exact search takes at
    least one exact step per distinct straggler history it can reach (``count(r)`` histories of
    ``r <= W - 1`` rounds, then ``count(W - 1)`` per round), and the symmetric search visits at
    least every state of the model's symmetric automaton.
    """
    horizon = f"over {rounds} rounds" if method == "exhaustive" else "for all horizons"
    what = f"{method} verification of {scheme!r} under {model!r} {horizon}"
    if method == "automaton" and scheme.symmetric_view() is None:
        what += _why_automaton(scheme)
    cheaper = _cheaper(scheme, model, method)
    if method == "symmetric":
        units = _symmetric_units(scheme, model)
        if units is not None:
            S = model.sym_state_count()
            check_work(units, f"{what} (at least {fmt_work(S)} states)", cheaper=cheaper)
        return Meter(what, cheaper=cheaper)
    step = 1 + exact.step_units(scheme)
    memory = max(model.W - 1, 1)
    horizon_rounds = rounds if method == "exhaustive" else memory
    try:
        counts = model.count_series(min(horizon_rounds, memory))
    except WorkTooLargeError:  # even listing the model's histories is over the budget
        raise WorkTooLargeError(
            f"{what}: more than the budget of {fmt_work(current_limit())} "
            f"work units (the model alone has too many straggler histories "
            f"to count); "
            + (f"cheaper: {cheaper}; " if cheaper else "")
            + "raise the budget with --max-work N (Python: max_work=N)"
        ) from None
    if method == "exhaustive":  # (history, rounds left) pairs are distinct search nodes
        nodes = sum(counts[1:]) + max(0, horizon_rounds - memory) * counts[-1]
    else:  # every straggler history of W - 1 rounds is a distinct model state
        nodes = counts[-1]
    check_work(
        nodes * step,
        f"{what} (at least {fmt_work(nodes)} distinct straggler histories, each an exact step)",
        cheaper=cheaper,
    )
    return Meter(what, cheaper=cheaper)


def _verify(
    scheme, model, *, rounds, all_horizons, method, progress, graph, max_states
) -> VerificationResult:
    # arguments validated and defaulted by verify(); the steps: pick the method, estimate and refuse beyond
    # the budget, search, then confirm a failure on the exact code
    model = scheme.design_model if model is None else model
    if model.n != scheme.n:
        raise SGCError(f"model has n={model.n} workers but the scheme has n={scheme.n}")
    rounds, method = _resolve_method(scheme, model, rounds, all_horizons, method)
    if method == "counts" and scheme.name == "rwcsgc" and scheme.pad is not None:
        from .rwc_join import verify_join  # the join-padded variant: its table is closed

        return verify_join(scheme, model, progress)
    if method == "counts" and scheme.name == "rwcsgc":  # RWC-SGC's own count automaton
        return rwc_counts.verify_rwc_counts(scheme, model, progress, max_states)
    if method == "counts":
        return _verify_counts(scheme, model, progress)
    meter = _start_meter(scheme, model, method, rounds)
    t0 = time.perf_counter()
    bar = _progress(progress, f"verify {scheme.name}")
    res = VerificationResult(ok=True, method=method, scheme=scheme, model=model)
    ex = None
    try:
        if method == "exhaustive":
            ok, patterns, cex, job, st, _ = exact.exhaustive(scheme, model, rounds, bar, meter)
            res.ok, res.patterns, res.counterexample, res.failed_job = ok, patterns, cex, job
            res.max_load, res.load_check = st.max_load, LOAD_EXACT
        elif method == "automaton":
            ok, states, cex, job, st, G = exact.automaton(
                scheme, model, max_states, bar, graph, meter
            )
            res.ok, res.states, res.counterexample, res.failed_job = ok, states, cex, job
            res.max_load, res.graph, res.load_check = st.max_load, G, LOAD_EXACT
        else:
            ex = _symmetric(scheme, model, res, bar, graph, max_states, meter)
    finally:
        if bar is not None:
            bar.close()
    basis = scheme.code_basis() if hasattr(scheme, "code_basis") else None
    res.code = basis
    if isinstance(res.failed_job, Overload):
        _confirm_overload(res, scheme)
    elif not res.ok and res.counterexample is None:  # the load could not be checked
        pass
    elif not res.ok:
        if (
            _confirm(res, scheme, model, method, basis, ex, max_states) is None
        ):  # decided by the exact automaton instead
            return _exact_instead(scheme, model, progress, graph, max_states)
    res.seconds = time.perf_counter() - t0
    return res


def _verify_counts(scheme, model, progress) -> VerificationResult:
    """WC-SGC for all horizons on its exact count automaton (:mod:`sgc_theory.verify.counts`)."""
    from .counts import BASIS, BASIS_JOIN, WCSGCCounts

    if scheme.name != "wcsgc":
        raise SGCError(f"method='counts' is WC-SGC's count automaton (got {scheme!r})")
    if model.W != scheme.W:
        raise SGCError(
            f"method='counts' needs a model with window W={scheme.W} like the scheme's (got "
            f"{model!r}); use method='automaton' (exact algebra) at small n"
        )
    t0 = time.perf_counter()
    what = f"the count automaton of {scheme!r} under {model!r} for all horizons"
    meter = Meter(what)
    bar = _progress(progress, f"verify {scheme.name}")
    auto = WCSGCCounts(scheme, model)
    try:
        ok, states = auto.join_proof(meter)
        basis = BASIS_JOIN
        if not ok:
            ok, states, steps = auto.search(meter, bar)
            basis = BASIS
    finally:
        if bar is not None:
            bar.close()
    res = VerificationResult(ok=ok, method="counts", scheme=scheme, model=model)
    res.states, res.basis = states, basis
    res.load_check = f"by construction: {scheme.load_bound}"
    res.notes.append(
        "decodability decided per unit: WC-SGC is uncoded, a job decodes iff all its units "
        "arrived (exact, no code assumed)"
    )
    if not ok:
        rwc_counts.confirm_by_tokens(res, WCSGCCounts(scheme, model).concretize(steps))
    res.seconds = time.perf_counter() - t0
    return res


def _resolve_method(scheme, model, rounds, all_horizons, method):
    """``(rounds, method)`` of a request: a finite horizon is exhaustive, ``auto`` for all
    horizons is ``_auto_method``; contradictory requests are refused."""
    if (rounds is None) == (not all_horizons):
        raise SGCError("give exactly one of rounds=R or all_horizons=True")
    if rounds is not None:
        rounds = check_int("rounds", rounds, minimum=0)
        if rounds == 0:
            raise SGCError(
                "rounds must be >= 1: over 0 rounds there is no job and nothing to prove"
            )
        if method not in ("auto", "exhaustive"):
            raise SGCError(f"a finite horizon uses method='exhaustive' (got {method!r})")
        return rounds, "exhaustive"
    if method == "auto":
        return None, _auto_method(scheme, model)
    if method == "exhaustive":
        raise SGCError("method='exhaustive' needs rounds=R")
    return None, method


def _symmetric(scheme, model, res, bar, graph, max_states, meter):
    """The symmetric (worker-kind counts) search; fills ``res``, returns the explorer (or
    ``None`` when the view's count proof settled it)."""
    view = scheme.symmetric_view()
    if view is None:
        raise SGCError(f"{scheme!r} has no worker-symmetric view; use method='automaton'")
    if hasattr(view, "track_load"):  # the load is proved for the design model: not tracked
        view.track_load(model != scheme.design_model)
    quick = None
    if not graph and hasattr(view, "count_proof"):
        quick = view.count_proof(model, scheme.n, meter=meter)
    ex = None
    if quick is not None:
        res.ok, res.states = True, quick[1]
        res.notes.append(
            "proved on straggler counts (over-approximation of the model; "
            f"see {type(view).__name__}.count_proof)"
        )
    else:
        ex = SymmetricExplorer(view, model, scheme.n)
        ok, states, steps, failed_age, G = ex.explore(max_states, bar, graph, meter)
        res.ok, res.states, res.graph = ok, states, G
    res.notes.append(
        getattr(
            view,
            "token_note",
            "decodability decided on result counts: any n - s results of the scheme's "
            "(n, s)-GC decode (see the code line for what that rests on)",
        )
    )
    if not res.ok:
        masks = ex.concretize(steps)
        res.counterexample = exact._pattern(scheme.n, masks)
        res.failed_job = exact.failure(masks, failed_age)
    else:
        _symmetric_load_check(scheme, model, res, ex)
    return ex


#: how the exact methods check the load
LOAD_EXACT = (
    "checked: every reachable round's per-worker work (from the scheme state it is played "
    "from) is at most the load, exactly"
)


def _symmetric_load_check(scheme, model, res, ex) -> None:
    """Say how a symmetric verdict covers the load; when it cannot (PR-SGC outside its design
    model: its work is not read off the counts), the verdict is "not proved"."""
    if scheme.load_bound is not None:
        res.load_check = f"by construction: {scheme.load_bound}"
    elif ex is not None and ex.checks_load:
        res.load_check = (
            "checked: every reachable round's largest per-worker work, read off the counts of "
            "worker kinds, is at most the load, exactly"
        )
    elif model == scheme.design_model:
        res.load_check = (
            "the design model: the scheme's load is proved for it (the closed form), not "
            "re-checked per state"
        )
    else:
        res.ok, res.confirmed = False, False
        res.load_check = "NOT checked"
        res.notes.append(
            f"NOT proved: decodability holds on counts, but {scheme.name}'s per-round work is "
            f"not read off the counts of worker kinds, and outside its design model "
            f"{scheme.design_model!r} it may exceed the load; use method='automaton' (exact, "
            "small n) to check it"
        )


def _confirm_overload(res, scheme) -> None:
    """Confirm an over-the-load verdict by replaying the scheme on the counterexample: the
    round's work recomputed from the scheme's own state
    (:meth:`~sgc_theory.schemes.Scheme.worker_work`), the busiest worker named. The last
    round's stragglers do not matter (its work is fixed by the rounds before): they are
    cleared."""
    over = res.failed_job
    P = res.counterexample[:, : over.round + 1].copy()
    P[:, over.round] = False
    state = None
    for r, st, _ in scheme.walk(P):
        state = st if r == over.round else state
    found = scheme.overload(state)
    res.counterexample, res.failed_job, res.overload = P, None, over
    res.confirmed = found is not None and found[1] == over.work
    if found is not None:
        over.worker = found[0]
    res.confirmation = (
        "the scheme replayed on the pattern: the round's per-worker work recomputed from its "
        "state (worker_work)"
    )


def _exact_instead(scheme, model, progress, graph, max_states) -> VerificationResult:
    """The exact automaton's verdict, after a count-level failure the exact code survives."""
    exact_res = verify(
        scheme,
        model,
        all_horizons=True,
        method="automaton",
        progress=progress,
        graph=graph,
        max_states=max_states,
    )
    exact_res.notes.append(
        "the symmetric (token-level) search found a pattern the exact "
        "code survives; decided by the exact automaton instead"
    )
    return exact_res


def _confirm(res, scheme, model, method, basis, ex, max_states):
    """Confirm a failing verdict on the exact code (exact algebra, never result counts); for
    the symmetric method search on when the exact code survives. Returns ``None`` when the
    exact automaton must decide instead (small ``n``), else ``res``."""
    missed, route = confirm.exact_first_missed(scheme, res.counterexample)
    if missed is not None:
        if method != "symmetric":
            # the exact methods must reproduce themselves exactly
            assert missed == res.failed_job, (missed, res.failed_job)
        res.failed_job, res.confirmed = missed, True
        res.confirmation = f"{route}, on the verifier's own counterexample"
    elif method == "symmetric" and scheme.n <= EXACT_MAX_N:
        # the token rule is only sufficient (e.g. fractional repetition decodes from fewer
        # than n - s results): let the exact algebra decide
        return None
    elif method == "symmetric":
        _search_on(res, scheme, model, basis, ex, max_states)
    else:
        res.confirmed = False
        res.notes.append("the exact method's counterexample did not replay exactly (a bug)")
    return res


def _search_on(res, scheme, model, basis, ex, max_states) -> None:
    """A count-level counterexample the exact code decodes: search for one it fails on."""
    res.notes.append(
        f"the count-level counterexample {res.counterexample_rounds()} is decoded by the "
        "exact code ("
        + (basis["construction"] if basis else "its code")
        + " decodes from fewer than n - s results); searched on for one it fails on"
    )
    P, job, route, info = confirm.search(scheme, model, ex, max_states=max_states)
    how = (
        f"{info['tries']} exact replays of {info['failures']} count-level failing "
        f"transitions in breadth-first order, lowest-index then random placements, "
        f"seed {info['seed']}"
    )
    if P is not None:
        res.counterexample, res.failed_job, res.confirmed = P, job, True
        res.confirmation = f"{route}, on a pattern found by searching on ({how})"
        if P.shape[1] == info["shortest"]:
            res.notes.append(
                "the confirmed counterexample is a shortest one: an exact "
                "failure is a count-level failure, and none is shorter"
            )
    else:
        res.counterexample = res.failed_job = None
        res.confirmed = False
        res.notes.append(
            "NOT confirmed: no pattern the exact code fails on was found ("
            + how
            + ("; every count-level failure was tried" if info["exhausted"] else "; budget reached")
            + "). The count-level verdict only says "
            "the proof by counts does not go through"
        )
