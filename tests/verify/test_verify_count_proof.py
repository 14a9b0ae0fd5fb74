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
