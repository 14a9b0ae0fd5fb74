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


@pytest.mark.parametrize("content, rule", [
    ("", "empty"),
    ("w0,w1\n", "no data"),
    ("w0,w1\n1,2\n3\n", "ragged"),
    ("w0,w1\n1,nan\n", "NaN"),
    ("w0,w1\n1,abc\n", "not a number"),
    ("w0,w1\n1,-2\n", "negative"),
])
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
