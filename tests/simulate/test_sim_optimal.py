"""The offline-optimal policy: brute force over every cut-off choice, bounds, special cases."""

import math

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty
from sgc_theory.schemes import make_scheme
from sgc_theory.simulate import load_trace, simulate
from sgc_theory.simulate.optimal import (
    BudgetError,
    brute_force,
    optimal_path,
    relaxed_prefix,
    round_options,
)

LONG0 = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"

CONFIGS = [
    ("gc", {"s": 1}),
    ("gc", {"s": 2}),
    ("msgc", {"B": 1, "W": 2, "lam": 1}),
    ("msgc", {"B": 1, "W": 2, "lam": 2}),
    ("msgc", {"B": 2, "W": 3, "lam": 2}),
    ("msgc", {"B": 1, "W": 3, "lam": 2}),
    ("srsgc", {"B": 1, "W": 2, "lam": 2}),
    ("srsgc", {"B": 1, "W": 3, "lam": 3}),
    ("srsgc", {"B": 2, "W": 3, "lam": 3}),
    ("msgc", {"B": 1, "W": 2, "lam": 4}),
    ("msgc", {"B": 2, "W": 3, "lam": 4}),
    # B does not divide W - 1: SR-SGC can miss deadlines on admitted patterns
    ("srsgc", {"B": 2, "W": 4, "lam": 4}),
    ("brsgc", {"B": 1, "W": 2, "lam": 2}),
    ("brsgc", {"B": 2, "W": 3, "lam": 2}),
    ("brsgc", {"B": 1, "W": 3, "lam": 3}),
]


def tiny(seed, n, R):
    rng = np.random.default_rng(seed)
    D = rng.choice([1.0, 1.5, 2.5, 3.0, 4.0, 6.0], size=(n, R), p=[0.4, 0.1, 0.15, 0.15, 0.1, 0.1])
    return D


def oracle(D, sch, jobs, mu):
    """Brute force over every sequence of cut-offs and every possible last round."""
    T = sch.T

    def decodes(P, e):
        dec = sch.decode_rounds(P, jobs)
        return all(d is not None and d <= t + T for t, d in enumerate(dec)) and max(dec) <= e

    return brute_force(D, mu, sch.design_model, range(jobs - 1, jobs + T), decodes)


class Opaque:
    """A scheme the optimal policy does not recognise: forces the generic path."""

    def __init__(self, sch):
        self._sch = sch
        self.n, self.T, self.load, self.design_model = sch.n, sch.T, sch.load, sch.design_model

    def decode_rounds(self, pattern, jobs=None):
        return self._sch.decode_rounds(pattern, jobs)

    def _params(self):
        return self._sch._params()


def test_round_options_by_hand():
    d = np.array([1.0, 5.0, 3.0, 3.0, 2.0])  # threshold 2: candidates w1 (5), w2, w3 (3)
    o = round_options(d, mu=1.0, cap=5)
    assert o.cuts == [0, 1, 3] and o.times == [5.0, 3.0, 2.0] and o.kc == 3
    assert o.masks == [0, 0b10, 0b1110]
    assert round_options(d, mu=1.0, cap=2).cuts == [0, 1]  # ties stay together
    assert round_options(np.ones(3), 0.5, 3).cuts == [0]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(0, 10**6),
    st.integers(3, 4),
    st.sampled_from(CONFIGS),
    st.sampled_from([0.0, 0.4, 1.0]),
)
def test_optimal_equals_brute_force(seed, n, config, mu):
    name, params = config
    if name != "gc" and params["lam"] > n:
        return
    sch = make_scheme(name, n, **params)
    jobs = 2 if sch.T >= 2 else 3
    D = tiny(seed, n, jobs + sch.T)
    best = oracle(D, sch, jobs, mu)
    if math.isinf(best):
        with pytest.raises(SGCError):
            simulate(D, name, jobs=jobs, mu=mu, slope=0.0, policy="optimal", **params)
        return
    r = simulate(D, name, jobs=jobs, mu=mu, slope=0.0, policy="optimal", **params)
    assert r.exact and r.runtime == pytest.approx(best, rel=1e-12)
    assert r.lower_bound == r.runtime
    assert sch.design_model.admits(r.pattern)
    # the generic path (decoding checked only afterwards) agrees or brackets the optimum
    g = optimal_path(D[:, : jobs + sch.T], mu, Opaque(sch), jobs)
    assert g.cost <= best + 1e-12
    # never slower than the online policies (when those meet every deadline)
    for pol in ("paper", "minimal"):
        try:
            on = simulate(D, name, jobs=jobs, mu=mu, slope=0.0, policy=pol, **params)
        except SGCError:
            continue
        assert r.runtime <= on.runtime + 1e-12


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize(
    "params",
    [
        {"B": 1, "W": 2, "lam": 1},
        {"B": 1, "W": 2, "lam": 3},
        {"B": 2, "W": 3, "lam": 2},
        {"B": 1, "W": 3, "lam": 2},
    ],
)
def test_brsgc_optimal_is_exact_and_equals_brute_force(seed, params):
    """BR-SGC's end of run (round t + B after a straggler in round t) is tracked exactly: the
    optimum equals the brute force over every cut-off choice and every last round, and is
    marked exact (the generic path could only bracket it)."""
    sch = make_scheme("brsgc", 4, **params)
    jobs = 3 if sch.T == 1 else 2
    D = tiny(seed, 4, jobs + sch.T)
    best = oracle(D, sch, jobs, 0.4)
    r = simulate(D, "brsgc", jobs=jobs, mu=0.4, slope=0.0, policy="optimal", **params)
    assert r.exact and r.runtime == pytest.approx(best, rel=1e-12) and r.lower_bound == r.runtime
    dec = sch.decode_rounds(r.pattern, jobs)
    assert max(dec) + 1 == r.rounds and all(d <= t + sch.T for t, d in enumerate(dec))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(3, 6), st.integers(3, 6), st.integers(0, 5))
