"""Optimal load for delay T = W - 2 + B (the covering LP of the user guide, solved exactly and
certified) against M-SGC's load and the counting bound, n = 4 workers, bursty(B, W, lam). Where
the LP value lies below M-SGC's load, a scheme with the same delay does strictly better than
M-SGC; where they meet, M-SGC is optimal for its delay (always at lam >= n - 1 here). For
(B, W) = (2, 3), lam = 4 is left out to keep the script fast.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import COLORS, LABELS, cli, plt, save  # noqa: E402
from sgc_theory.bounds import counting_bound, msgc_delay, msgc_load  # noqa: E402
from sgc_theory.design import build_type_lp, solve_type_lp  # noqa: E402
from sgc_theory.models import Bursty  # noqa: E402
from sgc_theory.rationals import to_fraction  # noqa: E402

N = 4
CASES = ((1, 2, (1, 2, 3, 4)), (1, 3, (1, 2, 3, 4)), (2, 3, (1, 2, 3)))


@cache
def _rows(n=N):
    rows = []
    for B, W, lams in CASES:
        T = int(msgc_delay(B, W))
        for lam in lams:
            res = solve_type_lp(build_type_lp(Bursty(n, B=B, W=W, lam=lam), T))
            if res.status != "optimal":
                raise RuntimeError(f"covering LP n={n} B={B} W={W} lam={lam}: {res.status}")
            rows.append(
                {
                    "n": n,
                    "B": B,
                    "W": W,
                    "lam": lam,
                    "T": T,
                    "lp": res.load_fraction,
                    "lp_exact": res.exact,
                    "msgc": to_fraction(msgc_load(n, B, W, lam)),
                    "bound": to_fraction(counting_bound(n, B, W, lam)),
                }
            )
    return tuple(rows)


def data(n=N):
    """``{"rows": [{n, B, W, lam, T, lp, lp_exact, msgc, bound}, ...]}`` (exact Fractions),
    plus per-(B, W) float arrays under ``"cases"``."""
    rows = [dict(r) for r in _rows(n)]
    cases = {}
    for B, W, _ in CASES:
        sel = [r for r in rows if (r["B"], r["W"]) == (B, W)]
        cases[(B, W)] = {
            k: np.array([float(r[k]) for r in sel]) for k in ("lam", "lp", "msgc", "bound")
        }
    return {"n": n, "rows": rows, "cases": cases}


def main(out_dir):
    d = data()
    fig, axes = plt.subplots(1, len(CASES), figsize=(9, 3.0), sharey=True)
    for ax, (B, W, _) in zip(axes, CASES):
        c = d["cases"][(B, W)]
        ax.plot(c["lam"], c["msgc"], "^-.", color=COLORS["msgc"], label=LABELS["msgc"])
        ax.plot(
            c["lam"],
            c["lp"],
            "s--",
            color=COLORS["lp"],
            mfc="none",
            ms=8,
            label="LP optimum (same T)",
        )
        ax.plot(c["lam"], c["bound"], "k:", label="counting bound")
        ax.set_title(f"n = {d['n']}, B = {B}, W = {W}, T = {W - 2 + B}")
        ax.set_xlabel(r"$\lambda$")
        ax.set_xticks(c["lam"])
    axes[0].set_ylabel("normalized load")
    axes[0].legend()
    return save(fig, out_dir, "fig_lp_vs_msgc")


if __name__ == "__main__":
    cli(main, __doc__)
