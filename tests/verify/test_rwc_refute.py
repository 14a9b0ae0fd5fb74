"""The beam refuter of RWC-SGC (sgc_theory.verify.rwc_refute) against the exact count
automaton and the exact per-worker automaton: it never refutes a proved instance (its
counterexamples are confirmed by the exact token decoder), and at small n it finds a
counterexample wherever the exact automata find one."""

from __future__ import annotations

import pytest

from sgc_theory.schemes import RWCSGC
from sgc_theory.verify import replay, verify
from sgc_theory.verify.rwc_refute import beam_refute


def _grid(families=((4, 2, 3, 2), (4, 2, 3, 3), (3, 2, 4, 2))):
    for n, B, W, lam in families:
        P = W - 1 + B
        for K in range(n * P - lam * B - 1, n * P - lam * B + 2):
            yield n, B, W, lam, P, K


@pytest.mark.parametrize("n,B,W,lam,P,K", list(_grid()))
def test_beam_refuter_agrees_with_the_exact_automata(n, B, W, lam, P, K):
    _agree(n, B, W, lam, P, K)


@pytest.mark.slow
@pytest.mark.parametrize(
    "n,B,W,lam,P,K", list(_grid(((5, 2, 3, 2), (5, 2, 3, 3), (4, 2, 4, 2), (4, 3, 4, 2))))
)
def test_beam_refuter_agrees_with_the_exact_automata_slow(n, B, W, lam, P, K):
    _agree(n, B, W, lam, P, K)


def _agree(n, B, W, lam, P, K):
    sch = RWCSGC(n, B, W, lam, T=B, P=P, K=K)
    exact = verify(sch, all_horizons=True, method="automaton")
    found = beam_refute(sch, beam=100, rounds=80)
    if exact.ok:
        assert found is None  # a confirmed counterexample to a proved instance cannot exist
    else:
        assert found is not None and not found.ok and found.confirmed
        assert replay(sch, found.counterexample) is not None  # exact algebra agrees


def test_beam_refuter_reaches_a_deep_failure_at_n32():
    """(2, 3, 2) at n = 32, P = 4: K = 124 (the counting bound's) fails only after the backlog
    has grown for many rounds; the beam finds it, confirmed by the token decoder."""
    sch = RWCSGC(32, 2, 3, 2, P=4, K=124)
    res = beam_refute(sch, beam=20, rounds=400)
    assert res is not None and res.confirmed
    assert res.counterexample.shape[1] > 40
    assert not verify(sch, all_horizons=True, method="counts").ok


@pytest.mark.slow
def test_beam_refuter_at_n256_lam10():
    """n = 256, (2, 3, 10), P = 4: K = 1000 is refuted (the exact search passes 10^5 states)."""
    res = beam_refute(RWCSGC(256, 2, 3, 10, P=4, K=1000), beam=40, rounds=1500)
    assert res is not None and res.confirmed


def test_replicated_at_delay_decides_an_undecided_neighbour_by_the_beam():
    """With a small state budget K + 1 = 124 at n = 32 is undecided by the exact search; the
    beam refutes it (confirmed), so the search reports K = 123 with K + 1 refuted."""
    from sgc_theory.design import replicated_at_delay

    kw = dict(capacities=(4,), start=lambda P: 123, max_states=300)
    assert replicated_at_delay(32, 2, 3, 2, **kw).undecided == "state limit"
    fit = replicated_at_delay(32, 2, 3, 2, refute_rounds=400, refute_beam=20, **kw)
    assert (fit.P, fit.K) == (4, 123) and fit.proof.ok
    assert fit.neighbour.method == "counts-beam" and fit.neighbour.confirmed
