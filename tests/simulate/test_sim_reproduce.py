"""``reproduce``: the paper's protocol; its numbers are the single-run simulator's."""

import json

import numpy as np
import pytest

from sgc_theory.simulate import load0_traces, reproduce, simulate, sweep

TOKYO = "sam-gc-cnn_profile_est-mbp__w256-n10-l0_000-b256-cno_forloop-Tokyo"
LONG0 = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"


def test_load0_traces():
    names = load0_traces()
    assert len(names) == 7 and all("l0_000" in n for n in names)


@pytest.mark.parametrize("trace, slope", [(TOKYO, "paper"), (LONG0, "default")])
def test_reproduce_equals_simulate_for_the_chosen_configurations(trace, slope):
    out = reproduce([trace], slopes=[slope])
    json.dumps(out, allow_nan=False)  # strict JSON
    (run,) = out["runs"]
    J = run["jobs"]
    sw = sweep(trace, jobs=J, max_delay=4, mu=1.0, slope=slope, policy="paper")
    for sc, b in run["best"].items():
        assert b is not None
        chosen = sw.best["paper"][sc]
        assert b["params"] == {k: chosen[k] for k in b["params"]}
        assert b["runtime"]["paper"] == pytest.approx(chosen["runtime"], rel=1e-12)
        for pol in ("paper", "minimal", "optimal"):
            r = simulate(trace, sc, jobs=J, mu=1.0, policy=pol, slope=slope, **b["params"])
            assert b["runtime"][pol] == r.runtime
        rt = b["runtime"]
        assert rt["optimal"] <= min(rt["paper"], rt["minimal"]) + 1e-9
    g, m = run["best"]["gc"]["runtime"], run["best"]["msgc"]["runtime"]
    for pol in ("paper", "minimal", "optimal"):
        assert run["ratio_msgc_gc"][pol] == pytest.approx(m[pol] / g[pol])
        assert run["diff_msgc_gc"][pol] == pytest.approx(m[pol] - g[pol])
    # every registered family is reported beside the paper's three, BR-SGC among them
    assert set(run["best"]) == {"nocoding", "gc", "srsgc", "msgc", "brsgc"}
    assert run["best"]["brsgc"]["exact_optimal"] is True
    for sc in ("nocoding", "srsgc", "msgc", "brsgc"):
        for pol in ("paper", "minimal", "optimal"):
            x = run["best"][sc]["runtime"][pol]
            assert run["ratio_to_gc"][sc][pol] == pytest.approx(x / g[pol])


def test_summary_is_median_and_range_of_the_runs():
    out = reproduce(
        [TOKYO, "sam-gc-cnn_profile_est-mbp__w256-n10-l0_000-b256-cno_forloop-Sydney"],
        slopes=["default", 2.2013],
    )
    assert len(out["runs"]) == 4
    for pol, s in out["summary"].items():
        vals = [r["ratio_msgc_gc"][pol] for r in out["runs"]]
        assert s["median"] == pytest.approx(float(np.median(vals)))
        assert s["min"] == min(vals) and s["max"] == max(vals) and s["count"] == 4
    assert set(out["summary_by_slope"]) == {"1.1218", "2.2013"}
    assert out["summary_to_gc"]["msgc"] == out["summary"]
    for pol, s in out["summary_to_gc"]["brsgc"].items():
        vals = [r["ratio_to_gc"]["brsgc"][pol] for r in out["runs"]]
        assert s["median"] == pytest.approx(float(np.median(vals))) and s["count"] == 4
