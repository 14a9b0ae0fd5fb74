"""Straggler pattern of a real AWS Lambda trace (256 workers x 30 rounds, probe load 0, Canada):
worker i straggles in round r when its time exceeds (1 + mu) times the fastest worker's time in
that round, mu = 1 (sgc_theory.models.extract_pattern). Left: the pattern (workers sorted by how
often they straggle, dark = straggler); right: stragglers per round.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import trace_title, MU, TRACE, cli, plt, save  # noqa: E402
from sgc_theory.models import extract_pattern  # noqa: E402
from sgc_theory.simulate import load_trace  # noqa: E402


def data(trace=TRACE, mu=MU):
    """``pattern`` (bool workers x rounds), ``order`` (rows sorted for display), ``per_round``."""
    tr = load_trace(trace)
    P = extract_pattern(tr.delays, mu)
    order = np.argsort(-P.sum(axis=1), kind="stable")
    return {
        "trace": tr.name,
        "mu": mu,
        "delays": tr.delays,
        "pattern": P,
        "order": order,
        "per_round": P.sum(axis=0),
    }


def main(out_dir):
    d = data()
    P = d["pattern"]
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(8, 3.6), gridspec_kw={"width_ratios": [3, 1]})
    ax.imshow(P[d["order"]], aspect="auto", cmap="Greys", interpolation="nearest")
    ax.set_xlabel("round")
    ax.set_ylabel("worker (sorted by #straggles)")
    ax.set_title(
        f"stragglers at $\\mu$ = {d['mu']:g}: {int(P.sum())} of {P.size} (worker, round) cells",
        fontsize=9,
    )
    fig.suptitle(trace_title(d["trace"]), fontsize=10)
    ax.grid(False)
    ax2.barh(np.arange(P.shape[1]), d["per_round"], color="dimgray")
    ax2.set_title("stragglers per round", fontsize=9)
    ax2.invert_yaxis()
    ax2.set_ylabel("round")
    ax2.set_xlabel("stragglers")
    return save(fig, out_dir, "fig_straggler_heatmap")


if __name__ == "__main__":
    cli(main, __doc__)
