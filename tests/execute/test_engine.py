"""The execution engine in process: float64 decoding equals the uncoded gradient on admitted
adversarial patterns for every family, training follows uncoded delayed gradient descent job by
job, and the real-time waiting policy decides exactly what the simulator decides."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.errors import NotDecodableError, SGCError
from sgc_theory.execute import (
    Waiter,
    build_scheme,
    decode_job,
    load_problem,
    predict,
    reference_losses,
    replay,
    train,
)
from sgc_theory.execute.problem import encoded_gradient, partition_bounds
from sgc_theory.schemes import WCSGC
from sgc_theory.simulate import simulate

CONFIGS = [
    ("gc", 8, dict(s=2)),  # the engine's default inner code
    ("gc", 8, dict(s=2, construction="rs")),  # Reed-Solomon (3 does not divide 8)
    ("gc", 16, dict(s=3)),  # fractional repetition
    ("gc", 16, dict(s=3, construction="rs")),
    ("gc", 7, dict(s=2, construction="cyclic")),
    ("srsgc", 8, dict(B=2, W=3, lam=3)),
    ("msgc", 16, dict(B=1, W=2, lam=3)),
    ("msgc", 8, dict(B=2, W=3, lam=2)),
    ("brsgc", 8, dict(B=2, W=3, lam=2)),
    ("wcsgc", 8, dict(B=1, W=2, lam=3)),
    ("prsgc", 8, dict(B=2, W=3, lam=2)),
]

JOBS = 8


def _greedy(model, rounds, rng):
    """An adversarial admitted pattern: every round a largest admitted straggler set."""
    state, cols = model.initial_state(), []
    for _ in range(rounds):
        sets = model.next_sets(state)
        top = max(bin(m).count("1") for m in sets)
        m = int(rng.choice([m for m in sets if bin(m).count("1") == top]))
        cols.append([bool(m >> i & 1) for i in range(model.n)])
        state = model.advance(state, m)
    return np.array(cols, dtype=bool).T


def _patterns(sch, rounds, seed):
    rng = np.random.default_rng(seed)
    model = sch.design_model
    return [_greedy(model, rounds, rng), model.sample(rounds, rng)]


def _check(sch, pattern):
    res = train(sch, jobs=JOBS, pattern=pattern)
    assert model_admits(sch, res.pattern)
    assert res.pattern.sum() == pattern[:, : res.rounds].sum()
    assert len(res.errors) == JOBS and res.max_error < 1e-9
    assert res.loss_gap < 1e-9
    assert res.losses == pytest.approx(reference_losses(load_problem(), JOBS, sch.T, res.lr))
    return res


def model_admits(sch, pattern):
    return sch.design_model.admits(pattern)


@pytest.mark.parametrize("family,n,params", CONFIGS, ids=lambda c: str(c))
def test_decoded_gradient_is_the_uncoded_one_on_admitted_adversarial_patterns(family, n, params):
    sch = build_scheme(family, n, **params)
    for pattern in _patterns(sch, JOBS + sch.T, seed=n):
        res = _check(sch, pattern)
        assert res.pattern.any()  # the adversary did strike


def test_tuned_wcsgc_decodes_and_trains_like_uncoded_descent():
    from sgc_theory.verify.counts import WCSGCCounts

    sch = WCSGC(16, 2, 3, 3, T=2, P=3, K=40)
    assert sch.tuned and WCSGCCounts(sch).explore()[0]  # this instance is proved
    for pattern in _patterns(sch, JOBS + sch.T, seed=5):
        _check(sch, pattern)


def test_least_squares_trains_like_uncoded_descent():
    sch = build_scheme("msgc", 8, B=1, W=2, lam=2)
    pattern = _patterns(sch, JOBS + sch.T, seed=3)[0]
    res = train(sch, jobs=JOBS, pattern=pattern, model="lstsq")
    assert res.max_error < 1e-9 and res.loss_gap < 1e-9
    assert res.losses[-1] < res.losses[0]


def test_a_pattern_outside_the_model_is_refused_by_the_decoder():
    sch = build_scheme("gc", 4, s=1)
    pattern = np.zeros((4, 3), dtype=bool)
    pattern[:2, 1] = True  # two stragglers against s = 1
    with pytest.raises(SGCError, match="not decodable by its deadline"):
        train(sch, jobs=3, pattern=pattern)


def test_partitions_cover_the_samples_once():
    sch = build_scheme("msgc", 16, B=1, W=2, lam=3)
    b = partition_bounds(sch.partition_sizes, 569)
    assert b[0] == 0 and b[-1] == 569 and np.all(np.diff(b) >= 0)
    p = load_problem()
    w = np.linspace(-1, 1, p.dim)
    parts = np.arange(len(b) - 1)
    full = encoded_gradient(p.kind, p.X, p.y, b, w, parts, np.ones(len(parts)))
    assert np.allclose(full, p.gradient(w), rtol=1e-12, atol=1e-15)


def test_float_decoder_against_exact_decoding_vectors():
    """Independent route: the scheme's exact decoding vector applied to the same results."""
    sch = build_scheme("gc", 8, s=2, construction="rs")
    code = sch.code
    rng = np.random.default_rng(1)
    g = rng.normal(size=(8, 3))  # partial gradients
    F = [0, 2, 3, 5, 6, 7]  # any n - s workers
    rows = [(np.arange(8), np.array([float(c) for c in code.E[i]])) for i in F]
    rows = [(p[c != 0], c[c != 0]) for p, c in rows]
    vals = [sum(float(code.E[i][p]) * g[p] for p in range(8)) for i in F]
    dec = decode_job(0, rows, vals, 8)
    a = sch.decode(0, [code.E[i] for i in F])
    exact = sum(float(ai) * v for ai, v in zip(a, vals))
    assert np.allclose(dec.gradient, g.sum(axis=0), rtol=1e-12)
    assert np.allclose(exact, g.sum(axis=0), rtol=1e-9)
    assert dec.condition >= 1
    with pytest.raises(NotDecodableError):
        decode_job(0, rows[:5], vals[:5], 8)  # n - s - 1 results: not decodable


