"""Straggler processes, long runs, intervals and the recommendation (docs/guide/processes.md)."""

import json

import numpy as np
import pytest

from sgc_theory.cli import main
from sgc_theory.errors import SGCError
from sgc_theory.simulate import simulate
from sgc_theory.simulate.compare import ci95, compare, evaluate, rank
from sgc_theory.simulate.processes import (
    ProcessError,
    StragglerProcess,
    fit_process,
    load_process,
    straggler_stats,
    write_delay_csv,
)
from sgc_theory.simulate.runtime import _make, as_trace


def _ge(n=48, **kw):
    args = dict(p_slow=0.05, p_stay=0.5, slow=1.2, sd=0.08)
    args.update(kw)
    return StragglerProcess.two_state(n=n, **args)


# --------------------------------------------------------------------------------------------
# generation and fitting
# --------------------------------------------------------------------------------------------
def test_generation_is_seeded_and_shaped():
    p = _ge()
    a, b = p.generate(30, seed=4), p.generate(30, seed=4)
    assert a.shape == (48, 30) and np.array_equal(a, b)
    assert not np.array_equal(a, p.generate(30, seed=5))
    with pytest.raises(ProcessError, match="n=48"):
        p.generate(10, n=47)


def test_gilbert_elliott_statistics_match_the_chain():
    """Stationary slow fraction p_slow and mean slow-run length 1 / (1 - p_stay)."""
    p = _ge(n=200, p_slow=0.1, p_stay=0.75)
    z = p.states_path(4000, np.random.default_rng(0))
    assert z.mean() == pytest.approx(0.1, abs=0.005)
    S = z.astype(bool)
    runs = straggler_stats(np.where(S, 10.0, 1.0), mu=1.0)["mean_burst"]
    assert runs == pytest.approx(4.0, rel=0.05)


def test_fit_recovers_planted_parameters():
    """EM on 100 workers x 300 rounds of a log-normal Gilbert-Elliott process recovers the
    transition probabilities within 0.03, the log gap between states and the spreads within
    0.03 (the common factor is constant, so the round medians are nearly constant too)."""
    true = _ge(n=100, p_slow=0.1, p_stay=0.6, slow=1.0, sd=0.15)
    D = true.generate(300, seed=11)
    fit, rep = fit_process(D, mu=2.5, marginal="lognormal", quality=False)
    assert rep["fit"]["converged"]
    assert np.abs(fit.transmat - true.transmat).max() < 0.03
    assert (fit.means[1] - fit.means[0]) == pytest.approx(1.0, abs=0.03)
    assert np.abs(fit.sds - 0.15).max() < 0.03
    assert fit.factor["sd"] < 0.05


def test_json_round_trip(tmp_path):
    p = _ge()
    D = p.generate(5, seed=1)
    fitted, _ = fit_process(p.generate(40, seed=2), mu=0.5, quality=False)
    for proc in (p, fitted):
        proc.save(tmp_path / "m.json")
        q = load_process(tmp_path / "m.json")
        assert q.n == proc.n and q.states == proc.states
        np.testing.assert_allclose(q.transmat, proc.transmat)
    assert np.array_equal(p.generate(5, seed=1), D)


def test_fit_refuses_bad_traces():
    with pytest.raises(ProcessError, match="too few"):
        fit_process(np.ones((10, 3)) + np.arange(3), mu=1.0)
    with pytest.raises(ProcessError, match="too clean"):
        fit_process(1.0 + 0.01 * np.random.default_rng(0).random((20, 10)), mu=1.0)
    D = _ge().generate(10, seed=0)
    D[3, 4] = 0.0
    with pytest.raises(ProcessError, match=r"\[3, 4\]"):
        fit_process(D, mu=1.0)
    with pytest.raises(ProcessError, match="did not converge"):
        fit_process(_ge().generate(40, seed=3), mu=0.5, n_iter=1, tol=0.0)


def test_fit_quality_reports_trace_and_model():
    D = _ge(n=64, p_slow=0.08).generate(30, seed=9)
    _, rep = fit_process(D, mu=1.0)
    q = rep["quality"]
    for side in ("trace", "model"):
        assert {"straggler_rate", "burst_lengths", "distinct_per_window"} <= set(q[side])
    assert q["model"]["straggler_rate"] == pytest.approx(q["trace"]["straggler_rate"], rel=0.5)
    assert rep["model_choice"]["chosen"]["states"] in (2, 3, 4)
    assert "credible" in rep["credibility"]


# --------------------------------------------------------------------------------------------
# long runs equal the trace simulator
# --------------------------------------------------------------------------------------------
CONFIGS = [
    ("nocoding", {}),
    ("gc", {"s": 3}),
    ("srsgc", {"B": 1, "W": 3, "lam": 4}),
    ("srsgc", {"B": 2, "W": 3, "lam": 6}),
    ("msgc", {"B": 1, "W": 2, "lam": 3}),
    ("msgc", {"B": 2, "W": 3, "lam": 24}),
    ("brsgc", {"B": 1, "W": 3, "lam": 4}),
    ("wcsgc", {"B": 1, "W": 2, "lam": 3}),
]


