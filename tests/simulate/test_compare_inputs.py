"""Inputs that used to end badly in compare / recommend / evaluate / sweep (issue 29): each ends
with one SGCError line naming the argument, or runs."""

import json
import socket
import threading

import numpy as np
import pytest

from sgc_theory.cli import main
from sgc_theory.errors import SGCError
from sgc_theory.simulate import simulate
from sgc_theory.simulate.compare import ci95, compare, evaluate, rank, select_configs

from compare_helpers import ge

FAST = ["--rounds", "40", "--replications", "2", "--target-halfwidth", "off"]
PILOT = ["--pilot-jobs", "6", "--max-delay", "2"]


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    path = tmp_path_factory.mktemp("proc") / "m.json"
    ge(n=12, q=0.05).save(path)
    return str(path)


def test_evaluate_gc_alone_minimal_equals_simulate():
    """GC alone under the minimal policy (the masks used to be built for 0 stragglers)."""
    D = ge(n=10, q=0.1).generate(12, seed=3)
    ev = evaluate(D, [("gc", {"s": 1}), ("gc", {"s": 3})], jobs=10, mu=1, slope=0.3)
    for c, s in enumerate((1, 3)):
        for j, pol in enumerate(("paper", "minimal")):
            ref = simulate(D, "gc", jobs=10, mu=1, policy=pol, slope=0.3, s=s)
            assert ev["runtime"][c, j] == ref.runtime


@pytest.mark.parametrize(
    "extra",
    [
        ["--schemes", "gc"],
        ["--schemes", "nocoding"],
        ["--schemes", "prsgc"],
        ["--schemes", "prsgc", "msgc"],
        ["--max-delay", "0"],
        ["--pilot-jobs", "1"],
    ],
)
@pytest.mark.parametrize("command", ["compare", "recommend"])
def test_no_bursty_family_or_tiny_pilot_runs(model, command, extra, capsys):
    argv = [command, "--process", model, *FAST, *PILOT, *extra, "--json"]
    if command == "recommend":
        argv += ["--pilot-replications", "1"]
    assert main(argv) == 0, capsys.readouterr().err
    out = json.loads(capsys.readouterr().out)
    if command == "recommend" and "prsgc" in extra:
        assert out["pilot"]["prsgc"]["searched"] > 0 and out["pilot"]["prsgc"]["kept"] > 0
    if command == "compare":
        named = set(extra[1:]) if extra[0] == "--schemes" else set()
        # every named family runs, or is listed with the reason
        assert named <= set(out["results"]) | set(out["not_compared"])
        assert "gc" in out["results"]


def test_prsgc_is_compared(model, capsys):
    argv = ["compare", "--process", model, *FAST, *PILOT, "--schemes", "prsgc", "msgc", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    assert {"gc", "prsgc", "msgc"} <= set(out["results"])


def test_sweep_prsgc_is_bounded(capsys):
    D = ge(n=12, q=0.05).generate(10, seed=1)
    from sgc_theory.simulate import sweep

    res = sweep(D, jobs=8, max_delay=2, mu=1.0, schemes=("prsgc",), verify_best=False)
    assert res.best["paper"]["prsgc"] is not None and "grid" in res.skipped["prsgc"]
    from sgc_theory.simulate.optimal import BudgetError

    with pytest.raises(BudgetError, match="prsgc"):
        sweep(D, jobs=8, max_delay=2, mu=1.0, schemes=("prsgc",), max_work=1000)


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda D: evaluate(D, [("gc", {"s": 1})], jobs=5, mu=1, policies=("bogus",)), "policies"),
        (lambda D: evaluate(D, [("gc", {"s": 1})], jobs=5, mu=1, policies=("optimal",)), "optimal"),
        (lambda D: evaluate(D, [("gc", {"s": 1})], jobs=5, mu=float("nan")), "mu"),
        (lambda D: evaluate(D, [("gc", {"s": 1})], jobs=5, mu=1, probe_load=-3), "probe_load"),
        (lambda D: evaluate(D, [("gc", {"s": 1})], jobs=0, mu=1), "jobs"),
        (lambda D: evaluate(D, [("gc", {"s": 1})], jobs=100, mu=1), "jobs"),
        (lambda D: evaluate(D[0], [("gc", {"s": 1})], jobs=5, mu=1), "D"),
        (lambda D: evaluate(np.where(D > 1.2, np.nan, D), [("gc", {"s": 1})], jobs=5, mu=1), "D"),
        (lambda D: evaluate(D, [("gc", {"s": 1})], jobs=5, mu=1, slope=1e308), "slope"),
        (lambda D: compare(ge(n=8), policies=(), rounds=20), "policies"),
        (
            lambda D: rank(ge(n=8), [("gc", {"s": 1})], rounds=20, replications=2, mu=float("nan")),
            "mu",
        ),  # fmt: skip
        (lambda D: select_configs(D, mu=1, schemes=("bogus",), jobs=5, max_delay=1), "schemes"),
        (lambda D: ci95("abc"), "ci95"),
        (lambda D: compare(ge(n=8), rounds=20, states=3), "states"),
    ],
)
def test_api_validation_names_the_argument(call, name):
    D = ge(n=8, q=0.1).generate(12, seed=0)
    with pytest.raises(SGCError, match=name):
        call(D)