def test_decoder_fast_path_for_repeated_chunks():
    rows = [(np.array([0]), np.array([1.0])), (np.array([0]), np.array([1.0]))]
    rows.append((np.array([1, 2]), np.array([1.0, 1.0])))
    vals = [np.array([2.0]), np.array([2.0]), np.array([5.0])]
    dec = decode_job(0, rows, vals, 3)
    assert dec.gradient == pytest.approx([7.0]) and dec.residual < 1e-12
    assert partition_bounds([Fraction(1, 3)] * 3, 10).tolist() == [0, 3, 6, 10]


def test_repetition_path_agrees_with_the_least_squares_solve():
    """Random repetition systems (disjoint supports, equal coefficients, duplicates), decoded by
    the fast path and by the component least-squares route it skips: the same gradient; and
    systems the fast path must refuse (overlapping supports, unequal coefficients, a missing
    partition) go to the general route."""
    from sgc_theory.execute import decode as dec_mod

    rng = np.random.default_rng(7)
    for _trial in range(200):
        P = int(rng.integers(1, 12))
        cuts = np.sort(rng.choice(np.arange(1, P), size=int(rng.integers(0, P)), replace=False))
        blocks = np.split(np.arange(P), cuts)
        g = rng.normal(size=(P, 2))
        rows, vals = [], []
        for b in blocks:
            for _ in range(int(rng.integers(1, 4))):
                c = float(rng.choice([1.0, 2.0, -0.5]))
                rows.append((b, np.full(len(b), c)))
                vals.append(c * g[b].sum(axis=0))
        order = rng.permutation(len(rows))
        rows, vals = [rows[k] for k in order], [vals[k] for k in order]
        a_fast = dec_mod._repetition(rows, P)
        assert a_fast is not None
        keep, a_ls, _, _ = dec_mod.solve_job(0, rows, P, repetition=False)
        assert np.allclose(a_fast @ np.vstack(vals), g.sum(axis=0), rtol=1e-12, atol=1e-12)
        assert np.allclose(a_ls @ np.vstack([vals[k] for k in keep]), g.sum(axis=0), atol=1e-9)
    overlap = [(np.array([0, 1]), np.ones(2)), (np.array([1, 2]), np.ones(2))]
    unequal = [(np.array([0, 1]), np.array([1.0, 2.0]))]
    short = [(np.array([0]), np.ones(1))]
    assert dec_mod._repetition(overlap, 3) is None
    assert dec_mod._repetition(unequal, 2) is None
    assert dec_mod._repetition(short, 2) is None
    with pytest.raises(NotDecodableError):
        decode_job(0, short, [np.ones(1)], 2)


@pytest.mark.parametrize("policy", ["paper", "minimal"])
@pytest.mark.parametrize(
    "family,n,params", [("gc", 6, dict(s=2)), ("msgc", 6, dict(B=1, W=2, lam=2))]
)
def test_real_time_policy_decides_like_the_simulator(policy, family, n, params):
    """The master's online waiting (on a virtual clock) gives the simulator's effective pattern
    and round times, on delay matrices with heavy stragglers."""
    sch = build_scheme(family, n, **params)
    rng = np.random.default_rng(7)
    for _ in range(5):
        D = rng.lognormal(0.0, 0.4, size=(n, 12))
        D[rng.random(D.shape) < 0.2] *= 4
        sim = simulate(D, family, jobs=10, mu=0.3, policy=policy, slope=0.0, scheme_obj=sch)
        w = Waiter(sch.design_model, n, 0.3, policy)
        outs = [replay(w, D[:, r]) for r in range(sim.rounds)]
        assert np.array_equal(np.column_stack([m for m, _ in outs]), sim.pattern)
        assert [e for _, e in outs] == pytest.approx(sim.round_times, rel=1e-12)


