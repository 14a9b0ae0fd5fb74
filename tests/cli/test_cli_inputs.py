"""Inputs that used to end badly (issue 29, the house's part): each ends with one stderr line
and its documented exit code, writes no partial file, and states the rule it broke."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from sgc_theory.bounds import counting_bound
from sgc_theory.bounds.loads import gc_load, wcsgc_load
from sgc_theory.errors import SGCError
from sgc_theory.simulate.traces import load_trace, parse_delay_csv

from test_cli_fuzz import run_cli

ROOT = Path(__file__).resolve().parents[2]


def _one_error_line(rc, out, err, code=2):
    assert rc == code and out == ""
    assert err.count("\n") == 1 and err.startswith("sgc: error: "), err


def test_capacity_above_the_units_of_a_job_is_refused():
    rc, out, err, _ = run_cli(
        "load --scheme wcsgc --n 4 --B 1 --W 2 --lam 1 --capacity 5 --units 1".split()
    )
    _one_error_line(rc, out, err)
    assert "--capacity must be <= --units" in err and "load 5 > 1" in err
    for command in ("verify", "show"):  # every command that builds the scheme
        extra = ["--rounds", "2"] + (["--pattern", ""] if command == "show" else [])
        rc, out, err, _ = run_cli(
            [command, *"--scheme wcsgc --n 4 --B 1 --W 2 --lam 1 --capacity 3 --units 2".split()]
            + extra
        )
        _one_error_line(rc, out, err)
    rc, out, err, _ = run_cli(
        "load --scheme wcsgc --n 4 --B 1 --W 2 --lam 1 --capacity 2 --units 2 --json".split()
    )
    assert rc == 0 and '"fraction": "1"' in out  # capacity = units: the whole job, allowed


def test_closed_forms_refuse_missing_arguments():
    with pytest.raises(SGCError, match=r"wcsgc_load\(n, B, W, lam\): missing .* 'lam'"):
        wcsgc_load(4, 2, -1)
    with pytest.raises(SGCError, match="unexpected keyword"):
        gc_load(4, 1, t=2)
    with pytest.raises(SGCError, match="counting_bound"):
        counting_bound(4, 1)
    assert wcsgc_load(256, 1, 2, 27) == wcsgc_load(n=256, B=1, W=2, lam=27)  # still callable


def test_headerless_long_format_csv_is_refused(tmp_path):
    """``worker,round,time`` lines without a header used to be read as a 3-worker trace."""
    lines = [f"{w},{r},{1 + 0.1 * w + 0.01 * r}" for w in range(4) for r in range(5)]
    long = tmp_path / "long.csv"
    long.write_text("\n".join(lines) + "\n")
    with pytest.raises(SGCError, match="long format without a header.*4 x 5 grid"):
        load_trace(long)
    rounds_first = "\n".join(f"{r},{w},2.5" for r in range(1, 4) for w in range(1, 3))
    with pytest.raises(SGCError, match="3 x 2 grid"):
        parse_delay_csv(rounds_first, "t")
    rc, out, err, _ = run_cli(
        ["simulate", "--trace", str(long), "--jobs", "2", "--mu", "1", "--scheme", "gc", "--s", "1"]
    )
    _one_error_line(rc, out, err)
    # real 3-worker traces stay readable: integer delays, even repeated ones
    ok = parse_delay_csv("1,2,3\n2,1,3\n1,1,1\n2,2,9\n", "t")
    assert ok.shape == (3, 4)
    assert parse_delay_csv("0,0,1\n0,1,2\n1,0,1\n", "t").shape == (3, 3)  # not a full grid


def _sgc(args, **kw):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "sgc_theory", *args], env=env, capture_output=False, **kw
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["--version"], ["--help"], ["verify", "--help"], []])
def test_help_and_version_on_a_full_disk_fail(args):
    with open("/dev/full", "w") as full:
        proc = _sgc(args, stdout=full, stderr=subprocess.PIPE, text=True)
    assert proc.returncode == 2, proc
    assert proc.stderr.count("\n") == 1 and "No space left" in proc.stderr


def test_an_interrupt_a_callback_swallows_still_ends_the_command():
    """Ctrl-C that lands in a weak reference's finaliser (Python prints "Exception ignored" and
    goes on): the command still ends with exit 130 long before its 20 s of work, with one line
    and no traceback."""
    script = textwrap.dedent(
        """
        import os, signal, time, weakref
        import sgc_theory.cli.app as app

        done = []

        def command(argv, flags):
            class Obj:
                pass

            def finaliser(ref):
                os.kill(os.getpid(), signal.SIGINT)
                for _ in range(1000):
                    pass

            obj = Obj()
            ref = weakref.ref(obj, finaliser)
            del obj
            t0 = time.process_time()
            while time.process_time() - t0 < 20:
                sum(range(1000))
            done.append(True)
            return 0

        app._parse_and_run = command
        print(app.main([]), bool(done))
        """
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.split() == ["130", "False"], proc
    assert proc.stderr == "sgc: interrupted\n", proc.stderr
