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


# ---------------------------------------------------------------------------------------------
# issue 20: the classes of bad endings, each with its replayable examples
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        # class 1: estimates that missed the real cost (big integers, spot checks, partitions)
        "patterns count --n 256 --model per-round:s=128 --rounds 100000".split(),
        "gc verify --n 256 --s 12 --construction rs --spot-checks 100000".split(),
        "design --n 4 --model bursty:B=1,W=2,lam=1 --T 1 --partitions 1000000".split(),
    ],
)
def test_issue20_estimates_refuse_at_once(argv):
    rc, out, err, seconds = run_cli(argv)
    assert rc == 2 and err.count("\n") == 1 and "--max-work" in err, err
    assert seconds < TIME_LIMIT


@pytest.mark.parametrize(
    "argv",
    [
        "patterns count --n 256 --model arbitrary:N=2,W=3,lam=200 --rounds 20".split(),
        "patterns count --n 32 --model arbitrary:N=3,W=4,lam=16 --rounds 6".split(),
        "patterns sample --n 256 --model arbitrary:N=2,W=3,lam=100 --rounds 10".split(),
        "verify --scheme msgc --n 4 --B 1 --W 2 --lam 1 --rounds 100000".split(),
    ],
)
def test_issue20_metered_work_ends_in_exit_2(argv):
    """Where the estimate is a lower bound, the meter (or the command's own watch of time and
    memory) ends the work: exit 2 naming --max-work, within the time limit."""
    rc, out, err, seconds = run_cli(argv + ["--max-work", "1e6"])
    assert rc == 2 and err.count("\n") == 1 and "--max-work" in err, err
    assert seconds < TIME_LIMIT + 10


def test_issue20_huge_exponent_in_a_matrix(tmp_path):
    for text in ("1e99999999,1\n1,1\n", "1e-99999999,1\n1,1\n"):
        p = tmp_path / "m.csv"
        p.write_text(text)
        rc, out, err, seconds = run_cli(["gc", "verify", "--matrix", str(p), "--s", "1"])
        assert rc == 2 and "exponent" in err and err.count("\n") == 1, err
        assert seconds < 5


def test_issue20_one_csv_reader(tmp_path):
    """A byte-order mark is dropped in every CSV; a header is a line without numbers; the long
    format is refused by name."""
    bom = b"\xef\xbb\xbf"
    (tmp_path / "m.csv").write_bytes(bom + b"1,1\n1,1\n")
    rc, out, err, _ = run_cli(["gc", "verify", "--matrix", str(tmp_path / "m.csv"), "--s", "1"])
    assert rc == 0, err
    from sgc_theory.simulate import load_trace

    (tmp_path / "a.csv").write_bytes(bom + b"1,2\n3,4\n")
    (tmp_path / "b.csv").write_bytes(bom + b"w0,w1\n1,2\n3,4\n")
    a, b = load_trace(str(tmp_path / "a.csv")), load_trace(str(tmp_path / "b.csv"))
    assert a.delays.tolist() == b.delays.tolist() == [[1.0, 3.0], [2.0, 4.0]]
    assert a.meta["header"] is None and b.meta["header"] == ("w0", "w1")
    (tmp_path / "long.csv").write_text("time,worker,delay\n0,0,1\n0,1,2\n")
    argv = ["simulate", "--trace", str(tmp_path / "long.csv")]
    rc, out, err, _ = run_cli(argv + "--scheme gc --s 1 --jobs 1 --mu 1".split())
    assert rc == 2 and "long format" in err, err


def test_issue20_output_paths(tmp_path):
    """An output name that is a folder, a folder name too long: one error line, exit 2."""
    (tmp_path / "fig_burst_hist.png").mkdir()
    rc, out, err, _ = run_cli(["figures", "--out", str(tmp_path), "--only", "burst_hist"])
    assert rc == 2 and err.count("\n") == 1 and "fig_burst_hist.png" in err, err
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]
    rc, out, err, _ = run_cli(["figures", "--out", str(tmp_path / ("a" * 300)), "--only", "burst"])
    assert rc == 2 and err.count("\n") == 1 and "too long" in err, err


