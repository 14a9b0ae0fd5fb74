"""recommend: every configuration searched, both waiting policies shown, and its ratio is
compare's ratio on the same runs."""

import numpy as np
import pytest

from sgc_theory.simulate._compare_select import _prune
from sgc_theory.simulate.compare import compare
from sgc_theory.simulate.recommend import recommend
from sgc_theory.simulate.sweep import sweep_choices

from compare_helpers import ge

KW = dict(rounds=80, replications=3, mu=1.0, slope=0.5, seed=2, pilot_jobs=6, max_delay=2,
          pilot_replications=2)  # fmt: skip


@pytest.fixture(scope="module")
def rec():
    p = ge(n=12, q=0.06, stay=0.6, slow=1.2)
    return p, recommend(p, **KW)


def test_recommend_equals_compare_on_the_same_runs(rec):
    p, out = rec
    assert set(out["by_policy"]) == {"paper", "minimal"}
    for pol, r in out["by_policy"].items():
        cfg = [(e["scheme"], e["params"]) for e in (r["best_gc"], r["best"])]
        if cfg[0] == cfg[1]:
            cfg = cfg[:1]
        cmp = compare(p, configs=cfg, rounds=out["rounds"], jobs=out["jobs"], policies=(pol,),
                      replications=out["settings"]["replications"], slope=0.5, seed=2)  # fmt: skip
        got = cmp["results"][cfg[-1][0]][pol]
        assert got["ratio_to_gc"]["mean"] == pytest.approx(r["ratio_to_gc"]["mean"], rel=1e-12)
        assert got["mean_time_per_job"] == pytest.approx(r["best"]["mean_time_per_job"], rel=1e-12)
        assert r["speedup_over_gc"]["mean"] == pytest.approx(1 / r["ratio_to_gc"]["mean"])
    assert out["best"] == out["by_policy"]["paper"]["best"]


def test_every_configuration_is_searched(rec):
    """The pilot sweeps every configuration with delay <= max_delay and W <= pilot_jobs."""
    _, out = rec
    n, jobs, T = 12, KW["pilot_jobs"], KW["max_delay"]
    ch = sweep_choices(n, jobs, T)
    for fam in ("gc", "msgc", "brsgc", "nocoding"):
        assert out["pilot"][fam]["searched"] == ch[fam].shape[0], fam
    # SR-SGC: the configurations that exist (s < n)
    B, W, lam = ch["srsgc"].T
    assert out["pilot"]["srsgc"]["searched"] == int((-(-(B * lam) // (W - 1 + B)) < n).sum())


def test_pruning_rule_by_hand():
    """Pruned: significantly slower than the pilot best on the same matrices, or a missed
    deadline; kept otherwise (fastest first); the cap counts what it removed."""
    t = np.array([[1.0, 1.5, 1.02, np.nan], [1.1, 1.6, 1.05, 1.0], [0.9, 1.4, 0.99, 1.0]])
    order, removed, capped = _prune(t, max_candidates=5)
    # config 1 is 0.5 slower every time (zero variance: interval above 0): pruned;
    # config 2 differs by +0.02, -0.05, +0.09: interval covers 0, kept; config 3 missed
    assert order == [0, 2] and removed == 1 and capped == 0
    order, _, capped = _prune(t, max_candidates=1)
    assert order == [0] and capped == 1
