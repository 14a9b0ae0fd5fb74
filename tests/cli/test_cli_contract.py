"""The command line's contract: exit codes 0/1/2/3/130, one stderr line on refusal, --debug and
SGC_DEBUG for tracebacks, --max-work on every sub-command, strict JSON, consistent parsing."""

from __future__ import annotations

import json
import re

import pytest

from sgc_theory.cli import build_parser, main
from sgc_theory.cli._common import jsonable, to_json
from sgc_theory.cli.verify import parse_pattern
from sgc_theory.errors import SGCError

from test_cli_fuzz import run_cli

#: a shipped trace (256 workers, 30 rounds, probe load 0)
TRACE = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"


def _leaf_commands():
    from sgc_theory.cli import _leaf_parsers

    return [p.prog.split()[1:] for p in _leaf_parsers(build_parser())]


def test_every_subcommand_takes_max_work_and_debug():
    parser = build_parser()
    leaves = _leaf_commands()
    assert ["verify"] in leaves and ["patterns", "count"] in leaves and ["gc", "verify"] in leaves
    from sgc_theory.cli import _leaf_parsers

    for leaf in _leaf_parsers(parser):
        assert "--max-work" in leaf._option_string_actions, leaf.prog
        assert "--debug" in leaf._option_string_actions, leaf.prog


def test_verdicts_exit_0_and_1():
    ok = "verify --scheme msgc --n 4 --B 1 --W 2 --lam 1 --all-horizons --json".split()
    rc, out, err, _ = run_cli(ok)
    assert rc == 0 and json.loads(out)["ok"] is True
    bad = "verify --scheme gc --n 6 --s 1 --model per-round:s=2 --all-horizons --json".split()
    rc, out, err, _ = run_cli(bad)
    assert rc == 1 and json.loads(out)["counterexample"] == [[0, 1]]


@pytest.fixture
def crashing(monkeypatch):
    """Make ``sgc load`` raise ``exc`` (a bug, an interrupt, ...)."""
    import sgc_theory.bounds as bounds

    def install(exc):
        def boom(*a, **k):
            raise exc

        monkeypatch.setattr(bounds, "scheme_load", boom)

    return install


LOAD = ["load", "--scheme", "gc", "--n", "4", "--s", "1"]


def test_internal_error_exits_3_with_one_line(crashing, monkeypatch):
    monkeypatch.delenv("SGC_DEBUG", raising=False)
    crashing(ZeroDivisionError("oops"))
    rc, out, err, _ = run_cli(LOAD)
    assert rc == 3 and err.count("\n") == 1
    assert "internal error" in err and "--debug" in err and "SGC_DEBUG=1" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("how", ["flag", "env"])
def test_debug_prints_the_traceback(crashing, monkeypatch, how):
    crashing(ZeroDivisionError("oops"))
    argv = LOAD + (["--debug"] if how == "flag" else [])
    if how == "env":
        monkeypatch.setenv("SGC_DEBUG", "1")
    rc, out, err, _ = run_cli(argv)
    assert rc == 3 and "Traceback" in err and "ZeroDivisionError" in err


def test_ctrl_c_exits_130(crashing):
    crashing(KeyboardInterrupt())
    rc, out, err, _ = run_cli(LOAD)
    assert rc == 130 and err == "sgc: interrupted\n"


def test_memory_error_is_one_line(crashing):
    crashing(MemoryError())
    rc, out, err, _ = run_cli(LOAD)
    assert rc == 2 and err.count("\n") == 1 and "out of memory" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["nosuch"],
        ["verify"],
        ["load", "--n", "x"],
        ["patterns"],
        ["--max-work", "0", "demo"],
        ["demo", "--max-work", "abc"],
        ["demo", "--max-work", "-5"],
        ["demo", "--max-work", "1.5"],
    ],
)
def test_usage_errors_are_one_line_exit_2(argv):
    rc, out, err, _ = run_cli(argv)
    assert rc == 2 and err.count("\n") == 1 and err.startswith("sgc: error:"), err


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "usage" in capsys.readouterr().out


