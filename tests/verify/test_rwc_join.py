"""The join-padded RWC-SGC (sgc_theory.verify.rwc_join): whenever its join table closes, the
padded scheme is correct, checked independently by the exact per-worker automaton (exact
algebra on its tasks) and the exhaustive finite-horizon verifier at small n; its token decoder
matches the exact run; at n = 256 it proves K that RWC-SGC's own automaton proves."""

from __future__ import annotations

import numpy as np
import pytest

from sgc_theory.schemes import RWCSGC
from sgc_theory.verify import verify
from sgc_theory.verify.rwc_join import join_table, padded, verify_join


def _grid(families):
    for n, B, W, lam in families:
        P = W - 1 + B
        for K in range(n * P - lam * B - 2, n * P - lam * B + 1):
            yield n, B, W, lam, P, K


def _check(n, B, W, lam, P, K):
    base = RWCSGC(n, B, W, lam, T=B, P=P, K=K)
    sch = padded(base)
    exact_plain = verify(base, all_horizons=True, method="automaton")
    if sch is None:
        return None, exact_plain.ok
    assert verify_join(sch).ok and verify(sch, all_horizons=True, method="counts").ok
    exact = verify(sch, all_horizons=True, method="automaton")
    assert exact.ok, (n, B, W, lam, P, K)  # a closed table proves the padded scheme
    return True, exact_plain.ok


@pytest.mark.parametrize(
    "case", list(_grid([(4, 2, 3, 2), (4, 2, 3, 3), (3, 2, 4, 2), (4, 1, 2, 2)]))
)
def test_closed_table_means_the_padded_scheme_is_correct(case):
    _check(*case)


@pytest.mark.slow
@pytest.mark.parametrize(
    "case", list(_grid([(5, 2, 3, 2), (5, 2, 3, 3), (6, 2, 3, 2), (4, 2, 4, 2), (4, 3, 4, 2)]))
)
def test_closed_table_means_the_padded_scheme_is_correct_slow(case):
    _check(*case)


def test_padded_token_decoder_matches_the_exact_run():
    sch = padded(RWCSGC(5, 2, 3, 2, P=4, K=15))
    assert sch is not None
    rng = np.random.default_rng(7)
    for _ in range(5):
        pat = sch.design_model.sample(9, rng)
        from sgc_theory.verify import replay

        assert replay(sch, pat) == replay(sch, pat, exact_algebra=False)


def test_unclosed_table_is_not_a_proof():
    ok, table, _ = join_table(RWCSGC(8, 2, 3, 2, P=4, K=28))
    assert not ok and table is None
    sch = padded(RWCSGC(8, 2, 3, 2, P=4, K=27))
    bad = dict(sch.pad)
    c0 = next(iter(bad))
    bad[c0] = (0, 0)
    for c in list(bad):
        if c != c0:
            del bad[c]  # a table with one entry is not closed
    res = verify(RWCSGC(8, 2, 3, 2, P=4, K=27, pad=bad), all_horizons=True, method="counts")
    assert not res.ok and not res.confirmed


def test_n256_padded_matches_rwcsgc_where_its_automaton_decides():
    """(2, 3, 2), P = 4: K = 1019 closes (RWC-SGC's automaton: proved), K = 1020 does not
    (refuted); (2, 3, 10): K = 998 closes, as proved by the automaton."""
    assert padded(RWCSGC(256, 2, 3, 2, P=4, K=1019)) is not None
    assert padded(RWCSGC(256, 2, 3, 2, P=4, K=1020)) is None
    assert padded(RWCSGC(256, 2, 3, 10, P=4, K=998)) is not None


@pytest.mark.slow
@pytest.mark.parametrize(
    "n,B,W,lam",
    [(4, 2, 3, 2), (5, 2, 3, 2), (4, 2, 3, 3), (4, 1, 2, 2), (5, 1, 2, 2), (3, 2, 4, 2),
     (4, 2, 4, 2), (4, 3, 4, 2)],
)  # fmt: skip
def test_closed_tables_across_delays_and_capacities(n, B, W, lam):
    """T in {B - 1, B, B + 1}, P = 1..4, the five K up to n P: every closed table's padded
    scheme is proved by the exact automaton and by the exhaustive 6-round verifier."""
    for T in sorted({max(1, B - 1), B, B + 1}):
        for P in (1, 2, 3, 4):
            for K in range(max(1, n * P - 4), n * P + 1):
                sch = padded(RWCSGC(n, B, W, lam, T=T, P=P, K=K))
                if sch is not None:
                    assert verify(sch, all_horizons=True, method="automaton").ok, (T, P, K)
                    assert verify(sch, rounds=6).ok, (T, P, K)