def test_virtual_run_matches_the_prediction():
    sch = build_scheme("msgc", 8, B=1, W=2, lam=2)
    rng = np.random.default_rng(2)
    D = rng.lognormal(0.0, 0.5, size=(8, JOBS + sch.T))
    res = train(sch, jobs=JOBS, delays=D, mu=0.5, policy="minimal")
    times, applied = predict(sch, D, JOBS, 0.5, "minimal")
    assert res.policy_times == pytest.approx(times, rel=1e-12)
    assert res.applied_rounds == applied and res.job_times() == res.job_times(predicted=True)
    assert res.ratio == pytest.approx(1.0) and res.max_error < 1e-9


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["logistic", "lstsq"])
def test_bundled_data_are_scikit_learns(kind):
    from sklearn import datasets

    X, y = (datasets.load_breast_cancer if kind == "logistic" else datasets.load_diabetes)(
        return_X_y=True
    )
    p = load_problem(kind)
    assert p.X.shape == (X.shape[0], X.shape[1] + 1)
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    assert np.allclose(p.X[:, :-1], Z, atol=1e-9)
    if kind == "logistic":
        assert np.array_equal(p.y, y)


def test_sgc_run_local_json():
    import contextlib
    import io
    import json

    from sgc_theory.cli import main

    out = io.StringIO()
    argv = "run --scheme msgc --n 6 --B 1 --W 2 --lam 2 --jobs 4 --local --json".split()
    with contextlib.redirect_stdout(out):
        rc = main(
            argv
            + [
                "--trace",
                "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000",
                "--time-scale",
                "0.1",
            ]
        )
    d = json.loads(out.getvalue())
    assert rc == 0 and d["executor"] == "local" and len(d["losses"]) == 4
    assert d["measured_over_predicted"] == 1.0 and d["max_relative_error"] < 1e-12
    assert d["losses"] == d["reference_losses"] or d["loss_gap"] < 1e-12


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "nonsense", "tcp://", "inproc://x", ""])
def test_sgc_run_refuses_a_bad_scheduler_in_one_line(address, capsys):
    from sgc_theory.cli import main

    rc = main(["run", "--scheme", "gc", "--n", "4", "--s", "1", "--scheduler", address])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "scheduler" in err


@pytest.mark.parametrize(
    "family,params", [("wcsgc", dict(B=1, W=2, lam=3)), ("brsgc", dict(B=2, W=3, lam=2))]
)
def test_coefficient_free_assignment_is_the_exact_tasks(family, params):
    """WC-SGC and BR-SGC run from their coefficient-free assignment (units, partition ranges),
    which reaches n = 256; at small n it names exactly the supports of the exact tasks."""
    from sgc_theory.execute import Master

    sch = build_scheme(family, 8, **params)
    master = Master(sch, load_problem(), 6, 0.1)
    for pattern in _patterns(sch, 6, seed=2):
        state = sch.initial_state()
        for r in range(6):
            tasks = sch.tasks(state)
            master.state = state
            _, plan = master._assignment()
            for ts, groups in zip(tasks, plan):
                got = sorted((a, tuple(p), tuple(c)) for a, p, c in groups)
                want = sorted((t.age, t.support(), (1.0,) * len(t.support())) for t in ts)
                assert got == want
            mask = sum(1 << i for i in np.flatnonzero(pattern[:, r]))
            state = sch.next_state(state, tasks, mask)


@pytest.mark.parametrize(
    "family,params", [("wcsgc", dict(B=1, W=2, lam=9)), ("brsgc", dict(B=1, W=2, lam=9))]
)
def test_uncoded_families_beyond_their_exact_tasks(family, params):
    sch = build_scheme(family, 72, **params)  # exact tasks are built for n <= 64 only
    with pytest.raises(SGCError):
        sch.tasks(sch.initial_state())
    pattern = np.zeros((72, 6 + sch.T), dtype=bool)
    rng = np.random.default_rng(0)
    for r in range(0, pattern.shape[1], 2):  # lam workers every other round: a full burst
        pattern[rng.choice(72, size=9, replace=False), r] = True
    assert sch.design_model.admits(pattern)
    res = train(sch, jobs=6, pattern=pattern)
    assert res.max_error < 1e-9 and res.loss_gap < 1e-9 and res.pattern.any()