def test_slope_1e300_json_is_strict_or_refused(model, capsys):
    rc = main(["compare", "--process", model, *FAST, *PILOT, "--slope", "1e300", "--json"])
    cap = capsys.readouterr()
    if rc == 0:
        json.loads(cap.out, parse_constant=lambda c: pytest.fail(f"non-strict JSON {c}"))
    else:
        assert rc == 2 and cap.err.count("\n") == 1 and "slope" in cap.err


def test_simulate_refuses_negative_probe_load_of_a_process(tmp_path, capsys):
    path = tmp_path / "neg.json"
    ge(n=8, probe_load=-5).save(path)
    rc = main(["simulate", "--trace", f"process:{path},rounds=12", "--scheme", "gc", "--s", "1",
               "--jobs", "5", "--mu", "1"])  # fmt: skip
    err = capsys.readouterr().err
    assert rc == 2 and "probe_load" in err and err.count("\n") == 1
    assert main(["simulate", "--trace", "x.csv", "--scheme", "gc", "--s", "1", "--jobs", "5",
                 "--mu", "1", "--probe-load", "-5"]) == 2  # fmt: skip
    rc = main(["compare", "--process", str(path), *FAST, *PILOT])
    assert rc == 2 and "probe_load" in capsys.readouterr().err


def test_compare_process_with_states_is_refused(model, capsys):
    rc = main(["compare", "--process", model, "--states", "3", *FAST])
    err = capsys.readouterr().err
    assert rc == 2 and "--states" in err and err.count("\n") == 1


@pytest.fixture
def silent_server():
    """A loopback TCP server that accepts connections and never says anything."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    held = []

    def accept():
        try:
            while True:
                held.append(srv.accept()[0])
        except OSError:
            pass

    threading.Thread(target=accept, daemon=True).start()
    yield f"tcp://127.0.0.1:{srv.getsockname()[1]}"
    srv.close()
    for c in held:
        c.close()


def test_silent_scheduler_fails_within_seconds(model, silent_server, capsys):
    import time

    t0 = time.monotonic()
    rc = main(["compare", "--process", model, *FAST, *PILOT, "--scheduler", silent_server])
    err = capsys.readouterr().err
    assert rc == 2 and "handshake" in err and err.count("\n") == 1
    assert time.monotonic() - t0 < 30


@pytest.mark.parametrize("address", ["http://127.0.0.1:1", "inproc://x"])
def test_bad_scheduler_addresses_one_line(model, address, capsys):
    rc = main(["compare", "--process", model, *FAST, *PILOT, "--scheduler", address])
    err = capsys.readouterr().err
    assert rc == 2 and err.count("\n") == 1 and "Exception ignored" not in err
