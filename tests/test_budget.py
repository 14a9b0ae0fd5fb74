"""Work budgets (sgc_theory.budget): the shared mechanism, its estimates, and the refusals of
oversized requests through the Python API."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sgc_theory import MSGC, GC, verify
from sgc_theory.budget import (
    DEFAULT_MAX_WORK,
    Meter,
    StateLimitError,
    WorkTooLargeError,
    check_work,
    current_limit,
    fmt_work,
    parse_max_work,
    work_budget,
)
from sgc_theory.codes import make_code
from sgc_theory.errors import SGCError
from sgc_theory.models import Arbitrary, Bursty, PerRound


def test_parse_max_work():
    assert parse_max_work("1e9") == 10**9 and parse_max_work(7) == 7
    assert parse_max_work("inf") == math.inf and parse_max_work(float("inf")) == math.inf
    for bad in (0, -1, "1.5", "abc", True, None, float("nan"), [1]):
        with pytest.raises(SGCError):
            parse_max_work(bad)


def test_precedence(monkeypatch):
    monkeypatch.delenv("SGC_MAX_WORK", raising=False)
    assert current_limit() == DEFAULT_MAX_WORK
    monkeypatch.setenv("SGC_MAX_WORK", "5e3")
    assert current_limit() == 5000
    with work_budget(10):
        assert current_limit() == 10
        assert current_limit(20) == 20
        with work_budget(None):
            assert current_limit() == 10
    assert current_limit() == 5000


def test_refusal_is_one_line_with_estimate_cheaper_route_and_flag():
    with pytest.raises(WorkTooLargeError) as info:
        check_work(10**40, "counting", cheaper="--all-horizons", limit=100)
    msg = str(info.value)
    assert "\n" not in msg and "1e+40" in msg and "--all-horizons" in msg
    assert "--max-work" in msg and "max_work=" in msg
    assert info.value.estimate == 10**40 and info.value.limit == 100
    check_work(100, "fits", limit=100)  # at the budget: fine


def test_meter():
    m = Meter("search", limit=10)
    m.charge(10)
    with pytest.raises(WorkTooLargeError, match="stopped at the budget of 10"):
        m.charge(1)


def test_fmt_work():
    assert fmt_work(999_999) == "999999" and fmt_work(10**7) == "1e+07"
    assert fmt_work(10**5000) == "~10^5000" and fmt_work(math.inf) == "inf"


def test_state_limit_is_also_a_runtime_error():
    """``max_states`` used to raise RuntimeError; callers catching that keep working."""
    with pytest.raises(RuntimeError):
        verify(MSGC(5, 1, 2, 2), all_horizons=True, method="automaton", max_states=3)
    with pytest.raises(StateLimitError, match="max_states=3"):
        verify(MSGC(5, 1, 2, 2), all_horizons=True, method="automaton", max_states=3)


# ----- the estimates ---------------------------------------------------------------------------
MODELS = [
    PerRound(4, 2),
    Bursty(5, 2, 3, 2),
    Bursty(4, 1, 4, 3),
    Arbitrary(4, 2, 3, 2),
    Arbitrary(3, 1, 4, 3),
    Bursty(6, 3, 3, 6),
]


@pytest.mark.parametrize("m", MODELS, ids=repr)
def test_symmetric_state_count_matches_breadth_first_search(m):
    """The closed form C(min(lam, n) + H, H) against the states each round really reaches."""
    layer = {m.sym_initial()}
    for r in range(m.W + 2):
        assert len(layer) == m.sym_state_count(r), r
        layer = {nxt for st in layer for nxt, _ in m.sym_transitions(st)}
    assert m.sym_state_count() == len(m.sym_reachable()[0])


@pytest.mark.parametrize("m", MODELS, ids=repr)
def test_history_classes_closed_forms_match_the_definition(m):
    from sgc_theory.models.base import StragglerModel

    for r in range(m.W + 1):
        assert m.history_classes(r) == StragglerModel.history_classes(m, r)


@pytest.mark.parametrize("m", MODELS, ids=repr)
def test_count_estimate_is_a_lower_bound(m):
    """The a-priori estimate of count() never exceeds the work the count really meters, so a
    refusal is never premature."""
    R = m.W + 3
    total = sum(m.sym_state_count(min(r, m.W - 1)) for r in range(R))
    with work_budget(total - 1 if total > 1 else 1):
        if total > 1:
            with pytest.raises(WorkTooLargeError):
                m.count(R)
    meter = Meter("x", limit=math.inf)
    m._count_symmetric(R, meter, None)
    assert meter.used >= total


# ----- oversized requests through the Python API ------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda: verify(MSGC(256, 1, 2, 27), rounds=3),
        lambda: Bursty(256, 1, 2, 27).count(10**6),
        lambda: Bursty(256, 3, 8, 100).count(5),
        lambda: PerRound(10**9, 2).sample(3),
        lambda: make_code(60, 30),
        lambda: GC(10**9, 1),
        lambda: MSGC(4, 1, 2, 1).run(np.zeros((4, 10**6), bool)),
        lambda: next(iter(PerRound(3, 1).enumerate(10**12))),
        lambda: Bursty(256, 1, 2, 27).next_sets(Bursty(256, 1, 2, 27).initial_state()),
    ],
)
def test_oversized_python_calls_are_refused_quickly(call):
    import time

    t0 = time.perf_counter()
    with pytest.raises(WorkTooLargeError):
        call()
    assert time.perf_counter() - t0 < 10


def test_max_work_argument_raises_the_budget():
    m = Bursty(256, 1, 2, 27)
    with pytest.raises(WorkTooLargeError):
        m.count(200, max_work=100)
    assert m.count(200, max_work=10**9) == m.count(200, max_work="inf")
    res = verify(MSGC(5, 2, 3, 3), rounds=3, max_work=10**9)
    assert res.ok and res.patterns == MSGC(5, 2, 3, 3).design_model.count(3)
    with pytest.raises(WorkTooLargeError, match="--all-horizons"):
        verify(MSGC(5, 2, 3, 3), rounds=3, max_work=100)


@pytest.mark.parametrize(
    "m", MODELS + [PerRound(3, 1), Bursty(3, 3, 7, 2), Arbitrary(3, 3, 7, 2)], ids=repr
)
def test_fast_row_rule_matches_the_definition(m):
    for row in range(1 << m.W):
        rounds = [m.W - 1 - k for k in range(m.W) if row >> k & 1]
        fast = m._row_ok_mask(row)
        assert fast is None or fast == m._row_ok_by_definition(rounds), row


def test_sampling_a_short_pattern_of_a_long_window_is_cheap():
    m = Bursty(4, 1, 10**6, 1)
    P = m.sample(3, 0, max_work=10**5)
    assert P.shape == (4, 3) and m.admits(P)
