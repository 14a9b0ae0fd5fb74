"""``sgc design``: the JSON contract, verification of the designed table, errors."""

import json

from sgc_theory.cli import main


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_design_json_lp(capsys):
    rc, out, _ = run(capsys, "design", "--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--T", "3",
                     "--P", "2", "--json")
    d = json.loads(out)
    assert rc == 0
    assert set(d) == {"load", "load_fraction", "lower_bound", "status", "variables",
                      "constraints", "verified"}
    assert d["load_fraction"] == "1/3" and d["lower_bound"] == "1/3"
    assert d["status"] == "optimal" and d["verified"] is None
    assert abs(d["load"] - 1 / 3) < 1e-7
    assert isinstance(d["variables"], int) and isinstance(d["constraints"], int)


def test_design_json_ilp_verified(capsys):
    rc, out, _ = run(capsys, "design", "--n", "3", "--model", "bursty:B=1,W=2,lam=1", "--T", "1",
                     "--partitions", "3", "--solver", "cbc", "--json")
    d = json.loads(out)
    assert rc == 0 and d["verified"] is True and d["load_fraction"] == "2/3"
    assert d["lower_bound"] == "2/5"


def test_design_errors(capsys):
    for argv, needle in [
        (["--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--T", "1", "--P", "1"], "W - 1"),
        (["--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--T", "1", "--solver", "glpk"],
         "cbc, highs"),
        (["--n", "3", "--model", "per-round:s=3", "--T", "1"], "infeasible"),
        (["--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--T", "-1"], "T"),
        (["--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--T", "1", "--partitions", "0"],
         "partitions"),
    ]:
        rc, out, err = run(capsys, "design", *argv)
        assert rc == 2 and out == "" and err.count("\n") == 1 and needle in err, (argv, err)
