import json

import pytest

from sgc_theory.cli import main


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.mark.parametrize("construction", ["frc", "cyclic"])
def test_verify_json_shape(capsys, construction):
    seed = ["--seed", "1"] if construction == "cyclic" else []  # frc is not random
    rc, out, err = run(
        capsys,
        "gc",
        "verify",
        "--n",
        "6",
        "--s",
        "2",
        "--construction",
        construction,
        *seed,
        "--json",
    )
    assert rc == 0 and err == ""
    got = json.loads(out)
    assert {
        k: got[k] for k in ("ok", "sets_checked", "failures", "example_failure", "sets_total")
    } == {"ok": True, "sets_checked": 15, "failures": 0, "example_failure": None, "sets_total": 15}
    # frc has a structural proof: with 15 <= 64 sets the spot check covers all of them
    assert got["basis"] == ("structural" if construction == "frc" else "exhaustive")
    assert got["sampled"] is False and got["seed"] is None
    assert got["guarantee"]["kind"] == ("structural" if construction == "frc" else "certified")


def test_seed_of_a_deterministic_construction_is_refused(capsys):
    rc, out, err = run(
        capsys, "gc", "verify", "--n", "6", "--s", "2", "--construction", "frc", "--seed", "1"
    )
    assert rc == 2 and "--seed" in err and err.count("\n") == 1


def test_verify_text(capsys):
    rc, out, _ = run(capsys, "gc", "verify", "--n", "5", "--s", "1")
    assert rc == 0 and out.startswith("OK:") and out.count("\n") == 1


def test_verify_matrix_failure_exit_1(capsys, tmp_path):
    p = tmp_path / "E.csv"
    p.write_text("1,1,0,0\n1,1,1,1\n0,0,1,0\n0,0,2,0\n")
    rc, out, _ = run(capsys, "gc", "verify", "--matrix", str(p), "--s", "1", "--json")
    assert rc == 1
    got = json.loads(out)
    assert {k: got[k] for k in ("ok", "sets_checked", "failures", "example_failure")} == {
        "ok": False,
        "sets_checked": 4,
        "failures": 1,
        "example_failure": [1],
    }
    assert got["basis"] == "exhaustive" and got["guarantee"]["kind"] == "fails"
    rc, out, _ = run(capsys, "gc", "verify", "--matrix", str(p), "--s", "1")
    assert rc == 1 and out.startswith("FAILED") and "[1]" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--n", "4", "--s", "4"],
        ["--n", "8", "--s", "2", "--construction", "frc"],
        ["--s", "1"],
        ["--n", "4", "--s", "1", "--matrix", "E.csv"],
        ["--matrix", "/nonexistent/E.csv", "--s", "1"],
    ],
)
def test_misuse_exit_2_one_line(capsys, argv):
    rc, out, err = run(capsys, "gc", "verify", *argv)
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("sgc: error:")
