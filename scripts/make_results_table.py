"""Load table: closed-form schemes vs lower bounds vs the optimal covering LP, per delay T.

For n = 3..max_n workers and bursty models (B, W, lam) with 1 <= B <= W - 1, 1 <= lam < n and
W <= max_W, and every delay T = 0 .. (W - 2 + B) + 1, the table lists: GC's load (s = lam, any
T), SR-SGC's load (when W >= B + 1; its delay is B), M-SGC's load (its delay W - 2 + B), BR-SGC's
load (its delay B), the counting and density lower bounds, the optimal stationary covering LP
load at T (P = W - 1; the LP by worker types, exact, certified), the finite-horizon LP lower
bound (when cheap) and the gap of M-SGC to the LP optimum at M-SGC's own delay.

With ``--check-enumeration`` every LP optimum is also computed by the set-enumeration LP and the
two must agree exactly: the enumeration's exact optimum must equal the type LP's exact optimum,
or lie in its exact bracket when the exact vertex was not recovered (the script stops
otherwise). The column `enum_check` records it per row ("agrees", or "skipped" when the
enumeration LP would have more than ``--check-max-variables`` variables).

Writes ``results/load_table.csv`` and ``results/load_table.md`` (or JSON on stdout with --json).

    python scripts/make_results_table.py --max-n 5 [--check-enumeration]
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from fractions import Fraction
from pathlib import Path

from tqdm import tqdm

from sgc_theory.rationals import fraction_str, to_fraction
from sgc_theory.bounds import (
    brsgc_load,
    counting_bound,
    density_bound,
    gc_load,
    msgc_load,
    srsgc_load,
)
from sgc_theory.design import (
    TypeSpace,
    build_covering_lp,
    build_finite_horizon_lp,
    build_type_lp,
    solve,
    solve_type_lp,
)
from sgc_theory.design.api import estimate_ilp_variables
from sgc_theory.models import Bursty

COLUMNS = [
    "n",
    "B",
    "W",
    "lam",
    "T",
    "gc",
    "srsgc",
    "srsgc_T",
    "msgc",
    "msgc_T",
    "brsgc",
    "brsgc_T",
    "counting_bound",
    "density_bound",
    "lp_opt",
    "lp_exact",
    "finite_horizon_lb",
    "msgc_gap",
    "enum_check",
]


def _fs(f) -> str:
    return "" if f is None else fraction_str(f)


def configs(max_n, max_W):
    for n in range(3, max_n + 1):
        for W in range(2, max_W + 1):
            for B in range(1, W):
                for lam in range(1, n):
                    yield n, B, W, lam


def rows_for(
    n,
    B,
    W,
    lam,
    solver,
    fh_max_patterns,
    check_enumeration=False,
    max_orbits=20_000,
    check_max_variables=1_000_000,
):
    m = Bursty(n, B=B, W=W, lam=lam)
    Tm = W - 2 + B
    base = {
        "n": n,
        "B": B,
        "W": W,
        "lam": lam,
        "gc": to_fraction(gc_load(n, lam)),
        "srsgc": to_fraction(srsgc_load(n, B, W, lam)),
        "srsgc_T": B,
        "msgc": to_fraction(msgc_load(n, B, W, lam)),
        "msgc_T": Tm,
        "brsgc": to_fraction(brsgc_load(n, lam)),
        "brsgc_T": B,
        "counting_bound": to_fraction(counting_bound(n, B, W, lam)),
        "density_bound": to_fraction(density_bound(m)),
    }
    out = []
    space = TypeSpace(m)
    for T in range(0, Tm + 2):
        if T > Tm and len(space.orbits(W - 1 + T)) > max_orbits:
            break  # the extra row past M-SGC's delay is skipped when the LP gets large
        res = solve_type_lp(build_type_lp(m, T), solver=solver or "highs")
        check = ""
        if check_enumeration and estimate_ilp_variables(m, T, W - 1) > check_max_variables:
            check = "skipped"
        elif check_enumeration:
            check = "agrees"
            enum = solve(build_covering_lp(n, m, T), solver=solver)
            ok = (
                enum.exact
                and res.lower <= enum.load_fraction <= res.upper
                and (not res.exact or enum.load_fraction == res.upper)
            )
            if not ok:
                raise SystemExit(
                    f"type LP [{res.lower}, {res.upper}] does not agree with the "
                    f"enumeration LP {enum.load_fraction} for {m!r}, T={T}"
                )
        fh = None
        rounds = T + 3
        if m.count(rounds - 1) <= fh_max_patterns:
            r2 = solve(build_finite_horizon_lp(n, m, T, rounds), solver=solver)
            fh = r2.load_fraction if r2.exact else None
        out.append(
            dict(
                base,
                T=T,
                lp_opt=res.upper,
                lp_exact=res.exact,
                finite_horizon_lb=fh,
                enum_check=check,
            )
        )
    lp_at_Tm = out[Tm]["lp_opt"] if len(out) > Tm else None
    for row in out:
        row["msgc_gap"] = None if lp_at_Tm is None else base["msgc"] / lp_at_Tm - 1
    return out


def to_str(row):
    return {
        k: (_fs(v) if isinstance(v, Fraction) else ("" if v is None else v)) for k, v in row.items()
    }


def markdown(rows, seconds, max_n):
    lines = [
        "# Load table: schemes, lower bounds and the optimal covering LP",
        "",
        f"Generated by `python scripts/make_results_table.py --max-n {max_n}` "
        f"in {seconds:.0f} s. Exact fractions; `lp_opt` is the optimal stationary covering LP "
        "load at delay T with P = W - 1 (the LP by worker types; certified exactly by primal and "
        "dual certificates when `lp_exact` is True), an achievable load; `finite_horizon_lb` is the finite-horizon LP "
        "over T + 3 rounds (a lower bound on every scheme; blank when not computed); "
        "`msgc_gap` = M-SGC load / lp_opt at M-SGC's delay - 1. GC works at any T, SR-SGC at "
        "T >= srsgc_T, M-SGC at T >= msgc_T, BR-SGC at T >= brsgc_T. The row T = msgc_T + 1 is "
        "left out when its histories have more than 20,000 orbits.",
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
    ]
    for r in rows:
        s = to_str(r)
        if isinstance(r["msgc_gap"], Fraction):
            s["msgc_gap"] = f"{float(r['msgc_gap']):.4f}"
        lines.append("| " + " | ".join(str(s[c]) for c in COLUMNS) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-n", type=int, default=5)
    ap.add_argument("--max-W", type=int, default=3)
    ap.add_argument("--solver", default=None, help="cbc or highs (default highs if installed)")
    ap.add_argument(
        "--fh-max-patterns",
        type=int,
        default=3000,
        help="compute the finite-horizon bound when the model admits at most this "
        "many patterns of T + 2 rounds",
    )
    ap.add_argument(
        "--check-enumeration",
        action="store_true",
        help="also solve every LP by set enumeration and require exact agreement",
    )
    ap.add_argument(
        "--check-max-variables",
        type=int,
        default=1_000_000,
        help="skip the enumeration check of LPs larger than this (estimated variables)",
    )
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "results"))
    ap.add_argument("--json", action="store_true", help="print the rows as JSON, write nothing")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rows = []
    cfgs = list(configs(args.max_n, args.max_W))
    for n, B, W, lam in tqdm(cfgs, desc="load table", file=sys.stderr):
        rows.extend(
            rows_for(
                n,
                B,
                W,
                lam,
                args.solver,
                args.fh_max_patterns,
                args.check_enumeration,
                check_max_variables=args.check_max_variables,
            )
        )
    secs = time.perf_counter() - t0
    if args.json:
        print(json.dumps([to_str(r) for r in rows]))
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "load_table.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow(to_str(r))
    (out / "load_table.md").write_text(markdown(rows, secs, args.max_n))
    print(f"{len(rows)} rows for n = 3..{args.max_n} in {secs:.1f} s -> {out}")
    return 0


if __name__ == "__main__":
    from sgc_theory.budget import work_budget

    with work_budget("inf"):  # these runs have their own time limits
        sys.exit(main())
