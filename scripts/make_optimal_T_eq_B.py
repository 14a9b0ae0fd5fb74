"""The optimum at delay T = B at n = 256: best proved lower bound vs best runnable scheme.

For bursty(1, 2, lam) at T = 1 and bursty(2, 3, lam) at T = 2 (the lam of the n = 256 table):

* lower bound = the largest of the counting bound, the full covering LP's exact dual bound
  (where the full-memory LP fits) and the covering LP against full bursts only
  (:mod:`sgc_theory.design.restricted`, where it fits), with the argument that attains it;
* runnable = the best scheme of the toolkit with delay <= T (PR-SGC here), its exact load,
  and BR-SGC's for comparison;
* ratio = runnable / lower; where it exceeds 1.01 the note says why.

Writes results/optimal_T_eq_B_n256.{md,csv}.  Run: ``python scripts/make_optimal_T_eq_B.py``.
"""

from __future__ import annotations

import argparse
import csv
import time
from fractions import Fraction
from pathlib import Path

from sgc_theory.design import bracket, build_type_lp, restricted_lower_bound, solve_type_lp
from sgc_theory.design.types import TypeSpace
from sgc_theory.bounds.lower import closed_form_lower_bound
from sgc_theory.design.restricted import FullBurstSpace
from sgc_theory.design.upper import runnable_upper
from sgc_theory.models import Bursty
from sgc_theory.rationals import fraction_str

LAMS = [1, 2, 3, 5, 8, 10, 15, 20, 27, 35, 50, 64, 75, 100, 128, 150, 200, 255]
LAMS23 = [1, 2, 3, 4, 5, 6, 8, 10, 15, 23, 30, 50, 64, 100, 128, 200, 255]
N = 256


def _fits(space_cls, model, length, max_orbits) -> bool:
    try:
        space_cls(model, max_orbits=max_orbits).orbits(length)
    except Exception:
        return False
    return True


def row(B, W, lam, args) -> dict:
    m = Bursty(N, B, W, lam)
    T = B
    t0 = time.perf_counter()
    lp = rb = None
    notes = []
    up, _ = runnable_upper(m, T)
    known, _ = closed_form_lower_bound(m)
    orbits = args.max_orbits if B >= 2 else 20 * args.max_orbits
    if up is not None and up == known:
        notes.append("a runnable scheme meets the counting bound: no LP needed")
    elif _fits(TypeSpace, m, W - 1 + T, orbits):
        lp = solve_type_lp(build_type_lp(m, T, max_orbits=orbits), time_limit=args.tl)
    else:
        notes.append(f"full LP: more than {orbits} history orbits")
    if B >= 2 and (lp is None or not lp.exact) and not (up is not None and up == known):
        if _fits(FullBurstSpace, m, W - 1 + T, args.max_orbits):
            rb = restricted_lower_bound(m, T, time_limit=args.tl, max_orbits=args.max_orbits)
        else:
            notes.append(f"full-burst LP: more than {args.max_orbits} history orbits")
    br = bracket(m, T, lp_result=lp, restricted=rb)
    ratio = br["ratio"]
    if ratio is not None and ratio > 1.01:
        lpu = None if lp is None or lp.upper is None else lp.upper
        if lpu is not None and lp.exact:
            notes.append(
                f"the LP optimum itself is {float(lpu):.7f}: the best runnable scheme is "
                f"{100 * (float(br['upper'] / lpu) - 1):.2f} % above it (no runnable "
                "family realizes this LP solution)"
            )
        elif br["lower"] > known:
            notes.append(
                f"the lower bound is {100 * (float(br['lower'] / known) - 1):.3f} % above "
                "the counting bound: the width is the scheme's (PR-SGC and BR-SGC do not use the "
                "safe sets that the T = B optimum uses for B >= 2)"
            )
        else:
            notes.append(
                "only the counting bound is proved here (the full and the full-burst LP have too "
                "many history orbits, or the solve hit its time limit)"
            )
    return {
        "B": B,
        "W": W,
        "lam": lam,
        "T": T,
        "lower": _fs(br["lower"]),
        "lower_argument": br["lower_argument"],
        "runnable": _fs(br["upper"]),
        "runnable_scheme": (br["upper_scheme"] or "").split(" ")[0],
        "brsgc": f"{N + lam}/{N * N}",
        "lp_upper": _fs(br["lp_upper"]),
        "lp_exact": None if lp is None else lp.exact,
        "restricted_lower": None if rb is None or rb.lower is None else float(rb.lower),
        "ratio": ratio,
        "seconds": round(time.perf_counter() - t0, 1),
        "note": "; ".join(notes),
    }


