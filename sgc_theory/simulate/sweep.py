"""Parameter sweep over every scheme configuration on one trace (vectorized).

For a trace, a job count ``J`` and a largest delay ``T``, :func:`sweep` evaluates

* no coding (once);
* GC for every ``s`` in ``0..n-1``;
* SR-SGC for every ``(B, W, lam)`` with ``1 <= B <= T``, ``B + 1 <= W <= J``, ``1 <= lam <= n``;
* M-SGC for every ``(B, W, lam)`` with ``1 <= B <= W - 1``, ``W - 2 + B <= T``, ``W <= J``,
  ``1 <= lam <= n``;
* BR-SGC for every ``(B, W, lam)`` with ``1 <= B <= min(T, W - 1)``, ``W <= J``,
  ``1 <= lam <= n`` (its delay is ``B``);
* any other registered scheme through its objects (design model, ``decode_rounds``);

under the rules of :mod:`sgc_theory.simulate.runtime`, and reports the best configuration per
scheme (and policy) and the whole table (for a runtime-versus-load scatter).

How work is shared
------------------
* The straggler rule ``D[i,r] + delta > (1 + mu)(min_j D[j,r] + delta)`` keeps the *order* of the
  workers in a round, whatever the load shift ``delta``: a candidate straggler set, and every set
  the minimal policy may stop at, is "the ``k`` slowest workers of round ``r``". Each round is
  sorted once; a configuration's effective pattern is the vector of counts ``e[r]``.
* Candidate counts depend only on the load, so they are computed once per distinct load.
* Admission (bursty ``(B, W, lam)``) of "the ``k`` slowest" after a history of effective counts
  is checked for all configurations at once with per-round prefix bitmasks over the workers that
  ever straggle: the union of the last ``W - 1`` effective sets bounds the number of distinct
  stragglers (``<= lam``) and the union over the rounds ``r-W+1 .. r-B`` must avoid the new set
  (each worker's straggles inside ``B`` consecutive rounds).
* The last decode round is ``J - 1`` for GC and ``J - 1 + T`` for M-SGC with ``lam < n`` (the last
  coded group of the last job is computed in round ``J - 1 + T``). For SR-SGC, job ``t`` is decoded
  in round ``t`` when at most ``s`` of its tasks are missing and in round ``t + B`` otherwise; the
  number of missing tasks follows from the counts as long as re-attempts are drawn from the
  previous stragglers (which never straggle again ``B`` rounds later under the bursty model).
  BR-SGC decodes job ``t`` in round ``t`` when its round had no straggler and in round ``t + B``
  otherwise, so its last decode round is ``max_t (t + B [e[t] > 0])``.
  Every other case (ambiguous SR-SGC histories, M-SGC with ``lam = n``) asks the scheme's
  ``decode_rounds``; so do the best configurations, which are also checked against it.
* The ``optimal`` policy is found by branch and bound: configurations in increasing order of a
  lower bound, the exact dynamic program (:mod:`sgc_theory.simulate.optimal`) where the bound and
  the better of the paper/minimal runtimes differ, until the bound exceeds the best optimum.

Where the steps live
--------------------
This module checks the arguments and the budget, runs the steps and assembles the result. The
configurations of every family (parameter tables, loads, delays) are built in
``_sweep_families``; one chunk of configurations under an online policy is evaluated in
``_sweep_engine``; the chunks run here or on Dask in ``_sweep_tasks``; the optimal policy's
branch and bound is ``_sweep_optimal`` (all private modules of :mod:`sgc_theory.simulate`).
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from ..errors import SGCError, check_int
from ._sweep_engine import _Prep
from ._sweep_families import (
    DEFAULT_SCHEMES,
    _check_schemes,
    _families,
    _params,
    _scheme_of,
    _slice,
    sweep_choices,
)
from ._sweep_optimal import _optimal_family
from ._sweep_tasks import _run_tasks, _tasks
from .optimal import BudgetError
from .runtime import (
    POLICIES,
    as_trace,
    check_run_args,
    decode_failure,
    decode_rounds,
    resolve_probe_load,
    shifted_delays,
)

__all__ = ["sweep", "SweepResult", "sweep_choices", "DEFAULT_SCHEMES"]


@dataclass
class SweepResult:
    """Outcome of :func:`sweep`.

    Attributes
    ----------
    best : dict
        ``best[policy][scheme]`` = dict with the parameters, ``load``, ``runtime``, ``rounds``,
        ``waits`` of the fastest configuration (ties: smaller load, then first enumerated), or
        ``None`` when the scheme has no admissible configuration. For ``optimal`` also
        ``exact`` (the best runtime is the proven optimum over all configurations).
    table : list[dict]
        one row per configuration and policy: ``scheme, policy, params, load, T, runtime,
        rounds, waits``. ``optimal`` rows carry ``lower_bound`` and ``upper_bound`` (the better
        of the paper and minimal policies); ``runtime`` is the optimum where it was computed (or
        the bounds met) and ``None`` for configurations pruned because their lower bound already
        exceeds the best optimum found.
    evaluated : int
        number of (configuration, policy) pairs evaluated.
    skipped : dict
        scheme -> why some of its configurations were left out (e.g. they cannot exist for the
        trace's ``n``).
    """

    best: dict
    table: list
    evaluated: int
    settings: dict = field(default_factory=dict)
    skipped: dict = field(default_factory=dict)


#: default budget of the sweep, in configuration-rounds (configurations x rounds)
DEFAULT_MAX_WORK = 20_000_000


def _as_policies(policy):
    pols = (policy,) if isinstance(policy, str) else tuple(policy)
    if not pols:
        raise SGCError(f"policy: give at least one of {', '.join(POLICIES)}")
    for p in pols:
        if not isinstance(p, str) or p not in POLICIES:
            raise SGCError(f"policy must be one of {', '.join(POLICIES)} (got {p!r})")
    return tuple(dict.fromkeys(pols))


def sweep(
    trace,
    *,
    jobs: int,
    max_delay: int,
    mu: float,
    policy="paper",
    slope=None,
    probe_load: float | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    verify_best: bool = True,
    schemes=None,
    max_work: int | None = None,
    max_dp_work: int | None = None,
    _force_generic: bool = False,
) -> SweepResult:
    """Evaluate every configuration of every scheme on a trace; see the module docstring.

    Parameters
    ----------
    trace : Trace, shipped trace name, CSV path or ``(workers, rounds)`` array
    jobs, max_delay : ``J >= 1`` jobs and the largest delay ``T >= 0`` allowed
    mu : straggler slack (``>= 0``)
    policy : ``"paper"``, ``"minimal"``, ``"optimal"`` (see the module docstring) or a sequence
    slope, probe_load : delay model (see :func:`sgc_theory.simulate.simulate`)
    scheduler : ``None`` (run here) or the address of a running Dask scheduler
    progress : show a tqdm bar on stderr (default: when stderr is a terminal)
    verify_best : check the best configurations with the schemes' ``decode_rounds``
    schemes : names to sweep (default: ``nocoding`` and every registered scheme)
    max_work : budget in configuration-rounds (default 20,000,000)
    max_dp_work : budget of each optimal dynamic program, in transitions (default 300,000; one
        scheme's branch and bound spends at most 30 such budgets); a configuration beyond it stays
        unresolved: its bounds are reported, and the best is marked ``exact=False`` with the
        least ``lower_bound`` any unresolved configuration could still reach

    Examples
    --------
    >>> D = [[1.0, 1.0, 1.0], [1.0, 3.0, 1.0], [1.0, 1.0, 1.0]]
    >>> res = sweep(D, jobs=2, max_delay=1, mu=0.5, slope=0.0, verify_best=False)
    >>> res.best["paper"]["nocoding"]["runtime"]
    4.0
    """
    tr = as_trace(trace)
    jobs, mu, _, slope = check_run_args(jobs, mu, "paper", slope)
    max_delay = check_int("max_delay", max_delay, minimum=0)
    pols = _as_policies(policy)
    L0 = resolve_probe_load(tr, probe_load)
    max_work, max_dp_work = (
        None if v is None else check_int(k, v, minimum=1)
        for k, v in (("max_work", max_work), ("max_dp_work", max_dp_work))
    )
    schemes = _check_schemes(schemes)
    skipped: dict = {}
    work, prep = _prepare(
        tr, jobs, max_delay, mu, slope, L0, pols, schemes, max_work, skipped, _force_generic
    )
    progress = sys.stderr.isatty() if progress is None else progress
    tasks = _tasks(work, pols)
    results = _run_tasks(prep, tasks, partial(_task_args, work, jobs), scheduler, progress)
    table, best_rows, per = _assemble(work, tasks, results, pols)
    best = _best(work, schemes, pols, best_rows, prep, jobs, tr.n, verify_best)
    for wi, spec in enumerate(work if "optimal" in pols else ()):
        args = (tr, prep, spec, per, wi, jobs, mu, slope, L0, max_dp_work, progress)
        rows, b = _optimal_family(*args)
        table.extend(rows)
        best["optimal"][spec["name"]] = b
    settings = {"trace": tr.name, "n": tr.n, "jobs": jobs, "max_delay": max_delay, "mu": mu}
    settings.update(policies=pols, slope=slope, probe_load=L0)
    return SweepResult(
        best=best, table=table, evaluated=len(table), settings=settings, skipped=skipped
    )


def _prepare(tr, jobs, max_delay, mu, slope, L0, pols, schemes, max_work, skipped, force_generic):
    """``(families, prepared trace)``: the budget checked (an estimate first, then the families'
    sizes), every family built with its delay shifts, the extreme shifted delays checked
    (positive and finite), the trace's rounds sorted and the admission bitmasks built."""
    R = jobs + max_delay
    tr.require_rounds(R, f"{jobs} jobs with delays up to {max_delay} need jobs + max_delay rounds")
    label = f"trace {tr.source or tr.name}"
    budget = DEFAULT_MAX_WORK if max_work is None else max_work
    _check_estimate(tr.n, jobs, max_delay, budget, label)  # before building anything large
    D = np.ascontiguousarray(tr.delays[:, :R], dtype=float)
    work = _families(
        schemes, tr.n, jobs, max_delay, L0, slope, skipped, force_generic, budget=budget
    )
    _check_configurations(work, R, pols, budget, label)
    min_shift = min((float(w["shifts"].min()) for w in work), default=math.inf)
    for w in work:  # the extreme loads: every shifted delay positive and finite
        for c in {int(np.argmin(w["shifts"])), int(np.argmax(w["shifts"]))}:
            shifted_delays(D, float(w["loads"][c]), L0, slope, label=label, mu=mu, trace=tr)
    prep = _Prep(D, mu)
    K = int(prep.candidates(np.array([min_shift])).max()) if work else 0
    prep.build_masks(K)
    return work, prep


def _task_args(work, jobs, task):
    """The arguments of :func:`_eval_chunk` for a task ``(family, policy, a, b)``."""
    wi, pol, a, b = task
    return (_slice(work[wi], a, b), jobs, pol)


def _best(work, schemes, pols, best_rows, prep, jobs, n, verify_best) -> dict:
    """``best[policy][scheme]``: the parameters, load, runtime, rounds, waits and delay of each
    family's best row (``None`` without one), replayed by the scheme's decoder when
    ``verify_best``."""
    best = {p: {w["name"]: None for w in work} for p in pols}
    for sc in schemes:
        for p in pols:
            best[p].setdefault(sc, None)
    for (pol, sc), (row, e, wi, c) in best_rows.items():
        if verify_best and work[wi]["kind"] != "nocoding":
            _verify_best(
                sc, row, _scheme_of(work[wi], c, n), prep.pattern(e[: jobs + row["T"]]), jobs
            )
        best[pol][sc] = dict(
            row["params"],
            load=row["load"],
            runtime=row["runtime"],
            rounds=row["rounds"],
            waits=row["waits"],
            T=row["T"],
        )
    return best


def _check_estimate(n, jobs, max_delay, budget, label) -> None:
    """Refuse a sweep whose size alone (before the families are built) is far over budget."""
    R = jobs + max_delay
    est = R * (1 + n + max_delay * jobs * n + jobs * (max_delay + 1) * n)
    if est > 20 * budget:
        raise BudgetError(
            f"{label}: the sweep of {jobs} jobs, delays <= {max_delay} on {n} workers "
            f"is about {est:.3g} configuration-rounds, beyond the budget "
            f"max_work={budget:,}; raise it (--max-work) or use fewer jobs / a "
            "smaller --max-delay"
        )


def _check_configurations(work, R, pols, budget, label) -> None:
    """Refuse more configuration-rounds (over every policy run) than the budget."""
    C_total = sum(w["P"].shape[0] for w in work)
    n_pols = len(set(pols) | ({"paper", "minimal"} if "optimal" in pols else set()))
    if C_total * R * n_pols > budget:
        raise BudgetError(
            f"{label}: the sweep evaluates {C_total:,} configurations x {R} rounds x "
            f"{n_pols} policies = {C_total * R * n_pols:,} configuration-rounds, beyond "
            f"the budget max_work={budget:,}; raise it (--max-work) or use fewer jobs "
            "/ a smaller --max-delay"
        )


def _assemble(work, tasks, results, pols):
    """``(table, best rows, per-family arrays)`` from the chunks' results: one table row per
    configuration and requested policy; the best row of each (policy, family) by runtime, then
    load, then first enumerated."""
    table, best_rows, per = [], {}, {}
    for task, out in zip(tasks, results):
        wi, pol, a, b = task
        spec = work[wi]
        acc = per.setdefault(
            (wi, pol),
            {"runtime": np.full(spec["P"].shape[0], np.nan), "e": [None] * spec["P"].shape[0]},
        )
        acc["runtime"][a:b] = np.where(out["failed"], np.nan, out["runtime"])
        for j in range(b - a):
            c = a + j
            acc["e"][c] = out["e"][j]
            if pol not in pols:
                continue
            row = _row(spec, c, pol, out, j)
            table.append(row)
            if not row["decoded"]:
                continue
            key = (pol, spec["name"])
            cur = best_rows.get(key)
            if cur is None or (row["runtime"], row["load"]) < (cur[0]["runtime"], cur[0]["load"]):
                best_rows[key] = (row, out["e"][j], wi, c)
    return table, best_rows, per


def _row(spec, c, pol, out, j) -> dict:
    """The table row of configuration ``c`` of a family under an online policy."""
    decoded = not bool(out["failed"][j])
    return {
        "scheme": spec["name"],
        "policy": pol,
        "params": _params(spec, spec["P"][c]),
        "load": float(spec["loads"][c]),
        "T": int(spec["T"][c]),
        # None: the configuration missed a deadline on this trace
        "runtime": float(out["runtime"][j]) if decoded else None,
        "rounds": int(out["rounds"][j]),
        "waits": int(out["waits"][j]),
        "decoded": decoded,
    }


def _verify_best(sc, row, sch, pattern, jobs) -> None:
    """Replay a best configuration with the scheme's own decoder: it must decode every job in
    time and end in the round the vectorised sweep counted."""
    dec = decode_rounds(sch, pattern, jobs)
    _check_decoded(sc, row["params"], dec, row["T"])
    if max(dec) + 1 != row["rounds"]:
        raise AssertionError(
            f"bug: sweep counted {row['rounds']} rounds for {sc} "
            f"{row['params']} but decode_rounds ends at {max(dec)}"
        )


def _check_decoded(scheme, params, dec, T):
    msg = decode_failure(scheme, params, dec, T)
    if msg is not None:
        raise AssertionError(msg)