def test_max_work_raises_the_budget():
    argv = "patterns count --n 256 --model bursty:B=1,W=2,lam=27 --rounds 100 --json".split()
    rc, out, err, _ = run_cli(argv + ["--max-work", "1e3"])
    assert rc == 2 and "--max-work" in err and "work units" in err
    rc, out, err, _ = run_cli(argv + ["--max-work", "1e9"])
    assert rc == 0
    from sgc_theory.models import Bursty

    assert json.loads(out)["count"] == Bursty(256, 1, 2, 27).count(100, max_work="inf")
    rc, out, err, _ = run_cli(["--max-work", "1e3"] + argv)  # before the sub-command too
    assert rc == 2


def test_huge_counts_print_in_full():
    """More than Python's default 4300-digit limit for int -> str: the JSON holds the count as
    a decimal string with its digit count, readable by json.loads with default settings."""
    argv = "patterns count --n 256 --model per-round:s=27 --rounds 200 --json".split()
    rc, out, err, _ = run_cli(argv)
    assert rc == 0
    from sgc_theory.models import PerRound

    c = PerRound(256, 27).count(200)
    assert c.bit_length() > 15000
    got = json.loads(out)  # default int limit: no integer of more than 4300 digits inside
    assert isinstance(got["count"], str) and got["count_digits"] == len(got["count"]) > 4300
    import sys

    old = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        assert int(got["count"]) == c
    finally:
        sys.set_int_max_str_digits(old)
    rc, out, _, _ = run_cli("patterns count --n 4 --model per-round:s=1 --rounds 3 --json".split())
    assert rc == 0 and json.loads(out) == {"count": 125, "count_digits": 3}  # 5^3


def test_jsonable_is_strict():
    import numpy as np
    import sympy as sp
    from fractions import Fraction

    payload = {
        "f": Fraction(3, 4),
        "g": Fraction(4, 2),
        "inf": float("inf"),
        "nan": np.float64("nan"),
        "i": np.int64(7),
        "a": np.array([1, 2]),
        "r": sp.Rational(7, 928),
        "oo": sp.oo,
        "k": sp.Integer(3),
        "b": np.bool_(True),
        "s": {2, 1},
    }
    out = json.loads(to_json(payload), parse_constant=lambda c: pytest.fail(c))
    assert out == {
        "f": "3/4",
        "g": 2,
        "inf": None,
        "nan": None,
        "i": 7,
        "a": [1, 2],
        "r": "7/928",
        "oo": None,
        "k": 3,
        "b": True,
        "s": [1, 2],
    }
    assert jsonable([float("-inf")]) == [None]


# ----- consistent parsing ---------------------------------------------------------------------
@pytest.mark.parametrize("cmd", [["load"], ["verify", "--rounds", "2"], ["show", "--rounds", "2"]])
@pytest.mark.parametrize(
    "extra,needle",
    [
        (["--scheme", "gc", "--n", "4", "--s", "1", "--B", "1"], "not --B"),
        (
            ["--scheme", "msgc", "--n", "4", "--B", "1", "--W", "2", "--lam", "1", "--s", "1"],
            "not --s",
        ),
        (["--scheme", "msgc", "--n", "4", "--B", "1", "--W", "2"], "needs --lam"),
        (
            ["--scheme", "brsgc", "--n", "4", "--B", "1", "--W", "2", "--lam", "1", "--s", "1"],
            "not --s",
        ),
        (["--scheme", "xyz", "--n", "4"], "choose one of gc, srsgc, msgc, brsgc"),
    ],
)
def test_scheme_options_follow_one_rule(cmd, extra, needle):
    """An unused parameter is refused by every command (load used to ignore it)."""
    rc, out, err, _ = run_cli(cmd + extra)
    assert rc == 2 and needle in err and err.count("\n") == 1, err


