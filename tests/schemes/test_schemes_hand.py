"""Hand-worked schedules (SPEC 4.2 and 4.3) and parameter validation.

The expected assignments below were written out by hand from the SPEC text, not from the code.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty
from sgc_theory.schemes import GC, MSGC, SRSGC, make_scheme

F0, F1 = Fraction(0), Fraction(1)


def unit(k, dim):
    return tuple(F1 if j == k else F0 for j in range(dim))


def pattern(n, rounds, stragglers):
    """``stragglers[r]`` = workers straggling in round r."""
    P = np.zeros((n, rounds), dtype=bool)
    for r, ws in enumerate(stragglers):
        for i in ws:
            P[i, r] = True
    return P


# ----- M-SGC, n = 4, (B, W, lam) = (1, 3, 1) ------------------------------------------------
# T = W - 2 + B = 2; slots per round W - 1 + B = 3: slot 0 = chunk (i,0) of job r, slot 1 =
# chunk (i,1) of job r-1, slot 2 = D2 slot of job r-2 (coded task (i,0), or the lowest missing
# chunk). Partitions: D1 chunk (i,j) -> 2i + j (8 of them), D2 group 0 partition p -> 8 + p.
# (4, 1)-GC is fractional repetition: workers {0,1} hold D2 partitions {0,1}, {2,3} hold {2,3}.
# Pattern: worker 1 straggles in round 1 only, losing chunk (1,0) of job 1 and (1,1) of job 0.
#   round 0: worker i -> job 0: chunk (i,0)
#   round 1: worker i -> job 1: chunk (i,0); job 0: chunk (i,1)
#   round 2: worker i -> job 2: chunk (i,0); job 1: chunk (i,1); job 0: coded (i,0)
#            except worker 1 -> job 0: re-computes its missing chunk (1,1)
#   round 3: worker i -> job 3: chunk (i,0); job 2: chunk (i,1); job 1: coded (i,0)
#            except worker 1 -> job 1: re-computes its missing chunk (1,0)
MS_N, MS_DIM = 4, 12
MS_STRAG = [[], [1], [], []]


def ms_d1(i, j):
    return unit(2 * i + j, MS_DIM)


def ms_coded(i):
    v = [F0] * MS_DIM
    for p in (0, 1) if i < 2 else (2, 3):
        v[8 + p] = F1
    return tuple(v)


MS_EXPECTED = {
    0: [[(0, ms_d1(i, 0))] for i in range(4)],
    1: [[(1, ms_d1(i, 0)), (0, ms_d1(i, 1))] for i in range(4)],
    2: [
        [(2, ms_d1(i, 0)), (1, ms_d1(i, 1)), (0, ms_d1(1, 1) if i == 1 else ms_coded(i))]
        for i in range(4)
    ],
    3: [
        [(3, ms_d1(i, 0)), (2, ms_d1(i, 1)), (1, ms_d1(1, 0) if i == 1 else ms_coded(i))]
        for i in range(4)
    ],
}


@pytest.fixture(scope="module")
def msgc():
    sch = MSGC(4, B=1, W=3, lam=1)
    assert sch.design_model.admits(pattern(4, 4, MS_STRAG))
    return sch


@pytest.mark.parametrize("r", range(4))
def test_msgc_assignment_by_hand(msgc, r):
    P = pattern(MS_N, r, MS_STRAG[:r])
    got = msgc.assignment(r, P)
    assert len(got) == MS_N
    assert [[(t, tuple(c)) for t, c in w] for w in got] == MS_EXPECTED[r]


def test_msgc_assignment_default_history_is_clean(msgc):
    clean = msgc.assignment(2)
    assert clean[1][2] == (0, ms_coded(1))  # no straggling: worker 1 computes its coded task


@pytest.mark.parametrize("r", range(4))
def test_msgc_symbolic_by_hand(msgc, r):
    P = pattern(MS_N, r, MS_STRAG[:r])
    M = msgc.symbolic(r, P)
    assert M.shape == (MS_N, min(r, 2) + 1)

    def g(t, p):
        return sp.Symbol(f"g[{t},{p}]")

    for i in range(MS_N):
        expect = []
        for t, coeffs in MS_EXPECTED[r][i]:
            expect.append(sum((g(t, p) for p, c in enumerate(coeffs) if c), sp.Integer(0)))
        assert [sp.expand(M[i, k] - e) for k, e in enumerate(expect)] == [0] * len(expect)
    if r == 3:
        assert M[1, 2] == g(1, 2)  # worker 1 re-computes chunk (1,0) of job 1
        assert sp.expand(M[0, 2] - g(1, 8) - g(1, 9)) == 0  # coded task row 0 of group 0


def test_msgc_run_and_tokens_by_hand(msgc):
    P = pattern(MS_N, 4, MS_STRAG)
    run = msgc.run(P)
    # job 0: all D1 back by round 2 (worker 1 re-computed (1,1)); 3 = n - lam coded tasks of
    # workers 0, 2, 3 cover both FRC groups -> decoded at its deadline, round 2.
    assert run.decoded_round[:2] == [2, 3]
    assert msgc.decode_rounds(P)[:2] == [2, 3]
    rounds_of_job0 = sorted((r, i) for r, i, _ in run.received[0])
    assert (1, 1) not in rounds_of_job0 and (2, 1) in rounds_of_job0
    # the load of the straggler's round-2 work: three chunks of size mu
    assert msgc.round_load(msgc.tasks(list(msgc.states(P))[2][1])) == 3 * msgc.mu == msgc.load


def test_msgc_two_missing_chunks_recomputed_lowest_first():
    """(B, W, lam) = (2, 3, 1), T = 3: worker 1 straggles in rounds 0 and 1, losing both chunks
    of job 0; slot 2 (round 2) re-computes chunk (1,0), slot 3 (round 3) chunk (1,1)."""
    sch = MSGC(4, B=2, W=3, lam=1)
    dim = 8 + 2 * 4
    P = pattern(4, 3, [[1], [1], []])
    assert sch.design_model.admits(P)
    r3 = sch.assignment(3, P)
    assert r3[1] == [(3, unit(2, dim)), (2, unit(3, dim)), (1, unit(2, dim)), (0, unit(3, dim))]
    r2 = sch.assignment(2, P[:, :2])
    assert r2[1] == [(2, unit(2, dim)), (1, unit(3, dim)), (0, unit(2, dim))]
    # worker 0 computes coded tasks of group 0 (job 1) and group 1 (job 0) in round 3
    (_, c1), (_, c0) = r3[0][2], r3[0][3]
    assert [p for p, c in enumerate(c1) if c] == [8, 9]
    assert [p for p, c in enumerate(c0) if c] == [12, 13]


def test_msgc_without_coded_part_lam_equals_n():
    sch = MSGC(3, B=1, W=2, lam=3)
    assert sch.code is None and sch.num_partitions == 3
    assert sch.load == Fraction(2, 3)
    # clean past: the D2 slot has nothing to do, so a worker computes one chunk
    assert [len(w) for w in sch.assignment(1)] == [1, 1, 1]
    # after straggling, it re-computes its chunk in the D2 slot
    P = pattern(3, 1, [[0, 1, 2]])
    assert sch.assignment(1, P) == [[(1, unit(i, 3)), (0, unit(i, 3))] for i in range(3)]
    assert sch.run(pattern(3, 2, [[0, 1, 2], []])).decoded_round == [1, 1]


# ----- SR-SGC, n = 4, (B, W, lam) = (1, 3, 3): s = ceil(3/3) = 1, T = 1 ----------------------
# Pattern: round 0 stragglers {0, 1}; round 1 straggler {3}.
#   round 0: M_0 = {0, 1}, |M_0| - s = 1 re-attempt: both straggled, lowest index -> worker 0.
#   round 1: worker 0 re-attempts job 0; workers 1, 2, 3 compute job 1 (3 straggles).
#            M_1 = {0 (busy), 3 (straggled)}; 1 re-attempt in round 2:
#            stragglers first -> worker 3; plain lowest index -> worker 0.
SR_STRAG = [[0, 1], [3]]


@pytest.mark.parametrize("rule, redo", [("stragglers-first", 3), ("lowest-index", 0)])
def test_srsgc_reattempt_choice_by_hand(rule, redo):
    sch = SRSGC(4, B=1, W=3, lam=3, rule=rule)
    assert sch.s == 1 and sch.T == 1
    E = sch.code.E
    P = pattern(4, 2, SR_STRAG)
    assert sch.design_model.admits(P)
    assert sch.assignment(0) == [[(0, E[i])] for i in range(4)]
    assert sch.assignment(1, P[:, :1]) == [[(0, E[0])]] + [[(1, E[i])] for i in (1, 2, 3)]
    r2 = sch.assignment(2, P)
    assert r2 == [[(1, E[i])] if i == redo else [(2, E[i])] for i in range(4)]
    run = sch.run(pattern(4, 3, SR_STRAG + [[]]))
    assert run.ok
    # job 1 results: workers 1, 2 in round 1, the re-attempting worker in round 2
    assert sorted((r, i) for r, i, _ in run.received[1]) == [(1, 1), (1, 2), (2, redo)]
    assert sch.decode_rounds(pattern(4, 3, SR_STRAG + [[]])) == [1, 2, 2]


def test_srsgc_no_reattempt_when_at_most_s_missing():
    sch = SRSGC(4, B=1, W=3, lam=3)
    P = pattern(4, 1, [[2]])
    assert sch.assignment(1, P) == [[(1, sch.code.E[i])] for i in range(4)]


def test_srsgc_reattempt_happens_B_rounds_later():
    """B = 2: job t's re-attempts are in round t + 2, not t + 1."""
    sch = SRSGC(4, B=2, W=3, lam=2)  # s = ceil(4/4) = 1
    assert sch.s == 1 and sch.T == 2
    E = sch.code.E
    P = pattern(4, 2, [[1, 2], []])
    assert sch.assignment(1, P[:, :1]) == [[(1, E[i])] for i in range(4)]
    assert sch.assignment(2, P) == [[(0, E[1])] if i == 1 else [(2, E[i])] for i in range(4)]


