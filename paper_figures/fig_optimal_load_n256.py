"""Optimal load at the paper's scale, n = 256 workers: the covering LP by worker types (exact
optimum of every scheme that looks back W - 1 rounds, red squares) against M-SGC, SR-SGC, the
new BR-SGC family (balanced re-computation, delay B, load (n + lam)/n^2) and the counting lower
bound, all as n x load (so that 1 is uncoded, straggler-free computation). Left: bursty(1, 2,
lam) at delay T = 1 (M-SGC's delay); BR-SGC stays within 1 % of the optimum up to lam = 27 (the
paper's configuration, marked) while M-SGC pays about 75 % more. Right: bursty(2, 3, lam), the
LP at T = 2 (BR-SGC's and SR-SGC's delay) and T = 3 (M-SGC's), where the LP is small enough to
solve here; at T = 3 it meets the counting bound. The counting bound is WC-SGC's load at
T = B + 1 (work-conserving earliest-deadline-first placement, open circles on the dotted bound),
so it is the exact optimum at every T >= B + 1. GC (load (lam + 1)/n, T = 0) and SR-SGC (load
(s + 1)/n) are off the scale beyond small lam. Every curve has its own marker and line style
(readable in grayscale), and its delay in the legend.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import COLORS, LABELS, cli, plt, save  # noqa: E402
from sgc_theory.bounds import (  # noqa: E402
    brsgc_load,
    counting_bound,
    gc_load,
    msgc_load,
    srsgc_load,
)
from sgc_theory.design import build_type_lp, solve_type_lp  # noqa: E402
from sgc_theory.models import Bursty  # noqa: E402
from sgc_theory.rationals import to_fraction  # noqa: E402

N = 256
LP_LAMS = {(1, 2, 1): (1, 2, 5, 10, 20, 27, 40, 64), (2, 3, 2): (1, 2, 4), (2, 3, 3): (1, 2)}


def _frac(x) -> Fraction:
    return to_fraction(x)


@cache
def _lp(B, W, lam, T):
    res = solve_type_lp(build_type_lp(Bursty(N, B, W, lam), T))
    if res.status != "optimal":
        raise RuntimeError(f"covering LP n={N} ({B}, {W}, {lam}) T={T}: {res.status}")
    return res.upper, res.lower, res.exact


def data():
    """Closed forms for every lam (exact Fractions) and the LP optima on a grid:
    ``{"curves": {(B, W): {name: [load, ...]}}, "lp": [{B, W, lam, T, load, lower, exact}]}``."""
    lams = list(range(1, N))
    curves = {}
    for B, W in ((1, 2), (2, 3)):
        curves[(B, W)] = {
            "lam": lams,
            "gc": [_frac(gc_load(N, x)) for x in lams],
            "msgc": [_frac(msgc_load(N, B, W, x)) for x in lams],
            "srsgc": [_frac(srsgc_load(N, B, W, x)) for x in lams],
            "brsgc": [_frac(brsgc_load(N, x)) for x in lams],
            "bound": [_frac(counting_bound(N, B, W, x)) for x in lams],
        }
    lp = []
    for (B, W, T), grid in LP_LAMS.items():
        for lam in grid:
            up, lo, ex = _lp(B, W, lam, T)
            lp.append({"B": B, "W": W, "lam": lam, "T": T, "load": up, "lower": lo, "exact": ex})
    return {"n": N, "curves": curves, "lp": lp}


def main(out_dir):
    d = data()
    n = d["n"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, (B, W) in zip(axes, ((1, 2), (2, 3))):
        c = d["curves"][(B, W)]
        lam = np.array(c["lam"])
        delays = {"gc": 0, "msgc": W - 2 + B, "srsgc": B, "brsgc": B}
        marks = [
            k for k, x in enumerate(c["lam"]) if x in (1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233)
        ]
        styles = {"gc": (":", "x"), "msgc": ("-", "^"), "srsgc": ("--", "v"), "brsgc": ("-.", "d")}
        for key in ("gc", "msgc", "srsgc", "brsgc"):
            ls, mk = styles[key]
            ax.plot(
                lam,
                n * np.array([float(v) for v in c[key]]),
                ls=ls,
                marker=mk,
                markevery=marks,
                ms=4,
                color=COLORS[key],
                label=f"{LABELS[key]} (T = {delays[key]})",
            )
        bound = n * np.array([float(v) for v in c["bound"]])
        ax.plot(lam, bound, "k:", lw=1.2, label="counting bound (any T)")
        ax.plot(
            lam,
            bound,
            ls="none",
            marker="o",
            mfc="none",
            ms=5,
            markevery=[k + 1 for k in marks if k + 1 < len(lam)],
            color=COLORS["wcsgc"],
            label=f"WC-SGC (T = {B + 1}) = bound",
        )
        for T, marker in ((1, "s"), (2, "s"), (3, "D")):
            pts = [p for p in d["lp"] if (p["B"], p["W"], p["T"]) == (B, W, T)]
            if pts:
                ax.plot(
                    [p["lam"] for p in pts],
                    [n * float(p["load"]) for p in pts],
                    marker,
                    color=COLORS["lp"],
                    mfc="none" if T == 3 else COLORS["lp"],
                    label=f"LP optimum, T = {T}",
                )
        if (B, W) == (1, 2):
            ax.axvline(27, color="gray", lw=0.7, ls="--")
        ax.set_ylim(0.95, 2.6)
        ax.set_xscale("log")
        ax.set_xlabel(r"$\lambda$")
        ax.set_title(f"n = {n}, bursty(B = {B}, W = {W})")
    axes[0].set_ylabel(r"$n \times$ normalized load")
    axes[0].legend(fontsize=7)
    axes[1].legend(fontsize=7)
    return save(fig, out_dir, "fig_optimal_load_n256")


if __name__ == "__main__":
    cli(main, __doc__)
