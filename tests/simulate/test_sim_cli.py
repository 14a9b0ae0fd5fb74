"""CLI contract of ``sgc simulate`` and ``sgc sweep``."""

import json

import pytest

from sgc_theory.cli import main

TRACE = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"


def test_simulate_json(capsys):
    rc = main(["simulate", "--trace", TRACE, "--scheme", "msgc", "--B", "1", "--W", "2",
               "--lam", "27", "--jobs", "10", "--mu", "1", "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"runtime", "round_times", "waits", "rounds"}
    assert len(out["round_times"]) == out["rounds"] == 11
    assert out["runtime"] == pytest.approx(sum(out["round_times"]))


def test_simulate_csv_path_and_text(tmp_path, capsys):
    p = tmp_path / "tiny.csv"
    p.write_text("w0,w1,w2\n1,1,1\n1,3,1\n")
    rc = main(["simulate", "--trace", str(p), "--scheme", "gc", "--s", "1", "--jobs", "2",
               "--mu", "1", "--slope", "0", "--policy", "minimal"])
    assert rc == 0 and "runtime 3.0000" in capsys.readouterr().out


def test_sweep_json(tmp_path, capsys):
    p = tmp_path / "tiny.csv"
    p.write_text("w0,w1,w2,w3\n1,1,1,1\n1,3,1,1\n1,1,4,1\n2,1,1,1\n")
    rc = main(["sweep", "--trace", str(p), "--jobs", "2", "--max-delay", "2", "--mu", "1",
               "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"best", "evaluated"}
    assert set(out["best"]) == {"gc", "srsgc", "msgc", "nocoding"}
    assert set(out["best"]["gc"]) == {"s", "load", "runtime"}
    assert set(out["best"]["srsgc"]) == {"B", "W", "lam", "load", "runtime"}


@pytest.mark.parametrize("argv, text", [
    (["simulate", "--trace", TRACE, "--scheme", "gc", "--jobs", "3", "--mu", "1"], "--s"),
    (["simulate", "--trace", "nope", "--scheme", "nocoding", "--jobs", "3", "--mu", "1"],
     "nope"),
    (["simulate", "--trace", TRACE, "--scheme", "srsgc", "--B", "2", "--W", "2", "--lam", "3",
      "--jobs", "3", "--mu", "1"], "W >= B + 1"),
    (["sweep", "--trace", TRACE, "--jobs", "25", "--max-delay", "10", "--mu", "1"],
     "30 rounds but 35"),
])
def test_errors_exit_2(argv, text, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("sgc: error:") and text in err and err.count("\n") == 1
