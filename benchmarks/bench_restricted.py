"""Benchmarks of the restricted-adversary lower bounds at n = 256, delay T = B.

The covering LP against full bursts (every burst that starts inside the history lasts B rounds)
for bursty(2, 3, lam) at T = 2, next to the counting bound; each bound has an exact dual
certificate.  Target: each bound under 5 minutes.

Also the all-horizon proof of PR-SGC at n = 256 by the worker-symmetric verifier (target: under
60 s) and the time to compute its parameters.

    python benchmarks/bench_restricted.py [--lams 2 5 8]
"""

from __future__ import annotations

import argparse
import time

from sgc_theory.bounds import counting_bound
from sgc_theory.design import restricted_lower_bound
from sgc_theory.design.restricted import FullBurstSpace
from sgc_theory.models import Bursty


def bench_prsgc():
    from sgc_theory.schemes import PRSGC
    from sgc_theory.verify import verify

    for B, W, lam in ((1, 2, 27), (1, 2, 100), (2, 3, 23)):
        t0 = time.perf_counter()
        sch = PRSGC(256, B, W, lam)
        t1 = time.perf_counter()
        res = verify(sch, all_horizons=True)
        t2 = time.perf_counter()
        print(
            f"PR-SGC n=256 ({B},{W},{lam}): load {float(sch.load):.9f}, parameters {t1 - t0:.2f} s,"
            f" all-horizon proof {'PROVED' if res.ok else 'FAILED'} ({res.method}, "
            f"{res.states} states) {t2 - t1:.2f} s",
            flush=True,
        )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lams", type=int, nargs="*", default=[2, 5, 8])
    args = ap.parse_args()
    bench_prsgc()
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