# ----- parameter validation ------------------------------------------------------------------
@pytest.mark.parametrize(
    "build, words",
    [
        (lambda: SRSGC(4, B=2, W=2, lam=1), "W >= B + 1"),
        (lambda: SRSGC(4, B=3, W=3, lam=1), "W >= B + 1"),
        (lambda: MSGC(4, B=2, W=2, lam=1), "B <= W - 1"),
        (lambda: MSGC(4, B=3, W=3, lam=1), "B <= W - 1"),
        (lambda: MSGC(4, B=4, W=3, lam=1), "B <= W - 1"),
        (lambda: SRSGC(4, B=1, W=2, lam=5), "lam"),
        (lambda: MSGC(4, B=1, W=2, lam=5), "lam"),
        (lambda: GC(4, 4), "s < n"),
        (lambda: GC(4, 7), "s < n"),
        (lambda: GC(4, -1), "s"),
        (lambda: GC(0, 0), "n"),
        (lambda: MSGC(4, B=0, W=2, lam=1), "B"),
        (lambda: MSGC(4, B=1, W=1, lam=1), "W"),
        (lambda: SRSGC(4, B=1, W=2, lam=-1), "lam"),
        (lambda: SRSGC(4, B=1, W=2, lam=1, rule="random"), "rule"),
        (lambda: GC(4, 1, construction="mds?"), "construction"),
        (lambda: GC(4, 1.5), "s"),
        (lambda: SRSGC(1, B=1, W=2, lam=1), "s"),
    ],
)
def test_parameter_errors(build, words):
    with pytest.raises(SGCError, match=None) as info:
        build()
    assert words in str(info.value)


