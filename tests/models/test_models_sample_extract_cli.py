"""Sampling uniformity, extract_pattern, parameter validation and the ``sgc patterns`` CLI."""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sgc_theory.cli import main
from sgc_theory.errors import SGCError
from sgc_theory.models import Arbitrary, Bursty, PerRound, extract_pattern, parse_model

from model_oracles import key


# ----- sample: uniform over the admitted set -------------------------------------------------------
@pytest.mark.parametrize(
    "model,R,draws",
    [
        (Bursty(2, 1, 2, 1), 3, 3000),
        (Arbitrary(2, 2, 3, 1), 3, 3000),
        (Bursty(3, 2, 3, 2), 2, 4000),
    ],
)
def test_sample_uniform(model, R, draws):
    support = {key(P) for P in model.enumerate(R)}
    k = len(support)
    assert k == model.count(R)
    rng = np.random.default_rng(2024)
    freq = Counter(key(model.sample(R, rng)) for _ in range(draws))
    assert set(freq) <= support
    assert set(freq) == support  # every admitted pattern shows up
    expected = draws / k
    # each frequency within a generous band (6 sigma of a binomial) of uniform
    sigma = (draws * (1 / k) * (1 - 1 / k)) ** 0.5
    for kk, c in freq.items():
        assert abs(c - expected) <= 6 * sigma, (kk, c, expected)
    # Pearson chi-square against uniform: k - 1 degrees of freedom; mean k-1, sd sqrt(2(k-1));
    # allow a very generous mean + 6 sd
    chi2 = sum((freq.get(s, 0) - expected) ** 2 / expected for s in support)
    assert chi2 <= (k - 1) + 6 * (2 * (k - 1)) ** 0.5


def test_sample_uniform_over_workers_large_n():
    """n = 40 per-round(1): the straggler (if any) of each round is uniform over the 40 workers
    and 'no straggler' has probability 1/41."""
    m = PerRound(40, 1)
    rng = np.random.default_rng(5)
    P = np.concatenate([m.sample(100, rng) for _ in range(41)], axis=1)
    per_round = P.sum(axis=0)
    assert per_round.max() <= 1
    clean = int((per_round == 0).sum())
    assert abs(clean - 100) <= 6 * 10
    counts = P.sum(axis=1)
    assert counts.min() >= 100 - 60 and counts.max() <= 100 + 60


def test_sample_long_horizon():
    """Regression: sample() used to recurse once per round and hit the recursion limit
    (RecursionError from about 350 rounds on)."""
    m = Bursty(4, 2, 3, 2)
    P = m.sample(1000, 0)
    assert P.shape == (4, 1000) and m.admits(P)


def test_sample_zero_rounds_and_seed():
    m = Bursty(3, 2, 3, 2)
    assert m.sample(0, 1).shape == (3, 0)
    assert np.array_equal(m.sample(12, 99), m.sample(12, np.random.default_rng(99)))


# ----- extract_pattern ---------------------------------------------------------------------------
def test_extract_pattern_hand_example():
    delays = [[1.0, 4.0, 2.0], [2.0, 2.0, 2.0], [2.1, 1.0, 3.0]]
    # mu = 1: threshold 2 x fastest, strict '>' ; fastest per round 1, 1, 2
    got = extract_pattern(delays, mu=1.0)
    assert got.dtype == bool
    assert got.tolist() == [[False, True, False], [False, False, False], [True, False, False]]
    assert extract_pattern(delays, mu=0.0).tolist() == [
        [False, True, False],
        [True, True, False],
        [True, False, True],
    ]
    # a fastest worker never straggles; equal delays never straggle
    assert not extract_pattern([[3.0], [3.0]], mu=0.0).any()
    assert extract_pattern(np.zeros((2, 0)), mu=0.5).shape == (2, 0)


@settings(max_examples=100, deadline=None)
@given(
    D=arrays(
        np.float64,
        st.tuples(st.integers(1, 5), st.integers(1, 6)),
        elements=st.floats(0, 100, allow_nan=False, allow_infinity=False),
    ),
    mu=st.floats(0, 3, allow_nan=False),
)
def test_extract_pattern_definition(D, mu):
    P = extract_pattern(D, mu)
    n, R = D.shape
    assert P.shape == (n, R)
    for r in range(R):
        fastest = min(D[j, r] for j in range(n))
        for i in range(n):
            assert bool(P[i, r]) == (D[i, r] > (1 + mu) * fastest)
        # the fastest worker of every round is never a straggler
        assert not P[int(np.argmin(D[:, r])), r]


@pytest.mark.parametrize(
    "bad,mu",
    [
        ([1.0, 2.0], 0.5),
        ([[1.0, -1.0]], 0.5),
        ([[1.0, float("nan")]], 0.5),
        ([[1.0, 2.0]], -0.1),
        ([[1.0, float("inf")]], 0.5),
    ],
)
def test_extract_pattern_rejects(bad, mu):
    with pytest.raises(SGCError):
        extract_pattern(bad, mu)


