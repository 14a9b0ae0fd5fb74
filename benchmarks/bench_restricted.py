"""Benchmarks of the restricted-adversary lower bounds at n = 256, delay T = B.

The covering LP against full bursts (every burst that starts inside the history lasts B rounds)
for bursty(2, 3, lam) at T = 2, next to the counting bound; each bound has an exact dual
certificate.  Target: each bound under 5 minutes.

    python benchmarks/bench_restricted.py [--lams 2 5 8]
"""

from __future__ import annotations

import argparse
import time

from sgc_theory.bounds import counting_bound
from sgc_theory.design import restricted_lower_bound
from sgc_theory.design.restricted import FullBurstSpace
from sgc_theory.models import Bursty


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lams", type=int, nargs="*", default=[2, 5, 8])
    args = ap.parse_args()
    for lam in args.lams:
        m = Bursty(256, 2, 3, lam)
        orbits = len(FullBurstSpace(m).orbits(4))
        t0 = time.perf_counter()
        rb = restricted_lower_bound(m, 2, time_limit=300)
        dt = time.perf_counter() - t0
        cb = counting_bound(256, 2, 3, lam)
        rel = None if rb.lower is None else float(rb.lower) / float(cb) - 1
        print(
            f"full-burst LP n=256 (2,3,{lam}) T=2: {orbits} orbits of 4 rounds, {rb.result.status},"
            f" lower {float(rb.lower or 0):.10f} (counting bound {float(cb):.10f}, "
            f"+{rel:.3g} relative), {dt:.1f} s",
            flush=True,
        )


if __name__ == "__main__":
    main()
