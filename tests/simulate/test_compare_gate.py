"""The credibility gate and the replay of the trace next to the process's answer."""

import json

from sgc_theory.cli import main
from sgc_theory.simulate.processes import write_delay_csv

from compare_helpers import ge

FAST = ["--rounds", "40", "--replications", "2", "--target-halfwidth", "off",
        "--pilot-jobs", "6", "--max-delay", "2"]  # fmt: skip
BAD = {"credible": False, "reasons": ["cold start: 3 of 12 workers at 40x the median"],
       "checks": {}}  # fmt: skip


def _model(tmp_path, cred):
    path = tmp_path / "m.json"
    ge(n=12, q=0.05, credibility=cred).save(path)
    return str(path)


def test_not_credible_is_refused_with_the_reasons(tmp_path, capsys):
    m = _model(tmp_path, BAD)
    for cmd in ("compare", "recommend"):
        rc = main([cmd, "--process", m, *FAST])
        err = capsys.readouterr().err
        assert rc == 2 and "cold start" in err and "--allow-not-credible" in err
        assert err.count("\n") == 1


def test_allow_not_credible_carries_the_warning(tmp_path, capsys):
    m = _model(tmp_path, BAD)
    for cmd in ("compare", "recommend"):
        extra = ["--pilot-replications", "1"] if cmd == "recommend" else []
        assert main([cmd, "--process", m, *FAST, *extra, "--allow-not-credible", "--json"]) == 0
        out = json.loads(capsys.readouterr().out)
        assert "not credible" in out["warning"] and "cold start" in out["warning"]
        assert out["credibility"]["credible"] is False
        assert main([cmd, "--process", m, *FAST, *extra, "--allow-not-credible"]) == 0
        assert capsys.readouterr().out.startswith("WARNING: the straggler process is not credible")


def test_credible_or_hand_built_passes(tmp_path, capsys):
    for cred in ({"credible": True, "reasons": [], "checks": {}}, None):
        path = tmp_path / "ok.json"
        p = ge(n=12, q=0.05)
        if cred is not None:
            p.meta["credibility"] = cred
        p.save(path)
        assert main(["compare", "--process", str(path), *FAST, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["warning"] is None


def test_trace_replay_is_reported_next_to_the_process(tmp_path, capsys):
    """A CSV trace: the process is fitted and the same configurations replayed on the trace."""
    D = ge(n=12, q=0.08, stay=0.5, slow=1.2).generate(60, seed=4)
    write_delay_csv(D, tmp_path / "t.csv")
    argv = ["compare", "--trace", str(tmp_path / "t.csv"), *FAST, "--allow-not-credible"]
    assert main([*argv, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    rp = out["replay"]["ratio_to_gc"]
    assert set(rp) == set(out["results"]) and rp["gc"]["paper"] == 1.0
    assert main(argv) == 0
    assert "(trace replay " in capsys.readouterr().out


def test_probe_load_for_csv_traces(tmp_path, capsys):
    """--probe-load is the origin of the load shift: GC's time per job falls by the shift
    (slope x probe load) when the trace is declared measured at a higher load."""
    D = ge(n=12, q=0.05).generate(60, seed=2)
    write_delay_csv(D, tmp_path / "t.csv")
    base = ["compare", "--trace", str(tmp_path / "t.csv"), *FAST, "--allow-not-credible",
            "--schemes", "gc", "--slope", "1", "--json"]  # fmt: skip
    vals = {}
    for L0 in ("0", "0.25"):
        assert main([*base, "--probe-load", L0]) == 0
        out = json.loads(capsys.readouterr().out)
        assert out["settings"]["probe_load"] == float(L0)
        vals[L0] = out["results"]["gc"]["paper"]["mean_time_per_job"]
    assert vals["0.25"] < vals["0"]
    assert main([*base, "--probe-load", "-1"]) == 2
    capsys.readouterr()
