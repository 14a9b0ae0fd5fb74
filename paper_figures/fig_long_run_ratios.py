"""Long-run time per job of every scheme relative to GC (1 = as fast as GC) on each shipped AWS
Lambda probe at load 0, under the hidden Markov straggler process fitted to the probe (EM, the
fit's model choice; generated runs start from the chain's stationary law; straggler slack mu = 1;
delays grow by 1.1218 s per unit of load). Each scheme runs the
configuration the paper's protocol picks on a pilot run of 20 jobs (delay T <= 4); dots with
bars: mean paired ratio over independent generated runs of 2,000 rounds with its 95 % interval,
runs added until every interval's relative half-width is at most 1 % (compare's convergence rule,
so the answer does not move with the run length); open circles:
the same configurations replayed on the probe itself (one short run). Left: the paper's waiting
policy; right: the minimal-wait policy. Under a probe's name, ``*``: the fitted process is not
credible; ``!``: the process and the probe's replay disagree. Dashed lines: the authors' simulated M-SGC / GC ratio
(0.951) and no coding / GC (1.124).

The runs take about a CPU-minute, so the figure reads them from results/long_run.json
(checked against the protocol's parameters); ``--recompute`` (``data(recompute=True)``) runs
them again and rewrites that file.
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import cache
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import COLORS, LABELS, MU, plt, save  # noqa: E402
from sgc_theory.fileio import atomic_write  # noqa: E402
from sgc_theory.simulate.compare import compare  # noqa: E402
from sgc_theory.simulate.reproduce import load0_traces  # noqa: E402

#: rounds per generated run, runs to start with, and the convergence rule's target half-width
ROUNDS, REPLICATIONS, TARGET, MAX_REPLICATIONS = 2_000, 5, 0.01, 100
SCHEMES = ("nocoding", "srsgc", "msgc", "brsgc")
POLICIES = ("paper", "minimal")
#: the authors' trace-driven simulation, relative to GC
AUTHORS = {"msgc": 0.951, "srsgc": 0.969, "nocoding": 1.124}


def _label(name: str) -> str:
    region = name.rsplit("-", 1)[-1].removesuffix(".csv")
    fam = name.split("__")[0].removeprefix("sam-gc-cnn_profile_est")
    return f"{region}\n{fam.strip('-_') or 'mbp'}"


def _flags(run) -> str:
    """Marks under a probe's label: ``*`` its process is not credible, ``!`` the process and the
    probe's replay disagree (the rule of ``compare``'s ``agreement``)."""
    cred = (run.get("credibility") or {}).get("credible", True)
    agree = (run.get("agreement") or {}).get("agree", True)
    marks = ("*" if not cred else "") + ("!" if not agree else "")
    return f"\n{marks}" if marks else ""


#: where the runs are stored
STORED = Path(__file__).resolve().parent.parent / "results" / "long_run.json"


def data(
    rounds: int = ROUNDS,
    replications: int = REPLICATIONS,
    traces: tuple | None = None,
    recompute: bool = False,
):
    """Per probe: ``compare`` output (``results``, ``replay``, ``jobs``, ``process``), read from
    :data:`STORED` (its parameters checked against the arguments) or, with ``recompute``,
    computed again and stored there."""
    names = tuple(traces) if traces is not None else tuple(load0_traces())
    if recompute:
        d = _compute(rounds, replications, names)
        with atomic_write(STORED, "w") as fh:
            json.dump(d, fh, indent=1)
        return d
    return stored(rounds, replications, names)


@cache
def _compute(rounds: int, replications: int, names: tuple):
    runs = {}
    for name in names:
        runs[name] = compare(
            name, rounds=rounds, replications=replications, mu=MU, policies=POLICIES, seed=0,
            target_halfwidth=TARGET, max_replications=MAX_REPLICATIONS, allow_not_credible=True,
        )  # fmt: skip
    return {"rounds": rounds, "replications": replications, "target_halfwidth": TARGET,
            "mu": MU, "runs": runs}  # fmt: skip


def stored(rounds: int, replications: int, names: tuple, path=STORED):
    """The stored runs, refused (``ValueError`` naming the difference) unless they were made
    with these parameters on these probes by the protocol :func:`data` runs."""
    with open(path) as fh:
        d = json.load(fh)
    want = {"rounds": rounds, "replications": replications, "target_halfwidth": TARGET, "mu": MU}
    got = {k: d.get(k) for k in want}
    if got != want or tuple(d.get("runs", {})) != tuple(names):
        raise ValueError(
            f"{path}: stored for {got} on {len(d.get('runs', {}))} probes, not {want} on "
            f"{len(names)} probes; run the figure with --recompute (data(recompute=True))"
        )
    for name, run in d["runs"].items():
        s = run.get("settings", {})
        if (s.get("seed"), s.get("policies"), s.get("mu")) != (0, list(POLICIES), MU):
            raise ValueError(f"{path}: the runs of {name} used other settings ({s})")
    return d


def main(out_dir, recompute: bool = False):
    d = data(recompute=recompute)
    names = list(d["runs"])
    fig, axes = plt.subplots(1, 2, figsize=(9.5, 3.8), sharey=True)
    x = np.arange(len(names))
    width = 0.8 / len(SCHEMES)
    for ax, pol in zip(axes, POLICIES):
        for k, sc in enumerate(SCHEMES):
            m, lo, hi, rep = [], [], [], []
            for name in names:
                run = d["runs"][name]
                e = run["results"].get(sc, {}).get(pol)
                r = e["ratio_to_gc"] if e else {"mean": None, "ci95": None}
                m.append(np.nan if r["mean"] is None else r["mean"])
                ci = r["ci95"] or [np.nan, np.nan]
                lo.append(m[-1] - ci[0])
                hi.append(ci[1] - m[-1])
                rp = (run.get("replay") or {}).get("ratio_to_gc", {}).get(sc, {}).get(pol)
                rep.append(np.nan if rp is None else rp)
            xs = x - 0.4 + width * (k + 0.5)
            ax.errorbar(xs, m, yerr=[lo, hi], fmt="o", ms=4, color=COLORS[sc], label=LABELS[sc])
            ax.scatter(xs, rep, marker="o", s=28, facecolors="none", edgecolors=COLORS[sc])
        ax.axhline(1.0, color=COLORS["gc"], lw=1, label="GC")
        ax.axhline(AUTHORS["msgc"], color=COLORS["msgc"], lw=0.8, ls="--")
        ax.axhline(AUTHORS["nocoding"], color=COLORS["nocoding"], lw=0.8, ls="--")
        ax.set_xticks(x, [_label(n) + _flags(d["runs"][n]) for n in names], fontsize=7)
        ax.set_yscale("log")
        ax.set_title(f"{pol} policy")
    axes[0].set_ylabel("time per job / GC's")
    axes[1].legend(fontsize=7, loc="upper right")
    return save(fig, out_dir, "fig_long_run_ratios")


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("--out", default=".", help="output folder (default: current folder)")
    p.add_argument(
        "--recompute",
        action="store_true",
        help="run the long runs again (about a CPU-minute) and rewrite results/long_run.json",
    )
    args = p.parse_args()
    for f in main(args.out, recompute=args.recompute):
        print(f)
