"""Fitting a straggler process to a trace: EM, the choice of the emission family per state and
of the number of states, and the credibility verdict (docs/guide/processes.md).

The choice: for every number of states ``K`` (2, 3 and 4 unless ``states`` is given), EM with
log-normal emissions from the straggler labels; then, per state, the family with the smallest
weighted BIC under the posterior state probabilities (``lognormal``, ``shiftexp``, ``pareto``,
``empirical``), and EM again with those families. Every candidate is scored by its BIC on the
relative times, ``-2 log L + p log N`` (``p`` free parameters, ``N`` delays), the log-likelihood
being that of the relative times themselves (Jacobian included), so different families and
numbers of states compare on the same data. The smallest BIC wins; the report lists every
candidate and names the runner-up.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import check_bool, check_int
from ._checks import check_float
from . import process_families as fam
from .process_credibility import assess_credibility, outlier_note, outlier_rounds
from .process_em import choose_families, em_start, label_init, run_em
from .process_model import ProcessError, StragglerProcess

__all__ = ["fit_process", "fit_work", "MAX_FIT_STATES"]

#: the largest number of states a fit tries
MAX_FIT_STATES = 4

#: work units (about a microsecond each, measured in benchmarks/bench_processes.py) of one EM
#: iteration: per relative time and state, per relative time, and per round (the loop of the
#: forward-backward pass)
UNITS_PER_VALUE_STATE = 0.018
UNITS_PER_VALUE = 0.09
UNITS_PER_ROUND = 5.0

#: EM iterations assumed per candidate number of states in the a-priori estimate (log-normal EM
#: and EM with the chosen families together; measured 5 to 40 on generated and shipped traces)
ASSUMED_ITERATIONS = 14

#: work units per relative time, state and candidate family of the family choice
UNITS_CHOICE = 0.02

#: work units per generated delay of the credibility check (generation and statistics)
UNITS_CHECK = 0.7


def em_units(n: int, R: int, K: int) -> float:
    """Work units of one EM iteration on ``n`` workers x ``R`` rounds with ``K`` states."""
    return UNITS_PER_VALUE_STATE * n * R * K + UNITS_PER_VALUE * n * R + UNITS_PER_ROUND * R


def choice_units(n: int, R: int, K: int) -> float:
    """Work units of the family choice for ``K`` states (10 candidate emissions per state)."""
    return UNITS_CHOICE * n * R * K * K * 10


def check_units(n: int, R: int) -> float:
    """Work units of the credibility check (one long generated run and its statistics)."""
    from .process_stats import long_rounds

    return UNITS_CHECK * n * long_rounds(n, R)


def fit_work(n: int, R: int, Ks) -> float:
    """A-priori work estimate of a fit: ``ASSUMED_ITERATIONS`` EM iterations and the family
    choice per candidate number of states, and the credibility check."""
    em = sum(ASSUMED_ITERATIONS * em_units(n, R, K) + choice_units(n, R, K) for K in Ks)
    return em + check_units(n, R)


def _check_options(mu, states, marginal, seed, n_iter, tol, min_rounds, quality, keep, load):
    mu = check_float("mu", mu, minimum=0.0)
    if states is not None:
        states = check_int("states", states, minimum=2)
        if states > MAX_FIT_STATES:
            raise ProcessError(
                f"states must be 2 to {MAX_FIT_STATES} or None (got states={states})"
            )
    if marginal is not None and marginal not in fam.FAMILIES:
        raise ProcessError(
            f"marginal must be None (choose per state) or one of {', '.join(fam.FAMILIES)} "
            f"(got {marginal!r})"
        )
    seed = check_int("seed", seed, minimum=0)
    n_iter = check_int("n_iter", n_iter, minimum=1)
    tol = check_float("tol", tol, minimum=0.0)
    min_rounds = check_int("min_rounds", min_rounds, minimum=2)
    quality, keep = check_bool("quality", quality), check_bool("keep_outliers", keep)
    if load is not None:
        load = check_float("probe_load", load, minimum=0.0)
    return mu, states, marginal, seed, n_iter, tol, min_rounds, quality, keep, load


def _delays(tr, label: str) -> np.ndarray:
    D = np.asarray(tr.delays, dtype=float)
    if D.ndim != 2 or D.size == 0:
        raise ProcessError(f"{label}: need a non-empty (workers, rounds) delay matrix")
    bad = np.argwhere(~np.isfinite(D) | (D <= 0) | (D > 1e100))
    if bad.size:
        i, r = (int(x) for x in bad[0])
        raise ProcessError(
            f"{label}: delay [{i}, {r}] (worker {i}, round {r}) is {float(D[i, r])!r}; a process "
            "is fitted to log times, so every delay must be > 0 and at most 1e100 s"
        )
    return D


def _cleaned(D, keep: bool, label: str, min_rounds: int):
    """``(delays, notes)``: the outlier rounds dropped (unless ``keep``) with a note; refused
    below ``min_rounds`` rounds."""
    notes, out = [], outlier_rounds(D)
    if out["rounds"]:
        notes.append(outlier_note(out, dropped=not keep and out["droppable"]))
        if not keep and out["droppable"]:
            D = np.delete(D, out["rounds"], axis=1)
    R = D.shape[1]
    if R < min_rounds:
        raise ProcessError(
            f"{label}: {R} rounds are too few to fit a Markov process (need >= {min_rounds}: "
            "transitions between rounds are what it learns)"
        )
    return D, notes


def _fit_factor(logF: np.ndarray) -> dict:
    mean = float(logF.mean())
    sd = float(logF.std())
    phi = 0.0
    if logF.size >= 4 and sd > 0:
        c = logF - mean
        phi = float(np.clip((c[1:] * c[:-1]).sum() / (c * c).sum(), -0.95, 0.95))
    return {"mean": mean, "sd": min(sd, fam.MAX_SD), "phi": phi}


def fit_process(
    trace,
    *,
    mu: float = 1.0,
    states: int | None = None,
    marginal: str | None = None,
    seed: int = 0,
    n_iter: int = 300,
    tol: float = 1e-3,
    min_rounds: int = 5,
    quality: bool = True,
    max_work=None,
    probe_load=None,
    keep_outliers: bool = False,
    progress: bool = False,
) -> tuple[StragglerProcess, dict]:
    """Fit a straggler process to a trace; returns ``(process, report)``.

    ``states=None`` tries 2, 3 and 4 states and ``marginal=None`` chooses the emission family
    per state (by BIC, the first credible of the three best; docs/guide/processes.md); giving
    them fixes them. Outlier rounds (a cold start) are
    dropped with a note unless ``keep_outliers``. ``probe_load``: the load the trace was
    measured at (default: the trace's, else 0). The process carries
    ``meta["credibility"]`` (:func:`assess_credibility`
    against the trace) and ``meta["model_choice"]``; ``report`` holds ``fit``, ``model_choice``,
    ``credibility`` and (``quality``) ``quality``, the trace's statistics next to the process's.

    Refused (:class:`ProcessError`): fewer than ``min_rounds`` rounds, non-positive / NaN / inf
    delays, no straggler at ``mu``, EM not converging within ``n_iter`` iterations, beyond the
    work budget (``max_work``, :func:`fit_work`).
    """
    from ..budget import Meter, check_work
    from .traces import as_plain_trace

    mu, states, marginal, seed, n_iter, tol, min_rounds, quality, keep, load = _check_options(
        mu, states, marginal, seed, n_iter, tol, min_rounds, quality, keep_outliers, probe_load
    )
    tr = as_plain_trace(trace)
    label = f"trace {tr.source or tr.name}"
    D, notes = _cleaned(_delays(tr, label), keep, label, min_rounds)
    n, R = D.shape
    Ks = [states] if states is not None else list(range(2, MAX_FIT_STATES + 1))
    what = f"fitting a straggler process to {n} x {R} delays ({', '.join(map(str, Ks))} states)"
    estimate = fit_work(n, R, Ks)
    check_work(estimate, what, limit=max_work, cheaper="--states 2 or fewer rounds")
    meter = Meter(what, limit=max_work, estimate=estimate)
    S = (D > (1.0 + mu) * D.min(axis=0)).T
    if S.sum() < 2:
        raise ProcessError(
            f"{label}: {int(S.sum())} straggler(s) at mu={mu:g} (workers past (1 + mu) x "
            "the fastest): too clean to fit a slow state; use a smaller --mu or a longer trace"
        )
    logF = np.log(np.median(D, axis=0))
    y = np.log(D).T - logF[:, None]
    cands = _candidates(y, S, Ks, marginal, n_iter, tol, meter, progress, estimate)
    best, proc, cred, skipped = _first_credible(
        _converged(cands, label, n_iter, tol), n, _fit_factor(logF), y, D, mu, seed, notes, meter
    )
    runner = next((c for c in _converged(cands, label, n_iter, tol) if c is not best), None)
    choice = _choice_report(cands, best, runner, skipped)
    proc.meta = {
        "trace": tr.name,
        "source": tr.source,
        "region": tr.region,
        "probe_load": load if load is not None else float(tr.probe_load or 0.0),
        "rounds": R,
        "mu": mu,
        "marginal": [e["family"] for e in proc.emissions],
        "loglik": best["loglik"],
        "em_iterations": best["iterations"],
        "converged": True,
        "generation": "stationary (every worker's chain starts from the stationary law)",
        "model_choice": choice,
        "work": {"estimate": estimate, "metered": float(meter.used)},
    }
    return proc, _report(proc, choice, cred, mu, quality)


def _report(proc, choice, cred, mu, quality) -> dict:
    """The verdict stored in ``proc.meta["credibility"]`` and the fit's report."""
    verdict = {k: cred[k] for k in ("credible", "reasons", "notes", "checks", "model_rounds",
                                    "trace_rounds", "parameters")}  # fmt: skip
    proc.meta["credibility"] = verdict
    report = {"fit": dict(proc.meta), "model_choice": choice, "credibility": verdict}
    if quality:
        report["quality"] = {"mu": mu, "trace": cred["trace_stats"], "model": cred["model_stats"],
                             "model_rounds": cred["model_rounds"]}  # fmt: skip
    return report


def _candidates(y, S, Ks, marginal, n_iter, tol, meter, progress, estimate) -> list:
    """Every candidate model: per K, log-normal EM, then EM with the chosen families."""
    from tqdm import tqdm

    R, n = y.shape
    edges = fam.hist_edges(y.ravel())
    log_n = math.log(y.size)
    cands = []
    with tqdm(total=int(estimate), desc="fit", unit=" work", unit_scale=True,
              disable=not progress) as bar:  # fmt: skip
        for K in Ks:
            units = em_units(n, R, K)

            def charge(k, units=units):
                meter.charge(units * k)
                bar.update(int(units * k))

            z0 = label_init(S, y, K)
            charge(choice_units(n, R, K) / units)
            base = run_em(y, z0, ["lognormal"] * K, edges, n_iter=n_iter, tol=tol, charge=charge)
            cands.append(_cand(base, K, ["lognormal"] * K, log_n, None))
            if marginal is None:
                ems, table = choose_families(y, base, edges)
            else:
                ems, table = choose_families(y, base, edges, allowed=(marginal,))
                table = None
            fams = [e["family"] for e in ems]
            if fams != ["lognormal"] * K:
                start = em_start(base, ems)
                res = run_em(y, None, fams, edges, n_iter=n_iter, tol=tol, start=start,
                             charge=charge)  # fmt: skip
                cands.append(_cand(res, K, fams, log_n, table))
            else:
                cands[-1]["family_table"] = table
    eligible = [c for c in cands if marginal is None or set(c["families"]) == {marginal}]
    return sorted(eligible, key=lambda c: c["bic"])


def _cand(res, K, fams, log_n, table) -> dict:
    p = K * (K - 1) + (K - 1) + sum(fam.n_params(e) for e in res.emissions)
    return {
        "states": K,
        "families": list(fams),
        "loglik": res.loglik,
        "parameters": p,
        "bic": -2.0 * res.loglik + p * log_n,
        "iterations": res.iterations,
        "converged": res.converged,
        "family_table": table,
        "_res": res,
    }


#: candidates checked for credibility, in BIC order, before the best one is taken anyway
MAX_CHECKED = 3


def _converged(cands, label, n_iter, tol) -> list:
    ok = [c for c in cands if c["converged"] and math.isfinite(c["bic"])]
    if not ok:
        K = cands[0]["states"] if cands else 2
        hint = "; try fewer --states" if K > 2 else ""
        raise ProcessError(
            f"{label}: EM did not converge in {n_iter} iterations (tol {tol:g}); the trace does "
            f"not support this model{hint}"
        )
    return ok


def _first_credible(ok, n, factor, y, D, mu, seed, notes, meter):
    """The candidate of smallest BIC whose verdict is credible, among the first
    :data:`MAX_CHECKED`; else the smallest BIC (not credible). Returns ``(candidate, process,
    verdict, skipped)``, ``skipped`` the better-BIC candidates that were not credible."""
    R = y.shape[0]
    tried = []
    for c in ok[:MAX_CHECKED]:
        proc = _to_process(c, n, factor, y)
        meter.charge(check_units(n, R))
        cred = assess_credibility(proc, D, mu, seed=seed, check_outliers=False, notes=notes)
        tried.append((c, proc, cred))
        if cred["credible"]:
            break
    pick = next((t for t in tried if t[2]["credible"]), tried[0])
    skipped = [
        {"states": c["states"], "families": c["families"], "bic": c["bic"],
         "reasons": cr["reasons"]}
        for c, _, cr in tried if c is not pick[0] and not cr["credible"]
    ]  # fmt: skip
    return (*pick, skipped if pick[2]["credible"] else [])


def _public(c) -> dict:
    """A candidate for the report: no private fields, non-finite numbers as None (strict JSON)."""

    def clean(v):
        return None if isinstance(v, float) and not math.isfinite(v) else v

    return {k: clean(v) for k, v in c.items() if not k.startswith("_") and k != "family_table"}


def _choice_report(cands, best, runner, skipped) -> dict:
    table = best.get("family_table")
    per_state = None
    if table is not None:
        per_state = [
            {"chosen": t[0][0], "runner_up": t[1][0], "bic_gap": t[1][1] - t[0][1]} for t in table
        ]
    return {
        "criterion": "BIC of the relative times (-2 log L + p log N), smallest wins among the "
        "credible candidates",
        "not_credible": skipped,
        "chosen": _public(best),
        "runner_up": None if runner is None else _public(runner),
        "families_per_state": per_state,
        "candidates": [_public(c) for c in cands],
    }


def _to_process(cand, n: int, factor: dict, y: np.ndarray) -> StragglerProcess:
    res = cand["_res"]
    g = res.gamma
    w = g.reshape(-1, g.shape[-1])
    means = (w * y.reshape(-1, 1)).sum(axis=0) / np.maximum(w.sum(axis=0), 1e-300)
    order = np.argsort(means)  # state 0 = the fastest
    sds = np.sqrt(np.maximum((w * (y.reshape(-1, 1) - means) ** 2).sum(axis=0)
                             / np.maximum(w.sum(axis=0), 1e-300), 0.0))  # fmt: skip
    return StragglerProcess(
        n=n,
        startprob=res.startprob[order],
        transmat=res.transmat[np.ix_(order, order)],
        means=np.clip(means[order], -fam.MAX_LOG, fam.MAX_LOG),
        sds=np.minimum(sds[order], fam.MAX_SD),
        factor=factor,
        emissions=[res.emissions[k] for k in order],
    )
