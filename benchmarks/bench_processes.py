"""Timing of the straggler processes and the long-run comparison.

Targets (issue 19, on the shared 2-core machine): fitting a process to a 256 x 20 trace < 10 s;
one 256 x 10,000 generated run of every vectorised family (no coding, GC, SR-SGC, M-SGC, BR-SGC)
under the paper policy < 30 s; the full ``compare`` (2 online policies, 20 replications of
10,000 rounds) < 5 min. WC-SGC is timed separately: its decoder is a per-round loop.
Run: ``python benchmarks/bench_processes.py [--full]`` (``--full`` adds the 20-replication compare).

Measured on the shared machine (load average about 8 on 2 cores, so CPU seconds are the stable
figure): fit 4.6 s CPU (EM only) and 5.2 s with the quality report; generating 256 x 10,000:
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


def main():
    with clock() as c:
        proc, _ = fit_process(TRACE, mu=1.0, quality=False)
    print(f"fit (EM only) on 256 x 20: {c}")
    with clock() as c:
        fit_process(TRACE, mu=1.0)
    print(f"fit with held-out refit and quality report: {c}")
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
