"""SR-SGC's count-level proof is an over-approximation: whenever it proves a (scheme, model) pair,
the exact automaton (real coefficient vectors, every pattern of every length) must agree."""

import pytest

from sgc_theory.models import Arbitrary, Bursty
from sgc_theory.schemes import SRSGC
from sgc_theory.verify import verify

CASES = []
for n in (3, 4, 5):
    for B in (1, 2):
        for W in range(B + 1, 6):
            for lam in range(1, n + 1):
                CASES.append((n, B, W, lam))


@pytest.mark.parametrize("n,B,W,lam", CASES)
def test_count_proof_implies_exact_proof(n, B, W, lam):
    sch = SRSGC(n, B, W, lam, construction="cyclic")
    models = [
        sch.design_model,
        Bursty(n, B, W, min(n, lam + 1)),
        Bursty(n, min(W, B + 1), W, lam),
        Arbitrary(n, 1, W, lam),
    ]
    for model in models:
        quick = sch.symmetric_view().count_proof(model, n)
        if quick is not None:
            assert quick[0] is True
            assert verify(sch, model, all_horizons=True, method="automaton").ok


@pytest.mark.parametrize("B,W,lam", [(2, 3, 23), (1, 3, 23), (2, 5, 5), (1, 4, 12)])
def test_count_proof_covers_n256_designs(B, W, lam):
    """The paper's configuration and designs with W > B + 1, where re-attempters may be workers
    that were busy (their chain started with a straggle (d + 1) B rounds earlier)."""
    sch = SRSGC(256, B, W, lam)
    proved, states = sch.symmetric_view().count_proof(sch.design_model, 256)
    assert proved and states > 0


def test_count_proof_refuses_when_its_lemma_does_not_hold():
    # lowest-index rule: re-attempters need not be the round-t stragglers
    assert (
        SRSGC(5, 2, 3, 3, rule="lowest-index").symmetric_view().count_proof(Bursty(5, 2, 3, 3), 5)
        is None
    )
    # B = W: a worker may straggle in rounds t and t + B, the lemma is void
    assert SRSGC(5, 1, 2, 2).symmetric_view().count_proof(Bursty(5, 2, 2, 2), 5) is None


# ----------------------------------------------------------------------------------------------
# WC-SGC: the vectorized join (count_join) against the reference join and the exact verifier

from sgc_theory.schemes import WCSGC  # noqa: E402
from sgc_theory.verify.count_join import batch_join, merged_records  # noqa: E402
from sgc_theory.verify.counts import WCSGCCounts  # noqa: E402

WC_CASES = [
    (n, B, W, lam, dT, dK)
    for n in (4, 6)
    for B in (1, 2, 3)
    for W in range(B + 1, 5)
    for lam in range(0, n + 1, 2)
    for dT, dK in ((0, 0), (0, 1), (-1, 0))
]


@pytest.mark.parametrize("n,B,W,lam,dT,dK", WC_CASES)
def test_vectorized_join_agrees_with_reference_join(n, B, W, lam, dT, dK):
    """Same verdict, and every reference entry is below the quotient's entry of its class."""
    P = W - 1 + B
    sch = WCSGC(n, B, W, lam, T=B + 1 + dT, P=P, K=n * P - lam * B + dK)
    auto = WCSGCCounts(sch)
    ok_ref, _ = auto.join_proof_reference()
    ok, _, table = batch_join(auto)
    assert ok == ok_ref
    if ok:
        rep = merged_records(auto)
        root = auto.initial()
        seen = {root}
        todo = [root]
        while todo:  # every state reached by the exact search is covered by the table
            c, p = todo.pop()
            cc = [0] * auto.H
            for h, x in enumerate(c):
                cc[rep[h]] += x
            assert all(a <= b for a, b in zip(p, table[tuple(cc)]))
            for _, nxt, failed in auto.successors((c, p)):
                assert failed is None
                if nxt not in seen and len(seen) < 3000:
                    seen.add(nxt)
                    todo.append(nxt)


@pytest.mark.parametrize("n,B,W,lam", [(3, 1, 2, 2), (4, 2, 3, 2), (3, 1, 3, 1), (4, 2, 3, 3)])
def test_counts_verdict_matches_exact_automaton_with_replayed_counterexamples(n, B, W, lam):
    """WC-SGC at the theorem's delay and one round earlier (T = B, where it fails at the
    counting bound): the count method and the exact automaton agree; failures replay."""
    for T in (B + 1, B):
        sch = WCSGC(n, B, W, lam, T=T) if T != B + 1 else WCSGC(n, B, W, lam)
        fast = verify(sch, all_horizons=True, method="counts")
        exact = verify(sch, all_horizons=True, method="automaton")
        assert fast.ok == exact.ok
        if not fast.ok:
            assert fast.confirmed and fast.failed_job is not None


