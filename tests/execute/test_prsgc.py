"""PR-SGC beyond its exact partitions (n > 8): the engine runs it from its job intervals, each
piece the samples ``floor(N a) .. floor(N b) - 1``; at small n this assignment names exactly the
samples of the exact tasks, and the decoded gradients are the uncoded ones on admitted
patterns at every n tried."""

from __future__ import annotations

import numpy as np
import pytest

from sgc_theory.execute import build_scheme, load_problem, train
from sgc_theory.execute.master import Master
from sgc_theory.execute.problem import partition_bounds


def _admitted(sch, R, seed):
    """``lam`` random stragglers in the first round of every window of ``W`` rounds."""
    rng = np.random.default_rng(seed)
    P = np.zeros((sch.n, R), dtype=bool)
    for r in range(0, R, sch.W):
        P[rng.choice(sch.n, sch.lam, replace=False), r] = True
    assert sch.design_model.admits(P)
    return P


def _samples(parts, bounds):
    return sorted(s for p in parts for s in range(bounds[p], bounds[p + 1]))


@pytest.mark.parametrize("n,params", [(6, dict(B=1, W=2, lam=2)), (8, dict(B=2, W=3, lam=3))])
def test_interval_route_names_the_samples_of_the_exact_tasks(n, params):
    sch = build_scheme("prsgc", n, **params)
    problem = load_problem()
    bounds = partition_bounds(sch.partition_sizes, problem.samples)
    sch.exact_max_n = 0  # the engine's route beyond n = 8, here checked against the tasks
    master = Master(sch, problem, jobs=4, lr=0.1)
    assert master.by_sample
    rng = np.random.default_rng(n)
    state = sch.initial_state()
    for mask in sch.design_model.sample(12, rng).T:
        tasks = sch.tasks(state)
        plan = master._free_plan(state)
        for i in range(n):
            exact = sorted(
                (t.age, tuple(_samples([p for p, c in enumerate(t.coeffs) if c], bounds)))
                for t in tasks[i]
            )
            assert all(c in (0, 1) for t in tasks[i] for c in t.coeffs)
            mine = sorted((a, tuple(parts.tolist())) for a, parts, _ in plan[i])
            assert mine == [e for e in exact if e[1]]
        smask = sum(1 << int(i) for i in np.flatnonzero(mask))
        state = sch.next_state(state, tasks, smask)


@pytest.mark.parametrize("n,params", [(8, dict(B=1, W=2, lam=3)), (16, dict(B=2, W=3, lam=4))])
def test_prsgc_decodes_the_uncoded_gradient_from_intervals(n, params):
    sch = build_scheme("prsgc", n, **params)
    sch.exact_max_n = 0
    res = train(sch, jobs=10, pattern=_admitted(sch, 10 + sch.T, seed=n))
    assert res.pattern.sum() > 0 and len(res.errors) == 10
    assert res.max_error < 1e-9 and res.loss_gap < 1e-9


@pytest.mark.slow
@pytest.mark.parametrize("n,params", [(64, dict(B=1, W=2, lam=7)), (256, dict(B=1, W=2, lam=27))])
def test_prsgc_at_scale(n, params):
    sch = build_scheme("prsgc", n, **params)
    res = train(sch, jobs=10, pattern=_admitted(sch, 10 + sch.T, seed=n))
    assert res.pattern.sum() > 0 and res.max_error < 1e-9 and res.loss_gap < 1e-9
