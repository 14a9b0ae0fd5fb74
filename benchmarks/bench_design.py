"""Benchmarks of the optimal-load design.

* the covering LP by worker types at n = 256: bursty(1, 2, 27) and (1, 2, 100) at T = 1 (exact
  optimum), bursty(2, 3, lam) at T = 2 and T = 3 for the lam whose full-memory histories fit,
  and bursty(2, 3, 23) at T = 3 (refused with the orbit count: out of reach with full memory;
  the memory-limited LPs that do fit are timed instead);
* the all-horizon proof of BR-SGC at n = 256 for the paper's configurations;
* the small cases of the set-enumeration LP and the best integer design (n = 4);
* optionally the results table of n = 3..4 (``--table-max-n``).

    python benchmarks/bench_design.py [--quick] [--table-max-n 4]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from sgc_theory import BRSGC, verify
from sgc_theory.design import build_covering_lp, build_type_lp, design, solve, solve_type_lp
from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty


def timed(f):
    t0 = time.perf_counter()
    out = f()
    return time.perf_counter() - t0, out


def bench_type_lp(B, W, lam, T, P=None, time_limit=None):
    m = Bursty(256, B, W, lam)
    try:
        dt_build, lp = timed(lambda: build_type_lp(m, T, P=P))
    except SGCError as exc:
        print(f"type LP n=256 ({B},{W},{lam}) T={T} P={P}: refused: {exc}")
        return
    dt, res = timed(lambda: solve_type_lp(lp, time_limit=time_limit))
    what = (
        f"{res.load_fraction} = {float(res.load_fraction):.9f}"
        if res.exact
        else f"[{float(res.lower):.12f}, {float(res.upper):.12f}]"
    )
    print(
        f"type LP n=256 ({B},{W},{lam}) T={T} P={lp.P}: {res.status}, {what}; "
        f"{res.variables} vars, {res.constraints} rows, build {dt_build:.2f} s + solve and "
        f"certify {dt:.2f} s = {dt_build + dt:.2f} s"
    )


def bench_small():
    m = Bursty(4, B=2, W=3, lam=2)
    dt, res = timed(lambda: solve(build_covering_lp(4, m, 3, P=2)))
    print(
        f"set-enumeration LP n=4 (2,3,2) T=3: {res.load_fraction}, {res.variables} vars, {dt:.2f} s"
    )
    dt, res = timed(lambda: solve_type_lp(build_type_lp(m, 3)))
    print(
        f"type LP            n=4 (2,3,2) T=3: {res.load_fraction}, {res.variables} vars, {dt:.2f} s"
    )
    dt, res = timed(lambda: design(4, m, 3, partitions=3))
    print(
        f"best integer design n=4 (2,3,2) T=3 K=3: {res.load_fraction}, {res.variables} vars, "
        f"{dt:.2f} s"
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="skip the cases of a minute or more")
    ap.add_argument(
        "--table-max-n",
        type=int,
        default=0,
        help="also time the results table for n = 3..N (0: skip)",
    )
    args = ap.parse_args(argv)
    bench_type_lp(1, 2, 27, 1)  # target < 60 s
    if not args.quick:
        bench_type_lp(1, 2, 100, 1)
    for lam in (2, 4) if args.quick else (2, 4, 6):
        bench_type_lp(2, 3, lam, 2)
    bench_type_lp(2, 3, 2, 3)
    bench_type_lp(2, 3, 23, 3)  # refused: out of reach with full memory
    bench_type_lp(2, 3, 23, 2, P=0)  # memory-limited schemes do fit
    for params in ((1, 2, 27), (2, 3, 23)):
        dt, res = timed(lambda p=params: verify(BRSGC(256, *p), all_horizons=True))
        print(
            f"BR-SGC n=256 {params}: all horizons {'PROVED' if res.ok else 'FAILED'}, "
            f"{res.states} states, {dt:.2f} s"
        )
    from sgc_theory import WCSGC
    from sgc_theory.schemes.wc_sgc import backlog_bound

    for n, W, lam in ((5, 3, 3), (8, 2, 5), (10, 3, 4)):
        dt, res = timed(lambda a=(n, W, lam): verify(WCSGC(a[0], 1, a[1], a[2]), all_horizons=True))
        print(
            f"WC-SGC n={n} (1,{W},{lam}): all horizons {'PROVED' if res.ok else 'FAILED'} "
            f"(exact automaton), {res.states} states, {dt:.2f} s"
        )
    dt, b = timed(lambda: backlog_bound(256, 2, 27))
    print(f"WC-SGC n=256 (1,2,27): backlog recursion max {b} units <= nW = 512, {dt:.3f} s")
    bench_small()
    if args.table_max_n:
        script = Path(__file__).resolve().parent.parent / "scripts" / "make_results_table.py"
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, str(script), "--max-n", str(args.table_max_n), "--json"],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        print(f"results table n = 3..{args.table_max_n}: {time.perf_counter() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    from sgc_theory.budget import work_budget

    with work_budget("inf"):  # these runs have their own time limits
        sys.exit(main())