def test_quotient_merges_only_interchangeable_safe_records():
    auto = WCSGCCounts(WCSGC(20, 2, 4, 3))
    rep = merged_records(auto)
    assert rep[0b010] == 0b110 and rep[0b001] == 0b001 and rep[0b000] == 0
    assert merged_records(WCSGCCounts(WCSGC(20, 2, 3, 3))) == [0, 1, 2, 3]


def test_msgc_meets_the_counting_bound_at_lam_n_minus_1():
    """At lam = n - 1 M-SGC's load (lam + 1)(W - 1 + B) / (n (B + (W - 1)(lam + 1))) equals the
    counting bound (W - 1 + B) / (n (W - 1 + B) - lam B), for every n, B, W (symbolic identity);
    for W = 3 M-SGC's delay W - 2 + B is B + 1 (this settles the (2, 3, 255) row of
    results/optimal_n256 by [KEK23]'s theorem)."""
    import sympy as sp

    from sgc_theory.bounds import counting_bound, msgc_delay, msgc_load

    n, B, W = sp.symbols("n B W", positive=True, integer=True)
    assert sp.simplify(msgc_load(n, B, W, n - 1) - counting_bound(n, B, W, n - 1)) == 0
    assert msgc_load(256, 2, 3, 255) == counting_bound(256, 2, 3, 255)
    assert msgc_load(256, 2, 3, 254) != counting_bound(256, 2, 3, 254)  # only at lam = n - 1
    assert int(msgc_delay(2, 3)) == 3


@pytest.mark.parametrize("n", [3, 4])
def test_msgc_and_wcsgc_at_lam_n_minus_1_proved_by_the_exact_automaton(n):
    """The argument for lam = n - 1 against the exact per-worker automaton (real codes, every
    pattern of every length): M-SGC (2, 3, n - 1), delay 3 = B + 1, load = the counting bound,
    is proved; so is WC-SGC, by both the exact automaton and the count automaton."""
    from sgc_theory.bounds import counting_bound
    from sgc_theory.rationals import to_fraction
    from sgc_theory.schemes import MSGC, WCSGC

    m = MSGC(n, 2, 3, n - 1)
    assert m.T == 3 and to_fraction(m.load) == to_fraction(counting_bound(n, 2, 3, n - 1))
    assert verify(m, all_horizons=True, method="automaton").ok
    w = WCSGC(n, 2, 3, n - 1)
    assert verify(w, all_horizons=True, method="automaton").ok
    assert verify(w, all_horizons=True, method="counts").ok


@pytest.mark.parametrize("n,B,W,lam,dT,dK", WC_CASES)
def test_pruned_join_agrees_with_reference_join_and_exact_search(n, B, W, lam, dT, dK):
    """The join pruned by the forgetting lemma: same verdict as the reference join, and when
    it proves, the exact breadth-first search (no join) proves too."""
    P = W - 1 + B
    sch = WCSGC(n, B, W, lam, T=B + 1 + dT, P=P, K=n * P - lam * B + dK)
    auto = WCSGCCounts(sch)
    ok_ref, _ = auto.join_proof_reference()
    ok, _, _ = batch_join(auto, prune=True)
    assert ok == ok_ref
    if ok:
        assert auto.explore()[0]


def test_forgettable_records():
    """Records whose whole shift chain is record-safe; none when the model is not the design."""
    from sgc_theory.models import Bursty
    from sgc_theory.verify.count_join import forgettable_records

    assert forgettable_records(WCSGCCounts(WCSGC(20, 2, 3, 3))) == [0b10, 0b11]
    assert forgettable_records(WCSGCCounts(WCSGC(20, 3, 4, 3))) == [0b100, 0b110, 0b111]
    sch = WCSGC(20, 2, 3, 3)
    assert forgettable_records(WCSGCCounts(sch, Bursty(20, 2, 3, 4))) == []


def test_simulation_moves():
    """(2, 3): forget 10 and 11, and 11 -> 01 (same next record 10), 11 -> 10 (free sooner)."""
    from sgc_theory.verify.count_join import simulation_moves

    assert simulation_moves(WCSGCCounts(WCSGC(20, 2, 3, 3))) == [
        (0b10, 0),
        (0b11, 0),
        (0b11, 0b01),
        (0b11, 0b10),
    ]
