"""Optimal load at the paper's scale: n = 256, bursty (B, W, lam) with B/W = 1/2 and 2/3.

For every lam of a grid the table lists the closed-form loads of GC (s = lam, T = 0), SR-SGC
(T = B), M-SGC (T = W - 2 + B) and BR-SGC (T = B), the counting lower bound (any scheme, any T),
and the optimum of the covering LP by worker types (schemes looking back P = W - 1 rounds) at
the delays that matter: T = 1 for (1, 2) (M-SGC's and BR-SGC's delay), T = 2 and T = 3 for
(2, 3) (BR-SGC's/SR-SGC's and M-SGC's).  The LP value is the exact optimal vertex when it was
recovered (``lp_exact``), else an exact bracket ``[lp_lower, lp_opt]``.  When the histories of
the full-memory LP have more orbits than ``--max-orbits``, the cell uses the largest look-back
``P`` that fits (``lp_P``; an achievable load of schemes that remember less, hence an upper
bound on the full-memory optimum) and says so in ``lp_note``.

Writes ``results/optimal_n256.{csv,md,json}``.

    python scripts/make_optimal_n256.py [--quick] [--max-orbits 40000 6000] [--time-limit 300]
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
    gc_load,
    msgc_delay,
    msgc_load,
    srsgc_load,
    wcsgc_load,
)
from sgc_theory.design import TypeSpace, build_type_lp, solve_type_lp
from sgc_theory.errors import SGCError
from sgc_theory.models import Bursty

N = 256
LAMS_12 = [1, 2, 3, 5, 8, 10, 15, 20, 27, 35, 50, 64, 75, 100, 128, 150, 200, 255]
LAMS_23 = [1, 2, 3, 4, 5, 6, 8, 10, 15, 23, 30, 50, 64, 100, 128, 200, 255]
QUICK_12 = [1, 2, 5, 10, 27, 50]
QUICK_23 = [1, 2, 4, 23]
COLUMNS = [
    "B",
    "W",
    "lam",
    "gc",
    "srsgc",
    "msgc",
    "msgc_T",
    "brsgc",
    "brsgc_T",
    "wcsgc",
    "counting_bound",
    "lp_T",
    "lp_P",
    "lp_opt",
    "lp_lower",
    "lp_exact",
    "lp_seconds",
    "lp_orbits",
    "lp_note",
    "brsgc_over_lp",
    "msgc_over_lp",
    "brsgc_over_bound",
]


def _fs(f) -> str:
    return "" if f is None else fraction_str(f)


def lp_cell(B, W, lam, T, max_orbits, time_limit):
    """The LP with full memory P = W - 1 if its histories fit the budget, else with the largest
    P that fits (a scheme that remembers less: an achievable load, so an upper bound on the
    full-memory optimum), labelled in ``lp_P`` and ``lp_note``."""
    m = Bursty(N, B, W, lam)
    sp = TypeSpace(m, max_orbits=max_orbits)
    for P in range(W - 1, -1, -1):
        try:
            orbits = len(sp.orbits(P + T))
            break
        except SGCError:
            continue
    else:
        return {"lp_note": f"more than {max_orbits} history orbits even with P = 0"}
    t0 = time.perf_counter()
    res = solve_type_lp(build_type_lp(m, T, P=P, max_orbits=max_orbits), time_limit=time_limit)
    secs = time.perf_counter() - t0
    note = (
        ""
        if P == W - 1
        else (
            f"P = {P} < W - 1: memory-limited schemes (the P = {W - 1} "
            f"LP has more than {max_orbits} history orbits)"
        )
    )
    if res.upper is None:
        return {"lp_note": f"solver status {res.status}", "lp_orbits": orbits, "lp_P": P}
    if res.status != "optimal":
        note = (
            (note + "; " if note else "")
            + res.status
            + (
                f"; bracket [{float(res.lower):.7f}, {float(res.upper):.7f}]"
                if res.lower is not None
                else ""
            )
        )
    return {
        "lp_opt": res.upper,
        "lp_lower": res.lower,
        "lp_exact": res.exact,
        "lp_seconds": round(secs, 1),
        "lp_orbits": orbits,
        "lp_P": P,
        "lp_note": note,
    }


def rows(quick, max_orbits, time_limit):
    jobs = []
    for lam in QUICK_12 if quick else LAMS_12:
        jobs.append((1, 2, lam, 1, max_orbits[0]))
    for lam in QUICK_23 if quick else LAMS_23:
        jobs.extend([(2, 3, lam, 2, max_orbits[1]), (2, 3, lam, 3, max_orbits[1])])
    out = []
    for B, W, lam, T, budget in tqdm(jobs, desc="n = 256 LPs", file=sys.stderr):
        row = {
            "B": B,
            "W": W,
            "lam": lam,
            "gc": to_fraction(gc_load(N, lam)) if lam < N else None,
            "srsgc": to_fraction(srsgc_load(N, B, W, lam)),
            "msgc": to_fraction(msgc_load(N, B, W, lam)),
            "msgc_T": int(msgc_delay(B, W)),
            "brsgc": to_fraction(brsgc_load(N, lam)),
            "brsgc_T": B,
            "wcsgc": to_fraction(wcsgc_load(N, W, lam)) if B == 1 else None,
            "counting_bound": to_fraction(counting_bound(N, B, W, lam)),
            "lp_T": T,
        }
        row.update(lp_cell(B, W, lam, T, budget, time_limit))
        lp = row.get("lp_opt")
        # compare schemes only with a certified full-memory optimum
        full = row.get("lp_P") == W - 1 and not row.get("lp_note")
        row["brsgc_over_lp"] = (
            None if lp is None or T < B or not full else float(row["brsgc"] / lp) - 1
        )
        row["msgc_over_lp"] = (
            None if lp is None or T != row["msgc_T"] or not full else float(row["msgc"] / lp) - 1
        )
        row["brsgc_over_bound"] = float(row["brsgc"] / row["counting_bound"]) - 1
        out.append(row)
    return out


def to_str(row):
    out = {}
    for k in COLUMNS:
        v = row.get(k)
        if isinstance(v, Fraction):
            out[k] = _fs(v)
        elif isinstance(v, float) and "_over_" in k:
            out[k] = f"{v:.4%}"
        else:
            out[k] = "" if v is None else v
    return out


def markdown(rs, seconds, argv):
    def cell(v):
        if isinstance(v, Fraction):
            return f"{float(v):.7f}"
        return "" if v is None else str(v)

    lines = [
        "# Optimal load at n = 256: schemes, the counting bound and the covering LP by types",
        "",
        f"Generated by `python scripts/make_optimal_n256.py {' '.join(argv)}` in {seconds:.0f} s "
        "(exact fractions in `optimal_n256.csv`; decimals here). `lp_opt` is the optimum of the "
        "covering LP by worker types at delay `lp_T` for schemes looking back P = W - 1 rounds: "
        "an exactly achievable load, equal to the exact optimum when `lp_exact` (recovered from "
        "the solver's basis and checked exactly), else the upper end of an exact bracket whose "
        "lower end is `lp_lower`. GC works at T = 0, SR-SGC and BR-SGC at T = B, M-SGC at "
        "T = W - 2 + B, WC-SGC (B = 1 only) at T = 2, where its load is the counting bound. "
        "`BR-SGC / bound - 1` bounds BR-SGC's distance to the optimum of every "
        "scheme from above, also where the LP is out of reach. Empty LP cells: see `lp_note`.",
        "",
        "| B | W | lam | GC | SR-SGC | M-SGC (T) | BR-SGC (T) | WC-SGC (T = 2) | counting bound "
        "| T | P | LP optimum | exact | s | BR-SGC / LP - 1 | M-SGC / LP - 1 | "
        "BR-SGC / bound - 1 | note |",
        "|" + "---|" * 18,
    ]
    for r in rs:
        s = to_str(r)
        lines.append(
            "| "
            + " | ".join(
                [
                    str(r["B"]),
                    str(r["W"]),
                    str(r["lam"]),
                    cell(r["gc"]),
                    cell(r["srsgc"]),
                    f"{cell(r['msgc'])} ({r['msgc_T']})",
                    f"{cell(r['brsgc'])} ({r['brsgc_T']})",
                    cell(r["wcsgc"]),
                    cell(r["counting_bound"]),
                    str(r["lp_T"]),
                    str(r.get("lp_P", "")),
                    cell(r.get("lp_opt")),
                    str(r.get("lp_exact", "")),
                    str(r.get("lp_seconds", "")),
                    s["brsgc_over_lp"],
                    s["msgc_over_lp"],
                    s["brsgc_over_bound"],
                    str(r.get("lp_note", "")),
                ]
            )
            + " |"
        )
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small grid of lam (a minute)")
    ap.add_argument(
        "--max-orbits",
        type=int,
        nargs=2,
        default=[40_000, 6_000],
        metavar=("B1W2", "B2W3"),
        help="history-orbit budgets of the (1, 2) and the (2, 3) LPs",
    )
    ap.add_argument("--time-limit", type=float, default=300.0)
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "results"))
    ap.add_argument("--json", action="store_true", help="print the rows as JSON, write nothing")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    rs = rows(args.quick, args.max_orbits, args.time_limit)
    secs = time.perf_counter() - t0
    if args.json:
        print(json.dumps([to_str(r) for r in rs]))
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "optimal_n256.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rs:
            w.writerow(to_str(r))
    (out / "optimal_n256.json").write_text(json.dumps([to_str(r) for r in rs], indent=1) + "\n")
    (out / "optimal_n256.md").write_text(markdown(rs, secs, argv))
    print(f"{len(rs)} rows in {secs:.1f} s -> {out}")
    return 0


if __name__ == "__main__":
    from sgc_theory.budget import work_budget

    with work_budget("inf"):  # these runs have their own time limits
        sys.exit(main())