@pytest.mark.parametrize("seed", [0, 1])
def test_long_run_equals_simulate_exactly(seed):
    p = _ge(n=24, p_slow=0.06, p_stay=0.4, slow=1.0, sd=0.12)
    D = p.generate(44, seed=seed)
    jobs = 40
    ev = evaluate(D, CONFIGS, jobs=jobs, mu=1.0, policies=("paper", "minimal"), slope=0.7)
    for c, (sc, params) in enumerate(CONFIGS):
        T = 0 if sc == "nocoding" else int(_make(sc, 24, params).T)
        for j, pol in enumerate(("paper", "minimal")):
            ref = simulate(D[:, : jobs + T], sc, jobs=jobs, mu=1.0, policy=pol, slope=0.7, **params)
            assert ev["runtime"][c, j] == ref.runtime, (sc, params, pol)
            # violations: the rounds where the candidates were not kept as the stragglers
            load = 1 / 24 if sc == "nocoding" else float(_make(sc, 24, params).load)
            Dp = D[:, : ref.rounds] + load * 0.7
            cand = Dp > 2.0 * Dp.min(axis=0)
            broke = (cand != ref.pattern).any(axis=0).sum() / ref.rounds
            assert ev["violations"][c, j] == pytest.approx(broke, abs=1e-12), (sc, pol)


def test_process_spec_is_a_trace(tmp_path):
    p = _ge(n=16)
    p.save(tmp_path / "m.json")
    tr = as_trace(f"process:{tmp_path / 'm.json'},rounds=12,seed=5")
    assert np.array_equal(tr.delays, p.generate(12, seed=5))
    write_delay_csv(tr.delays, tmp_path / "g.csv")
    assert np.array_equal(as_trace(str(tmp_path / "g.csv")).delays, tr.delays)
    with pytest.raises(SGCError, match="options are"):
        as_trace(f"process:{tmp_path / 'm.json'},length=3")


# --------------------------------------------------------------------------------------------
# intervals and the recommendation
# --------------------------------------------------------------------------------------------
def test_ci95_coverage_seeded():
    """400 samples of 15 skewed (gamma, shape 4, mean 2) values: the t interval covers the true
    mean in 90-99 % of them (nominal 95 %)."""
    rng = np.random.default_rng(123)
    hits = 0
    for _ in range(400):
        _, ci = ci95(rng.gamma(4.0, 0.5, 15))
        hits += ci[0] <= 2.0 <= ci[1]
    assert 0.91 <= hits / 400 <= 0.99


def test_long_run_interval_covers_the_known_mean():
    """No coding with slope 0 on a process without common factor: its time per job is the mean
    of the round maxima, estimated independently on a very long run; the 95 % intervals of 40
    seeded comparisons of 6 replications cover it in at least 85 % of them."""
    p = _ge(n=16, p_slow=0.1, p_stay=0.5, slow=0.8, sd=0.1)
    truth = p.generate(200_000, seed=999).max(axis=0).mean()
    cover = 0
    for s in range(30):
        out = compare(
            p,
            rounds=40,
            replications=6,
            mu=1.0,
            configs=[("nocoding", {}), ("gc", {"s": 2})],
            policies=("paper",),
            slope=0.0,
            seed=s,
        )
        lo, hi = out["results"]["nocoding"]["paper"]["ci95"]
        cover += lo <= truth <= hi
    assert cover >= 25


def test_recommend_finds_the_known_best():
    """Slope 0 and heavy stragglers: a round can never end before min(threshold, slowest), and
    GC with s = n - 1 ends every round then with no extra round; so it is the best (ties: no
    other candidate is faster), and its time per job is that lower bound exactly."""
    p = _ge(n=12, p_slow=0.2, p_stay=0.5, slow=2.0, sd=0.1)
    cands = [
        ("nocoding", {}),
        ("gc", {"s": 1}),
        ("gc", {"s": 11}),
        ("msgc", {"B": 1, "W": 2, "lam": 4}),
        ("brsgc", {"B": 1, "W": 2, "lam": 5}),
        ("srsgc", {"B": 1, "W": 2, "lam": 6}),
    ]
    out = rank(p, cands, rounds=80, replications=4, mu=1.0, slope=0.0, seed=3)
    assert out["best"]["scheme"] == "gc" and out["best"]["params"] == {"s": 11}
    seeds = np.random.SeedSequence(3).spawn(4)
    per, J = [], out["jobs"]
    assert J == 79  # 80 rounds minus the largest delay (1)
    for sd in seeds:
        D = p.generate(80, seed=sd)[:, :J]
        per.append(np.minimum(2.0 * D.min(axis=0), D.max(axis=0)).sum() / J)
    assert out["best"]["mean_time_per_job"] == pytest.approx(np.mean(per), rel=1e-12)
    assert out["speedup_over_gc"]["mean"] == 1.0
    assert out["runner_up"]["mean_time_per_job"] > out["best"]["mean_time_per_job"]


