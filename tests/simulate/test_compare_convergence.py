"""The convergence rule: the number of runs grows until the ratios' intervals reach the target
half-width, and with stationary generation the answer does not move with the run length."""

from sgc_theory.simulate.compare import compare

from compare_helpers import ge

CFG = [("gc", {"s": 2}), ("msgc", {"B": 1, "W": 2, "lam": 3})]


def _ratio(rounds, target, seed=0):
    p = ge(n=16, q=0.04, stay=0.6, slow=1.0, sd=0.1)
    out = compare(p, rounds=rounds, replications=3, configs=CFG, policies=("paper",),
                  slope=0.5, seed=seed, target_halfwidth=target)  # fmt: skip
    return out


def _check(a, b, target):
    for out in (a, b):
        c = out["convergence"]
        assert c["reached"] and c["achieved_halfwidth"] <= target
        assert out["settings"]["replications"] == c["replications"] >= 3
    ra, rb = (o["results"]["msgc"]["paper"]["ratio_to_gc"]["ci95"] for o in (a, b))
    # the two intervals overlap: the answer is a property of the process, not of the length
    assert ra[0] <= rb[1] and rb[0] <= ra[1], (ra, rb)


def test_ratio_at_3000_and_10000_rounds_agree():
    _check(_ratio(3_000, 0.01), _ratio(10_000, 0.01, seed=1), 0.01)


def test_off_means_exactly_the_replications():
    p = ge(n=12)
    out = compare(p, rounds=60, replications=2, configs=CFG, policies=("paper",), slope=0.5)
    c = out["convergence"]
    assert c["replications"] == 2 and c["target_halfwidth"] is None and c["reached"]


def test_cap_is_reported():
    p = ge(n=12, q=0.1)
    out = compare(p, rounds=40, replications=2, configs=CFG, policies=("paper",), slope=0.5,
                  target_halfwidth=1e-6, max_replications=4)  # fmt: skip
    c = out["convergence"]
    assert not c["reached"] and c["limited_by"] == "max_replications" and c["replications"] == 4
