"""Jobs completed versus wall-clock time on a real AWS Lambda trace (256 workers, probe load 0,
Canada, mu = 1), for the paper's configurations: no coding, GC (s = 15), SR-SGC
(B, W, lam) = (2, 3, 23) and M-SGC (1, 2, 27), under the paper's waiting policy (solid) and the
minimal-wait policy (dashed). A job counts as completed at the end of the round in which the
master can decode it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import STYLES, trace_title, COLORS, LABELS, MU, PAPER, TRACE, cli, plt, save  # noqa: E402
from sgc_theory.simulate import load_trace, simulate  # noqa: E402

JOBS = 25
SCHEMES = ("nocoding", "gc", "srsgc", "msgc")
POLICIES = ("paper", "minimal")


def completion_times(res, jobs):
    """Time at which each job is decoded: cumulative round time at the end of its decode round."""
    ends = np.cumsum(res.round_times)
    rounds = list(range(jobs)) if res.decode_rounds is None else res.decode_rounds
    return np.array([ends[r] for r in rounds], dtype=float)


def data(jobs=JOBS):
    """``curves[policy][scheme] = {"t": sorted completion times, "jobs": 1..J, "runtime",
    "load", "params"}``."""
    tr = load_trace(TRACE)
    curves = {p: {} for p in POLICIES}
    for pol in POLICIES:
        for s in SCHEMES:
            res = simulate(tr, s, jobs=jobs, mu=MU, policy=pol, **PAPER.get(s, {}))
            t = np.sort(completion_times(res, jobs))
            curves[pol][s] = {
                "t": t,
                "jobs": np.arange(1, jobs + 1),
                "runtime": res.runtime,
                "load": res.load,
                "params": dict(PAPER.get(s, {})),
            }
    return {"trace": TRACE, "mu": MU, "jobs": jobs, "curves": curves}


def main(out_dir):
    d = data()
    fig, ax = plt.subplots(figsize=(5.5, 3.6))
    for pol, ls in zip(POLICIES, ("-", "--")):
        for s in SCHEMES:
            c = d["curves"][pol][s]
            ax.step(
                np.concatenate([[0], c["t"]]),
                np.concatenate([[0], c["jobs"]]),
                where="post",
                ls=ls,
                color=COLORS[s],
                marker=STYLES[s]["marker"],
                markevery=5,
                ms=4,
                mfc="white" if ls == "--" else COLORS[s],
                label=f"{LABELS[s]} ({pol})",
            )
    ax.set_title(f"{trace_title(d['trace'])}, $\\mu$ = {d['mu']:g}", fontsize=9)
    ax.set_xlabel("time (s)")
    ax.set_ylabel("jobs completed")
    ax.legend(fontsize=7, ncol=2)
    return save(fig, out_dir, "fig_jobs_vs_time")


if __name__ == "__main__":
    cli(main, __doc__)
