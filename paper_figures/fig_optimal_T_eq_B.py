"""The optimum at delay T = B at n = 256, as n x load: the best proved lower bound (counting
bound, exact covering LP, or the LP against full bursts only) against the best runnable scheme
(PR-SGC, delay B), BR-SGC and M-SGC. Left: bursty(1, 2, lam) at T = 1; right: bursty(2, 3, lam) at
T = 2. Grayscale-readable: line styles and markers, delays in the legend. Reads the table
written by ``scripts/make_optimal_T_eq_B.py`` (results/optimal_T_eq_B_n256.csv).
"""

from __future__ import annotations

import csv
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cli, plt, save  # noqa: E402
from sgc_theory.bounds import counting_bound, msgc_load  # noqa: E402
from sgc_theory.rationals import to_fraction  # noqa: E402

N = 256
CSV = Path(__file__).resolve().parent.parent / "results" / "optimal_T_eq_B_n256.csv"


def _f(x):
    return float(to_fraction(x))


def data():
    """Rows of the results table with the counting bound and M-SGC added (floats, n x load)."""
    with open(CSV) as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for r in rows:
        B, W, lam = int(r["B"]), int(r["W"]), int(r["lam"])
        c = out.setdefault(
            (B, W), {"lam": [], "lower": [], "runnable": [], "brsgc": [], "cb": [], "msgc": []}
        )
        c["lam"].append(lam)
        c["lower"].append(N * float(Fraction(r["lower"])))
        c["runnable"].append(N * float(Fraction(r["runnable"])))
        c["brsgc"].append(N * float(Fraction(r["brsgc"])))
        c["cb"].append(N * _f(counting_bound(N, B, W, lam)))
        c["msgc"].append(N * _f(msgc_load(N, B, W, lam)))
    return out


def main(out_dir):
    d = data()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, (B, W) in zip(axes, ((1, 2), (2, 3))):
        c = d[(B, W)]
        ax.plot(c["lam"], c["msgc"], "-.", color="0.55", label=f"M-SGC (T = {W - 2 + B})")
        ax.plot(c["lam"], c["brsgc"], "-", color="0.6", label=f"BR-SGC (T = {B})")
        ax.plot(c["lam"], c["runnable"], "-", color="0.1", marker="o", ms=3,
                label=f"PR-SGC, best runnable (T = {B})")  # fmt: skip
        ax.plot(c["lam"], c["lower"], "--", color="0.3", marker="s", ms=3, mfc="white",
                label=f"best proved lower bound (T = {B})")  # fmt: skip
        ax.plot(c["lam"], c["cb"], ":", color="0.0", label="counting bound (any T)")
        ax.set_title(f"bursty({B}, {W}, lam), n = {N}, T = {B}")
        ax.set_xlabel("lam")
        ax.set_ylabel("n x load")
        ax.legend(fontsize=7)
    fig.tight_layout()
    return save(fig, out_dir, "fig_optimal_T_eq_B")


if __name__ == "__main__":
    cli(main, __doc__)
