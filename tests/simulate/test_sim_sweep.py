"""Sweep: vectorized route against the single-run simulator (independent route)."""

import numpy as np
import pytest

from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty
from sgc_theory.schemes import make_scheme
from sgc_theory.simulate import simulate, sweep, sweep_choices
from sgc_theory.simulate._sweep_engine import _Prep, _run_bursty


def small_trace(seed, n=5, R=8):
    rng = np.random.default_rng(seed)
    D = rng.lognormal(0.0, 0.35, size=(n, R))
    D[rng.random((n, R)) < 0.25] *= 3.0  # some heavy stragglers
    return D


def test_choice_counts():
    c = sweep_choices(256, 20, 10)
    assert len(c["gc"]) == 256 and len(c["srsgc"]) == 145 * 256 and len(c["msgc"]) == 30 * 256
    P = c["msgc"]
    assert ((P[:, 0] <= P[:, 1] - 1) & (P[:, 1] - 2 + P[:, 0] <= 10)).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("policy", ["paper", "minimal"])
def test_sweep_equals_brute_force(seed, policy):
    D = small_trace(seed)
    jobs, T = 4, 3
    res = sweep(D, jobs=jobs, max_delay=T, mu=0.6, policy=policy, slope=0.8, probe_load=0.1)
    best = {}
    for row in res.table:
        try:
            r = simulate(
                D,
                row["scheme"],
                jobs=jobs,
                mu=0.6,
                policy=policy,
                slope=0.8,
                probe_load=0.1,
                **row["params"],
            )
        except SGCError as exc:  # missed deadline (SR-SGC outside B | W - 1)
            assert not row["decoded"] and "deadline" in str(exc)
            continue
        assert row["decoded"], row
        assert row["runtime"] == pytest.approx(r.runtime, rel=1e-12), row
        assert row["rounds"] == r.rounds and row["waits"] == r.waits
        assert row["load"] == pytest.approx(r.load)
        cur = best.get(row["scheme"])
        if cur is None or (r.runtime, r.load) < (cur[0] - 1e-12, cur[1]):
            best[row["scheme"]] = (r.runtime, r.load)
    for sc, (rt, _load) in best.items():
        assert res.best[policy][sc]["runtime"] == pytest.approx(rt)


def test_vectorized_admission_matches_model():
    D = small_trace(7, n=6, R=10)
    prep = _Prep(D, 0.3)
    shifts = np.zeros(1)
    kc = prep.candidates(shifts)
    prep.build_masks(int(kc.max()))
    for B, W, lam in [(1, 2, 1), (1, 3, 2), (2, 3, 2), (2, 5, 3), (3, 4, 6)]:
        for pol in ("paper", "minimal"):
            e = _run_bursty(prep, np.array([B]), np.array([W]), np.array([lam]), kc, pol)[0]
            pat = prep.pattern(e)
            assert Bursty(6, B, W, lam).admits(pat)
            assert (e <= kc[0]).all()


def test_paper_schemes_decode_at_n256_without_exact_codes():
    """The simulator relies on the schemes' coefficient-free plans: at n = 256 no (256, s)-GC
    (uncertifiable by enumeration) may be built, and the token decoder meets every deadline."""
    from sgc_theory.schemes._common import gradient_code

    gradient_code.cache_clear()
    for name, kw in [("srsgc", dict(B=2, W=3, lam=23)), ("msgc", dict(B=1, W=2, lam=27))]:
        sch = make_scheme(name, n=256, **kw)
        pat = sch.design_model.sample(12, rng=5)
        dec = sch.decode_rounds(pat, 10)
        assert all(d is not None and d <= t + sch.T for t, d in enumerate(dec))
    assert gradient_code.cache_info().currsize == 0


def test_sweep_nocoding_and_empty_schemes():
    D = small_trace(4, n=4, R=3)
    res = sweep(D, jobs=3, max_delay=0, mu=1.0, slope=0.0, verify_best=True)
    assert res.best["paper"]["srsgc"] is None and res.best["paper"]["msgc"] is None
    assert res.best["paper"]["nocoding"]["runtime"] == pytest.approx(D.max(axis=0).sum())
    assert res.evaluated == 1 + 4


def test_sweep_target_trace_quick():
    res = sweep(
        "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000",
        jobs=20,
        max_delay=10,
        mu=1.0,
        progress=False,
    )
    b = res.best["paper"]
    # no coding, GC (s < n), SR-SGC and BR-SGC (both 145 (B, W) pairs with B <= 10 < W <= 20),
    # M-SGC (30 pairs with W - 2 + B <= 10), each with lam = 1..256
    assert res.evaluated == 1 + 256 + 145 * 256 + 30 * 256 + 145 * 256
    assert b["gc"]["runtime"] <= b["nocoding"]["runtime"]
    # the best GC equals a single run
    r = simulate(
        "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000",
        "gc",
        jobs=20,
        mu=1.0,
        s=b["gc"]["s"],
    )
    assert r.runtime == pytest.approx(b["gc"]["runtime"])
    loads = [row["load"] for row in res.table]
    assert all(0 < x <= 1 for x in loads)


