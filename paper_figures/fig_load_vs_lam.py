"""Normalized load versus lam for GC, SR-SGC and M-SGC at n = 256 workers, bursty model with
B = 2, W = 3, together with the counting lower bound (W - 1 + B) / (n (W - 1 + B) - lam B) that
holds for every scheme. GC must tolerate lam stragglers in a single round (s = lam); SR-SGC uses
s = ceil(B lam / (W - 1 + B)); M-SGC's load grows much more slowly and stays near the bound.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import STYLES, COLORS, LABELS, cli, plt, save  # noqa: E402
from sgc_theory.bounds import counting_bound, gc_load, msgc_load, srsgc_load  # noqa: E402

N, B, W = 256, 2, 3


def data(n=N, B=B, W=W):
    """Loads (floats) of each scheme and the counting bound for ``lam = 1 .. n - 1``."""
    lam = np.arange(1, n)
    return {
        "n": n,
        "B": B,
        "W": W,
        "lam": lam,
        "gc": np.array([float(gc_load(n, l)) for l in lam]),
        "srsgc": np.array([float(srsgc_load(n, B, W, l)) for l in lam]),
        "msgc": np.array([float(msgc_load(n, B, W, l)) for l in lam]),
        "bound": np.array([float(counting_bound(n, B, W, l)) for l in lam]),
    }


def main(out_dir):
    d = data()
    fig, ax = plt.subplots(figsize=(5, 3.4))
    for k in ("gc", "srsgc", "msgc"):
        ax.plot(d["lam"], d[k], color=COLORS[k], ls=STYLES[k]["ls"], lw=1.6, label=LABELS[k])
    ax.plot(d["lam"], d["bound"], "k:", lw=1.6, label="counting bound")
    ax.axhline(
        1 / d["n"],
        color=COLORS["nocoding"],
        lw=0.8,
        ls=STYLES["nocoding"]["ls"],
        label="no coding 1/n (no straggler tolerated)",
    )
    ax.set_yscale("log")
    ax.set_xlabel(r"$\lambda$ (stragglers per window)")
    ax.set_ylabel("normalized load")
    ax.set_title(f"n = {d['n']}, bursty(B = {d['B']}, W = {d['W']}, $\\lambda$)")
    ax.legend(fontsize=7)
    return save(fig, out_dir, "fig_load_vs_lam")


if __name__ == "__main__":
    cli(main, __doc__)
