"""The command line's contract: exit codes 0/1/2/3/130, one stderr line on refusal, --debug and
SGC_DEBUG for tracebacks, --max-work on every sub-command, strict JSON, consistent parsing."""

from __future__ import annotations

import json

import pytest

from sgc_theory.cli import build_parser, main
from sgc_theory.cli._common import jsonable, to_json
from sgc_theory.cli.verify import parse_pattern
from sgc_theory.errors import SGCError

from test_cli_fuzz import run_cli


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
        [],
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
    assert payload["gc_12_3_certified"] is True and payload["msgc_n256_all_horizons"] is True


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
