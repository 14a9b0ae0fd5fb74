"""``sgc design``: the JSON contract, verification of the designed table, errors, exit codes."""

import json
import re
from fractions import Fraction

import pytest

from sgc_theory.cli import main

CONTRACT = {
    "load",
    "lower_bound",
    "status",
    "variables",
    "constraints",
    "verified",
}


#: every load-valued field of ``sgc design --json``, by where it sits
LOAD_FIELDS = {
    (): ("load", "lower_bound", "lp_lower", "lp_lower_any_set_size", "lp_optimum", "gap_to_lp"),
    ("bracket",): ("lower", "upper", "lp_upper"),
    ("restricted_bound",): ("lower", "restricted_lp_upper"),
}


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    if "--json" in argv and rc in (0, 1):
        check_load_shapes(json.loads(out))
    return rc, out, err


def _is_load(x) -> bool:
    """``{"fraction": "p/q", "float": p/q}``: a fraction in lowest terms and its float."""
    return (
        isinstance(x, dict)
        and set(x) == {"fraction", "float"}
        and isinstance(x["fraction"], str)
        and re.fullmatch(r"-?\d+(/\d+)?", x["fraction"]) is not None
        and str(Fraction(x["fraction"])) == x["fraction"]
        and isinstance(x["float"], float)
        and float(Fraction(x["fraction"])) == x["float"]
    )


def _bare_fraction_strings(x, path=()) -> list:
    """Paths of strings that look like ``"p/q"`` outside a load's ``fraction`` field."""
    if isinstance(x, dict):
        if set(x) == {"fraction", "float"}:
            return []
        return [p for k, v in x.items() for p in _bare_fraction_strings(v, (*path, k))]
    if isinstance(x, list):
        return [p for i, v in enumerate(x) for p in _bare_fraction_strings(v, (*path, i))]
    if isinstance(x, str) and re.fullmatch(r"-?\d+/\d+", x):
        return [path]
    return []


def check_load_shapes(d: dict) -> None:
    """Every load-valued field present is ``null`` or the one shape; no bare ``"p/q"`` left."""
    assert "load_fraction" not in d
    for where, keys in LOAD_FIELDS.items():
        part = d
        for k in where:
            part = part.get(k) or {}
        for k in keys:
            if k in part and part[k] is not None:
                assert _is_load(part[k]), (where, k, part[k])
    assert _bare_fraction_strings(d) == []


def frac(x) -> Fraction:
    return Fraction(x["fraction"])


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
    assert d["load"] == {"fraction": "1/3", "float": 1 / 3} == d["lp_lower"] == d["lower_bound"]
    assert d["status"] == "optimal" and d["verified"] is None and d["exact"] is True
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
    lo, hi = frac(d["lp_lower"]), frac(d["load"])
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
    assert d["load"]["fraction"] == "5/256" and d["exact"]  # (n + lam)/n^2: BR-SGC's load


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
    assert rc == 0 and d["verified"] is True and d["load"]["fraction"] == "1/2"
    assert d["lp_optimum"]["fraction"] == "11/27" and d["lower_bound"]["fraction"] == "2/5"
    assert frac(d["gap_to_lp"]) == Fraction(1, 2) - Fraction(11, 27)


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
    assert d2["P"] == 2 and frac(d2["load"]) < frac(d["load"])  # memory is worth something here


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
    rc, out, _ = run(
        capsys,
        *"design --n 16 --model bursty:B=2,W=3,lam=3 --T 2 --restricted full-bursts --json".split(),
    )
    d = json.loads(out)
    br, rb = d["bracket"], d["restricted_bound"]
    assert rc == 0 and frac(br["lower"]) <= frac(br["upper"])
    assert frac(br["upper"]) <= Fraction(19, 256)  # at most BR-SGC's (n + lam)/n^2
    assert br["upper_scheme"].startswith("prsgc")
    assert frac(rb["lower"]) <= frac(d["load"])  # restricted <= full LP
    assert frac(rb["lower"]) > frac(d["lower_bound"]) and rb["above_counting_bound"]
    assert frac(rb["lower"]) <= frac(rb["restricted_lp_upper"])
    assert frac(br["lp_upper"]) == frac(d["load"])
    rc, _, err = run(
        capsys, *"design --n 5 --model per-round:s=1 --T 1 --restricted full-bursts".split()
    )
    assert rc == 2 and "--restricted needs a bursty model" in err


