"""Scheme battery (SPEC section 4): one set of facts checked on every GC, SR-SGC, M-SGC, BR-SGC,
WC-SGC and PR-SGC of a grid of small parameters, each against an independent route.

* the token-level decoder ``decode_rounds`` against the exact algebra of ``run`` (token says
  decoded => exact has decoded; both meet every deadline under the design model; with the cyclic
  construction, whose any ``n - s`` rows and no fewer span the ones vector, they agree exactly);
* decoded values: random exact partial gradients pushed through what non-stragglers return and
  the coefficients of ``decode`` give back ``sum_p g_p(t)`` exactly;
* partition sizes, per-task costs and round loads against the closed forms of SPEC 4.
"""

from __future__ import annotations

import random
from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.errors import NotDecodableError
from sgc_theory.models import Arbitrary

from scheme_grid import SPECS, build, params_of, seed_of

GRID = params_of(SPECS, slow_heavy=False)


def _patterns(sch, model, count, rounds, seed):
    rng = np.random.default_rng(seed)
    return [model.sample(rounds, rng) for _ in range(count)]


# ----- token rule vs exact algebra -----------------------------------------------------------
@pytest.mark.parametrize("spec", GRID)
def test_token_rule_sound_and_deadlines_met_under_design_model(spec):
    sch = build(spec)
    R = sch.T + 5
    for P in _patterns(sch, sch.design_model, 6, R, seed=seed_of(spec)):
        assert sch.design_model.admits(P)
        tok = sch.decode_rounds(P)
        ex = sch.run(P).decoded_round
        assert len(tok) == len(ex) == R
        for t in range(R):
            if tok[t] is not None:
                # the token rule is sufficient: the exact span has the ones vector by then
                assert ex[t] is not None and ex[t] <= tok[t], (t, tok, ex)
            if t + sch.T < R:
                assert tok[t] is not None and tok[t] <= t + sch.T, (t, tok)
                assert ex[t] is not None and ex[t] <= t + sch.T, (t, ex)
            # nothing is decodable before the job is released
            assert ex[t] is None or ex[t] >= t


@pytest.mark.parametrize("spec", GRID)
def test_token_rule_equals_exact_with_cyclic_code(spec):
    """With a generic (cyclic) GC, ``n - s`` results are necessary and sufficient."""
    sch = build(spec, construction="cyclic")
    R = sch.T + 5
    models = [sch.design_model]
    if sch.n >= 2:  # a stronger model too, so that deadlines are missed and both rules see it
        models.append(Arbitrary(sch.n, N=2, W=2, lam=sch.n))
    for k, model in enumerate(models):
        for P in _patterns(sch, model, 5, R, seed=seed_of(spec, k)):
            assert sch.decode_rounds(P) == sch.run(P).decoded_round, P.astype(int)


@pytest.mark.parametrize("spec", params_of([s for s in SPECS if s[1] == 4]))
def test_token_rule_sound_under_stronger_model_frc(spec):
    """Default construction (fractional repetition at n = 4 when possible): token => exact."""
    sch = build(spec)
    R = sch.T + 4
    for P in _patterns(sch, Arbitrary(sch.n, N=2, W=2, lam=sch.n), 8, R, seed=seed_of(spec, 5)):
        tok = sch.decode_rounds(P)
        ex = sch.run(P).decoded_round
        for t in range(R):
            if tok[t] is not None:
                assert ex[t] is not None and ex[t] <= tok[t]


# ----- decoded values ------------------------------------------------------------------------
def _gradients(sch, jobs, rng, dim=2):
    """Random exact partial gradients g[t][p] (vectors of Fractions)."""
    return [
        [
            tuple(Fraction(rng.randint(-9, 9), rng.randint(1, 7)) for _ in range(dim))
            for _ in range(sch.num_partitions)
        ]
        for _ in range(jobs)
    ]


def _returned(coeffs, gp):
    dim = len(gp[0])
    return tuple(sum((c * g[k] for c, g in zip(coeffs, gp) if c), Fraction(0)) for k in range(dim))


@pytest.mark.parametrize("spec", GRID)
def test_decoded_values_equal_true_gradient(spec):
    sch = build(spec)
    R = sch.T + 4
    rng = random.Random(seed_of(spec, "g"))
    for P in _patterns(sch, sch.design_model, 3, R, seed=seed_of(spec, "P")):
        run = sch.run(P)
        g = _gradients(sch, R, rng)
        for t, d in enumerate(run.decoded_round):
            if d is None:
                continue
            got = [(r, i, task) for r, i, task in run.received[t] if r <= d]
            # what the workers sent back: sum_p coeffs[p] g_p(t), computed from the assignment
            values = []
            for r, i, task in got:
                assert not P[i, r], "a straggler's result was received"
                assert any(job == t and tk is task for job, tk in run.assignments[r][i])
                values.append(_returned(task.coeffs, g[t]))
            a = sch.decode(t, got)
            assert len(a) == len(got)
            decoded = tuple(
                sum((c * v[k] for c, v in zip(a, values)), Fraction(0)) for k in range(2)
            )
            truth = tuple(sum((gp[k] for gp in g[t]), Fraction(0)) for k in range(2))
            assert decoded == truth, (t, d)
            # the same coefficients work on the bare coefficient vectors
            ones = [
                sum((c * task.coeffs[p] for c, (_, _, task) in zip(a, got)), Fraction(0))
                for p in range(sch.num_partitions)
            ]
            assert ones == [1] * sch.num_partitions