def _fs(x) -> str | None:
    """An exact load (a Fraction of :func:`~sgc_theory.design.bracket`) as ``"p/q"`` for the CSV."""
    return None if x is None else fraction_str(x)


def _typed(r: dict) -> dict:
    """A row read back from the CSV with its numbers and flags typed again."""
    r = dict(r)
    for k in ("B", "W", "lam", "T"):
        r[k] = int(r[k])
    r["ratio"] = float(r["ratio"]) if r["ratio"] else None
    r["lp_exact"] = None if r["lp_exact"] == "" else r["lp_exact"] == "True"
    for k in ("lower", "runnable", "lp_upper", "restricted_lower"):
        r[k] = r[k] or None
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tl", type=float, default=280.0, help="LP time limit per row (s)")
    ap.add_argument("--max-orbits", type=int, default=6_000, dest="max_orbits")
    ap.add_argument("--out", default="results")
    ap.add_argument(
        "--only",
        nargs="*",
        default=None,
        help="recompute only these rows (B,W,lam ...) and merge them into the existing table",
    )
    args = ap.parse_args()
    out = Path(args.out)
    rows = []
    if args.only:
        with open(out / "optimal_T_eq_B_n256.csv") as fh:
            rows = [_typed(r) for r in csv.DictReader(fh)]
        for spec in args.only:
            B, W, lam = (int(v) for v in spec.split(","))
            r = row(B, W, lam, args)
            print(r, flush=True)
            rows = [r if (o["B"], o["W"], o["lam"]) == (B, W, lam) else o for o in rows]
    else:
        for B, W, lams in ((1, 2, LAMS), (2, 3, LAMS23)):
            for lam in lams:
                r = row(B, W, lam, args)
                rows.append(r)
                print(r, flush=True)
    with open(out / "optimal_T_eq_B_n256.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    f = lambda x: "" if x is None else f"{float(Fraction(x)):.7f}"  # noqa: E731
    lines = [
        "# The optimum at delay T = B at n = 256: proved lower bound vs best runnable scheme",
        "",
        "Generated by `python scripts/make_optimal_T_eq_B.py` (rows the loaded machine could not"
        " certify in time re-run with `--only B,W,lam --tl 600`; per-row seconds in `s`)"
        " (exact fractions in `optimal_T_eq_B_n256.csv`). `lower` is a lower bound on every scheme"
        " of delay T that looks back W - 1 rounds (the counting bound holds for every scheme);"
        " `runnable` is the least load of a runnable scheme of the toolkit with delay <= T;"
        " `LP` is the covering LP's exactly feasible load (a fractional design, exact optimum"
        " when `exact`).",
        "",
        "| B | W | lam | T | lower | argument | runnable | scheme | BR-SGC | LP | exact | ratio | s "
        "| note |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        arg = (r["lower_argument"] or "").split(" (")[0].split(":")[0]
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.4f}"
        lines.append(
            f"| {r['B']} | {r['W']} | {r['lam']} | {r['T']} | {f(r['lower'])} | {arg} | "
            f"{f(r['runnable'])} | {r['runnable_scheme']} | {f(r['brsgc'])} | {f(r['lp_upper'])} | "
            f"{'' if r['lp_exact'] is None else r['lp_exact']} | "
            f"{ratio} | {r['seconds']} | {r['note']} |"
        )
    (out / "optimal_T_eq_B_n256.md").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    from sgc_theory.budget import work_budget

    with work_budget("inf"):  # these runs have their own time limits (--tl)
        main()
