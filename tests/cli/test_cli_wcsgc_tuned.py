"""WC-SGC's optional --T/--capacity/--units on load, verify and show: the load is P/K, verify
proves the largest K of the capacity and refutes K + 1 (exit 1, confirmed), other families and
bad values are refused in one line naming the flag."""

from __future__ import annotations

import json

import pytest

from test_cli_fuzz import run_cli

BASE = ["--n", "256", "--scheme", "wcsgc", "--B", "2", "--W", "3", "--lam", "6"]
TUNE = ["--T", "2", "--capacity", "3"]


def test_load_of_a_tuned_instance_is_P_over_K_and_says_it_is_tuned():
    rc, out, err, _ = run_cli(["load", *BASE, *TUNE, "--units", "756", "--json"])
    assert rc == 0, err
    assert json.loads(out) == {
        "load": {"fraction": "1/252", "float": 1 / 252},
        "T": 2,
        "tuned": True,
    }
    rc, out, _, _ = run_cli(["load", *BASE, "--T", "3", "--json"])  # the theorem's own values
    assert rc == 0 and json.loads(out) == {
        "load": {"fraction": "1/253", "float": 1 / 253},
        "T": 3,
    }


def test_verify_proves_756_units_and_refutes_757_at_delay_2():
    rc, out, err, _ = run_cli(["verify", *BASE, *TUNE, "--units", "756", "--all-horizons"])
    assert rc == 0 and "PROVED (counts" in out, err
    rc, out, err, _ = run_cli(
        ["verify", *BASE, *TUNE, "--units", "757", "--all-horizons", "--json"]
    )
    got = json.loads(out)
    assert rc == 1 and got["ok"] is False and got["confirmed"] is True


def test_show_runs_a_tuned_instance_exactly():
    argv = ["show", "--n", "8", "--scheme", "wcsgc", "--B", "2", "--W", "3", "--lam", "2"]
    rc, out, err, _ = run_cli(
        [*argv, *TUNE, "--units", "20", "--rounds", "4", "--pattern", "0,1;0,1", "--json"]
    )
    assert rc == 0, err
    got = json.loads(out)
    assert got["basis"] == "exact" and got["pattern_in_model"] and got["first_missed_job"] is None
    rc, out, err, _ = run_cli([*argv, *TUNE, "--units", "20", "--rounds", "2"])
    assert rc == 0 and out.startswith("WCSGC(n=8, B=2, W=3, lam=2, T=2, P=3, K=20), T=2"), err


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["load", "--n", "8", "--scheme", "brsgc", "--B", "1", "--W", "2", "--lam", "1",
          "--T", "1"], "takes --B --W --lam (not --T)"),
        (["load", *BASE, "--units", "0"], "--units must be >= 1"),
        (["verify", *BASE, "--capacity", "-2", "--all-horizons"], "--capacity must be >= 1"),
        (["load", "--n", "8", "--scheme", "gc", "--s", "1", "--capacity", "2"],
         "takes --s (not --capacity)"),
    ],
)  # fmt: skip
def test_tuning_refusals_are_one_line_naming_the_flag(argv, needle):
    rc, out, err, _ = run_cli(argv)
    assert rc == 2 and needle in err and err.count("\n") == 1, err
