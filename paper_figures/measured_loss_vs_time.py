"""Training loss against wall-clock, measured on a Dask LocalCluster and predicted by the
simulator, for no coding (GC with s = 0), GC and M-SGC, with stragglers injected from a straggler
process fitted to the shipped desktop_long probe; the title gives the measured M-SGC/GC speed-up
next to the predicted one.

Not one of the ``fig_*`` scripts that ``sgc figures`` runs: it starts a Dask cluster and trains
for real (about a minute at n = 64). Run ``python paper_figures/measured_loss_vs_time.py --out
DIR [--n 64] [--jobs 50] [--time-scale 0.1]``; it writes ``measured_loss_vs_time.png/.pdf`` and
``measured_loss_vs_time.json`` (the numbers).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import COLORS, MU, TRACE, plt, save  # noqa: E402

#: the configurations by n: inner codes of fractional repetition (float64-safe at any n)
CONFIGS = {
    64: [
        ("no coding", "gc", dict(s=0)),
        ("GC s=7", "gc", dict(s=7)),
        ("M-SGC (1,2,7)", "msgc", dict(B=1, W=2, lam=7)),
    ],
    256: [
        ("no coding", "gc", dict(s=0)),
        ("GC s=15", "gc", dict(s=15)),
        ("M-SGC (1,2,31)", "msgc", dict(B=1, W=2, lam=31)),
    ],
}


def _process(tmp: Path) -> str:
    out = tmp / "desktop_long.json"
    cmd = [sys.executable, "-m", "sgc_theory", "traces", "fit", "--process", "markov"]
    subprocess.run(cmd + ["--trace", TRACE, "--out", str(out)], check=True, capture_output=True)
    return f"process:{out}"


def data(n=64, jobs=50, time_scale=0.1, seed=0):
    """Per configuration: losses, measured and predicted job times, runtimes."""
    from sgc_theory.execute import DaskExecutor, build_scheme, injected_delays, local_cluster, train

    from sgc_theory.execute import load_problem

    # one step size for every scheme, stable for every delay T <= 1 of the configurations
    lr = 1.0 / (2.0 * load_problem("logistic").lipschitz())
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        spec = _process(Path(tmp)) + f",seed={seed}"
        with local_cluster(2, n + 4) as client:
            for label, family, params in CONFIGS[n]:
                sch = build_scheme(family, n, **params)
                D = injected_delays(spec, n, jobs + sch.T, sch.load, time_scale=time_scale)
                ex = DaskExecutor(client)
                try:
                    res = train(sch, jobs=jobs, lr=lr, delays=D, mu=MU, executor=ex)
                finally:
                    ex.close()
                runs[label] = {
                    "family": family,
                    "params": params,
                    "losses": res.losses,
                    "measured": res.job_times(),
                    "predicted": res.job_times(predicted=True),
                    "measured_runtime": res.runtime,
                    "predicted_runtime": res.predicted_runtime,
                    "ratio": res.ratio,
                    "overhead_per_round": res.overhead,
                    "max_relative_error": res.max_error,
                }
    gc, ms = (runs[label] for label, _, _ in CONFIGS[n][1:])
    return {
        "n": n,
        "jobs": jobs,
        "time_scale": time_scale,
        "mu": MU,
        "lr": lr,
        "runs": runs,
        "speedup_measured": gc["measured_runtime"] / ms["measured_runtime"],
        "speedup_predicted": gc["predicted_runtime"] / ms["predicted_runtime"],
    }


def main(out_dir, n=64, jobs=50, time_scale=0.1):
    d = data(n, jobs, time_scale)
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    colors = [COLORS["nocoding"], COLORS["gc"], COLORS["msgc"]]
    for (label, run), color in zip(d["runs"].items(), colors):
        ax.plot(run["measured"], run["losses"], color=color, label=f"{label} measured")
        ax.plot(run["predicted"], run["losses"], color=color, ls="--", label=f"{label} predicted")
    ax.set_xlabel("wall-clock (s)")
    ax.set_ylabel("logistic loss (breast cancer)")
    ax.set_title(
        f"n = {n}, desktop_long process x {time_scale:g}: M-SGC/GC speed-up "
        f"{d['speedup_measured']:.3f} measured, {d['speedup_predicted']:.3f} predicted",
        fontsize=8,
    )
    ax.legend(fontsize=7)
    files = save(fig, out_dir, "measured_loss_vs_time")
    path = Path(out_dir) / "measured_loss_vs_time.json"
    path.write_text(json.dumps(d, indent=1))
    return files + [str(path)]


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("--out", default=".")
    p.add_argument("--n", type=int, default=64, choices=sorted(CONFIGS))
    p.add_argument("--jobs", type=int, default=50)
    p.add_argument("--time-scale", type=float, default=0.1)
    a = p.parse_args()
    for f in main(a.out, a.n, a.jobs, a.time_scale):
        print(f)