def test_gc_optimal_is_minimal(seed, n, R, s):
    """GC's model is memoryless: the greedy minimal-wait master is optimal."""
    rng = np.random.default_rng(seed)
    D = rng.lognormal(0, 0.6, size=(n, R))
    s = min(s, n - 1)
    m = simulate(D, "gc", jobs=R, mu=0.5, policy="minimal", slope=0.3, s=s)
    o = simulate(D, "gc", jobs=R, mu=0.5, policy="optimal", slope=0.3, s=s)
    assert o.round_times == m.round_times and o.runtime == m.runtime


@pytest.mark.parametrize(
    "name, params",
    [
        ("gc", {"s": 15}),
        ("gc", {"s": 7}),
        ("msgc", {"B": 1, "W": 2, "lam": 27}),
        ("msgc", {"B": 2, "W": 3, "lam": 20}),
        ("srsgc", {"B": 2, "W": 3, "lam": 23}),
        ("srsgc", {"B": 1, "W": 2, "lam": 18}),
        ("msgc", {"B": 1, "W": 2, "lam": 256}),
        ("brsgc", {"B": 1, "W": 2, "lam": 27}),
        ("brsgc", {"B": 2, "W": 4, "lam": 27}),
    ],
)
def test_optimal_bounds_online_policies_on_real_trace(name, params):
    tr = load_trace(LONG0)
    runs = {
        p: simulate(tr, name, jobs=25, mu=1.0, policy=p, **params)
        for p in ("paper", "minimal", "optimal")
    }
    o = runs["optimal"]
    assert o.runtime <= min(runs["paper"].runtime, runs["minimal"].runtime) + 1e-9
    assert o.exact and o.lower_bound == o.runtime
    assert make_scheme(name, 256, **params).design_model.admits(o.pattern)
    assert o.runtime == pytest.approx(sum(o.round_times))
    if name == "gc":
        assert o.runtime == runs["minimal"].runtime


def test_generic_path_on_real_trace_matches_exact():
    """M-SGC (1, 2, 27) through the generic path: same optimum, confirmed by decode_rounds."""
    tr = load_trace(LONG0)
    sch = make_scheme("msgc", 256, B=1, W=2, lam=27)
    ref = simulate(tr, "msgc", jobs=20, mu=1.0, policy="optimal", B=1, W=2, lam=27)
    opq = simulate(tr, "msgc", jobs=20, mu=1.0, policy="optimal", scheme_obj=Opaque_msgc(sch))
    assert opq.exact and opq.runtime == pytest.approx(ref.runtime, rel=1e-12)


class Opaque_msgc(Opaque):
    B, W, lam = 1, 2, 27


def test_relaxed_prefix_is_a_lower_bound():
    tr = load_trace(LONG0)
    D = tr.delays[:, :22]
    o = simulate(tr, "msgc", jobs=20, mu=1.0, policy="optimal", slope=0.0, B=1, W=3, lam=20)
    pref = relaxed_prefix(D, 1.0, Bursty(256, 1, 2, 20), 22)
    assert pref[-1] <= o.runtime + 1e-9
    assert all(a <= b + 1e-12 for a, b in zip(pref, pref[1:]))


def test_budget_refusal_names_the_flag():
    with pytest.raises(BudgetError, match=r"--max-work") as exc:
        simulate(
            LONG0, "msgc", jobs=25, mu=1.0, policy="optimal", B=1, W=5, lam=20, max_work=10_000
        )
    assert "transitions" in str(exc.value)


def test_nocoding_optimal_waits_for_everyone():
    D = [[1.0, 1.0], [1.0, 5.0]]
    r = simulate(D, "nocoding", jobs=2, mu=1.0, slope=0.0, policy="optimal")
    assert r.round_times == [1.0, 5.0] and r.exact and r.lower_bound == 6.0
