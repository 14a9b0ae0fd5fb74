"""Simulated runtime of 20 jobs versus normalized load for every configuration of every scheme
with delay T <= 4 (GC: all s; SR-SGC, M-SGC and BR-SGC: all (B, W, lam)), replayed on a real AWS Lambda
trace (256 workers, probe load 0, Canada; straggler slack mu = 1; delays grow by 1.1218 s per unit
of load). Left: the paper's waiting policy (wait for everyone when the stragglers break the
model); right: the minimal-wait policy. Stars mark each scheme's fastest configuration.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import STYLES, trace_title, COLORS, LABELS, MU, TRACE, cli, plt, save  # noqa: E402
from sgc_theory.simulate import sweep  # noqa: E402

JOBS, MAX_DELAY = 20, 4
SCHEMES = ("nocoding", "gc", "srsgc", "msgc", "brsgc")
POLICIES = ("paper", "minimal")


@cache
def _sweep():
    return sweep(TRACE, jobs=JOBS, max_delay=MAX_DELAY, mu=MU, policy=POLICIES, progress=False)


def data():
    """``points[policy][scheme] = {"load": array, "runtime": array}`` (configurations that
    decoded every job) and ``best[policy][scheme]`` as returned by the sweep."""
    res = _sweep()
    points = {p: {s: {"load": [], "runtime": []} for s in SCHEMES} for p in POLICIES}
    for row in res.table:
        if row["runtime"] is None:
            continue
        pt = points[row["policy"]][row["scheme"]]
        pt["load"].append(row["load"])
        pt["runtime"].append(row["runtime"])
    for p in POLICIES:
        for s in SCHEMES:
            points[p][s] = {k: np.asarray(v, dtype=float) for k, v in points[p][s].items()}
    return {
        "trace": TRACE,
        "jobs": JOBS,
        "max_delay": MAX_DELAY,
        "mu": MU,
        "points": points,
        "best": res.best,
        "evaluated": res.evaluated,
    }


def main(out_dir):
    d = data()
    fig, axes = plt.subplots(1, 2, figsize=(8.5, 3.4), sharey=True)
    for ax, pol in zip(axes, POLICIES):
        for s in SCHEMES:
            pt = d["points"][pol][s]
            ax.scatter(
                pt["load"],
                pt["runtime"],
                s=3,
                alpha=0.3,
                marker=STYLES[s]["marker"],
                linewidths=0,
                color=COLORS[s],
                label=LABELS[s],
                rasterized=True,
            )
            b = d["best"][pol][s]
            if b is not None:
                ax.scatter(
                    [b["load"]],
                    [b["runtime"]],
                    marker=STYLES[s]["marker"],
                    s=110,
                    color=COLORS[s],
                    edgecolor="black",
                    zorder=5,
                )
        ax.set_xscale("log")
        ax.set_xlabel("normalized load")
        ax.set_title(f"{pol} waiting policy", fontsize=9)
    fig.suptitle(f"{trace_title(d['trace'])}, $\\mu$ = {d['mu']:g}", fontsize=10)
    axes[0].set_ylabel(f"runtime of {d['jobs']} jobs (s)")
    leg = axes[0].legend(markerscale=5)
    for h in leg.legend_handles:
        h.set_alpha(1)
    return save(fig, out_dir, "fig_runtime_vs_load")


if __name__ == "__main__":
    cli(main, __doc__)
