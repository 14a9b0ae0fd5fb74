"""Training loss against wall-clock, measured on a Dask LocalCluster and predicted by the
simulator, for no coding (GC with s = 0), GC and M-SGC, with stragglers injected from a straggler
process fitted to the shipped desktop_long probe. The title gives the measured M-SGC/GC speed-up
next to two predictions: the simulator's on the very delays injected in the run, and the one of
``sgc compare``'s evaluation (its vectorised engine, paper policy, common random numbers) on
independent long runs of the same process and configurations, restricted to the first ``n``
workers as the run is (``sgc compare`` itself runs at the process's ``n = 256``; at that ``n``
the two are the same computation). The caption and the JSON state every knob: ``n``, jobs,
rounds, time scale, seeds, ``mu``, step size, replications.

Not one of the ``fig_*`` scripts that ``sgc figures`` runs: it starts a Dask cluster and trains
for real (about a minute at n = 64). Run ``python paper_figures/measured_loss_vs_time.py --out
DIR [--n 64] [--jobs 200] [--time-scale 0.1] [--seed 0] [--replications 20] [--rounds 2000]``; it writes ``measured_loss_vs_time.png/.pdf`` and
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


def compare_speedup(spec, n, configs, *, rounds, replications, seed):
    """The M-SGC/GC speed-up ``sgc compare`` predicts: its evaluation
    (:func:`sgc_theory.simulate.compare.evaluate`, paper policy) on ``replications``
    independent runs of ``rounds`` rounds of the process (seeds ``seed + 1000 + k``), on the first
    ``n`` workers; returns the mean of the per-run ratios GC time / M-SGC time and its spread."""
    import numpy as np

    from sgc_theory.simulate.compare import evaluate
    from sgc_theory.simulate.processes import trace_from_spec

    ratios = []
    for k in range(replications):
        tr = trace_from_spec(f"{spec},rounds={rounds},seed={seed + 1000 + k}")
        D = np.asarray(tr.delays, dtype=np.float64)[:n]
        jobs = rounds - 1  # the largest delay of the configurations is 1
        ev = evaluate(D, configs, jobs=jobs, mu=MU, policies=("paper",),
                      probe_load=tr.probe_load or 0.0)  # fmt: skip
        gc, ms = ev["runtime"][0, 0], ev["runtime"][1, 0]
        ratios.append(gc / ms)
    r = np.asarray(ratios)
    return {
        "mean": float(r.mean()),
        "min": float(r.min()),
        "max": float(r.max()),
        "replications": replications,
        "rounds": rounds,
        "seeds": [seed + 1000 + k for k in range(replications)],
    }


def _run_entry(res):
    cal = res.meta.get("calibrated", {})
    return {
        "losses": res.losses,
        "measured": res.job_times(),
        "predicted": res.job_times(predicted=True),
        "measured_runtime": res.runtime,
        "predicted_runtime": res.predicted_runtime,
        "ratio": res.ratio,
        "overhead_per_round": res.overhead,
        "predicted_plus_overhead_runtime": cal.get("predicted_runtime"),
        "ratio_to_predicted_plus_overhead": cal.get("measured_over_predicted"),
        "master_seconds_per_round": cal.get("master_seconds_per_round"),
        "first_arrival_latency_median": cal.get("first_arrival_latency_median"),
        "max_relative_error": res.max_error,
        "rounds": res.rounds,
    }


def data(n=64, jobs=200, time_scale=0.1, seed=0, replications=20, rounds=2000):
    """Per configuration: losses, measured and predicted job times, runtimes; the speed-ups."""
    from sgc_theory.execute import (
        DaskExecutor,
        build_scheme,
        code_choice,
        injected_delays,
        load_problem,
        local_cluster,
        train,
    )

    # one step size for every scheme, stable for every delay T <= 1 of the configurations
    lr = 1.0 / (2.0 * load_problem("logistic").lipschitz())
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        spec = _process(Path(tmp))
        with local_cluster(2, n + 4) as client:
            for label, family, params in CONFIGS[n]:
                sch = build_scheme(family, n, **params)
                D = injected_delays(
                    spec + f",seed={seed}", n, jobs + sch.T, sch.load, time_scale=time_scale
                )
                ex = DaskExecutor(client)
                try:
                    res = train(sch, jobs=jobs, lr=lr, delays=D, mu=MU, executor=ex)
                finally:
                    ex.close()
                runs[label] = {"family": family, "params": params, **_run_entry(res)}
                runs[label]["code"] = code_choice(sch, family, n, **params)
        configs = [(family, params) for _, family, params in CONFIGS[n][1:]]
        predicted_compare = compare_speedup(
            spec, n, configs, rounds=rounds, replications=replications, seed=seed
        )
    gc, ms = (runs[label] for label, _, _ in CONFIGS[n][1:])
    return {
        "n": n,
        "jobs": jobs,
        "time_scale": time_scale,
        "seed": seed,
        "mu": MU,
        "lr": lr,
        "process": f"markov process fitted to {TRACE} (sgc traces fit --process markov)",
        "runs": runs,
        "speedup_measured": gc["measured_runtime"] / ms["measured_runtime"],
        "speedup_predicted": gc["predicted_runtime"] / ms["predicted_runtime"],
        "speedup_compare": predicted_compare,
    }


def plot(d, out_dir):
    """The figure of the numbers ``d`` (what :func:`data` returns): loss against wall-clock
    (left) and wall-clock against job (right), measured (solid) and predicted (dashed)."""
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(9.0, 4.2))
    colors = [COLORS["nocoding"], COLORS["gc"], COLORS["msgc"]]
    for (label, run), color in zip(d["runs"].items(), colors):
        jobs = range(1, len(run["losses"]) + 1)
        for key, ls, what in (("measured", "-", "measured"), ("predicted", "--", "predicted")):
            ax.plot(run[key], run["losses"], color=color, ls=ls, label=f"{label} {what}")
            bx.plot(jobs, run[key], color=color, ls=ls)
    ax.set_xlabel("wall-clock (s)")
    ax.set_ylabel("logistic loss (breast cancer)")
    ax.set_yscale("log")
    ax.legend(fontsize=7)
    bx.set_xlabel("job (gradient step)")
    bx.set_ylabel("wall-clock at its step (s)")
    c = d["speedup_compare"]
    fig.suptitle(
        f"Dask LocalCluster (2 processes), n = {d['n']}, {d['jobs']} jobs, desktop_long markov "
        f"process (seed {d['seed']}) x {d['time_scale']:g}, mu = {d['mu']:g}, step "
        f"{d['lr']:.3g}\nM-SGC/GC speed-up: measured {d['speedup_measured']:.3f}; simulated on "
        f"the same delays {d['speedup_predicted']:.3f}; sgc compare {c['mean']:.3f} (mean of "
        f"{c['replications']} runs x {c['rounds']} rounds, {c['min']:.3f}-{c['max']:.3f})",
        fontsize=8,
    )
    return save(fig, out_dir, "measured_loss_vs_time")


def main(out_dir, n=64, jobs=200, time_scale=0.1, seed=0, replications=20, rounds=2000):
    d = data(n, jobs, time_scale, seed, replications, rounds)
    path = Path(out_dir) / "measured_loss_vs_time.json"
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(d, indent=1))
    return plot(d, out_dir) + [str(path)]


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("--out", default=".")
    p.add_argument("--n", type=int, default=64, choices=sorted(CONFIGS))
    p.add_argument("--jobs", type=int, default=200)
    p.add_argument("--time-scale", type=float, default=0.1)
    p.add_argument("--seed", type=int, default=0, help="seed of the injected process run")
    p.add_argument("--replications", type=int, default=20, help="runs of the compare prediction")
    p.add_argument("--rounds", type=int, default=2000, help="rounds per compare run")
    p.add_argument("--replot", default=None, help="redraw from a JSON this script wrote")
    a = p.parse_args()
    if a.replot:
        print("\n".join(plot(json.loads(Path(a.replot).read_text()), a.out)))
        sys.exit(0)
    for f in main(a.out, a.n, a.jobs, a.time_scale, a.seed, a.replications, a.rounds):
        print(f)
