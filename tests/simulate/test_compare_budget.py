"""The work estimate of the long runs against their measured cost (CPU time, one unit being
about a microsecond), and the default budget admitting ordinary comparisons."""

import time

import pytest

from sgc_theory.budget import DEFAULT_MAX_WORK
from sgc_theory.simulate._compare_costs import run_cost
from sgc_theory.simulate._compare_runs import long_runs

from compare_helpers import ge

FIVE = [
    ("nocoding", {}),
    ("gc", {"s": 3}),
    ("srsgc", {"B": 1, "W": 2, "lam": 4}),
    ("msgc", {"B": 1, "W": 2, "lam": 4}),
    ("brsgc", {"B": 2, "W": 5, "lam": 4}),
]


@pytest.mark.parametrize(
    "n, rounds, configs",
    [
        (64, 400, FIVE),
        (
            48,
            1000,
            [("gc", {"s": 2})] + [("brsgc", {"B": 1, "W": 2, "lam": x}) for x in range(2, 30)],
        ),
    ],
)
def test_estimate_within_3x_of_the_measured_cost(n, rounds, configs):
    p = ge(n=n, q=0.05)
    long_runs(p, configs, rounds=50, replications=1, mu=1.0)  # warm the caches
    t0 = time.process_time()
    long_runs(p, configs, rounds=rounds, replications=2, mu=1.0, slope=0.5)
    measured = (time.process_time() - t0) * 1e6
    estimate = 2 * run_cost(n, rounds, configs, 2)
    assert measured / 3 <= estimate <= 3 * measured, (estimate, measured)


def test_five_runs_of_10000_rounds_at_n256_fit_the_default_budget():
    assert 5 * run_cost(256, 10_000, FIVE, 2) < DEFAULT_MAX_WORK
