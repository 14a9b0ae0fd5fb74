"""``sgc design``: the JSON contract, verification of the designed table, errors, exit codes."""

import json
import re
from fractions import Fraction

import pytest

from sgc_theory.cli import main

CONTRACT = {
    "status",
    "optimal_among",
    "lower",
    "lower_argument",
    "lower_holds_for",
    "upper",
    "scheme",
    "bounds",
    "schemes",
    "not_run",
    "lp",
}


#: every load-valued field of ``sgc design --json``, by where it sits
LOAD_FIELDS = {
    (): ("lower", "upper", "lower_every_scheme"),
    ("lp",): ("lp_upper", "lp_lower", "lp_lower_any_set_size"),
    ("restricted_bound",): ("lower", "restricted_lp_upper"),
    ("integer_design",): ("load", "lp_optimum", "gap_to_lp"),
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


def design_json(capsys, argv: str, rc_expected=0) -> dict:
    rc, out, err = run(capsys, "design", *argv.split(), "--json")
    assert rc == rc_expected, err
    d = json.loads(out)
    assert CONTRACT <= set(d)
    return d


def test_design_json_lp_asked_by_P(capsys):
    d = design_json(capsys, "--n 4 --model bursty:B=2,W=3,lam=2 --T 3 --P 2")
    assert d["status"] == "optimal" and d["optimal_among"] == "every scheme"
    assert frac(d["lower"]) == frac(d["upper"]) == Fraction(1, 3)
    assert d["lp"]["lp_upper"] == d["lp"]["lp_lower"] == d["upper"]  # --P asks for the LP
    assert isinstance(d["lp"]["variables"], int) and d["lp"]["variables"] > 0


def test_design_json_n256_paper_configuration(capsys):
    d = design_json(capsys, "--n 256 --model bursty:B=1,W=2,lam=27 --T 1")
    # PR-SGC meets the LP's exact lower bound (schemes looking back 1 round) and the random-burst
    # bound (every scheme, any memory): optimal among every scheme, the counting bound 3.9 % below
    assert d["status"] == "optimal" and d["scheme"]["name"] == "prsgc"
    assert d["upper"]["fraction"] == "6529/1524544" == d["lp"]["lp_lower"]["fraction"]
    assert d["optimal_among"] == "every scheme"
    assert d["lower_every_scheme"]["fraction"] == "6529/1524544"
    kinds = {b["kind"]: b["value"]["fraction"] for b in d["bounds"]}
    assert kinds["counting bound"] == "2/485" and kinds["random-burst bound"] == "6529/1524544"


def test_design_json_replication(capsys):
    d = design_json(capsys, "--n 64 --model bursty:B=1,W=2,lam=16 --T 1 --max-replication 1")
    assert d["lp"]["max_replication"] == 1
    assert d["lp"]["lp_upper"]["fraction"] == "5/256"  # (n + lam)/n^2: BR-SGC's load
    assert "at most 1 workers" in d["lp"]["optimal_among"]
    assert frac(d["lower"]) <= frac(d["upper"]) < Fraction(5, 256)  # PR-SGC uses pairs
    assert "worker sets" not in d["lower_holds_for"]


def test_design_json_ilp_verified(capsys):
    d = design_json(capsys, "--n 3 --model bursty:B=1,W=2,lam=1 --T 1 --partitions 2 --solver cbc")
    ilp = d["integer_design"]
    assert ilp["verified"] is True and ilp["load"]["fraction"] == "1/2"
    # the random-burst bound (every scheme) meets the LP optimum here; the counting bound is 2/5
    assert (
        ilp["lp_optimum"]["fraction"] == "11/27" and d["lower_every_scheme"]["fraction"] == "11/27"
    )
    assert frac(ilp["gap_to_lp"]) == Fraction(1, 2) - Fraction(11, 27)
    assert any(s["scheme"] == "tabular" for s in d["schemes"])  # verified for all horizons


def test_design_smaller_memory(capsys):
    d = design_json(capsys, "--n 8 --model bursty:B=2,W=3,lam=3 --T 2 --P 0")
    d2 = design_json(capsys, "--n 8 --model bursty:B=2,W=3,lam=3 --T 2")
    assert d["P"] == 0 and d2["P"] == 2
    # memory is worth something here: the LP with P = 0 needs more load
    assert frac(d2["lp"]["lp_upper"]) < frac(d["lp"]["lp_upper"])
    assert d["lp"]["among"] == "schemes looking back P=0 rounds"


def test_design_errors(capsys):
    for argv, needle in [
        (
            ["--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--T", "1", "--solver", "glpk"],
            "cbc, highs",
        ),
        (["--n", "3", "--model", "per-round:s=3", "--T", "1"], "no scheme"),
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
        (
            ["--n", "6", "--model", "bursty:B=2,W=3,lam=3", "--T", "3", "--partitions", "4"],
            "--max-variables",
        ),
        (
            ["--n", "5", "--model", "per-round:s=1", "--T", "1", "--restricted", "full-bursts"],
            "bursty",
        ),
    ]:
        rc, out, err = run(capsys, "design", *argv)
        assert rc == 2 and out == "" and err.count("\n") == 1 and needle in err, (argv, err)


def test_a_step_that_does_not_fit_is_a_line_not_an_error(capsys):
    d = design_json(
        capsys, "--n 256 --model bursty:B=2,W=3,lam=23 --T 2 --max-orbits 1000 --max-work 1e7"
    )
    assert d["status"] == "bracket" and d["lp"] is None
    assert any("--max-orbits 1000" in x for x in d["not_run"])
    assert frac(d["lower"]) == Fraction(2, 489) <= frac(d["upper"]) <= Fraction(9563, 2260448)


def test_design_bracket_and_restricted(capsys):
    d = design_json(capsys, "--n 16 --model bursty:B=2,W=3,lam=3 --T 2 --restricted full-bursts")
    rb = d["restricted_bound"]
    assert frac(d["lower"]) <= frac(d["upper"]) <= Fraction(19, 256)  # <= BR-SGC's
    assert frac(rb["lower"]) <= frac(d["lp"]["lp_upper"])  # restricted <= full LP
    assert rb["above_counting_bound"] and frac(rb["lower"]) <= frac(rb["restricted_lp_upper"])
    assert frac(d["lower"]) >= frac(rb["lower"])


def test_design_by_theorem_reports_its_bracket(capsys):
    # WC-SGC's proof ran (count automaton) and meets the counting bound: no LP is solved
    d = design_json(capsys, "--n 16 --model bursty:B=2,W=3,lam=5 --T 3")
    assert d["upper"] == {"fraction": "2/27", "float": 2 / 27} == d["lower"]
    assert d["status"] == "optimal" and d["optimal_among"] == "every scheme"
    assert d["scheme"]["name"] == "wcsgc" and "automaton" in d["scheme"]["proof"]
    assert d["lp"] is None


CHEAP = [
    "--n 6 --model bursty:B=1,W=2,lam=2 --T 1 --max-replication 1",  # LP, restricted sets
    "--n 8 --model bursty:B=2,W=3,lam=2 --T 2 --restricted full-bursts",  # bracket, restricted
    "--n 3 --model bursty:B=1,W=2,lam=1 --T 1 --partitions 2",  # integer design
    "--n 6 --model bursty:B=1,W=2,lam=2 --T 2",  # settled by WC-SGC
]


def test_every_load_field_of_design_json_has_the_one_shape(capsys):
    seen = set()
    for argv in CHEAP:
        d = design_json(capsys, argv)
        check_load_shapes(d)  # (run checks it too; here it is the point of the test)
        for where, keys in LOAD_FIELDS.items():
            part = d
            for k in where:
                part = part.get(k) or {}
            seen |= {(where, k) for k in keys if part.get(k) is not None}
        assert frac(d["lower"]) <= frac(d["upper"])
        for b in d["bounds"] + d["schemes"]:
            assert _is_load(b["value"])
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
        check_load_shapes({"upper": bad})


def test_python_results_hold_fractions_and_as_dict_uses_the_one_shape():
    from sgc_theory.design import design

    ans = design(4, "bursty:B=1,W=2,lam=1", T=1)  # T = B: the LP runs (the bracket is open)
    assert isinstance(ans.lower.value, Fraction) and isinstance(ans.upper.value, Fraction)
    assert ans.lp.upper == ans.lp.lower == Fraction(7, 24) <= ans.upper.value
    d = ans.as_dict()
    assert d["lp"]["lp_upper"] == {"fraction": "7/24", "float": 7 / 24} == d["lp"]["lp_lower"]
    check_load_shapes(d)
    ilp = design(3, "bursty:B=1,W=2,lam=1", T=1, partitions=2, solver="cbc").integer
    assert isinstance(ilp.load_fraction, Fraction) and isinstance(ilp.lp_bound, Fraction)
    d = ilp.as_dict()
    assert d["load"]["fraction"] == "1/2" and d["lp_optimum"]["fraction"] == "11/27"


@pytest.mark.parametrize(
    "argv",
    [
        "--n 3 --model bursty:B=1,W=1000000,lam=1 --T 0",  # issue 29: no answer within 60 s
        "--n 3 --model bursty:B=1,W=1000000,lam=1 --T 1",  # the LP's 10^6 levels: estimated
        "--n 6 --model arbitrary:N=3,W=4,lam=3 --T 3 --max-work 1e6",  # issue 29: past 60 s
        "--n 256 --model bursty:B=2,W=3,lam=23 --T 100",  # issue 29: counted 102 rounds
    ],
)
def test_hostile_inputs_answer_with_a_bracket(capsys, argv):
    d = design_json(capsys, argv)
    assert frac(d["lower"]) <= frac(d["upper"])
    assert d["lower_holds_for"] == "every scheme"
    if "T 100" in argv or "T 0" in argv:
        assert d["status"] == "optimal" and d["optimal_among"] == "every scheme"
        assert d["lp"] is None and d["not_run"] == []
