"""Every registered scheme family, BR-SGC included, on every command that takes a scheme:
``load``, ``verify``, ``show``, ``simulate`` (and the sweep / reproduce reports)."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.bounds import brsgc_load
from sgc_theory.cli._common import SCHEME_PARAMS, SCHEMES
from sgc_theory.cli.verify import share_run
from sgc_theory.schemes import BRSGC, PRSGC
from sgc_theory.schemes import SCHEMES as REGISTRY
from sgc_theory.simulate.runtime import param_names

from test_cli_fuzz import run_cli

LONG0 = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"
BR = ["--scheme", "brsgc", "--B", "1", "--W", "2", "--lam", "27"]


def test_the_command_line_knows_every_registered_family():
    """Adding a family to the registry without teaching the command line fails here."""
    assert set(SCHEMES) == set(REGISTRY)
    for name in REGISTRY:
        assert SCHEME_PARAMS[name] == param_names(name), name


def test_load_brsgc_is_the_closed_form():
    rc, out, err, _ = run_cli(["load", "--n", "256", "--json"] + BR)
    assert rc == 0, err
    got = json.loads(out)
    load = brsgc_load(256, 27)
    assert got == {
        "load": {"fraction": f"{load.p}/{load.q}", "float": float(load)},
        "T": 1,
    } and load == pytest.approx(283 / 65536)
    rc, out, _, _ = run_cli(["load", "--n", "256"] + BR)
    assert out.startswith("BR-SGC (n=256, B=1, W=2, lam=27): load 283/65536")


@pytest.mark.parametrize(
    "argv, needle",
    [
        (
            ["load", "--n", "6", "--scheme", "brsgc", "--B", "2", "--W", "2", "--lam", "1"],
            "1 <= B <= W - 1",
        ),
        (
            ["load", "--n", "6", "--scheme", "brsgc", "--B", "1", "--W", "2", "--lam", "7"],
            "lam <= n",
        ),
        (["verify", "--rounds", "2", "--n", "6", "--scheme", "BR-SGC", "--s", "1"], "not --s"),
        (
            ["show", "--rounds", "2", "--n", "6", "--scheme", "brsgc", "--B", "1", "--W", "2"],
            "needs --lam",
        ),
        (
            ["simulate", "--trace", LONG0, *"--jobs 3 --mu 1 --scheme brsgc --s 2".split()],
            "--scheme brsgc takes --B --W --lam (not --s)",
        ),
        (
            ["simulate", "--trace", LONG0, *"--jobs 3 --mu 1 --scheme nocoding --B 2".split()],
            "--scheme nocoding takes no parameters (not --B)",
        ),
        (
            ["simulate", "--trace", LONG0, "--jobs", "3", "--mu", "1", "--scheme", "xyz"],
            "choose one of nocoding, gc, srsgc, msgc, brsgc",
        ),
    ],
)
def test_brsgc_refusals_are_one_line(argv, needle):
    rc, out, err, _ = run_cli(argv)
    assert rc == 2 and needle in err and err.count("\n") == 1, err


def test_verify_brsgc_small_and_large():
    rc, out, err, _ = run_cli(
        "verify --n 6 --scheme brsgc --B 1 --W 2 --lam 2 --all-horizons --json".split()
    )
    assert rc == 0 and json.loads(out)["ok"] is True, err
    rc, out, err, _ = run_cli(["verify", "--n", "256", "--all-horizons", "--json"] + BR)
    assert rc == 0 and json.loads(out)["ok"] is True, err
    # outside its design model BR-SGC fails, and verify says so with exit 1
    rc, out, err, _ = run_cli(
        "verify --n 5 --scheme brsgc --B 1 --W 2 --lam 1 --model bursty:B=2,W=3,lam=1 --rounds 3 --json".split()
    )
    assert rc == 1 and json.loads(out)["ok"] is False


def test_show_brsgc_small_is_exact_and_readable():
    rc, out, err, _ = run_cli(
        "show --n 6 --scheme brsgc --B 1 --W 2 --lam 2 --rounds 3 --pattern 0,2".split()
    )
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[0] == "BRSGC(n=6, B=1, W=2, lam=2), T=1, load=2/9"
    # round 1: the stragglers 0 and 2 of round 0 re-compute their 6 partitions and take k = 2
    # partitions of job 1; the others take n + k = 8
    assert (
        "  worker 0: job 1: share: partitions 0..1, job 0: re-computed share: partitions 0..5"
        in lines
    )
    assert "  worker 1: job 1: share: partitions 2..9" in lines
    rc, out, _, _ = run_cli(
        "show --n 6 --scheme brsgc --B 1 --W 2 --lam 2 --rounds 3 --pattern 0,2 --json".split()
    )
    got = json.loads(out)
    assert got["basis"] == "exact" and got["first_missed_job"] is None
    assert [r["decoded"] for r in got["rounds"]] == [[], [0, 1], [2]]


@pytest.mark.parametrize(
    "n, B, W, lam, seed", [(5, 1, 2, 2, 0), (7, 2, 3, 3, 1), (9, 1, 3, 4, 2), (12, 2, 4, 5, 3)]
)
def test_share_table_equals_the_exact_run(n, B, W, lam, seed):
    """The table ``show`` prints above n = 64 (partition ranges, token rule) is the exact run's
    table wherever both exist, on random admitted patterns (also ones outside the model)."""
    sch = BRSGC(n, B=B, W=W, lam=lam)
    rng = np.random.default_rng(seed)
    for P in (sch.design_model.sample(6, rng=rng), rng.random((n, 6)) < 0.3):
        exact, fast = sch.run(P), share_run(sch, P)
        assert fast.table() == exact.table()
        assert fast.decoded_round == exact.decoded_round


def test_show_brsgc_above_64_uses_shares():
    rc, out, err, _ = run_cli(["show", "--n", "256", "--rounds", "3", "--pattern", "0,5;;"] + BR)
    assert rc == 0, err
    lines = out.splitlines()
    assert "partition ranges from shares()" in lines[0]
    assert (
        "  worker 0: job 1: share: partitions 0..1, job 0: re-computed share: partitions "
        "0..255" in lines
    )
    assert "  worker 1: job 1: share: partitions 2..259" in lines
    assert len(lines) == 1 + 3 * (256 + 2)
    rc, out, _, _ = run_cli(["show", "--n", "256", "--rounds", "2", "--json"] + BR)
    got = json.loads(out)
    assert got["basis"] == "shares" and [r["decoded"] for r in got["rounds"]] == [[0], [1]]
    # a share table beyond the budget is refused in one line naming the flag
    rc, out, err, _ = run_cli(["show", "--n", "256", "--rounds", "100000"] + BR)
    assert rc == 2 and "--max-work" in err and err.count("\n") == 1


@pytest.mark.parametrize("n, B, W, lam, seed", [(5, 1, 2, 2, 0), (6, 2, 3, 3, 1)])
def test_prsgc_share_table_matches_the_exact_run(n, B, W, lam, seed):
    """PR-SGC's share table (pieces in units of 1/D) has the exact run's jobs, ages and
    decoding rounds, and each piece, divided by D, is the interval its exact task prints."""
    sch = PRSGC(n, B=B, W=W, lam=lam)
    D = sch.unit_denominator
    rng = np.random.default_rng(seed)
    for P in (sch.design_model.sample(6, rng=rng), rng.random((n, 6)) < 0.3):
        exact, fast = sch.run(P), share_run(sch, P)
        assert fast.decoded_round == exact.decoded_round
        for r in range(P.shape[1]):
            for mine, theirs in zip(fast.assignments[r], exact.assignments[r]):
                assert [(t, task.age) for t, task in mine] == [(t, k.age) for t, k in theirs]
                for (_, task), (_, k) in zip(mine, theirs):
                    a, b = task.label.split("units ")[1].split("..")
                    lo, hi = k.label.split("[")[1].rstrip(")").split(", ")
                    assert Fraction(int(a), D) == Fraction(lo)
                    assert Fraction(int(b) + 1, D) == Fraction(hi)


def test_show_prsgc_above_8_names_what_was_limited():
    PR = ["--scheme", "prsgc", "--B", "1", "--W", "2", "--lam", "3"]
    rc, out, err, _ = run_cli(["show", "--n", "12", "--rounds", "2", "--pattern", "0;"] + PR)
    assert rc == 0, err
    head = out.splitlines()[0]
    D = PRSGC(12, 1, 2, 3).unit_denominator
    assert (
        f"(n > 8: PR-SGC's exact tasks are built for n <= 8; pieces from shares() in units of 1/{D},"
        in head
    )
    assert "64" not in head and "partition ranges" not in head
    assert "  worker 0 (straggler): job 0: piece: units 0.." in out
    assert "  worker 0: job 0: re-computed piece: units " in out
    rc, out, err, _ = run_cli(["show", "--n", "8", "--rounds", "2", "--json"] + PR)
    assert rc == 0 and json.loads(out)["basis"] == "exact"  # n = 8: the exact run


def test_symmetric_note_names_the_scheme_it_ran_on():
    from sgc_theory.verify import verify

    br = verify(BRSGC(5, 1, 2, 2), all_horizons=True, method="symmetric")
    pr = verify(PRSGC(5, 1, 2, 2), all_horizons=True, method="symmetric")
    assert br.ok and pr.ok
    assert any("exact for BR-SGC" in note for note in br.notes)
    assert any("sufficient for PR-SGC" in note for note in pr.notes)
    assert not any("BR-SGC" in note for note in pr.notes)


def test_simulate_brsgc_spelled_alike_and_exact_optimum():
    base = ["simulate", "--trace", LONG0, *"--jobs 20 --mu 1 --B 1 --W 2 --lam 27 --json".split()]
    outs = {}
    for spelling in ("brsgc", "BR-SGC", "br_sgc"):
        for pol in ("paper", "optimal"):
            rc, out, err, _ = run_cli(base + ["--scheme", spelling, "--policy", pol])
            assert rc == 0, err
            outs[spelling, pol] = json.loads(out)
    assert outs["brsgc", "paper"] == outs["BR-SGC", "paper"] == outs["br_sgc", "paper"]
    o, p = outs["brsgc", "optimal"], outs["brsgc", "paper"]
    assert o["exact"] is True and o["lower_bound"] == o["runtime"] <= p["runtime"]
    assert o["scheme"] == "brsgc" and o["T"] == 1
    assert o["load"] == {"fraction": "283/65536", "float": 283 / 65536}


def test_show_marks_the_rounds_over_the_load():
    """The issue's pattern: under ``0,1,2,3;;0,1,2,3;;...`` BR-SGC(5; 1, 2, 2) (load 7/25) has
    its workers compute 9/25 in rounds 1, 3, 5; show marks those rounds (text and JSON), the
    verdict on the same model fails with exit 1 naming a round and a worker."""
    argv = "show --n 5 --scheme brsgc --B 1 --W 2 --lam 2 --rounds 6 --pattern 0,1,2,3;;0,1,2,3;;0,1,2,3"
    rc, out, err, _ = run_cli(argv.split())
    assert rc == 0, err
    marked = [line for line in out.splitlines() if "OVER THE LOAD" in line]
    assert [line.split(":")[0] for line in marked] == ["round 1", "round 3", "round 5"]
    assert all("9/25 of a job > load 7/25" in line for line in marked)
    rc, out, _, _ = run_cli(argv.split() + ["--json"])
    over = json.loads(out)["rounds_over_load"]
    assert [o["round"] for o in over] == [1, 3, 5]
    assert over[0]["workers"] == [0, 1, 2, 3, 4] and over[0]["work"]["fraction"] == "9/25"
    # inside the model: nothing marked
    rc, out, _, _ = run_cli(
        "show --n 5 --scheme brsgc --B 1 --W 2 --lam 2 --rounds 3 --pattern 0,1 --json".split()
    )
    assert json.loads(out)["rounds_over_load"] == []
    rc, out, err, _ = run_cli(
        "verify --n 5 --scheme brsgc --B 1 --W 2 --lam 2 --model bursty:B=1,W=2,lam=4 "
        "--all-horizons --json".split()
    )
    got = json.loads(out)
    assert rc == 1 and got["ok"] is False and got["overload"]["round"] == 1
    assert got["overload"]["worker"] == 0 and got["overload"]["load"]["fraction"] == "7/25"


def test_verify_zero_rounds_is_refused():
    rc, out, err, _ = run_cli("verify --n 4 --scheme gc --s 1 --rounds 0".split())
    assert rc == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "rounds must be >= 1" in err