def test_design_by_theorem_reports_its_bracket(capsys):
    # settled by the theorem (no LP result): the bracket closes on WC-SGC at the counting bound
    rc, out, _ = run(capsys, *"design --n 16 --model bursty:B=2,W=3,lam=5 --T 3 --json".split())
    d = json.loads(out)
    # the counting bound (W - 1 + B)/(n(W - 1 + B) - lam B) = 4/54
    assert d["load"] == {"fraction": "2/27", "float": 2 / 27}
    assert rc == 0 and d["status"] == "optimal" and d["exact"]
    assert d["bracket"]["lower"] == d["bracket"]["upper"] == d["load"]
    assert d["bracket"]["upper_scheme"].startswith("wcsgc")


CHEAP = [
    "--n 6 --model bursty:B=1,W=2,lam=2 --T 1 --max-replication 1",  # LP, restricted sets
    "--n 8 --model bursty:B=2,W=3,lam=2 --T 2 --restricted full-bursts",  # bracket, restricted
    "--n 3 --model bursty:B=1,W=2,lam=1 --T 1 --partitions 2",  # integer design
    "--n 6 --model bursty:B=1,W=2,lam=2 --T 2",  # settled by the theorem
]


def test_every_load_field_of_design_json_has_the_one_shape(capsys):
    seen = set()
    for argv in CHEAP:
        rc, out, err = run(capsys, "design", *argv.split(), "--json")
        assert rc == 0, (argv, err)
        d = json.loads(out)
        check_load_shapes(d)  # (run checks it too; here it is the point of the test)
        for where, keys in LOAD_FIELDS.items():
            part = d
            for k in where:
                part = part.get(k) or {}
            seen |= {(where, k) for k in keys if part.get(k) is not None}
        # fraction and float agree, and the exact values are ordered as the mathematics says
        assert frac(d["lower_bound"]) <= frac(d["load"])
        assert frac(d["load"]) == Fraction(d["load"]["float"]).limit_denominator(10**6)
    # every load-valued field was reached by one of the runs: the checks above were not vacuous
    assert seen == {(w, k) for w, keys in LOAD_FIELDS.items() for k in keys}


@pytest.mark.parametrize(
    "bad",
    [
        {"fraction": "1/3", "float": 0.3},  # fraction and float disagree
        {"fraction": "2/6", "float": 1 / 3},  # not in lowest terms
        {"fraction": "1/3"},  # no float
        "1/3",  # a bare string
        0.25,  # a bare float
    ],
)
def test_the_shape_check_refuses_other_shapes(bad):
    with pytest.raises(AssertionError):
        check_load_shapes({"load": bad})


def test_python_results_hold_fractions_and_as_dict_uses_the_one_shape():
    from sgc_theory.design import design

    lp = design(4, "bursty:B=1,W=2,lam=1", T=1)  # the LP (T < B + 1: no theorem)
    assert isinstance(lp.upper, Fraction) and isinstance(lp.lower, Fraction)
    assert lp.load_fraction == lp.upper == Fraction(7, 24) and lp.load == 7 / 24
    d = lp.as_dict()
    assert d["load"] == {"fraction": "7/24", "float": 7 / 24} and d["lp_lower"] == d["load"]
    ilp = design(3, "bursty:B=1,W=2,lam=1", T=1, partitions=2, solver="cbc")
    assert isinstance(ilp.load_fraction, Fraction) and isinstance(ilp.lp_bound, Fraction)
    d = ilp.as_dict()
    assert d["load"]["fraction"] == "1/2" and d["lp_optimum"]["fraction"] == "11/27"
    check_load_shapes(d)
