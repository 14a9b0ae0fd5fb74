"""Benchmark of the optimal-load design: n = 4, bursty(2, 3, 2), T = 3, P = 2 (both solvers,
symmetric orbit LP; optionally the unreduced LP), and the results table.

    python benchmarks/bench_design.py [--unreduced] [--table-max-n 4]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from sgc_theory.design import build_covering_lp, solve
from sgc_theory.models import Bursty


def bench_lp(symmetric=True, solvers=("highs", "cbc"), partitions=None):
    m = Bursty(4, B=2, W=3, lam=2)
    for solver in solvers:
        t0 = time.perf_counter()
        lp = build_covering_lp(4, m, 3, P=2, partitions=partitions, symmetric=symmetric)
        t1 = time.perf_counter()
        res = solve(lp, solver=solver, certify=symmetric)
        t2 = time.perf_counter()
        kind = ("orbit" if symmetric else "unreduced") + (f" ILP K={partitions}" if partitions
                                                          else " LP")
        print(f"n=4 bursty(2,3,2) T=3 P=2 {kind:<18} {solver:<5}: load {res.load_fraction} "
              f"(exact={res.exact}), {res.variables} vars, {res.constraints} cons, "
              f"build {t1 - t0:.2f} s + solve {t2 - t1:.2f} s = {t2 - t0:.2f} s")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--unreduced", action="store_true", help="also the unreduced LP (CBC, ~10 s)")
    ap.add_argument("--table-max-n", type=int, default=4)
    args = ap.parse_args(argv)
    bench_lp()
    bench_lp(partitions=12)
    if args.unreduced:
        bench_lp(symmetric=False, solvers=("cbc",))
    script = Path(__file__).resolve().parent.parent / "scripts" / "make_results_table.py"
    t0 = time.perf_counter()
    subprocess.run([sys.executable, str(script), "--max-n", str(args.table_max_n), "--json"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    print(f"results table n = 3..{args.table_max_n}: {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
