"""The numbers behind each paper figure, checked against the package and against the definitions."""

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from figures_helpers import FIG_DIR, fig

from sgc_theory.bounds import counting_bound, gc_load, msgc_load, srsgc_load
from sgc_theory.models import extract_pattern
from sgc_theory.simulate import list_traces, load_trace

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_every_script_has_caption_data_main():
    scripts = sorted(FIG_DIR.glob("fig_*.py"))
    assert len(scripts) >= 8
    for path in scripts:
        mod = fig(path.stem[4:])
        assert mod.__doc__ and len(mod.__doc__.split()) > 15, path.name
        assert callable(mod.data) and callable(mod.main)


def test_load_vs_lam_closed_forms_and_bound():
    d = fig("load_vs_lam").data()
    n, B, W, lam = d["n"], d["B"], d["W"], d["lam"]
    for j in (0, 10, 26, 100, len(lam) - 1):
        l = int(lam[j])
        assert d["gc"][j] == pytest.approx((l + 1) / n)
        s = -(-B * l // (W - 1 + B))
        assert d["srsgc"][j] == pytest.approx((s + 1) / n)
        assert d["msgc"][j] == pytest.approx((l + 1) * (W - 1 + B) / (n * (B + (W - 1) * (l + 1))))
        assert d["bound"][j] == pytest.approx((W - 1 + B) / (n * (W - 1 + B) - l * B))
    for k in ("gc", "srsgc", "msgc"):
        assert (d["bound"] <= d[k] + 1e-15).all(), k
    # M-SGC never worse than SR-SGC, SR-SGC never worse than GC on this curve
    assert (d["msgc"] <= d["srsgc"] + 1e-15).all() and (d["srsgc"] <= d["gc"] + 1e-15).all()


def test_load_vs_window_burst():
    d = fig("load_vs_window_burst").data()
    n, lam = d["n"], d["lam"]
    for key, x in (("vs_W", "W"), ("vs_B", "B")):
        c = d[key]
        for j, v in enumerate(c[x]):
            B, W = (c["B"], int(v)) if x == "W" else (int(v), c["W"])
            assert c["msgc"][j] == pytest.approx(float(msgc_load(n, B, W, lam)))
            assert c["srsgc"][j] == pytest.approx(float(srsgc_load(n, B, W, lam)))
            assert c["gc"][j] == pytest.approx(float(gc_load(n, lam)))
            assert c["bound"][j] == pytest.approx(float(counting_bound(n, B, W, lam)))
            for k in ("gc", "srsgc", "msgc"):
                assert c["bound"][j] <= c[k][j] + 1e-15
    assert np.all(np.diff(d["vs_W"]["msgc"]) <= 1e-15)  # longer windows never cost more
    assert np.all(np.diff(d["vs_B"]["msgc"]) >= -1e-15)  # longer bursts never cost less


def test_lp_vs_msgc():
    d = fig("lp_vs_msgc").data()
    rows = d["rows"]
    assert rows
    for r in rows:
        assert isinstance(r["lp"], Fraction) and r["lp_exact"]
        # LP optimum is achievable by a scheme of delay T, so bound <= LP <= M-SGC
        assert r["bound"] <= r["lp"] <= r["msgc"], r
        assert r["msgc"] == Fraction(str(msgc_load(r["n"], r["B"], r["W"], r["lam"])))
    # the figure's message: M-SGC is strictly suboptimal somewhere and optimal somewhere
    assert any(r["lp"] < r["msgc"] for r in rows)
    assert any(r["lp"] == r["msgc"] for r in rows)
    one = next(r for r in rows if (r["B"], r["W"], r["lam"]) == (1, 2, 1))
    assert one["lp"] == Fraction(7, 24)


def test_heatmap_is_extract_pattern():
    mod = fig("straggler_heatmap")
    d = mod.data()
    tr = load_trace(mod.TRACE)
    P = extract_pattern(tr.delays, 1.0)
    assert d["pattern"].dtype == bool
    np.testing.assert_array_equal(d["pattern"], P)
    assert d["pattern"].shape == (256, 30)
    assert sorted(d["order"]) == list(range(256))
    np.testing.assert_array_equal(d["per_round"], P.sum(axis=0))
    # by definition: straggler iff slower than (1 + mu) x fastest
    i, r = np.argwhere(P)[0]
    assert tr.delays[i, r] > 2 * tr.delays[:, r].min()


def test_burst_lengths_sum_to_straggling_cells():
    mod = fig("burst_hist")
    assert list(
        mod.run_lengths(np.array([[1, 1, 0, 1], [0, 0, 0, 0], [1, 0, 1, 1]], dtype=bool))
    ) == [2, 1, 1, 2]
    d = mod.data()
    assert set(d["per_trace"]) == set(list_traces())
    for name, lengths in d["per_trace"].items():
        assert lengths.sum() == d["cells"][name]
        assert d["cells"][name] == extract_pattern(load_trace(name).delays, 1.0).sum()
    assert d["lengths"].sum() == sum(d["cells"].values())
    assert (d["counts"] * np.arange(len(d["counts"]))).sum() == d["lengths"].sum()
    assert d["counts"][0] == 0


def test_completion_cdf_monotone_ends_at_one():
    d = fig("completion_cdf").data()
    assert len(d["curves"]) == 5
    loads = [c["probe_load"] for c in d["curves"]]
    assert loads == sorted(loads)
    for c in d["curves"]:
        assert np.all(np.diff(c["x"]) >= 0) and np.all(np.diff(c["F"]) > 0)
        assert c["F"][-1] == 1.0 and c["F"][0] > 0
        assert c["x"].size == load_trace(c["trace"]).delays.size


def test_runtime_scatter_contains_best():
    d = fig("runtime_vs_load").data()
    for pol, per in d["best"].items():
        for s, b in per.items():
            assert b is not None, (pol, s)
            pt = d["points"][pol][s]
            assert pt["runtime"].min() == pytest.approx(b["runtime"])
            hit = np.isclose(pt["runtime"], b["runtime"]) & np.isclose(pt["load"], b["load"])
            assert hit.any(), (pol, s)
    # the minimal-wait policy never loses to the paper's, scheme by scheme
    for s in d["best"]["paper"]:
        assert d["best"]["minimal"][s]["runtime"] <= d["best"]["paper"][s]["runtime"] + 1e-9


def test_jobs_vs_time_curves():
    mod = fig("jobs_vs_time")
    d = mod.data()
    J = d["jobs"]
    for per in d["curves"].values():
        for c in per.values():
            assert list(c["jobs"]) == list(range(1, J + 1))
            assert np.all(np.diff(c["t"]) >= 0)
            assert c["t"][-1] == pytest.approx(c["runtime"])  # last job ends the run
    nc = d["curves"]["paper"]["nocoding"]
    assert nc["load"] == pytest.approx(1 / 256)
    assert d["curves"]["paper"]["msgc"]["load"] == pytest.approx(float(sp.Rational(7, 928)))


def test_optimal_T_eq_B_table_is_consistent():
    """The T = B table: every lower bound is at least the counting bound and at most the best
    runnable load, which is at most BR-SGC's (n + lam)/n^2."""
    d = fig("optimal_T_eq_B").data()
    assert set(d) == {(1, 2), (2, 3)}
    for c in d.values():
        for lo, run, br, cb in zip(c["lower"], c["runnable"], c["brsgc"], c["cb"]):
            assert cb <= lo * (1 + 1e-12) and lo <= run * (1 + 1e-12) and run <= br * (1 + 1e-12)


def test_long_run_ratios_read_the_stored_runs_and_check_their_parameters(tmp_path):
    """The figure reads results/long_run.json: one run per load-0 probe, GC's ratio to itself
    exactly 1; a file made with other parameters is refused, naming --recompute."""
    import json

    from sgc_theory.simulate.reproduce import load0_traces

    m = fig("long_run_ratios")
    d = m.data()
    assert tuple(d["runs"]) == tuple(load0_traces())
    for run in d["runs"].values():
        for pol in m.POLICIES:
            assert run["results"]["gc"][pol]["ratio_to_gc"]["mean"] == 1.0
            assert run["replay"]["ratio_to_gc"]["gc"][pol] == 1.0
    with pytest.raises(ValueError, match="--recompute"):
        m.data(rounds=m.ROUNDS // 2)
    bad = json.loads(m.STORED.read_text())
    next(iter(bad["runs"].values()))["settings"]["seed"] = 1
    path = tmp_path / "long_run.json"
    path.write_text(json.dumps(bad))
    with pytest.raises(ValueError, match="other settings"):
        m.stored(m.ROUNDS, m.REPLICATIONS, tuple(bad["runs"]), path=path)


def test_long_run_ratios_stored_runs_match_a_short_recomputation():
    """What does not depend on the length of the runs -- the process fitted to the probe, the
    configurations the pilot picks and their replay on the probe -- recomputed on one probe
    with short runs, equals the stored file: the picked configurations exactly, the fitted
    process and the replay up to floating-point rounding (another BLAS or numpy sums the
    EM iterations in another order: seen differing in the 14th digit on a fresh machine)."""
    from sgc_theory.simulate.compare import compare

    m = fig("long_run_ratios")
    d = m.data()
    name = next(n for n in d["runs"] if "n10" in n and "London" in n)
    out = compare(name, rounds=40, replications=2, mu=d["mu"], policies=m.POLICIES, seed=0)
    st = d["runs"][name]
    assert _close(out["process"], st["process"])
    assert {sc: r["params"] for sc, r in out["results"].items()} == {
        sc: r["params"] for sc, r in st["results"].items()
    }
    assert _close(out["replay"], st["replay"])


def _close(a, b, rel=1e-9) -> bool:
    """``a == b`` with floats compared to ``rel`` (relative, absolute below 1e-300), every other
    value (keys, strings, integers, list lengths) exactly."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], rel) for k in a)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(_close(x, y, rel) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return abs(a - b) <= rel * max(abs(a), abs(b)) + 1e-300
    return a == b


def test_close_compares_floats_to_rounding_and_everything_else_exactly():
    assert _close({"x": [1.0, 2.0]}, {"x": [1.0 + 1e-13, 2.0]})
    assert not _close({"x": [1.0, 2.0]}, {"x": [1.0 + 1e-6, 2.0]})
    assert not _close({"x": [1.0]}, {"x": [1.0, 2.0]})
    assert not _close({"x": "gc"}, {"x": "msgc"})
    assert not _close({"x": 1}, {"y": 1})