@pytest.mark.parametrize("spec", params_of([s for s in SPECS if s[1] == 4]))
def test_decode_raises_when_not_decodable(spec):
    sch = build(spec)
    with pytest.raises(NotDecodableError):
        sch.decode(0, [])
    # every worker of round 0 but one straggles: decode() raises iff the exact run did not
    # decode job 0 in round 0 (M-SGC never can: the other workers' D1 chunks are missing)
    P = np.ones((sch.n, 1), dtype=bool)
    P[0, 0] = False
    run = sch.run(P)
    if spec[0] == "msgc":
        assert run.decoded_round[0] is None
    if spec[0] == "gc" and spec[2]["s"] == sch.n - 1:
        assert run.decoded_round[0] == 0  # one worker holds everything
    if run.decoded_round[0] is None:
        with pytest.raises(NotDecodableError):
            sch.decode(0, run.received[0])
    else:
        assert sch.decode(0, run.received[0]) == [1]


# ----- sizes and loads -----------------------------------------------------------------------
@pytest.mark.parametrize("spec", GRID)
def test_partitions_and_task_costs_match_closed_forms(spec):
    sch = build(spec)
    kind, n, p = spec
    assert sum(sch.partition_sizes) == 1
    assert all(x > 0 for x in sch.partition_sizes)
    if kind == "gc":
        assert sch.T == 0 and sch.load == Fraction(p["s"] + 1, n)
        costs = {sch.task_cost(t) for ts in sch.tasks(sch.initial_state()) for t in ts}
        assert costs == {Fraction(p["s"] + 1, n)}
    elif kind == "srsgc":
        B, W, lam = p["B"], p["W"], p["lam"]
        s = -(-B * lam // (W - 1 + B))
        assert sch.s == s and sch.T == B and sch.load == Fraction(s + 1, n)
    elif kind == "brsgc":
        B, W, lam = p["B"], p["W"], p["lam"]
        assert sch.T == B and sch.load == Fraction(n + lam, n * n)
        assert sch.partition_sizes == (Fraction(1, n * n),) * (n * n)
        # after k stragglers: k partitions of the new job per re-computing worker, n + k for
        # the others, which covers the job exactly once
        for redo in range(1 << n):
            k = bin(redo).count("1")
            state = (0,) * B + (redo,) + (0,) * (B - 1)
            ranges = [sch.shares(state, i)[0] for i in range(n)]
            assert [b - a for _, a, b in ranges] == [
                k if redo >> i & 1 else n + k for i in range(n)
            ]
            assert sorted(q for _, a, b in ranges for q in range(a, b)) == list(range(n * n))
    elif kind == "wcsgc":
        B, W, lam = p["B"], p["W"], p["lam"]
        P = W - 1 + B
        K = n * P - lam * B
        # the counting bound of bursty(B, W, lam): optimal, at delay B + 1
        assert sch.T == B + 1 and sch.load == Fraction(P, K)
        assert sch.partition_sizes == (Fraction(1, K),) * K
        # straggler-free start: the fresh job fills workers in order, P units each
        per_worker, carry = sch.plan_units(sch.initial_state())
        fresh = [u for groups in per_worker for a, us in groups for u in us if a == 0]
        assert fresh == list(range(K)) and carry == ()
        assert all(sum(len(us) for _, us in groups) <= P for groups in per_worker)
    elif kind == "prsgc":
        B, W, lam = p["B"], p["W"], p["lam"]
        # never above BR-SGC's closed form; the load is the largest constraint value at the
        # LP's parameters, recomputed here by brute force over every layout pair (k', k)
        assert sch.T == B and sch.load <= Fraction(n + lam, n * n)
        worst = Fraction(0)
        for k in range(min(lam, n) + 1):
            safe = (1 << k) - 1  # the first k workers safe (the layout depends on k only)
            lay = sch.layout(safe)
            # the pieces tile the job: the distinct intervals cover [0, 1) without overlap
            pieces = sorted({iv for i in range(n) for iv in lay[i]})
            assert pieces[0][0] == 0 and pieces[-1][1] == 1
            assert all(a1 == b0 for (_, b0), (a1, _) in zip(pieces, pieces[1:]))
            for i in range(n):
                fresh = sum(b - a for a, b in lay[i])
                worst = max(worst, fresh) if not safe >> i & 1 else worst
                if not safe >> i & 1 or k == 0:
                    continue
                for kp in range(0, min(lam - k, n - k) + 1):
                    # i was fresh in round r - B (k' safe then, i not among them), lost with the
                    # k - 1 other stragglers; it re-computes that plus its safe share now
                    older = ((1 << kp) - 1) << (n - kp)  # k' safe workers other than i
                    redo = sum(b - a for a, b in sch._lost_ranges(older, safe, i))
                    worst = max(worst, fresh + redo)
        assert worst == sch.load


@pytest.mark.parametrize("spec", GRID)
def test_round_loads_along_runs_never_exceed_closed_form(spec):
    sch = build(spec)
    R = sch.T + 4
    for P in _patterns(sch, sch.design_model, 3, R, seed=seed_of(spec, 3)):
        for _, _, tasks, _ in sch.states(P):
            assert sch.round_load(tasks) <= sch.load
            for ts in tasks:
                assert all(0 <= t.age <= sch.T for t in ts)