# --------------------------------------------------------------------------------------------
# command line
# --------------------------------------------------------------------------------------------
def test_cli_fit_generate_compare_recommend(tmp_path, capsys):
    D = _ge(n=40, p_slow=0.08).generate(14, seed=2)
    write_delay_csv(D, tmp_path / "t.csv")
    model = tmp_path / "m.json"
    rc = main(["traces", "fit", "--process", "markov", "--trace", str(tmp_path / "t.csv"),
               "--out", str(model), "--json"])  # fmt: skip
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["n"] == 40 and out["states"] == 2 and "quality" in out and model.exists()
    rc = main(["traces", "generate", "--process", str(model), "--rounds", "9", "--seed", "1",
               "--out", str(tmp_path / "g.csv")])  # fmt: skip
    assert rc == 0 and as_trace(str(tmp_path / "g.csv")).delays.shape == (40, 9)
    capsys.readouterr()
    rc = main(["compare", "--process", str(model), "--rounds", "40", "--replications", "3",
               "--pilot-jobs", "8", "--max-delay", "2", "--json"])  # fmt: skip
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    for pol in ("paper", "minimal"):
        e = out["results"]["msgc"][pol]
        assert {
            "mean_time_per_job",
            "ci95",
            "ratio_to_gc",
            "model_violations",
            "fallback_time",
        } <= set(e)
        assert out["results"]["gc"][pol]["ratio_to_gc"]["mean"] == 1.0
    rc = main(["recommend", "--trace", str(model), "--rounds", "40", "--replications", "3",
               "--pilot-jobs", "8", "--max-delay", "2", "--top", "1", "--json"])  # fmt: skip
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert {"best", "speedup_over_gc", "runner_up"} <= set(out)
    assert len(out["speedup_over_gc"]["ci95"]) == 2


def test_cli_bad_input_one_line_exit_2(tmp_path, capsys):
    bad = tmp_path / "nan.csv"
    bad.write_text("w0,w1\n1,nan\n1,1\n")
    assert main(["traces", "fit", "--process", "markov", "--trace", str(bad)]) == 2
    assert "not a finite number" in capsys.readouterr().err
    short = tmp_path / "short.csv"
    short.write_text("w0,w1,w2\n1,1,9\n1,1,1\n")
    assert main(["traces", "fit", "--process", "markov", "--trace", str(short)]) == 2
    assert "too few" in capsys.readouterr().err
    model = tmp_path / "m.json"
    _ge(n=8).save(model)
    out = tmp_path / "g.csv"
    rc = main(["traces", "generate", "--process", str(model), "--rounds", "5", "--n", "9",
               "--out", str(out)])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 2 and "n=8" in err and err.count("\n") == 1 and not out.exists()
    assert not list(tmp_path.glob(".sgc-*"))
    model.write_text("{}")
    assert main(["compare", "--process", str(model), "--rounds", "20"]) == 2
    assert "not a straggler-process file" in capsys.readouterr().err


def test_optimal_policy_on_a_prefix_matches_simulate():
    """``optimal_jobs``: the offline optimum of the first jobs of every run, as ``simulate``
    computes it on the same generated matrix, never slower than the paper policy there."""
    p = _ge(n=10, p_slow=0.1, p_stay=0.5, slow=1.0, sd=0.1)
    cfg = [("gc", {"s": 1}), ("msgc", {"B": 1, "W": 2, "lam": 2})]
    out = compare(p, rounds=30, replications=1, configs=cfg, policies=("paper",), slope=0.5,
                  seed=4, optimal_jobs=8)  # fmt: skip
    D = p.generate(30, seed=np.random.SeedSequence(4).spawn(1)[0])
    for sc, params in cfg:
        T = int(_make(sc, 10, params).T)
        kw = dict(jobs=8, mu=1.0, slope=0.5, **params)
        opt = simulate(D[:, : 8 + T], sc, policy="optimal", **kw)
        paper = simulate(D[:, : 8 + T], sc, policy="paper", **kw)
        e = out["results"][sc]["optimal"]
        assert e["mean_time_per_job"] == pytest.approx(opt.runtime / 8, rel=1e-12)
        assert opt.runtime <= paper.runtime + 1e-9


def test_long_runs_on_a_dask_cluster_match_local():
    """The replications run on a Dask scheduler give the same numbers as here (same seeds)."""
    distributed = pytest.importorskip("distributed")
    from sgc_theory.simulate.compare import long_runs

    p = _ge(n=16)
    cfg = [("gc", {"s": 2}), ("msgc", {"B": 1, "W": 2, "lam": 3})]
    kw = dict(rounds=30, replications=2, mu=1.0, slope=0.5)
    jobs, local = long_runs(p, cfg, **kw)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        jobs_r, remote = long_runs(p, cfg, scheduler=cluster.scheduler_address, **kw)
    assert jobs_r == jobs
    for a, b in zip(local, remote):
        assert np.array_equal(a["runtime"], b["runtime"], equal_nan=True)
    with pytest.raises(SGCError, match="scheduler"):
        long_runs(p, cfg, scheduler="tcp://127.0.0.1:9", **kw)
