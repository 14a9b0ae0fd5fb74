"""Timing of the straggler processes and the long-run comparison.

Targets (issue 19, on the shared 2-core machine): fitting a process to a 256 x 20 trace < 10 s;
one 256 x 10,000 generated run of every vectorised family (no coding, GC, SR-SGC, M-SGC, BR-SGC)
under the paper policy < 30 s; the full ``compare`` (2 online policies, 20 replications of
10,000 rounds) < 5 min. WC-SGC is timed separately: its decoder is a per-round loop.
Run: ``python benchmarks/bench_processes.py [--full]`` (``--full`` adds the 20-replication compare).
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


def main():
    t = time.perf_counter()
    proc, _ = fit_process(TRACE, mu=1.0, quality=False)
    print(f"fit (EM only) on 256 x 20: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    fit_process(TRACE, mu=1.0)
    print(f"fit with held-out refit and quality report: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    D = proc.generate(10_000, seed=1)
    print(f"generate 256 x 10,000: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    evaluate(D, CONFIGS, jobs=10_000 - 2, mu=1.0, policies=("paper",))
    print(f"one 10,000-round run, 5 families, paper policy: {time.perf_counter() - t:.2f} s")
    t = time.perf_counter()
    evaluate(D[:, :2000], [("wcsgc", {"B": 1, "W": 2, "lam": 32})], jobs=1998, mu=1.0,
             policies=("paper",))  # fmt: skip
    print(f"WC-SGC, 2,000 rounds, paper policy: {time.perf_counter() - t:.2f} s")
    if "--full" in sys.argv:
        t = time.perf_counter()
        compare(proc, rounds=10_000, replications=20, mu=1.0, progress=True)
        print(f"compare, 20 x 10,000 rounds, paper + minimal: {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
