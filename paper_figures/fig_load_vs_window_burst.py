"""Normalized load versus the window W (left, B = 1) and versus the burst length B (right,
W = 8), n = 256 workers and lam = 27. SR-SGC needs W >= B + 1 and M-SGC B <= W - 1. A longer
window (fewer stragglers per round on average) lowers both sequential schemes' loads towards the
counting bound; longer bursts raise them. GC (s = lam) does not depend on B or W.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import STYLES, COLORS, LABELS, cli, plt, save  # noqa: E402
from sgc_theory.bounds import counting_bound, gc_load, msgc_load, srsgc_load  # noqa: E402

N, LAM = 256, 27
B_FIXED, W_FIXED = 1, 8


def _curves(n, lam, pairs):
    return {
        "gc": np.array([float(gc_load(n, lam)) for _ in pairs]),
        "srsgc": np.array([float(srsgc_load(n, b, w, lam)) for b, w in pairs]),
        "msgc": np.array([float(msgc_load(n, b, w, lam)) for b, w in pairs]),
        "bound": np.array([float(counting_bound(n, b, w, lam)) for b, w in pairs]),
    }


def data(n=N, lam=LAM):
    """``{"vs_W": {W, gc, srsgc, msgc, bound}, "vs_B": {B, ...}}`` (float loads)."""
    Ws = np.arange(B_FIXED + 1, 13)
    Bs = np.arange(1, W_FIXED)
    vs_W = {"W": Ws, "B": B_FIXED, **_curves(n, lam, [(B_FIXED, int(w)) for w in Ws])}
    vs_B = {"B": Bs, "W": W_FIXED, **_curves(n, lam, [(int(b), W_FIXED) for b in Bs])}
    return {"n": n, "lam": lam, "vs_W": vs_W, "vs_B": vs_B}


def main(out_dir):
    d = data()
    fig, axes = plt.subplots(1, 2, figsize=(7.5, 3.2), sharey=True)
    for ax, key, x in ((axes[0], "vs_W", "W"), (axes[1], "vs_B", "B")):
        c = d[key]
        for k in ("gc", "srsgc", "msgc"):
            st = STYLES[k]
            ax.plot(
                c[x], c[k], ls=st["ls"], marker=st["marker"], ms=4, color=COLORS[k], label=LABELS[k]
            )
        ax.plot(c[x], c["bound"], "k:", lw=1.6, label="counting bound")
        ax.set_xlabel(x)
        fixed = f"B={c['B']}" if x == "W" else f"W={c['W']}"
        fixed = fixed.replace("=", " = ")
        ax.set_title(f"n = {d['n']}, $\\lambda$ = {d['lam']}, {fixed}")
    axes[0].set_yscale("log")
    axes[0].set_ylabel("normalized load")
    axes[0].legend()
    return save(fig, out_dir, "fig_load_vs_window_burst")


if __name__ == "__main__":
    cli(main, __doc__)
