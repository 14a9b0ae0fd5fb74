"""The optimum at delay T = B = 2 at n = 256 against lam, as load / counting bound: left
bursty(2, 3, lam), right bursty(2, 4, lam). The lower end is the counting bound (ratio 1; the best
lower bound proved for every scheme at these rows); the upper ends are the runnable schemes proved
at delay 2: PR-SGC (closed form, by hand), tuned WC-SGC (best capacity P and units K, each proved
for all horizons by its count automaton) and RWC-SGC (WC-SGC plus window-budget-safe replication,
capacities 3 and 4 (W = 3) or 5 (W = 4), each K proved for all horizons by its count automaton);
the join-padded RWC-SGC (triangles: RWC-SGC's placement run on a closed join table of its
count automaton, best of P = 3, 4, 8, 12 at lam = 15, 23, 30); the large gray dots mark the least of them at each lam (PR-SGC alone where no per-instance proof was run). The y axis stops at 1.065: PR-SGC at W = 4 rises to 1.20 at lam = 255 (marked on the plot). Tuned WC-SGC is proved up to lam = 128 for W = 3 (lam = 100,
128 by its join proof in results/replicated_T_eq_B_n256.csv) and lam = 10 for W = 4, RWC-SGC by
its own automaton up to lam = 15 and lam = 10 (larger lam: its exact automaton keeps every state
and passes its budget; the rows there carry tuned WC-SGC's K, which RWC-SGC decodes too, and
are drawn as WC-SGC). Read from results/wcsgc_T_eq_B_n256.csv and
results/replicated_T_eq_B_n256.csv (no proof is rerun); PR-SGC and the counting bound are closed
forms. Grayscale-readable: line styles and markers.
"""

from __future__ import annotations

import csv
import sys
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import cli, plt, save  # noqa: E402
from sgc_theory.bounds import counting_bound  # noqa: E402
from sgc_theory.bounds.loads import scheme_load  # noqa: E402
from sgc_theory.rationals import to_fraction  # noqa: E402

N = 256
B = 2
WINDOWS = (3, 4)
RESULTS = Path(__file__).resolve().parent.parent / "results"
WCSGC_CSV = RESULTS / "wcsgc_T_eq_B_n256.csv"
RWC_CSV = RESULTS / "replicated_T_eq_B_n256.csv"
#: the lam at which PR-SGC and the counting bound are drawn (the results tables' grid)
#: top of the y axis (PR-SGC at W = 4 rises above it for large lam: the plot says where)
YMAX = 1.065
LAMS = (1, 2, 3, 4, 5, 6, 8, 10, 15, 23, 30, 50, 64, 100, 128, 200, 255)


def _rows(path):
    with open(path) as fh:
        return list(csv.DictReader(fh))


def data():
    """Per window ``W``: exact loads (Fractions) by lam of ``cb`` (counting bound), ``prsgc``,
    ``wcsgc`` (tuned, proved) and ``rwcsgc`` (proved), and ``best`` (the least proved runnable
    load at each lam of the grid)."""
    keys = ("cb", "prsgc", "wcsgc", "rwcsgc", "padded", "best")
    out = {W: {k: {} for k in keys} for W in WINDOWS}
    for W in WINDOWS:
        c = out[W]
        for lam in LAMS:
            c["cb"][lam] = to_fraction(counting_bound(N, B, W, lam))
            c["prsgc"][lam] = to_fraction(scheme_load("prsgc", N, B=B, W=W, lam=lam)[0])
    for r in _rows(WCSGC_CSV):  # tuned WC-SGC at W = 3
        if (int(r["B"]), int(r["W"]), int(r["T"])) == (B, 3, B):
            out[3]["wcsgc"][int(r["lam"])] = Fraction(r["load"])
    for r in _rows(RWC_CSV):  # RWC-SGC; tuned WC-SGC at W = 4 is recorded next to it
        W, lam = int(r["W"]), int(r["lam"])
        if int(r["B"]) == B and int(r["T"]) == B and W in out:
            if "via tuned WC-SGC" not in r["proved"]:  # rows proved by RWC-SGC's automaton
                out[W]["rwcsgc"][lam] = Fraction(r["load"])
            if W == 4 or lam not in out[W]["wcsgc"]:  # e.g. W = 3, lam = 100, 128 (join proof)
                out[W]["wcsgc"][lam] = Fraction(r["wcsgc_load"])
            out[W]["cb"].setdefault(lam, Fraction(r["counting_bound"]))
            pads = [pk.split("(")[0].split(":") for pk in (r.get("padded") or "").split()]
            if pads:  # the join-padded RWC-SGC, best capacity
                out[W]["padded"][lam] = min(Fraction(int(P), int(K)) for P, K in pads)
    for W in WINDOWS:
        c = out[W]
        for lam in c["cb"]:
            if lam not in c["prsgc"]:
                c["prsgc"][lam] = to_fraction(scheme_load("prsgc", N, B=B, W=W, lam=lam)[0])
            kinds = ("prsgc", "wcsgc", "rwcsgc", "padded")
            c["best"][lam] = min(c[k][lam] for k in kinds if lam in c[k])
    return out


def _ratio(c, key):
    lams = sorted(c[key])
    return lams, [float(c[key][lam] / c["cb"][lam]) for lam in lams]


def main(out_dir):
    d = data()
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6), sharey=True)
    for ax, W in zip(axes, WINDOWS):
        c = d[W]
        x, y = _ratio(c, "best")
        ax.plot(x, y, "o", color="0.8", ms=10, label="best proved runnable at this lam")
        x, y = _ratio(c, "prsgc")
        ax.plot(x, y, "-", color="0.45", marker="o", ms=3, label="PR-SGC (by hand)")
        x, y = _ratio(c, "wcsgc")
        ax.plot(x, y, "-.", color="0.25", marker="D", ms=3,
                label="tuned WC-SGC (proved per instance)")  # fmt: skip
        x, y = _ratio(c, "rwcsgc")
        ax.plot(x, y, "--", color="0.0", marker="s", ms=4, mfc="white",
                label="RWC-SGC (proved per instance)")  # fmt: skip
        if c["padded"]:
            x, y = _ratio(c, "padded")
            ax.plot(x, y, "none", marker="^", ms=6, mec="0.0", mfc="0.55",
                    label="join-padded RWC-SGC (closed join table)")  # fmt: skip
        ax.axhline(1.0, ls=":", color="0.0", label="counting bound (every scheme)")
        ax.set_xscale("log")
        ax.set_ylim(0.995, YMAX)
        x, y = _ratio(c, "prsgc")
        off = [(lam, r) for lam, r in zip(x, y) if r > YMAX]
        if off:
            ax.annotate(
                f"PR-SGC off scale for lam >= {off[0][0]} (up to {max(r for _, r in off):.3f})",
                xy=(off[0][0], YMAX), xytext=(0.42, 0.3), textcoords="axes fraction",
                fontsize=7, arrowprops={"arrowstyle": "->", "color": "0.3"},
            )  # fmt: skip
        ax.set_title(f"bursty({B}, {W}, lam), n = {N}, T = B = {B}")
        ax.set_xlabel("lam (most distinct stragglers per window)")
        ax.legend(fontsize=7, loc="upper left")
    axes[0].set_ylabel("load / counting bound")
    fig.tight_layout()
    return save(fig, out_dir, "fig_rwc_T_eq_B")


if __name__ == "__main__":
    cli(main, __doc__)
