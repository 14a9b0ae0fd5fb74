"""The fast kernel of WC-SGC's join on counts (sgc_theory.verify.count_kernel) against the
reference kernel (one row per transition), the reference join (pure Python) and the exact
breadth-first search, on every (B, W) with W <= 5 at small n, tunings that fail included."""

import importlib

import numpy as np
import pytest

from sgc_theory.schemes import WCSGC
from sgc_theory.verify.count_join import batch_join
from sgc_theory.verify.counts import WCSGCCounts
from wc_grid import GRID
from wc_grid import scheme as _scheme

count_kernel = importlib.import_module("sgc_theory.verify.count_kernel")


@pytest.mark.parametrize("n,B,W,lam,dT,dK", GRID)
def test_fast_kernel_equals_reference_kernel_and_reference_join(n, B, W, lam, dT, dK):
    """The same least fixpoint entry by entry (unpruned), the same verdict pruned, and the
    verdict of the pure-Python reference join; a pruned proof is a proof of the exact search."""
    auto = WCSGCCounts(_scheme(n, B, W, lam, dT, dK))
    ok_f, size_f, tab_f = batch_join(auto, kernel="fast")
    ok_r, size_r, tab_r = batch_join(auto, kernel="reference")
    assert (ok_f, size_f, tab_f) == (ok_r, size_r, tab_r)
    assert ok_f == auto.join_proof_reference()[0]
    ok_p, _, _ = batch_join(auto, prune=True, want_table=False)
    assert ok_p == ok_f
    if ok_p:
        assert auto.explore()[0]


def test_unpacked_path_equals_packed_path(monkeypatch):
    """Streams too long to pack fall back to one array per age: same table."""
    auto = WCSGCCounts(_scheme(7, 2, 4, 4, 0, 0))
    packed = batch_join(auto)
    monkeypatch.setattr(count_kernel, "WORD_BITS", 8)  # forces the fallback
    assert batch_join(auto) == packed


def test_split_minimises_the_two_tables():
    cap = np.array([[3, 0, 5, 1], [2, 2, 0, 4]])
    A, B = count_kernel._split([0, 2, 3], cap)
    sizes = {
        (tuple(a), tuple(b)): int(
            np.prod(cap[:, a] + 1, axis=1).sum() + np.prod(cap[:, b] + 1, axis=1).sum()
        )
        for a, b in (([0], [2, 3]), ([2], [0, 3]), ([0, 2], [3]), ([], [0, 2, 3]))
    }
    assert sizes[(tuple(A), tuple(B))] == min(sizes.values())
    assert sorted(A + B) == [0, 2, 3]


def test_hash_index_against_a_dict():
    rng = np.random.default_rng(7)
    index, ref = count_kernel.HashIndex(bits=4), {}
    for _ in range(20):
        keys = np.unique(rng.integers(0, 1 << 40, 300))
        keys = keys[[k not in ref for k in keys.tolist()]]
        rows = index.add(keys)
        ref.update(zip(keys.tolist(), rows.tolist()))
        probe = np.concatenate([keys, rng.integers(0, 1 << 40, 200)])
        want = [ref.get(k, -1) for k in probe.tolist()]
        assert index.get(probe).tolist() == want
    assert index.size == len(ref) == len(set(ref.values()))


@pytest.mark.parametrize("K,proved", [(722, True), (723, False)])
def test_kernels_at_n256_on_both_sides_of_the_largest_K(K, proved):
    """WC-SGC (256, 2, 3, 23) at delay T = B = 2, capacity 3: K = 722 is the largest K the
    exact search proves (results/wcsgc_T_eq_B_n256.md); both kernels give the same table and
    the exact search's verdict, so the kernel does not turn that failure into a proof."""
    auto = WCSGCCounts(WCSGC(256, 2, 3, 23, T=2, P=3, K=K))
    fast = batch_join(auto)
    assert fast == batch_join(auto, kernel="reference")
    assert fast[0] is proved
    assert auto.explore()[0] is proved


@pytest.mark.slow
@pytest.mark.parametrize("B,W,lam", [(2, 3, 23), (3, 4, 8), (2, 4, 12), (4, 5, 3)])
def test_fast_kernel_equals_reference_kernel_at_n256(B, W, lam):
    auto = WCSGCCounts(WCSGC(256, B, W, lam))
    assert batch_join(auto, kernel="fast") == batch_join(auto, kernel="reference")


@pytest.mark.slow
@pytest.mark.parametrize("n,Wmax", [(6, 5), (8, 4)])
def test_fast_kernel_wide_grid(n, Wmax):
    """Every (B, W) with W <= Wmax, every lam, five tunings: fast and reference kernels agree
    entry by entry, and with the reference join's verdict, pruned and unpruned."""
    for B in range(1, Wmax):
        for W in range(B + 1, Wmax + 1):
            for lam in range(0, n + 1):
                for dT, dK in ((0, 0), (0, 1), (0, -1), (-1, 0), (1, 2)):
                    auto = WCSGCCounts(_scheme(n, B, W, lam, dT, dK))
                    fast = batch_join(auto, kernel="fast")
                    assert fast == batch_join(auto, kernel="reference")
                    assert fast[0] == auto.join_proof_reference()[0]
                    assert batch_join(auto, prune=True)[0] == fast[0]
