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
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(argv_strategy(table))
    def inner(argv):
        check_contract(argv)

    inner()


def test_fuzz_cli(table):
    """About 150 command lines across every sub-command (deterministic, a few seconds)."""
    _fuzz(table, None, 150)


@pytest.mark.slow
def test_fuzz_cli_long(table):
    _fuzz(table, None, 2000)


@pytest.mark.parametrize("argv", [
    ["patterns", "count", "--n", "256", "--model", "bursty:B=1,W=2,lam=27", "--rounds",
     "100000"],
    ["verify", "--scheme", "msgc", "--n", "256", "--B", "1", "--W", "2", "--lam", "27",
     "--rounds", "3"],
    ["gc", "verify", "--n", "60", "--s", "30"],
    ["show", "--scheme", "msgc", "--n", "4", "--B", "1", "--W", "2", "--lam", "1", "--rounds",
     "1000000"],
    ["bound", "--n", "256", "--model", "bursty:B=3,W=8,lam=100"],
    ["patterns", "sample", "--n", "1000000000", "--model", "per-round:s=2", "--rounds", "3"],
    ["verify", "--scheme", "gc", "--n", "1000000000", "--s", "1", "--all-horizons"],
])
def test_oversized_requests_are_refused_at_once(argv):
    """The classes of unbounded work of issue 10: refused before starting (under the DEFAULT
    budget), in one line naming the estimate and the flag that raises the budget."""
    rc, out, err, seconds = run_cli(argv)
    assert rc == 2 and err.count("\n") == 1, err
    assert "work units" in err and "--max-work" in err, err
    assert seconds < TIME_LIMIT
