"""``sgc design``: the JSON contract, verification of the designed table, errors, exit codes."""

import json

from sgc_theory.cli import main

CONTRACT = {
    "load",
    "load_fraction",
    "lower_bound",
    "status",
    "variables",
    "constraints",
    "verified",
}


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_design_json_lp(capsys):
    rc, out, err = run(
        capsys,
        "design",
        "--n",
        "4",
        "--model",
        "bursty:B=2,W=3,lam=2",
        "--T",
        "3",
        "--P",
        "2",
        "--json",
    )
    assert rc == 0, err
    d = json.loads(out)
    assert CONTRACT <= set(d)
    assert d["load_fraction"] == "1/3" == d["lp_lower"] and d["lower_bound"] == "1/3"
    assert d["status"] == "optimal" and d["verified"] is None and d["exact"] is True
    assert abs(d["load"] - 1 / 3) < 1e-12
    assert isinstance(d["variables"], int) and isinstance(d["constraints"], int)


def test_design_json_n256_paper_configuration(capsys):
    rc, out, _ = run(
        capsys,
        "design",
        "--n",
        "256",
        "--model",
        "bursty:B=1,W=2,lam=27",
        "--T",
        "1",
        "--P",
        "1",
        "--json",
    )
    d = json.loads(out)
    assert rc == 0 and d["status"] == "optimal"
    lo, hi = (
        (int(x) for x in d["lp_lower"].split("/")),
        (int(x) for x in d["load_fraction"].split("/")),
    )
    from fractions import Fraction

    lo, hi = Fraction(*lo), Fraction(*hi)
    assert lo <= hi < lo + Fraction(1, 10**15)
    assert Fraction(2, 485) < lo < Fraction(283, 65536) < Fraction(7, 928)


def test_design_json_replication(capsys):
    rc, out, _ = run(
        capsys,
        "design",
        "--n",
        "64",
        "--model",
        "bursty:B=1,W=2,lam=16",
        "--T",
        "1",
        "--max-replication",
        "1",
        "--json",
    )
    d = json.loads(out)
    assert rc == 0 and d["max_replication"] == 1
    assert d["load_fraction"] == "5/256" and d["exact"]  # (n + lam)/n^2: BR-SGC's load


def test_design_json_ilp_verified(capsys):
    rc, out, _ = run(
        capsys,
        "design",
        "--n",
        "3",
        "--model",
        "bursty:B=1,W=2,lam=1",
        "--T",
        "1",
        "--partitions",
        "2",
        "--solver",
        "cbc",
        "--json",
    )
    d = json.loads(out)
    assert rc == 0 and d["verified"] is True and d["load_fraction"] == "1/2"
    assert d["lp_optimum"] == "11/27" and d["lower_bound"] == "2/5"
    assert abs(d["gap_to_lp"] - (1 / 2 - 11 / 27)) < 1e-12


def test_design_smaller_memory(capsys):
    rc, out, _ = run(
        capsys,
        "design",
        "--n",
        "8",
        "--model",
        "bursty:B=2,W=3,lam=3",
        "--T",
        "2",
        "--P",
        "0",
        "--json",
    )
    d = json.loads(out)
    assert rc == 0 and d["P"] == 0 and d["status"] == "optimal"
    rc, out2, _ = run(
        capsys, "design", "--n", "8", "--model", "bursty:B=2,W=3,lam=3", "--T", "2", "--json"
    )
    d2 = json.loads(out2)
    assert d2["P"] == 2 and d2["load"] < d["load"] - 1e-6  # memory is worth something here


def test_design_errors(capsys):
    for argv, needle in [
        (
            ["--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--T", "1", "--solver", "glpk"],
            "cbc, highs",
        ),
        (["--n", "3", "--model", "per-round:s=3", "--T", "1"], "no scheme exists"),
        (
            ["--n", "5", "--model", "per-round:s=2", "--T", "0", "--max-replication", "2"],
            "--max-replication",
        ),
        (["--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--T", "-1"], "T"),
        (
            ["--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--T", "1", "--partitions", "0"],
            "partitions",
        ),
        (
            ["--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--T", "1", "--time-limit", "0"],
            "time_limit",
        ),
        (["--n", "256", "--model", "bursty:B=2,W=3,lam=23", "--T", "2"], "--max-orbits"),
        (
            ["--n", "6", "--model", "bursty:B=2,W=3,lam=3", "--T", "3", "--partitions", "4"],
            "--max-variables",
        ),
    ]:
        rc, out, err = run(capsys, "design", *argv)
        assert rc == 2 and out == "" and err.count("\n") == 1 and needle in err, (argv, err)


def test_design_bracket_and_restricted(capsys):
    from fractions import Fraction

    rc, out, _ = run(
        capsys,
        *"design --n 16 --model bursty:B=2,W=3,lam=3 --T 2 --restricted full-bursts --json".split(),
    )
    d = json.loads(out)
    br, rb = d["bracket"], d["restricted_bound"]
    assert rc == 0 and Fraction(br["lower"]) <= Fraction(br["upper"])
    assert Fraction(br["upper"]) <= Fraction(19, 256)  # at most BR-SGC's (n + lam)/n^2
    assert br["upper_scheme"].startswith("prsgc")
    assert Fraction(rb["lower"]) <= Fraction(d["load_fraction"])  # restricted <= full LP
    assert Fraction(rb["lower"]) > Fraction(d["lower_bound"]) and rb["above_counting_bound"]
    rc, _, err = run(
        capsys, *"design --n 5 --model per-round:s=1 --T 1 --restricted full-bursts".split()
    )
    assert rc == 2 and "--restricted needs a bursty model" in err


def test_design_by_theorem_reports_its_bracket(capsys):
    # settled by the theorem (no LP result): the bracket closes on WC-SGC at the counting bound
    rc, out, _ = run(capsys, *"design --n 16 --model bursty:B=2,W=3,lam=5 --T 3 --json".split())
    d = json.loads(out)
    # the counting bound (W - 1 + B)/(n(W - 1 + B) - lam B) = 4/54
    assert d["load_fraction"] == "2/27"
    assert rc == 0 and d["status"] == "optimal" and d["exact"]
    assert d["bracket"]["lower"] == d["bracket"]["upper"] == d["load_fraction"]
    assert d["bracket"]["upper_scheme"].startswith("wcsgc")
