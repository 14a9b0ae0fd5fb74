"""Traces: shipped data, user CSVs, malformed files."""

import numpy as np
import pytest

from sgc_theory.errors import SGCError
from sgc_theory.simulate import list_traces, load_trace, simulate

LONG0 = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"


def test_list_and_load_shipped():
    names = list_traces()
    assert len(names) == 35 and all(n.endswith(".csv") for n in names)
    t = load_trace(LONG0)
    assert t.delays.shape == (256, 30)  # workers x rounds (file is rounds x workers)
    assert t.probe_load == 0.0 and t.region == "Canada"
    full = t.name
    assert load_trace(full).name == full and load_trace(full[:-4]).name == full
    assert np.array_equal(load_trace(full).delays, t.delays)


def test_file_orientation(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("w0,w1,w2\n1,2,3\n4,5,6\n")
    t = load_trace(p)
    assert t.delays.tolist() == [[1, 4], [2, 5], [3, 6]]
    assert t.probe_load is None


def test_ambiguous_and_unknown():
    with pytest.raises(SGCError, match="ambiguous"):
        load_trace("sam-gc-cnn_profile_est")
    with pytest.raises(SGCError, match="no such file"):
        load_trace("no-such-trace")


@pytest.mark.parametrize(
    "content, rule",
    [
        ("", "empty"),
        ("w0,w1\n", "no data"),
        ("w0,w1\n1,2\n3\n", "ragged"),
        ("w0,w1\n1,nan\n", "NaN"),
        ("w0,w1\n1,abc\n", "not a number"),
        ("w0,w1\n1,-2\n", "negative"),
    ],
)
def test_malformed(tmp_path, content, rule):
    p = tmp_path / "bad_trace.csv"
    p.write_text(content)
    with pytest.raises(SGCError, match=rule) as exc:
        load_trace(str(p))
    assert "bad_trace.csv" in str(exc.value)


def test_too_few_rounds(tmp_path):
    p = tmp_path / "short.csv"
    p.write_text("w0,w1\n1,1\n1,1\n")
    with pytest.raises(SGCError, match="short.csv.*2 rounds but 3"):
        simulate(str(p), "nocoding", jobs=3, mu=1.0)


def test_fit_recovers_a_planted_slope_exactly():
    """Delays exactly linear in the probe load (dyadic values, so the floats are exact): the
    least-squares fit returns the planted slope and intercept exactly, with r^2 = 1."""
    from sgc_theory.simulate import Trace, fit_slope

    rng = np.random.default_rng(3)
    base = rng.integers(32, 256, size=(16, 12)) / 64.0  # 0.5 .. 4 s, multiples of 1/64
    for slope in (2.25, 1.125, 0.0):
        traces = [
            Trace(delays=base + slope * L, name=f"probe{L}", probe_load=L)
            for L in (0.0, 0.25, 0.5, 0.75, 1.0)
        ]
        fit = fit_slope(traces)
        assert fit["slope"] == slope and fit["intercept"] == base.mean() and fit["r2"] == 1.0
        assert [p["probe_load"] for p in fit["points"]] == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_fit_refusals():
    from sgc_theory.simulate import Trace, fit_slope

    t = Trace(delays=np.ones((2, 2)), name="a", probe_load=0.0)
    with pytest.raises(SGCError, match="two or more probe loads"):
        fit_slope([t, t])
    with pytest.raises(SGCError, match="no probe load"):
        fit_slope([Trace(delays=np.ones((2, 2)), name="b")])
    with pytest.raises(SGCError, match="region"):
        fit_slope(family="est-mbp", region="Mars")


def test_default_slope_is_the_desktop_long_fit():
    from sgc_theory.simulate import DEFAULT_SLOPE, fit_slope

    assert round(fit_slope(family="desktop_long")["slope"], 4) == DEFAULT_SLOPE


@pytest.mark.parametrize(
    "bad, rule",
    [
        ([[1.0, 2.0], [3.0]], "ragged"),
        ([[1.0, "x"], [3.0, 4.0]], "not numeric"),
        ([[1.0, float("nan")]], "finite"),
        ([[1.0, -1.0]], "finite and >= 0"),
        ([1.0, 2.0], "2-D"),
    ],
)
def test_api_refuses_bad_delay_matrices(bad, rule):
    with pytest.raises(SGCError, match=rule):
        simulate(bad, "nocoding", jobs=1, mu=1.0)


@pytest.mark.parametrize(
    "kw, rule",
    [
        ({"mu": float("nan")}, "mu must be finite"),
        ({"mu": -0.5}, "mu must be >= 0"),
        ({"mu": "1"}, "mu must be a number"),
        ({"jobs": -3}, "jobs must be >= 1"),
        ({"jobs": 10**12}, "rounds"),
        ({"jobs": 2.5}, "jobs must be an integer"),
        ({"slope": float("inf")}, "slope must be finite"),
        ({"policy": 3}, "policy"),
        ({"max_work": -1}, "max_work"),
    ],
)
def test_api_refuses_bad_arguments(kw, rule):
    args = dict(jobs=2, mu=1.0)
    args.update(kw)
    with pytest.raises(SGCError, match=rule):
        simulate([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], "gc", s=1, **args)


def test_overflow_after_shift_names_the_entry():
    D = np.ones((3, 2))
    D[1, 1] = 1.7e308
    with pytest.raises(SGCError, match=r"entry \[1, 1\] \(worker 1, round 1\)"):
        simulate(D, "gc", jobs=2, mu=1.0, s=1)
    with pytest.raises(SGCError, match="scheme must be one of"):
        simulate(D, 42, jobs=2, mu=1.0)


def test_directory_is_not_a_trace(tmp_path):
    with pytest.raises(SGCError, match="is a directory"):
        load_trace(str(tmp_path))
