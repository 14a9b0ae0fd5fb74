"""Timing of the straggler processes and the long-run comparison.

Targets (issue 19, on the shared 2-core machine): fitting a process to a 256 x 20 trace < 10 s;
(issue 26) fitting 64 x 3000 and 256 x 3000 Gilbert-Elliott traces under the default work budget
(1e8 units), the work estimate within 3x of the measured cost;
one 256 x 10,000 generated run of every vectorised family (no coding, GC, SR-SGC, M-SGC, BR-SGC)
under the paper policy < 30 s; the full ``compare`` (2 online policies, 20 replications of
10,000 rounds) < 5 min. WC-SGC is timed separately: its decoder is a per-round loop.
Run: ``python benchmarks/bench_processes.py [--full]`` (``--full`` adds the 20-replication compare).

Measured on the shared machine (load average about 8 on 2 cores, so CPU seconds are the stable
figure). Issue 26 fit (states and families chosen, credibility check included): 64 x 3000
Gilbert-Elliott 1.5 to 1.9 s CPU, metered 2.1e6 work units, estimated 3.2e6; 256 x 3000: 5.1 to
6.3 s CPU, metered 7.6e6 units, estimated 1.1e7 (0.84 to 0.92 CPU microseconds per metered unit;
the default budget is 1e8); 256 x 20 probe: 0.75 s CPU. Earlier figures (issue 19 fit):
fit 4.6 s CPU (EM only) and 5.2 s with the quality report; generating 256 x 10,000:
1.2 s; one 10,000-round run of the five families: 3.7 s CPU (paper), 9.9 s (minimal); WC-SGC
1.8 s per 2,000 rounds; ``compare`` with 2 replications of 10,000 rounds and both policies:
35.5 s CPU including the pilot sweep, so about 5 CPU-minutes for 20 replications (half that with
a two-worker Dask cluster).
"""

import sys
import time

from sgc_theory.simulate.compare import compare, evaluate
from sgc_theory.simulate.processes import fit_process

TRACE = "sam-gc-cnn_profile_est_desktop__w256-n20-l0_000"
CONFIGS = [
    ("nocoding", {}),
    ("gc", {"s": 24}),
    ("srsgc", {"B": 1, "W": 2, "lam": 26}),
    ("msgc", {"B": 1, "W": 2, "lam": 27}),
    ("brsgc", {"B": 2, "W": 3, "lam": 36}),
]


class clock:
    """Wall and CPU seconds of a block (the machine is shared: CPU time is the stable figure)."""

    def __enter__(self):
        self.w, self.c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.w
        self.cpu = time.process_time() - self.c

    def __str__(self):
        return f"{self.wall:.2f} s wall, {self.cpu:.2f} s CPU"


def _fit_known(n, rounds=3000):
    """Fit a process to a 64 or 256 x 3000 Gilbert-Elliott trace (issue 26's case), with the
    automatic choice of states and families; CPU seconds against the metered work units (one
    unit stands for about a microsecond) and the a-priori estimate."""
    import math

    from sgc_theory.simulate.processes import StragglerProcess

    truth = StragglerProcess.from_emissions(
        n,
        [[0.985, 0.015], [0.45, 0.55]],
        [{"family": "lognormal", "mean": 0.0, "sd": 0.1},
         {"family": "lognormal", "mean": math.log(3), "sd": 0.1}],
    )  # fmt: skip
    D = truth.generate(rounds, seed=1)
    with clock() as c:
        _, rep = fit_process(D, mu=1.0)
    w = rep["fit"]["work"]
    print(
        f"fit {n} x {rounds} Gilbert-Elliott (states and families chosen, credibility check): "
        f"{c}; work metered {w['metered']:.3g} units, estimated {w['estimate']:.3g} "
        f"(CPU us per metered unit {c.cpu * 1e6 / w['metered']:.2f})"
    )


def main():
    _fit_known(64)
    _fit_known(256)
    with clock() as c:
        proc, _ = fit_process(TRACE, mu=1.0, quality=False)
    print(f"fit on the 256 x 20 probe: {c}")
    with clock() as c:
        D = proc.generate(10_000, seed=1)
    print(f"generate 256 x 10,000: {c}")
    for pol in ("paper", "minimal"):
        with clock() as c:
            evaluate(D, CONFIGS, jobs=10_000 - 2, mu=1.0, policies=(pol,))
        print(f"one 10,000-round run, 5 families, {pol} policy: {c}")
    with clock() as c:
        evaluate(D[:, :2000], [("wcsgc", {"B": 1, "W": 2, "lam": 32})], jobs=1998, mu=1.0,
                 policies=("paper",))  # fmt: skip
    print(f"WC-SGC, 2,000 rounds, paper policy: {c}")
    if "--full" in sys.argv:
        with clock() as c:
            compare(proc, rounds=10_000, replications=20, mu=1.0, progress=True, max_work="inf")
        print(f"compare, 20 x 10,000 rounds, paper + minimal: {c}")


if __name__ == "__main__":
    main()