def test_make_scheme_builds_and_rejects():
    assert isinstance(make_scheme("gc", 4, s=1), GC)
    assert isinstance(make_scheme("SR-SGC", 4, B=1, W=2, lam=1), SRSGC)
    sch = make_scheme("msgc", n=4, B=1, W=2, lam=1)
    assert isinstance(sch, MSGC) and sch.T == 1 and sch.design_model == Bursty(4, 1, 2, 1)
    assert make_scheme("gc", 4, s=1, B=None).s == 1  # unused parameters left as None are fine
    with pytest.raises(SGCError, match="scheme must be one of"):
        make_scheme("lagrange", 4, s=1)
    with pytest.raises(SGCError, match="--lam"):
        make_scheme("msgc", 4, B=1, W=2)
    with pytest.raises(SGCError, match="--s"):
        make_scheme("gc", 4)
    with pytest.raises(SGCError):
        make_scheme("srsgc", 4, B=3, W=3, lam=1)


def test_make_scheme_unknown_parameter_is_sgcerror():
    with pytest.raises(SGCError):
        make_scheme("gc", 4, s=1, B=2)


def test_assignment_history_errors():
    sch = MSGC(4, B=1, W=3, lam=1)
    with pytest.raises(SGCError, match="columns"):
        sch.assignment(2, np.zeros((4, 1), dtype=bool))
    with pytest.raises(SGCError, match="rows"):
        sch.assignment(1, np.zeros((3, 1), dtype=bool))
    with pytest.raises(SGCError):
        sch.assignment(-1)