def test_issue20_smaller_rules():
    rc, out, err, _ = run_cli("load --scheme gc --n 4 --s 1 --js".split())
    assert rc == 2 and "unrecognized arguments: --js" in err  # no abbreviations
    rc, out, err, _ = run_cli("load --scheme gc --n 4 --s 1 --max-work -inf".split())
    assert rc == 2 and "positive whole number" in err and "expected one argument" not in err
    rc, out, err, _ = run_cli(
        "patterns count --n 4 --model BURSTY:b=1,w=2,LAM=1 --rounds 2".split()
    )
    assert rc == 0 and "9 admitted" in out, err
    rc, out, err, _ = run_cli("gc verify --n 8 --s 1 --construction RS --json".split())
    assert rc == 0 and _strict(out)["ok"] is True
    rc, out, err, _ = run_cli(["traces", "fit", "--family", "desktop_long", "--region", "canada"])
    assert rc == 0, err
    argv = "show --scheme msgc --n 4 --B 1 --W 2 --lam 1 --rounds 3 --json --pattern".split()
    got = _strict(run_cli(argv + ["0,1;;"])[1])
    assert "missed" not in got and got["first_missed_job"] == 0
    assert got["pattern_in_model"] is False and got["first_round_outside_model"] == 0
    got = _strict(run_cli(argv + ["0;;"])[1])
    assert got["first_missed_job"] is None and got["pattern_in_model"] is True


# ----- through a real process: closed and full streams, encodings, Ctrl-C ---------------------
def _sgc_process(shell: str, env=None, timeout=120):
    import os
    import subprocess

    full_env = dict(os.environ, **(env or {}))
    return subprocess.run(
        ["bash", "-c", shell], capture_output=True, text=True, timeout=timeout, env=full_env
    )


def _sgc():
    import shutil
    import sys
    from pathlib import Path

    exe = shutil.which("sgc") or str(Path(sys.executable).parent / "sgc")
    if not Path(exe).exists():
        pytest.skip("the sgc console script is not installed")
    return exe


@pytest.mark.parametrize(
    "shell, rc, needle",
    [
        ("{sgc} load --scheme gc --n 4 --s 1 --json >&-", 2, "standard output is closed"),
        ("{sgc} traces list > /dev/full", 2, "No space left"),
        ("{sgc} load --scheme gc --n 4 --s 9 2>&- ; echo rc=$? >&2", 0, "rc=2"),
        ("{sgc} gc verify --matrix /nonexistent/nö.csv --s 1", 2, "n\\xf6.csv"),
    ],
)
def test_issue20_os_conditions(shell, rc, needle):
    res = _sgc_process(shell.format(sgc=_sgc()), env={"PYTHONIOENCODING": "ascii"})
    assert res.returncode == rc, res.stderr
    assert needle in res.stderr, res.stderr
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr, res.stderr


@pytest.mark.parametrize("delay", [1.5])
def test_issue20_ctrl_c(tmp_path, delay):
    _ctrl_c(tmp_path, delay)


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.3, 0.8, 2.5, 4.0, 6.0])
def test_issue20_ctrl_c_at_many_times(tmp_path, delay):
    _ctrl_c(tmp_path, delay)


def _ctrl_c(tmp_path, delay):
    """Ctrl-C at a given time of ``sgc figures``: exit 130, one line, every written file whole
    (the PNGs and PDFs are renamed into place only once complete), no temporary file left."""
    import signal
    import subprocess

    out = tmp_path / "figs"
    p = subprocess.Popen(
        [_sgc(), "figures", "--out", str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    time.sleep(delay)
    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=120)
    text = err.decode()
    if p.returncode == 0:  # finished before the signal (a fast machine)
        return
    assert p.returncode == 130 and text == "sgc: interrupted\n", (p.returncode, text)
    for f in out.iterdir() if out.exists() else []:
        assert not f.name.endswith(".tmp"), f
        head = f.read_bytes()[:8]
        assert head.startswith(b"\x89PNG") or head.startswith(b"%PDF"), f
        if f.suffix == ".pdf":
            assert b"%%EOF" in f.read_bytes()[-32:], f