def test_scheduler_unreachable():
    with pytest.raises(SGCError, match="scheduler"):
        sweep(small_trace(0), jobs=3, max_delay=1, mu=1.0, slope=0.0, scheduler="tcp://127.0.0.1:9")


def test_dask_cluster_matches_local():
    distributed = pytest.importorskip("distributed")
    D = small_trace(5)
    local = sweep(D, jobs=4, max_delay=2, mu=0.5, slope=0.0)
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        remote = sweep(
            D, jobs=4, max_delay=2, mu=0.5, slope=0.0, scheduler=cluster.scheduler_address
        )
    assert [r["runtime"] for r in remote.table] == [r["runtime"] for r in local.table]


@pytest.mark.parametrize("seed", [0, 3])
def test_generic_path_equals_builtin_fast_path(seed):
    """The registry-generic route (scheme objects, their design models and decode_rounds) gives
    the same table as the closed-form fast paths: adding a scheme is a registration."""
    D = small_trace(seed)
    kw = dict(
        jobs=4,
        max_delay=2,
        mu=0.6,
        slope=0.8,
        probe_load=0.1,
        policy=("paper", "minimal"),
        schemes=("gc", "srsgc", "msgc", "brsgc"),
    )
    fast = sweep(D, **kw)
    gen = sweep(D, _force_generic=True, **kw)

    def key(r):
        return (r["scheme"], r["policy"], tuple(sorted(r["params"].items())))

    a = {key(r): r for r in fast.table}
    b = {key(r): r for r in gen.table}
    common = set(a) & set(b)
    assert {k for k in a if k[0] != "srsgc"} <= set(b)
    for k in common:
        if a[k]["runtime"] is None:
            assert b[k]["runtime"] is None
        else:
            assert b[k]["runtime"] == pytest.approx(a[k]["runtime"], rel=1e-12), k


def test_sweep_skips_configurations_that_cannot_exist():
    D = np.array([[1.0, 3.0, 1.0, 1.0]])  # n = 1: SR-SGC needs s < n, impossible
    res = sweep(D, jobs=2, max_delay=2, mu=1.0, slope=0.0)
    assert res.best["paper"]["srsgc"] is None and "srsgc" in res.skipped
    assert res.best["paper"]["gc"]["s"] == 0


@pytest.mark.parametrize("seed", [1, 2])
def test_sweep_optimal_best_equals_every_configuration(seed):
    D = small_trace(seed, n=4, R=6)
    res = sweep(D, jobs=3, max_delay=2, mu=0.5, slope=0.5, policy="optimal")
    for sc in ("gc", "srsgc", "msgc", "brsgc"):
        vals = []
        for row in res.table:
            if row["scheme"] != sc or row["policy"] != "optimal":
                continue
            try:
                r = simulate(D, sc, jobs=3, mu=0.5, slope=0.5, policy="optimal", **row["params"])
            except SGCError:
                continue
            vals.append(r.runtime)
            assert row["lower_bound"] <= r.runtime + 1e-9
            if row["runtime"] is not None:
                assert row["runtime"] == pytest.approx(r.runtime, rel=1e-12)
        b = res.best["optimal"][sc]
        assert b["exact"] and b["runtime"] == pytest.approx(min(vals), rel=1e-12)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_prefix_masks_and_threshold_floors_by_brute_force(seed):
    """The vectorised prefix bitmasks hold exactly the labels of the k slowest workers of each
    round, and validfloor is the largest k' <= k cutting between two distinct delays."""
    rng = np.random.default_rng(seed)
    n, R = 70, 6  # more than 64 labelled workers: two mask words
    D = np.round(rng.lognormal(0.0, 0.5, size=(n, R)), 1)  # ties
    prep = _Prep(D, 0.3)
    K = n - 1
    prep.build_masks(K)
    assert prep.words == 2
    for r in range(R):
        for k in range(K + 1):
            bits = prep.PMf[r * (K + 1) + k]
            got = {
                w * 64 + b for w in range(prep.words) for b in range(64) if int(bits[w]) >> b & 1
            }
            assert got == {int(prep.lab[j, r]) for j in range(k)}
            col = np.sort(D[:, r])[::-1]
            floor = max(j for j in range(k + 1) if j == 0 or col[j - 1] > col[j])
            assert prep.validfloor[r, k] == floor
