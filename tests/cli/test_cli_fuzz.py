"""Fuzzing the command line: random command lines from a grammar of valid and invalid values
(``cli_grammar.py``), run in-process under a small work budget.

Every run must end within seconds with exit code 0, 1 or 2, never print a traceback, print
exactly one stderr line when it refuses (exit 2), and print strict JSON (no NaN/Infinity) when
``--json`` succeeds.
"""

from __future__ import annotations

import contextlib
import io
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings

from cli_grammar import argv_strategy, grammar
from sgc_theory.cli import main

#: seconds one command line may take under the fuzz budget (generous: the machine is shared)
TIME_LIMIT = 15.0


def _strict(text):
    def bad(token):
        raise ValueError(f"non-strict JSON constant {token}")

    return json.loads(text, parse_constant=bad)


def run_cli(argv):
    out, err = io.StringIO(), io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(argv)
    return rc, out.getvalue(), err.getvalue(), time.perf_counter() - t0


def check_contract(argv):
    rc, out, err, seconds = run_cli(argv)
    assert rc in (0, 1, 2), (argv, rc, err)
    assert "Traceback" not in err, (argv, err)
    assert "internal error" not in err, (argv, err)
    assert seconds < TIME_LIMIT, (argv, seconds)
    if rc == 2:
        assert err.count("\n") == 1 and err.startswith("sgc: error: "), (argv, err)
        assert out == "", (argv, out)
    elif "--json" in argv:
        _strict(out)
    return rc


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    return grammar(tmp_path_factory.mktemp("fuzz"))


def _fuzz(table, data, examples):
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(argv_strategy(table))
    def inner(argv):
        check_contract(argv)

    inner()


def test_grammar_covers_every_subcommand(table):
    from sgc_theory.cli import _leaf_parsers, build_parser

    leaves = {tuple(p.prog.split()[1:]) for p in _leaf_parsers(build_parser())}
    assert leaves == set(table)


def test_fuzz_cli(table):
    """About 200 command lines across every sub-command (deterministic, a few seconds)."""
    _fuzz(table, None, 200)


@pytest.mark.slow
def test_fuzz_cli_long(table):
    _fuzz(table, None, 2000)


@pytest.mark.parametrize(
    "argv",
    [
        "patterns count --n 256 --model bursty:B=1,W=2,lam=27 --rounds 100000".split(),
        "verify --scheme msgc --n 256 --B 1 --W 2 --lam 27 --rounds 3".split(),
        ["gc", "verify", "--n", "60", "--s", "30"],
        "show --scheme msgc --n 4 --B 1 --W 2 --lam 1 --rounds 1000000".split(),
        ["bound", "--n", "256", "--model", "bursty:B=3,W=8,lam=100"],
        ["patterns", "sample", "--n", "1000000000", "--model", "per-round:s=2", "--rounds", "3"],
        ["verify", "--scheme", "gc", "--n", "1000000000", "--s", "1", "--all-horizons"],
        # the structural constructions used to allocate their n x n matrix unchecked (memory)
        ["gc", "verify", "--construction", "rs", "--n", "1000000000", "--s", "0"],
        ["gc", "verify", "--construction", "frc", "--n", "100000", "--s", "0"],
        "show --scheme brsgc --n 100000 --B 1 --W 2 --lam 1 --rounds 1000".split(),
    ],
)
def test_oversized_requests_are_refused_at_once(argv):
    """The classes of unbounded work of issue 10: refused before starting (under the DEFAULT
    budget), in one line naming the estimate and the flag that raises the budget."""
    rc, out, err, seconds = run_cli(argv)
    assert rc == 2 and err.count("\n") == 1, err
    assert "work units" in err and "--max-work" in err, err
    assert seconds < TIME_LIMIT


TOKYO = "sam-gc-cnn_profile_est-mbp__w256-n10-l0_000-b256-cno_forloop-Tokyo"


@pytest.mark.parametrize(
    "argv",
    [
        ["simulate", "--trace", TOKYO, "--scheme", "gc", "--s", "3", "--jobs", "5", "--mu", "1"],
        [
            "simulate",
            "--trace",
            TOKYO,
            *"--scheme brsgc --B 1 --W 2 --lam 3 --jobs 5 --mu 1 --policy optimal".split(),
        ],
        ["sweep", "--trace", TOKYO, *"--jobs 3 --max-delay 1 --mu 1 --max-dp-work 1e4".split()],
        ["reproduce", "--trace", TOKYO, "--max-delay", "1", "--slope", "paper"],
    ],
)
@pytest.mark.parametrize("budget", ["1e7", "inf", "20000000"])
def test_budgets_take_one_grammar(argv, budget):
    """simulate, sweep and reproduce count their own steps, but take --max-work (and
    --max-dp-work) in the grammar of every other command: 1e7, inf, or an integer."""
    rc, out, err, _ = run_cli(argv + ["--max-work", budget])
    assert rc == 0, err
    rc, out, err, _ = run_cli(["--max-work", budget] + argv)  # before the command: the same
    assert rc == 0, err


@pytest.mark.parametrize(
    "argv, needle",
    [
        # overflowing shifts: one line, no RuntimeWarning on stderr
        (
            [
                "sweep",
                "--trace",
                TOKYO,
                *"--jobs 3 --max-delay 1 --mu 1 --slope 1e308 --probe-load 1e308".split(),
            ],
            "must stay finite",
        ),
        (
            ["simulate", "--trace", TOKYO, *"--scheme gc --s 1 --jobs 3 --mu 1e308".split()],
            "mu=1e+308 is too large",
        ),
        (
            ["simulate", "--trace", TOKYO, *"--scheme gc --s 1 --jobs -3 --mu 1".split()],
            "--jobs must be >= 1",
        ),
        (
            ["simulate", "--trace", TOKYO, *"--scheme gc --s 1 --jobs 3 --mu nan".split()],
            "--mu must be a finite number",
        ),
        (["reproduce", "--trace", TOKYO, "--mu", "inf"], "--mu must be a finite number"),
        (
            ["sweep", "--trace", TOKYO, "--jobs", "3", "--max-delay=-1", "--mu", "1"],
            "--max-delay must be >= 0",
        ),
        (
            ["sweep", "--trace", TOKYO, *"--jobs 3 --max-delay 1 --mu 1 --max-dp-work 0".split()],
            "--max-dp-work must be >= 1",
        ),
        (
            ["sweep", "--trace", TOKYO, *"--jobs 6 --max-delay 4 --mu 1 --max-work 1000".split()],
            "--max-work",
        ),
    ],
)
def test_simulation_refusals_name_the_option(argv, needle):
    rc, out, err, _ = run_cli(argv)
    assert rc == 2 and needle in err and err.count("\n") == 1, err


def test_huge_runtimes_print_compactly():
    rc, out, err, _ = run_cli(
        ["simulate", "--trace", TOKYO, *"--scheme gc --s 3 --jobs 5 --mu 1 --slope 1e300".split()]
    )
    assert rc == 0 and "runtime 7.8125e+298 s" in out and len(out) < 200, out