@pytest.mark.parametrize("cmd", [["load"], ["verify", "--rounds", "1"], ["show", "--rounds", "1"]])
@pytest.mark.parametrize("name", ["SR-SGC", "BR-SGC", "m_sgc"])
def test_scheme_names_are_spelled_alike(cmd, name):
    rc, *_ = run_cli(cmd + ["--scheme", name, "--n", "4", "--B", "1", "--W", "2", "--lam", "1"])
    assert rc == 0


@pytest.mark.parametrize(
    "model,needle",
    [
        ("bursty:B=1,W=2,lam=1,lam=2", "given twice"),
        ("per-round:s=1,s=1", "given twice"),
        ("bursty:B=1,,W=2,lam=1", "empty parameter"),
        ("bursty:B=1_0,W=20,lam=1", "integer"),
    ],
)
@pytest.mark.parametrize(
    "cmd",
    [
        ["bound", "--n", "4"],
        ["patterns", "count", "--n", "4", "--rounds", "2"],
        ["verify", "--scheme", "gc", "--n", "4", "--s", "1", "--rounds", "1"],
    ],
)
def test_model_strings_refused_alike(cmd, model, needle):
    rc, out, err, _ = run_cli(cmd + ["--model", model])
    assert rc == 2 and needle in err, err


def test_pattern_rule():
    """Shorter than --rounds: the missing rounds are clean; longer: refused."""
    P = parse_pattern("0;;1", 3, 5)
    assert P.astype(int).tolist() == [[1, 0, 0, 0, 0], [0, 0, 1, 0, 0], [0, 0, 0, 0, 0]]
    assert not parse_pattern("", 3, 2).any()
    with pytest.raises(SGCError, match="not longer"):
        parse_pattern("0;1;2", 3, 2)
    with pytest.raises(SGCError, match="twice"):
        parse_pattern("1,1", 3, 1)
    with pytest.raises(SGCError, match="outside"):
        parse_pattern("3", 3, 1)


@pytest.mark.parametrize(
    "path,needle",
    [
        ("/dev/null", "character device"),
        ("/", "directory"),
        ("/no/such/file", "no such file"),
    ],
)
def test_matrix_paths_get_their_real_reason(path, needle):
    rc, out, err, _ = run_cli(["gc", "verify", "--matrix", path, "--s", "1"])
    assert rc == 2 and needle in err, err


@pytest.mark.parametrize(
    "out_dir,needle",
    [
        ("", "empty path"),
        ("/dev/null", "character device"),
    ],
)
def test_figures_out_is_checked(out_dir, needle):
    rc, out, err, _ = run_cli(["figures", "--out", out_dir])
    assert rc == 2 and needle in err and err.count("\n") == 1, err


def test_figures_out_a_file(tmp_path):
    f = tmp_path / "f"
    f.write_text("x")
    rc, out, err, _ = run_cli(["figures", "--out", str(f), "--only", "heatmap"])
    assert rc == 2 and "not a folder" in err


def test_unwritable_out(tmp_path):
    import os

    d = tmp_path / "ro"
    d.mkdir()
    d.chmod(0o500)
    try:
        if os.access(d, os.W_OK):  # running as root: permissions do not bind
            pytest.skip("permissions are not enforced for this user")
        rc, out, err, _ = run_cli(["figures", "--out", str(d / "x"), "--only", "heatmap"])
        assert rc == 2 and err.count("\n") == 1
    finally:
        d.chmod(0o700)


