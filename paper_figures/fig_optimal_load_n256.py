"""Optimal load at the paper's scale, n = 256 workers: the covering LP by worker types (exact
optimum of every scheme that looks back W - 1 rounds: open red squares, and small black
diamonds at T = 3) against M-SGC, SR-SGC, the
new BR-SGC family (balanced re-computation, delay B, load (n + lam)/n^2) and the counting lower
bound, all as n x load (so that 1 is uncoded, straggler-free computation). Left: bursty(1, 2,
lam) at delay T = 1 (M-SGC's delay); BR-SGC stays within 1 % of the optimum up to lam = 27 (the
paper's configuration, marked) while M-SGC pays about 75 % more. Right: bursty(2, 3, lam), the
LP at T = 2 (BR-SGC's and SR-SGC's delay) and T = 3 (M-SGC's), where the LP is small enough to
solve here; at T = 3 it meets the counting bound. For B = 1 the counting bound is WC-SGC's load
at T = 2 (work-conserving re-queueing), so it is the exact optimum at every T >= 2. SR-SGC (load (s + 1)/n) is off the scale
beyond small lam.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import STYLES, COLORS, LABELS, cli, plt, save  # noqa: E402
from sgc_theory.bounds import (  # noqa: E402
    brsgc_load,
    counting_bound,
    msgc_load,
    srsgc_load,
)
from sgc_theory.design import build_type_lp, solve_type_lp  # noqa: E402
from sgc_theory.models import Bursty  # noqa: E402
from sgc_theory.rationals import to_fraction  # noqa: E402

N = 256
LP_LAMS = {(1, 2, 1): (1, 2, 5, 10, 20, 27, 40, 64), (2, 3, 2): (1, 2, 4), (2, 3, 3): (1, 2)}


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
            "msgc": [to_fraction(msgc_load(N, B, W, x)) for x in lams],
            "srsgc": [to_fraction(srsgc_load(N, B, W, x)) for x in lams],
            "brsgc": [to_fraction(brsgc_load(N, x)) for x in lams],
            "bound": [to_fraction(counting_bound(N, B, W, x)) for x in lams],
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
        delays = {"msgc": W - 2 + B, "srsgc": B, "brsgc": B}
        for key in ("msgc", "srsgc", "brsgc"):
            ax.plot(
                lam,
                n * np.array([float(v) for v in c[key]]),
                ls=STYLES[key]["ls"],
                lw=1.6,
                color=COLORS[key],
                label=f"{LABELS[key]} (T = {delays[key]})",
            )
        bound_label = "counting bound" + (" = WC-SGC (T = 2)" if B == 1 else "")
        ax.plot(lam, n * np.array([float(v) for v in c["bound"]]), "k:", lw=1.6, label=bound_label)
        # LP optima: large open squares (the delay of BR-SGC / M-SGC at B = 1), small filled
        # diamonds inside them for T = 3, so that both stay visible where they coincide
        for T, marker, size, fill in ((1, "s", 8, "none"), (2, "s", 8, "none"), (3, "D", 4, None)):
            pts = [p for p in d["lp"] if (p["B"], p["W"], p["T"]) == (B, W, T)]
            if pts:
                ax.plot(
                    [p["lam"] for p in pts],
                    [n * float(p["load"]) for p in pts],
                    marker,
                    ms=size,
                    mew=1.3,
                    color=COLORS["lp"] if T < 3 else "black",
                    mfc=fill or ("black" if T == 3 else COLORS["lp"]),
                    ls="none",
                    zorder=5 + T,
                    label=f"LP optimum, T = {T}",
                )
        if (B, W) == (1, 2):
            ax.axvline(27, color="gray", lw=0.7, ls="--")
            ax.text(28.5, 2.45, r"$\lambda$ = 27" + "\n(paper)", fontsize=7, color="dimgray")
        ax.set_ylim(0.95, 2.6)
        ax.set_xscale("log")
        ax.set_xlabel(r"$\lambda$")
        ax.set_title(f"n = {n}, bursty(B = {B}, W = {W}, $\\lambda$)")
    axes[0].set_ylabel(r"$n \times$ normalized load")
    axes[0].legend(fontsize=7)
    axes[1].legend(fontsize=7)
    return save(fig, out_dir, "fig_optimal_load_n256")


if __name__ == "__main__":
    cli(main, __doc__)
