"""Verification of sequential schemes against straggler models (SPEC section 5).

One interface, pluggable methods::

    verify(scheme)                          # all horizons, default method, design model
    verify(scheme, model, rounds=7)         # every admitted pattern of 7 rounds, exact
    verify(scheme, model, all_horizons=True, method="automaton" | "symmetric")

A failing verdict's counterexample is ``confirmed`` only when the scheme's exact code misses a
deadline on it (exact algebra, :mod:`sgc_theory.verify.confirm`); the symmetric method decides on
result counts, so when the exact code survives its counterexample the search goes on for one it
does not survive (``result.confirmation`` says how it was found), and the verdict is "not proved"
if there is none. ``result.code`` names the gradient code the verdict rests on and why it decodes.
"""

from __future__ import annotations

import time

import numpy as np

from ..errors import SGCError, check_int
from . import confirm, exact
from .result import VerificationResult
from .symmetric import SymmetricExplorer

__all__ = ["verify", "VerificationResult", "replay"]

METHODS = ("auto", "exhaustive", "automaton", "symmetric")

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
    R = P.shape[1]
    if exact_algebra:
        return confirm.exact_first_missed(scheme, P)[0]
    rounds = scheme.decode_rounds(P, R)
    for t, d in enumerate(rounds):
        if t + scheme.T < R and (d is None or d > t + scheme.T):
            return t
    return None


def _progress(enabled, desc):
    if not enabled:
        return None
    from tqdm.auto import tqdm

    return tqdm(desc=desc, unit=" states", leave=False)


def verify(scheme, model=None, *, rounds=None, all_horizons=False, method="auto",
           progress=False, graph=False, max_states=None) -> VerificationResult:
    """Prove ``scheme`` against every straggler pattern ``model`` admits, or find a failure.

    Parameters
    ----------
    scheme : a :class:`~sgc_theory.schemes.Scheme`
    model : a straggler model; default ``scheme.design_model``.
    rounds : int, optional
        Finite horizon: every admitted pattern of this many rounds (exact algebra, depth-first
        with shared work). Each job with ``t + T < rounds`` must be decoded by ``t + T``.
    all_horizons : bool
        Every pattern of every length, by exploring the finite reachable state space.
    method : {"auto", "exhaustive", "automaton", "symmetric"}
        ``auto`` picks ``exhaustive`` for a finite horizon, and for all horizons ``automaton``
        (exact algebra, small ``n``) or ``symmetric`` (counts of worker kinds, any ``n``).
    progress : bool
        Show a tqdm progress bar.
    graph : bool
        All horizons: also return the reachable state graph as a networkx DiGraph
        (``result.graph``; edges labelled with straggler counts, a ``"FAIL"`` node for a failing
        transition).

    Examples
    --------
    >>> from sgc_theory import MSGC
    >>> verify(MSGC(4, B=1, W=2, lam=1), all_horizons=True).ok
    True
    """
    if method not in METHODS:
        raise SGCError(f"method must be one of {', '.join(METHODS)} (got {method!r})")
    model = scheme.design_model if model is None else model
    if model.n != scheme.n:
        raise SGCError(f"model has n={model.n} workers but the scheme has n={scheme.n}")
    if (rounds is None) == (not all_horizons):
        raise SGCError("give exactly one of rounds=R or all_horizons=True")
    if rounds is not None:
        rounds = check_int("rounds", rounds, minimum=0)
        if method not in ("auto", "exhaustive"):
            raise SGCError(f"a finite horizon uses method='exhaustive' (got {method!r})")
        method = "exhaustive"
    elif method == "auto":
        view_ok = scheme.symmetric_view() is not None
        method = "symmetric" if view_ok and scheme.n > EXACT_MAX_N else "automaton"
    elif method == "exhaustive":
        raise SGCError("method='exhaustive' needs rounds=R")

    t0 = time.perf_counter()
    bar = _progress(progress, f"verify {scheme.name}")
    res = VerificationResult(ok=True, method=method, scheme=scheme, model=model)
    try:
        if method == "exhaustive":
            ok, patterns, cex, job, st, _ = exact.exhaustive(scheme, model, rounds, bar)
            res.ok, res.patterns, res.counterexample, res.failed_job = ok, patterns, cex, job
            res.max_load = st.max_load
        elif method == "automaton":
            ok, states, cex, job, st, G = exact.automaton(scheme, model, max_states, bar, graph)
            res.ok, res.states, res.counterexample, res.failed_job = ok, states, cex, job
            res.max_load, res.graph = st.max_load, G
        else:
            view = scheme.symmetric_view()
            if view is None:
                raise SGCError(f"{scheme!r} has no worker-symmetric view; use method='automaton'")
            quick = None
            if not graph and hasattr(view, "count_proof"):
                quick = view.count_proof(model, scheme.n)
            if quick is not None:
                res.ok, res.states = True, quick[1]
                res.notes.append("proved on straggler counts (over-approximation of the model; "
                                 f"see {type(view).__name__}.count_proof)")
            else:
                ex = SymmetricExplorer(view, model, scheme.n)
                ok, states, steps, failed_age, G = ex.explore(max_states, bar, graph)
                res.ok, res.states, res.graph = ok, states, G
            res.notes.append(getattr(
                view, "token_note",
                "decodability decided on result counts: any n - s results of the scheme's "
                "(n, s)-GC decode (see the code line for what that rests on)"))
            if not res.ok:
                masks = ex.concretize(steps)
                res.counterexample = exact._pattern(scheme.n, masks)
                res.failed_job = len(masks) - 1 - failed_age
    finally:
        if bar is not None:
            bar.close()
    basis = scheme.code_basis() if hasattr(scheme, "code_basis") else None
    res.code = basis
    if not res.ok:
        # confirmed only when the exact code fails (exact algebra, never result counts)
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
            exact_res = verify(scheme, model, all_horizons=True, method="automaton",
                               progress=progress, graph=graph, max_states=max_states)
            exact_res.notes.append("the symmetric (token-level) search found a pattern the exact "
                                   "code survives; decided by the exact automaton instead")
            return exact_res
        elif method == "symmetric":
            res.notes.append(
                f"the count-level counterexample {res.counterexample_rounds()} is decoded by the "
                "exact code (" + (basis["construction"] if basis else "its code")
                + " decodes from fewer than n - s results); searched on for one it fails on")
            P, job, route, info = confirm.search(scheme, model, ex, max_states=max_states)
            how = (f"{info['tries']} exact replays of {info['failures']} count-level failing "
                   f"transitions in breadth-first order, lowest-index then random placements, "
                   f"seed {info['seed']}")
            if P is not None:
                res.counterexample, res.failed_job, res.confirmed = P, job, True
                res.confirmation = f"{route}, on a pattern found by searching on ({how})"
                if P.shape[1] == info["shortest"]:
                    res.notes.append("the confirmed counterexample is a shortest one: an exact "
                                     "failure is a count-level failure, and none is shorter")
            else:
                res.counterexample = res.failed_job = None
                res.confirmed = False
                res.notes.append(
                    "NOT confirmed: no pattern the exact code fails on was found ("
                    + how + ("; every count-level failure was tried" if info["exhausted"]
                             else "; budget reached") + "). The count-level verdict only says "
                    "the proof by counts does not go through")
        else:
            res.confirmed = False
            res.notes.append("the exact method's counterexample did not replay exactly (a bug)")
    res.seconds = time.perf_counter() - t0
    return res
