"""CLI contract of ``sgc simulate`` and ``sgc sweep``."""

import json

import pytest

from sgc_theory.cli import main

TRACE = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"


def test_simulate_json(capsys):
    rc = main(
        [
            "simulate",
            "--trace",
            TRACE,
            *"--scheme msgc --B 1 --W 2 --lam 27 --jobs 10 --mu 1 --json".split(),
        ]
    )
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert {"runtime", "round_times", "waits", "rounds", "policy", "params"} <= set(out)
    assert len(out["round_times"]) == out["rounds"] == 11
    assert out["runtime"] == pytest.approx(sum(out["round_times"]))


def test_simulate_csv_path_and_text(tmp_path, capsys):
    p = tmp_path / "tiny.csv"
    p.write_text("w0,w1,w2\n1,1,1\n1,3,1\n")
    rc = main(
        [
            "simulate",
            "--trace",
            str(p),
            *"--scheme gc --s 1 --jobs 2 --mu 1 --slope 0 --policy minimal".split(),
        ]
    )
    assert rc == 0 and "runtime 3.0000" in capsys.readouterr().out


def test_sweep_json(tmp_path, capsys):
    p = tmp_path / "tiny.csv"
    p.write_text("w0,w1,w2,w3\n1,1,1,1\n1,3,1,1\n1,1,4,1\n2,1,1,1\n")
    rc = main(
        ["sweep", "--trace", str(p), "--jobs", "2", "--max-delay", "2", "--mu", "1", "--json"]
    )
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"best", "evaluated", "skipped"}
    assert set(out["best"]) == {"gc", "srsgc", "msgc", "brsgc", "nocoding"}
    assert set(out["best"]["gc"]) == {"s", "load", "runtime"}
    assert set(out["best"]["srsgc"]) == {"B", "W", "lam", "load", "runtime"}


@pytest.mark.parametrize(
    "argv, text",
    [
        (["simulate", "--trace", TRACE, "--scheme", "gc", "--jobs", "3", "--mu", "1"], "--s"),
        (
            ["simulate", "--trace", "nope", "--scheme", "nocoding", "--jobs", "3", "--mu", "1"],
            "nope",
        ),
        (
            [
                "simulate",
                "--trace",
                TRACE,
                *"--scheme srsgc --B 2 --W 2 --lam 3 --jobs 3 --mu 1".split(),
            ],
            "W >= B + 1",
        ),
        (
            ["sweep", "--trace", TRACE, "--jobs", "25", "--max-delay", "10", "--mu", "1"],
            "30 rounds but 35",
        ),
    ],
)
def test_errors_exit_2(argv, text, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("sgc: error:") and text in err and err.count("\n") == 1


def test_simulate_optimal_json_and_paper_slope(capsys):
    argv = [
        "simulate",
        "--trace",
        TRACE,
        *"--scheme msgc --B 1 --W 2 --lam 27 --jobs 20 --mu 1 --json --slope paper".split(),
    ]
    outs = {}
    for pol in ("paper", "minimal", "optimal"):
        assert main(argv + ["--policy", pol]) == 0
        outs[pol] = json.loads(capsys.readouterr().out)
    o = outs["optimal"]
    assert o["exact"] is True and o["lower_bound"] == o["runtime"]
    assert o["runtime"] <= min(outs["paper"]["runtime"], outs["minimal"]["runtime"])
    # 'paper' is the slope 2.2013
    assert main(argv[:-1] + ["2.2013", "--policy", "optimal"]) == 0
    assert json.loads(capsys.readouterr().out)["runtime"] == o["runtime"]


def test_sweep_optimal_json(tmp_path, capsys):
    p = tmp_path / "tiny.csv"
    p.write_text("w0,w1,w2,w3\n1,1,1,1\n1,3,1,1\n1,1,4,1\n2,1,1,5\n")
    rc = main(
        [
            "sweep",
            "--trace",
            str(p),
            *"--jobs 2 --max-delay 2 --mu 1 --policy optimal --json".split(),
        ]
    )
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert out["best"]["gc"]["exact"] is True


def test_traces_list_and_fit(capsys):
    assert main(["traces", "list", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["traces"]
    assert len(rows) == 35 and {
        "trace",
        "family",
        "region",
        "batch",
        "rounds",
        "probe_load",
    } <= set(rows[0])
    assert sum(r["probe_load"] == 0.0 for r in rows) == 7
    assert main(["traces", "fit", "--family", "desktop_long", "--json"]) == 0
    fit = json.loads(capsys.readouterr().out)
    assert round(fit["slope"], 4) == 1.1218 and len(fit["points"]) == 5
    assert 0.99 < fit["r2"] <= 1


@pytest.mark.parametrize(
    "argv, text",
    [
        (["traces", "fit", "--family", "mbp"], "--region"),
        (["traces", "fit", "--family", "nope"], "no such probe family"),
        (
            [
                "simulate",
                "--trace",
                TRACE,
                *"--scheme gc --s 1 --jobs 3 --mu 1 --slope steep".split(),
            ],
            "slope",
        ),
        (
            [
                "simulate",
                "--trace",
                TRACE,
                *"--scheme msgc --B 1 --W 5 --lam 20 --jobs 25 --mu 1 --policy optimal --max-work 1000".split(),
            ],
            "--max-work",
        ),
        (
            [
                "sweep",
                "--trace",
                TRACE,
                *"--jobs 3 --max-delay 1 --mu 1 --scheduler nonsense::addr".split(),
            ],
            "scheduler",
        ),
        (
            [
                "sweep",
                "--trace",
                TRACE,
                *"--jobs 3 --max-delay 1 --mu 1 --scheduler tcp://127.0.0.1:9".split(),
            ],
            "scheduler",
        ),
        (["reproduce", "--trace", TRACE, "--jobs", "40"], "rounds"),
        (["reproduce", "--slope", "flat"], "slope"),
    ],
)
def test_more_errors_exit_2(argv, text, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("sgc: error:") and text in err and err.count("\n") == 1


def test_overflowing_trace_is_refused_with_location(tmp_path, capsys):
    p = tmp_path / "huge.csv"
    p.write_text("w0,w1,w2\n1,1,1\n1,1.7e308,1\n")
    rc = main(["simulate", "--trace", str(p), *"--scheme gc --s 1 --jobs 2 --mu 1 --json".split()])
    err = capsys.readouterr().err
    assert rc == 2 and "huge.csv: line 3, column 2" in err and err.count("\n") == 1