def test_demo_runs_and_is_strict_json():
    rc, out, err, _ = run_cli(["demo", "--json"])
    assert rc == 0
    payload = json.loads(out, parse_constant=lambda c: pytest.fail(c))
    from fractions import Fraction

    import sgc_theory as sgc
    from sgc_theory.bounds import counting_bound

    loads = {r["family"]: r["load"] for r in payload["loads"]}
    assert set(loads) == {"nocoding", "gc", "srsgc", "msgc", "brsgc", "prsgc", "wcsgc"}
    for load in loads.values():  # one shape: exact fraction + its float
        assert (
            set(load) == {"fraction", "float"}
            and float(Fraction(load["fraction"])) == load["float"]
        )
    assert Fraction(loads["msgc"]["fraction"]) == sgc.MSGC(256, 1, 2, 27).load
    assert Fraction(loads["gc"]["fraction"]) == Fraction(1, 16)
    opt = payload["optimum"]
    assert Fraction(opt["counting_bound"]["fraction"]) == counting_bound(256, 1, 2, 27)
    # the optimum at delay 1 lies between the bound and every delay-1 scheme's load
    best = Fraction(opt["load"]["fraction"])
    assert Fraction(opt["counting_bound"]["fraction"]) <= best
    assert best <= Fraction(loads["brsgc"]["fraction"]) <= Fraction(loads["msgc"]["fraction"])
    # PR-SGC is shown and equals the answer of sgc design at delay 1 (the LP's exact bound)
    assert Fraction(loads["prsgc"]["fraction"]) == best == Fraction(6529, 1524544)
    assert opt["status"] == "optimal" and opt["optimal_among"] == "every scheme"
    # the bracket at bursty(2, 3, 23): T = 2 open, T = 3 closed at the counting bound
    rows = {r["T"]: r for r in payload["second"]["rows"]}
    assert set(rows) == {2, 3} and all(r["proved"] for r in rows.values())
    low = Fraction(2, 489)
    assert Fraction(rows[2]["lower"]["fraction"]) == low < Fraction(rows[2]["upper"]["fraction"])
    assert Fraction(rows[3]["upper"]["fraction"]) == low and rows[3]["status"] == "optimal"
    assert payload["exhaustive"]["ok"] is True
    # the exhaustive check covered every admitted pattern (counted independently)
    ex = payload["exhaustive"]
    assert ex["patterns"] == sgc.Bursty(4, 1, 2, 2).count(ex["rounds"])
    runtimes = {r["family"]: r["seconds"] for r in payload["runtime"]["rows"]}
    assert all(t > 0 for t in runtimes.values()) and len(runtimes) == 7


def test_demo_text_is_short_and_aligned():
    rc, out, err, _ = run_cli(["demo"])
    assert rc == 0 and len(out.splitlines()) < 40
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "7/928" in out and "6529/1524544" in out and "2/485" in out and "PROVED" in out
    assert "PR-SGC" in out and "[2/489, 3/722]" in out
    assert "{" not in out  # no raw dicts


