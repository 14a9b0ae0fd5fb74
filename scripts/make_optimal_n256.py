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

Every row also carries WC-SGC (every ``1 <= B <= W - 1``, delay ``B + 1``, load = the counting
bound) and ``optimum``: the exact optimum of every scheme at every ``T >= B + 1``, settled by
theorem (counting bound = WC-SGC's load) when WC-SGC's count automaton proves it for that
``lam`` within ``--proof-work`` (``proof``: states and seconds, or why it was not settled).

Writes ``results/optimal_n256.{csv,md,json}``.  ``--reuse-lp`` keeps the LP cells of the existing
CSV (the LPs take most of an hour), ``--reuse-proofs`` its proved cells, and everything else is
recomputed. ``--prove-max-lam`` skips the proofs above a lam (the budget is charged as the
automaton runs, so a proof refused by ``--proof-work`` would first spend all of it).

    python scripts/make_optimal_n256.py [--quick] [--reuse-lp] [--max-orbits 40000 6000]
        [--time-limit 300] [--proof-work 3e8]
        [--reuse-proofs] [--prove-max-lam 255 100] [--proof-cell "2,3,200=not settled: ..."]
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
from sgc_theory.rationals import fraction_str, to_fraction

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
    "wcsgc_T",
    "counting_bound",
    "optimum",
    "optimum_T",
    "proof",
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


def F(x) -> Fraction:
    return to_fraction(x)


def fs(f) -> str:
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


_PROOFS: dict = {}

#: the proof cell of a row settled by M-SGC instead of WC-SGC's automaton (lam = n - 1)
MSGC_ROUTE = (
    "M-SGC [KEK23] at T = W - 2 + B = B + 1: its load equals the counting bound at "
    "lam = n - 1 (identity); all-horizon guarantee by [KEK23]'s theorem (the exact automaton "
    "proves it at n = 3, 4; not rechecked at n = 256)"
)


def proof_cell(B, W, lam, work, max_lam=None):
    """WC-SGC's all-horizon proof on counts at n = 256 (cached per (B, W, lam)): the optimum at
    T >= B + 1 is then exactly the counting bound. Above ``max_lam`` the proof is not attempted
    (the budget is charged as the automaton runs, so a refusal would cost the whole budget)."""
    from sgc_theory.budget import WorkTooLargeError, work_budget
    from sgc_theory.schemes import WCSGC
    from sgc_theory.verify import verify

    key = (B, W, lam)
    if key not in _PROOFS and lam == N - 1 and int(msgc_delay(B, W)) == B + 1:
        # M-SGC meets the counting bound at lam = n - 1 (both are P/(n(W - 1) + B)), and for
        # W = 3 its delay W - 2 + B is B + 1: settled by [KEK23]'s theorem for M-SGC
        assert F(msgc_load(N, B, W, lam)) == F(counting_bound(N, B, W, lam))
        _PROOFS[key] = (True, MSGC_ROUTE)
    if max_lam is not None and lam > max_lam and key not in _PROOFS:
        _PROOFS[key] = (False, f"not settled: not attempted (lam > {max_lam}, --prove-max-lam)")
    if key not in _PROOFS:
        t0 = time.perf_counter()
        try:
            with work_budget(work):
                res = verify(WCSGC(N, B, W, lam), all_horizons=True, method="counts")
            secs = time.perf_counter() - t0
            _PROOFS[key] = (
                res.ok,
                f"count automaton: {'proved' if res.ok else 'FAILS'}, {res.states} states, "
                f"{secs:.1f} s",
            )
        except WorkTooLargeError:
            _PROOFS[key] = (
                False,
                f"not settled: the count automaton exceeds {work:.0e} work units",
            )
    return _PROOFS[key]


def reused_lp(path):
    """LP cells of an existing CSV, by (B, W, lam, lp_T)."""
    out = {}
    if not Path(path).exists():
        return out
    with open(path) as fh:
        for r in csv.DictReader(fh):
            cell = {}
            for k in ("lp_P", "lp_orbits"):
                if r[k] != "":
                    cell[k] = int(r[k])
            for k in ("lp_opt", "lp_lower"):
                if r[k] != "":
                    cell[k] = Fraction(r[k])
            if r["lp_exact"] != "":
                cell["lp_exact"] = r["lp_exact"] == "True"
            if r["lp_seconds"] != "":
                cell["lp_seconds"] = float(r["lp_seconds"])
            cell["lp_note"] = r["lp_note"]
            out[(int(r["B"]), int(r["W"]), int(r["lam"]), int(r["lp_T"]))] = cell
    return out


def reused_proofs(path):
    """The proved cells of an existing CSV, by (B, W, lam): a proof once made stands (its cell
    keeps the states and seconds of the run that made it)."""
    if not Path(path).exists():
        return
    with open(path) as fh:
        for r in csv.DictReader(fh):
            if r["proof"].startswith(("count automaton: proved", "M-SGC [KEK23]")):
                _PROOFS[(int(r["B"]), int(r["W"]), int(r["lam"]))] = (True, r["proof"])


def rows(quick, max_orbits, time_limit, reuse=None, proof_work=3e8, prove_max_lam=None):
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
            "gc": F(gc_load(N, lam)) if lam < N else None,
            "srsgc": F(srsgc_load(N, B, W, lam)),
            "msgc": F(msgc_load(N, B, W, lam)),
            "msgc_T": int(msgc_delay(B, W)),
            "brsgc": F(brsgc_load(N, lam)),
            "brsgc_T": B,
            "wcsgc": F(wcsgc_load(N, B, W, lam)),
            "wcsgc_T": B + 1,
            "counting_bound": F(counting_bound(N, B, W, lam)),
            "lp_T": T,
        }
        max_lam = None if prove_max_lam is None else prove_max_lam[0 if W == 2 else 1]
        ok, why = proof_cell(B, W, lam, proof_work, max_lam)
        row["optimum"] = row["counting_bound"] if ok else None
        row["optimum_T"] = f">= {B + 1}"
        row["proof"] = why
        if reuse is not None and (B, W, lam, T) in reuse:
            row.update(reuse[(B, W, lam, T)])
        else:
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
            out[k] = fs(v)
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
        "(a reused LP or proof cell keeps the seconds of the run that made it; "
        "exact fractions in `optimal_n256.csv`; decimals here). `lp_opt` is the optimum of the "
        "covering LP by worker types at delay `lp_T` for schemes looking back P = W - 1 rounds: "
        "an exactly achievable load, equal to the exact optimum when `lp_exact` (recovered from "
        "the solver's basis and checked exactly), else the upper end of an exact bracket whose "
        "lower end is `lp_lower`. GC works at T = 0, SR-SGC and BR-SGC at T = B, M-SGC at "
        "T = W - 2 + B, WC-SGC at T = B + 1, where its load is the counting bound. `optimum "
        "(T >= B + 1)` is the exact optimum of every scheme at every delay T >= B + 1: the "
        "counting bound (a lower bound on every scheme) reached by WC-SGC, whose guarantee is "
        "proved for that lam by its count automaton (`sgc verify --scheme wcsgc --n 256 --B B "
        "--W W --lam L --all-horizons`; the proof column says how), or at lam = n - 1 with "
        "W = 3 by M-SGC, whose load there equals the counting bound and whose delay "
        "W - 2 + B is B + 1 (guarantee: [KEK23]'s theorem; see docs/guide/proved.md). "
        "`BR-SGC / bound - 1` bounds BR-SGC's distance to the optimum of every "
        "scheme from above, also where the LP is out of reach. Empty LP cells: see `lp_note`.",
        "",
        "| B | W | lam | GC | SR-SGC | M-SGC (T) | BR-SGC (T) | WC-SGC (T) | counting bound "
        "| optimum (T >= B + 1) | proof | T | P | LP optimum | exact | s | BR-SGC / LP - 1 | "
        "M-SGC / LP - 1 | BR-SGC / bound - 1 | note |",
        "|" + "---|" * 20,
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
                    f"{cell(r['wcsgc'])} ({r['wcsgc_T']})",
                    cell(r["counting_bound"]),
                    cell(r["optimum"]),
                    r["proof"],
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
    ap.add_argument("--reuse-lp", action="store_true", help="keep the LP cells of the CSV")
    ap.add_argument("--proof-work", type=float, default=3e8, help="work budget of each proof")
    ap.add_argument("--reuse-proofs", action="store_true", help="keep the proved cells of the CSV")
    ap.add_argument(
        "--prove-max-lam",
        type=int,
        nargs=2,
        default=None,
        metavar=("B1W2", "B2W3"),
        help="attempt WC-SGC's proof only up to these lam, for (1, 2) and for (2, 3) (the count "
        "automaton reaches lam + 1 states for (1, 2), half a CPU-minute at lam 255, and "
        "C(lam + 3, 3) for (2, 3), about 2 CPU-minutes at lam 64 and 19 at lam 100)",
    )
    ap.add_argument(
        "--proof-cell",
        action="append",
        default=[],
        metavar="B,W,LAM=TEXT",
        help="the proof cell of a row from a run made outside this script (e.g. a long proof, "
        "or one stopped after a stated time): TEXT starting 'count automaton: proved' settles "
        "the row, anything else (say 'not settled: ...') leaves it open",
    )
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "results"))
    ap.add_argument("--json", action="store_true", help="print the rows as JSON, write nothing")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    reuse = reused_lp(Path(args.out) / "optimal_n256.csv") if args.reuse_lp else None
    if args.reuse_proofs:
        reused_proofs(Path(args.out) / "optimal_n256.csv")
    for spec in args.proof_cell:
        head, _, text = spec.partition("=")
        key = tuple(int(v) for v in head.split(","))
        _PROOFS[key] = (text.startswith("count automaton: proved"), text)
    rs = rows(
        args.quick, args.max_orbits, args.time_limit, reuse, args.proof_work, args.prove_max_lam
    )
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
