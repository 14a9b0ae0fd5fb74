"""Single-run simulator: hand-computed tiny traces, policies, invariances."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sgc_theory.errors import SGCError
from sgc_theory.simulate import simulate

# workers x rounds, mu = 1, slope = 0 (load does not matter)
#          r0 r1 r2 r3
D1 = [
    [1, 1, 1, 1],  # w0
    [1, 3, 1, 5],  # w1
    [1, 1, 4, 6],  # w2
    [1, 1, 1, 7],
]  # w3
# every round's fastest is 1 -> threshold 2:
#   r0: nobody slow (max 1); r1: {w1} (3); r2: {w2} (4); r3: {w1, w2, w3} (5, 6, 7)


def run(D, scheme, policy="paper", jobs=4, **kw):
    return simulate(D, scheme, jobs=jobs, mu=1.0, policy=policy, slope=0.0, **kw)


def test_nocoding_waits_for_everyone():
    r = run(D1, "nocoding")
    assert r.round_times == [1, 3, 4, 7] and r.runtime == 15 and r.waits == 3 and r.rounds == 4
    assert run(D1, "nocoding", policy="minimal").round_times == [1, 3, 4, 7]


def test_load_shift():
    # load 1/4, probe load 0, slope 1: every delay +0.25; thresholds 2 * 1.25 = 2.5
    r = simulate(D1, "nocoding", jobs=4, mu=1.0, slope=1.0, probe_load=0.0)
    assert r.round_times == pytest.approx([1.25, 3.25, 4.25, 7.25]) and r.waits == 3
    # GC s=1 has load 2/4: +0.5, thresholds 3; r1 (3.5) and r2 (4.5) straggle alone, r3 waits
    r = simulate(D1, "gc", jobs=4, mu=1.0, slope=1.0, probe_load=0.0, s=1)
    assert r.round_times == pytest.approx([1.5, 3.0, 3.0, 7.5]) and r.load == 0.5


@pytest.mark.parametrize(
    "s, paper, minimal",
    [
        # s=0: every straggler forces a wait: [1, 3, 4, 7]; minimal also has to wait for all
        (0, [1, 3, 4, 7], [1, 3, 4, 7]),
        # s=1: r1, r2 one straggler each -> threshold 2; r3 three: paper waits 7,
        #      minimal waits until 6 (only w3 left)
        (1, [1, 2, 2, 7], [1, 2, 2, 6]),
        # s=2: r3 paper 7; minimal until 5 ({w2, w3} left)
        (2, [1, 2, 2, 7], [1, 2, 2, 5]),
        # s=3: everything tolerated
        (3, [1, 2, 2, 2], [1, 2, 2, 2]),
    ],
)
def test_gc_hand(s, paper, minimal):
    rp = run(D1, "gc", s=s)
    rm = run(D1, "gc", policy="minimal", s=s)
    assert rp.round_times == paper and rp.runtime == sum(paper)
    assert rm.round_times == minimal and rp.rounds == rm.rounds == 4
    assert rp.waits == sum(1 for a, b in zip(paper, [1, 2, 2, 2]) if a != b)


def test_gc_exactly_up_to_s():
    # a round with exactly s stragglers is tolerated (no wait), s + 1 is not
    for s in range(1, 4):
        D = np.ones((5, 2))
        D[:s, 0] = 10.0  # round 0: s stragglers
        D[: s + 1, 1] = 10.0  # round 1: s + 1 stragglers
        r = simulate(D, "gc", jobs=2, mu=1.0, slope=0.0, s=s)
        assert r.round_times == [2.0, 10.0] and r.waits == 1
        assert r.pattern[:, 0].sum() == s and r.pattern[:, 1].sum() == 0


def test_msgc_hand():
    # M-SGC (B=1, W=2, lam=1), T = 1, 3 jobs -> 4 rounds; design model bursty(1, 2, 1)
    # paper: r0 1; r1 {w1} ok -> 2; r2 {w2}: window {w1, w2} has 2 > lam -> wait 4;
    #        r3 three stragglers -> wait 7.   total 14, 2 waits
    r = run(D1, "msgc", jobs=3, B=1, W=2, lam=1)
    assert r.round_times == [1, 2, 4, 7] and r.waits == 2 and r.rounds == 4
    # minimal: r2 nobody short of "all" is admitted -> 4; r3 (history r2 empty): at 5
    #          {w2, w3} left (2 > lam), at 6 only {w3} -> admitted: 6.   total 13
    r = run(D1, "msgc", policy="minimal", jobs=3, B=1, W=2, lam=1)
    assert r.round_times == [1, 2, 4, 6] and r.runtime == 13 and r.waits == 1
    assert r.partial_waits == 1


def test_srsgc_stops_at_last_decode():
    # SR-SGC (B=1, W=2, lam=1): s = 1, T = 1, 3 jobs.  Same admissions as M-SGC above; job 2 is
    # decoded in its own round (no straggler recorded), so only 3 rounds are needed: 1+2+4
    r = run(D1, "srsgc", jobs=3, B=1, W=2, lam=1)
    assert r.rounds == 3 and r.round_times == [1, 2, 4] and r.runtime == 7
    assert r.decode_rounds == [0, 1, 2]


def test_srsgc_reattempt_round():
    # SR-SGC (B=1, W=2, lam=2): s = 1.  r0: {w1, w2} straggle (threshold 2) -> |M_0| = 2 > s,
    # w1 re-attempts job 0 in r1; job 0 decoded at the end of r1, job 1 at r1 (M_1 = {w1})
    D = [[1, 1, 1], [3, 1, 1], [3, 1, 1], [1, 1, 9]]
    r = run(D, "srsgc", jobs=2, B=1, W=2, lam=2)
    assert r.decode_rounds == [1, 1] and r.round_times == [2, 1] and r.rounds == 2


def test_minimal_can_be_slower_than_paper_under_bursty():
    # The greedy minimal policy records stragglers that the paper policy forgets, which can
    # force a long wait later (M-SGC (B=1, W=2, lam=1), n = 3):
    #   r0: {w1 (4), w2 (5)}: paper waits 5 (records none); minimal waits 4 (records {w2})
    #   r1: {w1 (100)}: paper tolerates (2); minimal: window {w2, w1} > lam -> waits 100
    D = [[1, 1, 1], [4, 100, 1], [5, 1, 1]]
    p = run(D, "msgc", jobs=2, B=1, W=2, lam=1)
    m = run(D, "msgc", policy="minimal", jobs=2, B=1, W=2, lam=1)
    assert p.round_times == [5, 2, 1] and m.round_times == [4, 100, 1]


traces = st.integers(3, 5).flatmap(
    lambda n: st.integers(3, 5).flatmap(
        lambda R: st.lists(
            st.lists(st.floats(0.5, 10.0), min_size=R, max_size=R), min_size=n, max_size=n
        )
    )
)


@settings(max_examples=40, deadline=None)
@given(traces, st.floats(0.0, 1.5), st.integers(0, 4))
def test_minimal_never_slower_gc(D, mu, s):
    D = np.array(D)
    n, R = D.shape
    s = min(s, n - 1)
    p = simulate(D, "gc", jobs=R, mu=mu, slope=0.3, s=s)
    m = simulate(D, "gc", jobs=R, mu=mu, policy="minimal", slope=0.3, s=s)
    assert m.runtime <= p.runtime + 1e-12
    assert all(a <= b + 1e-12 for a, b in zip(m.round_times, p.round_times))


@settings(max_examples=25, deadline=None)
@given(traces, st.data())
def test_relabelling_workers(D, data):
    D = np.array(D)
    n, R = D.shape
    perm = data.draw(st.permutations(range(n)))
    scheme, kw = data.draw(
        st.sampled_from(
            [
                ("nocoding", {}),
                ("gc", {"s": 1}),
                ("msgc", {"B": 1, "W": 2, "lam": 1}),
                ("msgc", {"B": 1, "W": 3, "lam": 2}),
                ("srsgc", {"B": 1, "W": 2, "lam": 2}),
            ]
        )
    )
    policy = data.draw(st.sampled_from(["paper", "minimal"]))
    jobs = R - (
        0
        if scheme in ("nocoding", "gc")
        else (kw["B"] if scheme == "srsgc" else kw["W"] - 2 + kw["B"])
    )
    if jobs < 1:
        return
    a = simulate(D, scheme, jobs=jobs, mu=0.5, policy=policy, slope=0.2, **kw)
    b = simulate(D[list(perm)], scheme, jobs=jobs, mu=0.5, policy=policy, slope=0.2, **kw)
    assert a.runtime == pytest.approx(b.runtime) and a.round_times == b.round_times


def test_bad_arguments():
    with pytest.raises(SGCError, match="needs --s"):
        run(D1, "gc")
    with pytest.raises(SGCError, match="--B, --W, --lam"):
        run(D1, "msgc", B=1, W=2)
    with pytest.raises(SGCError, match="takes --s"):
        run(D1, "gc", s=1, B=2)
    with pytest.raises(SGCError, match="scheme must be"):
        run(D1, "xyz")
    with pytest.raises(SGCError, match="policy"):
        run(D1, "gc", policy="eager", s=1)
    with pytest.raises(SGCError, match="mu"):
        simulate(D1, "nocoding", jobs=2, mu=-1)
    with pytest.raises(SGCError, match="jobs"):
        simulate(D1, "nocoding", jobs=0, mu=1)
    with pytest.raises(SGCError, match="non-positive"):
        simulate(D1, "nocoding", jobs=2, mu=1, slope=10.0, probe_load=1.0)


def test_job_times_end_at_runtime_and_respect_deadlines():
    """Job completion times are cumulative round ends: non-decreasing for in-order decoding,
    the last one equals the runtime, and job t completes no later than the end of round t + T."""
    import numpy as np

    from sgc_theory.simulate import simulate

    name = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"
    for scheme, params in [
        ("nocoding", {}),
        ("gc", {"s": 15}),
        ("msgc", {"B": 1, "W": 2, "lam": 27}),
    ]:
        r = simulate(name, scheme, jobs=8, mu=1.0, **params)
        times = r.job_times()
        ends = np.cumsum(r.round_times)
        assert len(times) == 8
        assert max(times) == pytest.approx(r.runtime)
        for t, x in enumerate(times):
            assert x <= ends[min(t + r.T, len(ends) - 1)] + 1e-12