@pytest.mark.parametrize(
    "argv",
    [  # outputs beyond a pipe's 64 KiB buffer
        ["patterns", "sample", "--n", "3000", "--model", "per-round:s=1", "--rounds", "40"],
        "show --scheme brsgc --n 100 --B 1 --W 2 --lam 2 --rounds 20".split(),
    ],
)
def test_closed_pipe_is_quiet(argv):
    """``sgc ... | head -1``: the reader goes away after one line; no traceback, exit 0."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "sgc_theory", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # what head does after its line
    err = proc.stderr.read().decode()
    rc = proc.wait(timeout=60)
    assert first and rc == 0 and err == "", (rc, err)


# ----- one design: version, the list of commands, a help text for every option ----------------
def test_version_comes_from_the_package_metadata():
    from importlib.metadata import version

    rc, out, err, _ = run_cli(["--version"])
    assert rc == 0 and out.strip() == f"sgc {version('sgc_theory')}" and err == ""


def test_bare_sgc_lists_every_command_with_one_line():
    rc, out, err, _ = run_cli([])
    assert rc == 0 and err == ""
    listed = [line.strip().split("  ")[0] for line in out.splitlines() if line.startswith("  ")]
    for words in _leaf_commands():
        name = " ".join(words)
        assert name in listed, name
        line = next(li for li in out.splitlines() if li.strip().startswith(name + " "))
        assert len(line.split(None, len(words))[-1]) > 10  # a one-line description


def test_every_option_of_every_command_has_a_help_text():
    from sgc_theory.cli import _leaf_parsers

    for leaf in _leaf_parsers(build_parser()):
        for action in leaf._actions:
            if action.option_strings:
                assert action.help and len(action.help) > 5, (leaf.prog, action.option_strings)


def test_every_max_work_help_states_its_unit_and_default():
    from sgc_theory.cli import _leaf_parsers

    for leaf in _leaf_parsers(build_parser()):
        text = leaf._option_string_actions["--max-work"].help
        assert "default" in text, leaf.prog
        assert any(u in text for u in ("work units", "transitions", "x rounds")), leaf.prog


@pytest.mark.parametrize("words", _leaf_commands(), ids=" ".join)
def test_help_of_every_command_exits_0(words):
    rc, out, err, _ = run_cli([*words, "--help"])
    assert rc == 0 and "usage: sgc" in out and err == ""


def _is_load(x) -> bool:
    from fractions import Fraction

    return (
        isinstance(x, dict)
        and set(x) == {"fraction", "float"}
        and float(Fraction(x["fraction"])) == x["float"]
    )


@pytest.mark.parametrize(
    "argv,keys",
    [
        ("load --scheme brsgc --n 256 --B 1 --W 2 --lam 27 --json", ["load"]),
        ("load --scheme gc --n 4 --s 1 --json", ["load"]),
        (f"simulate --trace {TRACE} --scheme gc --s 15 --jobs 3 --mu 1 --json", ["load"]),
        ("bound --n 256 --model bursty:B=1,W=2,lam=27 --json", ["counting_bound", "density_bound"]),
    ],
)
def test_loads_have_one_json_shape(argv, keys):
    rc, out, err, _ = run_cli(argv.split())
    payload = json.loads(out)
    assert rc == 0 and all(_is_load(payload[k]) for k in keys)


@pytest.mark.parametrize(
    "argv,code",
    [
        ("patterns count --n 4 --model per-round:s=1 --rounds 2", 0),
        ("gc verify --n 12 --s 2 --construction frc", 0),
        ("verify --scheme gc --n 6 --s 1 --model per-round:s=2 --all-horizons", 1),
        ("patterns count --n 4 --model per-round:s=9 --rounds 2", 2),
        ("verify --scheme msgc --n 256 --B 1 --W 2 --lam 27 --rounds 3", 2),
        ("load --scheme gc --n 4", 2),
    ],
)
def test_exit_codes_on_representative_inputs(argv, code):
    rc, out, err, _ = run_cli(argv.split())
    assert rc == code, (argv, err)
    if code == 2:
        assert out == "" and err.startswith("sgc: error:") and err.count("\n") == 1


def test_gc_verify_checks_every_set_when_they_fit():
    rc, out, err, _ = run_cli("gc verify --construction frc --n 12 --s 2 --json".split())
    got = json.loads(out)
    assert rc == 0 and got["sets_checked"] == got["sets_total"] == 66 and not got["sampled"]
    rc, out, err, _ = run_cli("gc verify --construction frc --n 12 --s 2".split())
    assert "exhaustive" in out and "sample" not in out
    # above the budget: the structural proof and a seeded sample
    argv = "gc verify --construction rs --n 256 --s 12 --json".split()
    got = json.loads(run_cli(argv)[1])
    assert got["sampled"] and got["sets_checked"] == 64 and got["basis"] == "structural"


def test_trace_paths_resolve_from_the_current_directory_then_by_name(tmp_path, monkeypatch):
    from sgc_theory.simulate.traces import load_trace

    name = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"
    shipped = load_trace(name)
    (tmp_path / "mine.csv").write_text("1,2\n3,4\n")
    monkeypatch.chdir(tmp_path)
    assert load_trace("mine.csv").delays.shape == (2, 2)  # the current directory first
    assert load_trace(name).source == shipped.source  # then the shipped traces by name
    rc, out, err, _ = run_cli(
        "simulate --trace nosuch.csv --scheme gc --s 1 --jobs 2 --mu 1".split()
    )
    assert rc == 2 and str(tmp_path / "nosuch.csv") in err and "aws_lambda" in err


def test_cli_page_names_every_command_and_option():
    """A user reading the command-line page (docs/cli.md, linked from the README) meets every
    command and every option the parser accepts, in its overview and notes (not only in the
    reference Sphinx generates from the parser)."""
    from pathlib import Path

    from sgc_theory.cli import _leaf_parsers

    page = (Path(__file__).resolve().parents[2] / "docs" / "cli.md").read_text(encoding="utf-8")
    page = page.split("## Reference")[0]  # the generated reference does not count
    missing = []
    for leaf in _leaf_parsers(build_parser()):
        name = " ".join(leaf.prog.split()[1:])
        if f"sgc {name}" not in page:
            missing.append(name)
        opts = [o for o in leaf._option_string_actions if o.startswith("--") and o != "--help"]
        missing += [f"{name} {o}" for o in opts if o not in page]
    assert not missing, missing


def test_readme_is_short_starts_with_the_two_commands_and_its_links_resolve():
    """The README a newcomer meets: at most 150 lines; what the toolkit is, then the two
    commands (install + demo, the tests CI runs), then the examples, the table, the links; every
    relative link names a file or folder of the repository."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    text = (root / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 150
    heads = [line for line in text.splitlines() if line.startswith("## ")]
    assert heads[:4] == ["## Two commands", "## Three examples", "## What is inside", "## Read on"]
    first_block = text.split("```bash\n")[1].split("```")[0].splitlines()
    assert first_block[0].startswith('python3 -m pip install -e ".[test]" && sgc demo')
    assert first_block[1].startswith("python -m pytest -q --nbmake tests notebooks")
    ci = (root / ".ci" / "run").read_text(encoding="utf-8")
    assert "python -m pytest -q --nbmake tests notebooks" in ci  # the command CI runs
    links = re.findall(r"\]\(([^)]+)\)", text)
    assert len(links) > 10
    for link in links:
        if "://" in link:
            continue
        assert (root / link.split("#")[0]).exists(), link
    # the commands the examples show exist
    for command in re.findall(r"^\$ sgc (\w+)", text, flags=re.M):
        assert command in {"verify", "design", "recommend"}


