"""Empirical CDF of worker completion times (seconds, every worker and round) of the five
desktop_long AWS Lambda traces (256 workers, 30 rounds each), one curve per probe load (fraction
of a full gradient each worker computed). The long right tail is what makes stragglers; more load
shifts the body of the distribution to the right.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import cli, plt, save  # noqa: E402
from sgc_theory.simulate import list_traces, load_trace  # noqa: E402

FAMILY = "sam-gc-cnn_profile_est_desktop_long__"


def ecdf(values):
    """Sorted values ``x`` and ``F(x) = (rank) / count`` (right-continuous, ends at 1)."""
    x = np.sort(np.asarray(values, dtype=float).ravel())
    return x, np.arange(1, x.size + 1) / x.size


def data(family=FAMILY):
    """``curves``: list of ``{trace, probe_load, x, F}``, sorted by probe load."""
    curves = []
    for name in list_traces():
        if not name.startswith(family):
            continue
        tr = load_trace(name)
        x, F = ecdf(tr.delays)
        curves.append({"trace": name, "probe_load": tr.probe_load, "x": x, "F": F})
    curves.sort(key=lambda c: c["probe_load"])
    return {"family": family, "curves": curves}


def main(out_dir):
    d = data()
    fig, ax = plt.subplots(figsize=(5, 3.2))
    cmap = plt.get_cmap("viridis")
    k = len(d["curves"])
    for j, c in enumerate(d["curves"]):
        ax.step(
            c["x"],
            c["F"],
            where="post",
            color=cmap(j / max(1, k - 1)),
            label=f"probe load {c['probe_load']:g}",
        )
    ax.set_xscale("log")
    ax.set_xlabel("worker completion time (s)")
    ax.set_ylabel("CDF")
    ax.legend(loc="lower right")
    return save(fig, out_dir, "fig_completion_cdf")


if __name__ == "__main__":
    cli(main, __doc__)
