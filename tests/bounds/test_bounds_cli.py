"""``sgc load`` and ``sgc bound``: the JSON contract and the one-line errors."""

import json

import pytest

from sgc_theory.cli import main


def run(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_load_json_paper_configurations(capsys):
    rc, out, _ = run(
        capsys,
        "load",
        "--scheme",
        "msgc",
        "--n",
        "256",
        "--B",
        "1",
        "--W",
        "2",
        "--lam",
        "27",
        "--json",
    )
    assert rc == 0 and json.loads(out) == {"load": {"fraction": "7/928", "float": 7 / 928}, "T": 1}
    rc, out, _ = run(
        capsys,
        "load",
        "--scheme",
        "srsgc",
        "--n",
        "256",
        "--B",
        "2",
        "--W",
        "3",
        "--lam",
        "23",
        "--json",
    )
    assert json.loads(out) == {"load": {"fraction": "13/256", "float": 13 / 256}, "T": 2}
    rc, out, _ = run(capsys, "load", "--scheme", "gc", "--n", "256", "--s", "15", "--json")
    assert json.loads(out) == {"load": {"fraction": "1/16", "float": 1 / 16}, "T": 0}


@pytest.mark.parametrize(
    "argv,needle",
    [
        (["--scheme", "gc", "--n", "4", "--s", "4"], "0 <= s < n"),
        (["--scheme", "gc", "--n", "4", "--s", "-1"], "0 <= s < n"),
        (["--scheme", "gc", "--n", "4"], "--s"),
        (["--scheme", "srsgc", "--n", "4", "--B", "3", "--W", "3", "--lam", "1"], "W >= B + 1"),
        (["--scheme", "srsgc", "--n", "4", "--B", "1", "--W", "3", "--lam", "5"], "lam <= n"),
        (["--scheme", "msgc", "--n", "4", "--B", "3", "--W", "3", "--lam", "1"], "B <= W - 1"),
        (["--scheme", "msgc", "--n", "4", "--B", "0", "--W", "3", "--lam", "1"], "1 <= B"),
        (["--scheme", "msgc", "--n", "4", "--B", "1", "--W", "3", "--lam", "-1"], "0 <= lam"),
        (["--scheme", "msgc", "--n", "4", "--B", "1", "--W", "3"], "--lam"),
        (["--scheme", "xyz", "--n", "4"], "gc, srsgc, msgc"),
    ],
)
def test_load_errors_are_one_line_exit_2(capsys, argv, needle):
    rc, out, err = run(capsys, "load", *argv)
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and needle in err


THIRD = {"fraction": "1/3", "float": 1 / 3}
CB = {"fraction": "2/485", "float": 2 / 485}


def test_bound_json(capsys):
    rc, out, _ = run(capsys, "bound", "--n", "4", "--model", "bursty:B=2,W=3,lam=2", "--json")
    assert rc == 0 and json.loads(out) == {
        "counting_bound": THIRD,
        "density_bound": THIRD,
        "rho": 1,
    }
    rc, out, _ = run(capsys, "bound", "--n", "4", "--model", "arbitrary:N=2,W=3,lam=2", "--json")
    assert json.loads(out) == {
        "counting_bound": None,
        "density_bound": {"fraction": "3/8", "float": 0.375},
        "rho": "4/3",
    }
    rc, out, _ = run(capsys, "bound", "--n", "256", "--model", "bursty:B=1,W=2,lam=27", "--json")
    assert json.loads(out) == {"counting_bound": CB, "density_bound": CB, "rho": "27/2"}


def test_bound_errors(capsys):
    rc, out, err = run(capsys, "bound", "--n", "3", "--model", "per-round:s=3")
    assert rc == 2 and "straggle" in err and err.count("\n") == 1
    rc, out, err = run(capsys, "bound", "--n", "3", "--model", "bursty:B=1")
    assert rc == 2 and "missing" in err
