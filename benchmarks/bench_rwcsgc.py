"""Benchmarks of RWC-SGC's exact count automaton (sgc_theory.verify.rwc_counts) at n = 256,
bursty(2, 3, lam), T = 2, capacity 4: the all-horizon proof of the largest K proved in
results/replicated_T_eq_B_n256.md, and the n = 8 witness.  Target: each proof under 60 s (the
automaton keeps every reachable state; its size, not the time per state, is what limits lam).

    python benchmarks/bench_rwcsgc.py [--lams 2 3 4 5 6]
"""

from __future__ import annotations

import argparse
import time

from sgc_theory.schemes import RWCSGC
from sgc_theory.verify import verify

#: (lam, K) proved at P = 4 (results/replicated_T_eq_B_n256.md)
PROVED = {2: 1019, 3: 1017, 4: 1014, 5: 1011, 6: 1009, 8: 1003}


def bench(n, lam, P, K):
    t0 = time.perf_counter()
    res = verify(RWCSGC(n, 2, 3, lam, T=2, P=P, K=K), all_horizons=True, method="counts")
    dt = time.perf_counter() - t0
    verdict = "PROVED" if res.ok else f"FAILED ({res.counterexample.shape[1]} rounds)"
    print(f"RWC-SGC n={n} (2,3,{lam}) T=2 P={P} K={K}: {verdict}, {res.states} states, {dt:.2f} s")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lams", type=int, nargs="+", default=[2, 3, 4, 5, 6])
    args = ap.parse_args(argv)
    bench(8, 2, 4, 27)
    bench(8, 2, 4, 28)
    for lam in args.lams:
        bench(256, lam, 4, PROVED[lam])


if __name__ == "__main__":
    main()