# ----- parameter validation -----------------------------------------------------------------------
@pytest.mark.parametrize(
    "build",
    [
        lambda: Bursty(4, 3, 2, 1),  # B > W
        lambda: Bursty(4, 0, 2, 1),  # B < 1
        lambda: Bursty(4, 1, 2, 5),  # lam > n
        lambda: Bursty(4, 1, 2, -1),  # negative lam
        lambda: Bursty(4, -1, 2, 1),
        lambda: Bursty(4, 1, 0, 1),  # W < 1
        lambda: Bursty(0, 1, 2, 0),  # n < 1
        lambda: Bursty(4, 1.5, 2, 1),  # not an integer
        lambda: Arbitrary(4, 3, 2, 1),  # N > W
        lambda: Arbitrary(4, 0, 2, 1),
        lambda: Arbitrary(4, 1, 2, 5),
        lambda: Arbitrary(4, 1, -2, 1),
        lambda: Arbitrary(-1, 1, 2, 0),
        lambda: PerRound(3, 4),  # s > n
        lambda: PerRound(3, -1),
        lambda: PerRound(0, 0),
        lambda: PerRound(3, True),  # bool is not an integer here
    ],
)
def test_constructor_validation(build):
    with pytest.raises(SGCError):
        build()


@pytest.mark.parametrize(
    "spec",
    [
        *"bursty:B=3,W=2,lam=1 bursty:B=1,W=2,lam=9 bursty:B=1,W=2,lam=-1 arbitrary:N=-1,W=2,lam=1 per-round:s=-1 per-round:s=5 gilbert:p=1 bursty bursty:B=1,W=2 arbitrary:N=1,lam=1 per-round: bursty:B=1,W=2,lam=1,s=3 bursty:B=one,W=2,lam=1 bursty:B=1;W=2;lam=1".split(),
        "",
    ],
)
def test_parse_model_errors(spec):
    with pytest.raises(SGCError):
        parse_model(spec, 4)


def test_parse_model_accepts_spacing_and_case():
    assert parse_model(" Bursty : B=2, W=3 , lam=2", 4) == Bursty(4, 2, 3, 2)
    assert parse_model("arbitrary:N=2,W=3,lam=2", 4) == Arbitrary(4, 2, 3, 2)
    assert parse_model("per-round:s=1", 4) == PerRound(4, 1)
    assert parse_model("per-round:s=1", 4) != Bursty(4, 1, 1, 1)  # equal sets, different kinds


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.count(-1),
        lambda m: m.count(2, method="brute"),
        lambda m: list(m.enumerate(-1)),
        lambda m: m.sample(-3, 0),
        lambda m: m.admits(np.zeros((3, 2), dtype=bool)),  # wrong n
        lambda m: m.admits(np.zeros(4, dtype=bool)),  # not 2-D
        lambda m: m.admits(np.full((4, 2), 2)),  # not boolean
    ],
)
def test_method_argument_validation(call):
    with pytest.raises(SGCError):
        call(Bursty(4, 2, 3, 2))


# ----- CLI -----------------------------------------------------------------------------------------
def test_cli_count_json(capsys):
    rc = main("patterns count --n 5 --model bursty:B=2,W=3,lam=3 --rounds 7 --json".split())
    out, err = capsys.readouterr()
    assert rc == 0
    payload = json.loads(out)
    assert payload == {"count": 4_426_936, "count_digits": 7}
    assert isinstance(payload["count"], int)


def test_cli_count_big_int_exact(capsys):
    rc = main(
        ["patterns", "count", "--n", "256", "--model", "per-round:s=27", "--rounds", "10", "--json"]
    )
    out, _ = capsys.readouterr()
    assert rc == 0
    assert json.loads(out)["count"] == PerRound(256, 27).count(10)


def test_cli_count_text(capsys):
    rc = main(["patterns", "count", "--n", "4", "--model", "per-round:s=1", "--rounds", "3"])
    out, _ = capsys.readouterr()
    assert rc == 0 and "125" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["patterns", "count", "--n", "4", "--model", "bursty:B=3,W=2,lam=1", "--rounds", "3"],
        ["patterns", "count", "--n", "4", "--model", "bursty:B=1,W=2,lam=7", "--rounds", "3"],
        ["patterns", "count", "--n", "4", "--model", "nonsense:x=1", "--rounds", "3", "--json"],
        ["patterns", "count", "--n", "4", "--model", "bursty:B=1,W=2", "--rounds", "3"],
        ["patterns", "count", "--n", "0", "--model", "per-round:s=0", "--rounds", "3"],
        ["patterns", "count", "--n", "4", "--model", "per-round:s=1", "--rounds", "-1"],
    ],
)
def test_cli_count_errors(argv, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    assert rc == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("sgc: error:")


def test_cli_sample_json(capsys):
    rc = main(
        "patterns sample --n 4 --model bursty:B=2,W=3,lam=2 --rounds 6 --seed 3 --json".split()
    )
    out, _ = capsys.readouterr()
    assert rc == 0
    rounds = json.loads(out)["pattern"]
    assert len(rounds) == 6
    P = np.zeros((4, 6), dtype=bool)
    for r, workers in enumerate(rounds):
        P[workers, r] = True
    assert Bursty(4, 2, 3, 2).admits(P)
