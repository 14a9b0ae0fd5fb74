"""Benchmarks of RWC-SGC's exact count automaton (sgc_theory.verify.rwc_counts) at n = 256,
bursty(2, 3, lam), T = 2, capacity 4: the all-horizon proof of the largest K proved in
results/replicated_T_eq_B_n256.md, and the n = 8 witness.  Target: each proof under 60 s (the
automaton keeps every reachable state; its size, not the time per state, is what limits lam).
Then the join-padded variant (sgc_theory.verify.rwc_join) on the rows it decides
((2, 3, 15), P = 8, 12; (2, 3, 23), P = 8): target under 60 s each.

    python benchmarks/bench_rwcsgc.py [--lams 2 3 4 5 6] [--padded]
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


#: (lam, P, K) the join-padded variant proves (results/replicated_T_eq_B_n256.md)
PADDED = ((15, 8, 1969), (15, 12, 2954), (23, 8, 1927))


def bench_padded(lam, P, K):
    from sgc_theory.verify.rwc_join import join_table

    t0 = time.perf_counter()
    ok, table, expansions = join_table(RWCSGC(256, 2, 3, lam, T=2, P=P, K=K))
    dt = time.perf_counter() - t0
    verdict = f"CLOSED ({len(table)} record counts)" if ok else "NOT CLOSED"
    print(f"padded RWC-SGC n=256 (2,3,{lam}) P={P} K={K}: {verdict}, {expansions} expansions, "
          f"{dt:.2f} s")  # fmt: skip


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lams", type=int, nargs="+", default=[2, 3, 4, 5, 6])
    ap.add_argument("--padded", action="store_true", help="also the join-padded variant")
    args = ap.parse_args(argv)
    bench(8, 2, 4, 27)
    bench(8, 2, 4, 28)
    for lam in args.lams:
        bench(256, lam, 4, PROVED[lam])
    if args.padded:
        for lam, P, K in PADDED:
            bench_padded(lam, P, K)


if __name__ == "__main__":
    main()
