"""Counterexamples are confirmed by the exact code, and verdicts name the code they rest on.

Independent routes: ``scheme.run`` (exact rational spans, the reference) against the exact-rank
replay used at large n; the count-level (token) replay against the exact one; the models'
``admits``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from sgc_theory.models import Bursty, PerRound
from sgc_theory.schemes import GC, MSGC, SRSGC
from sgc_theory.schemes._common import gradient_code
from sgc_theory.verify import confirm, replay, verify

ISSUE_SCHEME = {"n": 15, "B": 1, "W": 3, "lam": 6}  # s = 2, (s + 1) | 15: fractional repetition
ISSUE_MODEL = Bursty(15, 1, 3, 7)
COUNT_LEVEL = [[0, 1, 2, 3, 4], [5, 6], [], [0]]  # the symmetric search's own counterexample


def _pattern(n, rounds):
    P = np.zeros((n, len(rounds)), dtype=bool)
    for r, ws in enumerate(rounds):
        P[ws, r] = True
    return P


def test_issue_example_count_level_pattern_is_survived_by_the_exact_code():
    sch = SRSGC(**ISSUE_SCHEME)
    P = _pattern(15, COUNT_LEVEL)
    assert ISSUE_MODEL.admits(P)
    assert replay(sch, P, exact_algebra=False) == 2  # counts: 12 < n - s = 13 results
    assert sch.run(P).first_missed() is None  # but every FRC group has a survivor
    assert replay(sch, P) is None  # the default replay is exact


def test_issue_example_confirmed_counterexample_is_a_real_one():
    sch = SRSGC(**ISSUE_SCHEME)
    res = verify(sch, ISSUE_MODEL, all_horizons=True)
    assert res.method == "symmetric" and not res.ok and res.confirmed is True
    P = res.counterexample
    assert ISSUE_MODEL.admits(P)
    run = sch.run(P)  # the reference exact algebra, independent of the rank route
    assert not run.ok and run.first_missed() == res.failed_job
    assert res.failed_job + sch.T == P.shape[1] - 1
    assert res.counterexample_rounds() != COUNT_LEVEL
    assert "searching on" in res.confirmation and "seed 0" in res.confirmation
    assert any("is decoded by the exact code" in n for n in res.notes)
    # exact failures are count-level failures; the count-level search's shortest has 4 rounds
    assert P.shape[1] == 4 and any("shortest" in n for n in res.notes)
    assert res.code["construction"] == "frc" and res.code["count_rule"] == "sufficient"
    assert "FAILS" in res.summary() and "confirmed:" in res.summary()


def test_reed_solomon_makes_the_count_level_counterexample_real():
    """With the RS code, fewer than n - s results never decode: no search needed."""
    sch = SRSGC(**ISSUE_SCHEME, construction="rs")
    res = verify(sch, ISSUE_MODEL, all_horizons=True)
    assert not res.ok and res.confirmed is True
    assert res.confirmation.endswith("on the verifier's own counterexample")
    assert res.counterexample_rounds() == COUNT_LEVEL
    assert sch.run(res.counterexample).first_missed() == res.failed_job == 2
    assert res.code["count_rule"] == "exact"


def test_unconfirmed_count_level_failure_is_not_proved(monkeypatch):
    monkeypatch.setattr(confirm, "SEARCH_TRIES", 1)  # only the survived lowest-index placement
    res = verify(SRSGC(**ISSUE_SCHEME), ISSUE_MODEL, all_horizons=True)
    assert not res.ok and res.confirmed is False
    assert res.counterexample is None and res.failed_job is None and res.confirmation is None
    assert "NOT PROVED" in res.summary()
    assert any(n.startswith("NOT confirmed") and "budget reached" in n for n in res.notes)
    d = res.to_dict()
    assert d["confirmed"] is False and d["counterexample"] is None


def test_n256_failure_confirmed_by_exact_ranks():
    sch = GC(256, 15)  # fractional repetition, 16 groups of 16
    res = verify(sch, PerRound(256, 16), all_horizons=True)
    assert not res.ok and res.confirmed is True and "ranks over Q" in res.confirmation
    assert res.counterexample_rounds() == [list(range(16))]  # a whole group straggles


SCHEMES = [
    GC(7, 2),
    GC(6, 2),
    SRSGC(7, B=1, W=2, lam=2),
    SRSGC(6, B=1, W=3, lam=4),
    SRSGC(6, B=2, W=3, lam=3, construction="cyclic"),
    MSGC(6, B=1, W=2, lam=2),
    MSGC(5, B=2, W=3, lam=2, construction="rs"),
    MSGC(6, B=1, W=3, lam=2),
]


def _stronger(sch):
    if isinstance(sch, GC):
        return PerRound(sch.n, sch.s + 1)
    return Bursty(sch.n, min(sch.W, sch.B + 1), sch.W, min(sch.n, sch.lam + 1))


@pytest.mark.parametrize("sch", SCHEMES, ids=repr)
def test_rank_route_agrees_with_scheme_run(sch, monkeypatch):
    """The large-n exact route (ranks over Q per job) against ``scheme.run`` on random patterns
    of the design model and of a stronger one, failing ones included."""
    monkeypatch.setattr(confirm, "RUN_MAX_N", 0)
    rng = np.random.default_rng(7)
    seen = set()
    for model in (sch.design_model, _stronger(sch)):
        for _ in range(12):
            P = model.sample(6, rng)
            job, route = confirm.exact_first_missed(sch, P)
            assert "ranks over Q" in route
            assert job == sch.run(P).first_missed()
            seen.add(job is None)
    assert seen == {True, False}  # both outcomes were exercised


@pytest.mark.parametrize(
    "sch,construction",
    [
        (SRSGC(256, B=2, W=3, lam=23), "rs"),
        (GC(256, 15), "frc"),
        (GC(256, 12), "rs"),
        (MSGC(256, B=1, W=2, lam=27), "rs"),
        (SRSGC(256, B=1, W=3, lam=45), "frc"),
    ],
    ids=repr,
)
def test_n256_verdicts_name_the_code(sch, construction):
    res = verify(sch, all_horizons=True)
    assert res.ok and res.method == "symmetric"
    assert res.code["construction"] == construction and res.code["guarantee"].kind == "structural"
    assert res.code["n"] == 256
    assert f"'{construction}'" in res.summary() and "structural" in res.summary()
    d = json.loads(json.dumps(res.to_dict()))
    assert d["code"]["guarantee"]["kind"] == "structural" and d["confirmed"] is None


def test_unchecked_code_makes_the_verdict_conditional_without_building_it():
    gradient_code.cache_clear()
    res = verify(SRSGC(256, B=2, W=3, lam=23, construction="cyclic"), all_horizons=True)
    assert res.ok and res.code["guarantee"].kind == "unchecked"
    assert "CONDITIONAL" in res.summary()
    assert gradient_code.cache_info().currsize == 0  # no exact code was built


def test_exact_methods_record_the_code_and_confirm_by_run():
    sch = GC(4, 1)
    res = verify(sch, PerRound(4, 2), all_horizons=True, method="automaton")
    assert not res.ok and res.confirmed is True and "scheme.run" in res.confirmation
    assert "decided on its exact coefficient vectors" in res.rests_on()
    ok = verify(MSGC(4, B=1, W=2, lam=4), all_horizons=True)
    assert ok.ok and ok.code is None  # lam = n: no D2 part, no gradient code