def _loose_loads(x, path=()):
    """Paths of the numbers (or "p/q" strings) under a load-like key that are not in the one shape."""
    if isinstance(x, dict):
        if set(x) == {"fraction", "float"}:
            return [] if _is_load(x) else ["/".join(map(str, path))]
        return [p for k, v in x.items() for p in _loose_loads(v, (*path, k))]
    if isinstance(x, list):
        return [p for i, v in enumerate(x) for p in _loose_loads(v, (*path, i))]
    key = str(path[-1]).lower() if path and isinstance(path[-1], str) else ""
    numeric = (isinstance(x, (int, float)) and not isinstance(x, bool)) or (
        isinstance(x, str) and re.fullmatch(r"-?\d+(/\d+)?", x.strip()) is not None
    )
    words = ("load", "bound", "optimum", "lower", "upper")
    return ["/".join(map(str, path))] if numeric and any(w in key for w in words) else []


@pytest.mark.parametrize(
    "argv",
    [
        "load --scheme prsgc --n 16 --B 1 --W 2 --lam 3 --json",
        "bound --n 16 --model bursty:B=2,W=3,lam=3 --json",
        f"simulate --trace {TRACE} --scheme msgc --B 1 --W 2 --lam 27 --jobs 3 --mu 1 --json",
        f"sweep --trace {TRACE} --jobs 3 --max-delay 2 --mu 1 --json",
        "verify --scheme wcsgc --n 4 --B 1 --W 2 --lam 1 --all-horizons --json",
        "design --n 6 --model bursty:B=1,W=2,lam=2 --T 1 --json",
    ],
)
def test_no_load_leaves_the_one_json_shape(argv):
    """Walks the whole JSON output: a key naming a load or a bound never holds a bare number or
    string (the exact fraction and its float always travel together, and agree)."""
    rc, out, err, _ = run_cli(argv.split())
    assert rc == 0, err
    assert _loose_loads(json.loads(out)) == []
