"""Benchmark of the execution engine (``python benchmarks/bench_execute.py [--quick]``).

Prints, for a straggler process fitted to the shipped desktop_long probe (injected delays scaled
by ``--time-scale``, default 0.1: rounds of about 60-200 ms):

- in process (virtual clock), n = 256 x 50 jobs: the master's own time per round (plan, float64
  decoding, step), the worst relative decoding error against the uncoded gradient and the worst
  condition number, for the default schemes of ``sgc run`` (the float-safe inner code: GC s = 15
  and 40, SR-SGC (2, 3, 23), M-SGC (1, 2, 27) and (1, 2, 31)), WC-SGC, BR-SGC and PR-SGC
  (1, 2, 27) (uncoded, from their coefficient-free assignment), and what happens with the
  Reed-Solomon inner codes of the paper's M-SGC (1, 2, 27) and SR-SGC (2, 3, 23);
- on a Dask LocalCluster (2 processes), n = 64 and n = 256 x 50 jobs: measured time, the
  simulator's prediction on the same delays, their ratio (goal: within 5 % at n = 64), the
  engine's overhead per round, and the prediction with the engine's measured overhead put in
  (``TrainResult.meta["calibrated"]``: + the master's own time per round; + the median
  first-arrival latency too) with its ratio.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TRACE = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"

LOCAL = [
    ("gc", dict(s=15)),
    ("gc", dict(s=40)),
    ("srsgc", dict(B=2, W=3, lam=23)),
    ("msgc", dict(B=1, W=2, lam=27)),
    ("msgc", dict(B=1, W=2, lam=31)),
    ("wcsgc", dict(B=1, W=2, lam=27)),
    ("brsgc", dict(B=1, W=2, lam=27)),
    ("prsgc", dict(B=1, W=2, lam=27)),
    ("msgc", dict(B=1, W=2, lam=27, construction="rs")),
    ("srsgc", dict(B=2, W=3, lam=23, construction="rs")),
]
CLUSTER = {
    64: [("gc", dict(s=7)), ("msgc", dict(B=1, W=2, lam=7))],
    256: [("gc", dict(s=15)), ("msgc", dict(B=1, W=2, lam=31))],
}


def _fit(tmp: Path) -> str:
    out = tmp / "desktop_long.json"
    subprocess.run(
        [sys.executable, "-m", "sgc_theory", "traces", "fit", "--process", "markov"]
        + ["--trace", TRACE, "--out", str(out), "--json"],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return f"process:{out}"


def _label(family, params):
    return f"{family}({', '.join(f'{k}={v}' for k, v in params.items())})"


def _local(spec, jobs, scale):
    from sgc_theory.errors import SGCError
    from sgc_theory.execute import build_scheme, injected_delays, train

    print(f"-- in process, n = 256 x {jobs} jobs (virtual clock)")
    for family, params in LOCAL:
        sch = build_scheme(family, 256, **params)
        D = injected_delays(spec, 256, jobs + sch.T, sch.load, time_scale=scale)
        t0 = time.perf_counter()
        try:
            res = train(sch, jobs=jobs, delays=D, mu=1.0)
        except SGCError as exc:
            print(f"{_label(family, params):<28} float64 decoding FAILS: {str(exc)[:160]}")
            continue
        print(
            f"{_label(family, params):<28} master {1000 * res.decode_seconds / res.rounds:6.1f} "
            f"ms/round  max rel error {res.max_error:.2e}  worst cond "
            f"{max(res.conditions):.3g}  loss gap {res.loss_gap:.1e}  "
            f"wall {time.perf_counter() - t0:5.1f} s"
        )


def _cluster(spec, n, jobs, scale, client):
    from sgc_theory.execute import DaskExecutor, build_scheme, injected_delays, train

    print(f"-- Dask LocalCluster, n = {n} x {jobs} jobs, time scale {scale}")
    for family, params in CLUSTER[n]:
        sch = build_scheme(family, n, **params)
        D = injected_delays(spec, n, jobs + sch.T, sch.load, time_scale=scale)
        t0 = time.perf_counter()
        ex = DaskExecutor(client)
        try:
            res = train(sch, jobs=jobs, delays=D, mu=1.0, executor=ex)
        finally:
            ex.close()
        cal = res.meta["calibrated"]
        print(
            f"{_label(family, params):<28} min delay {1000 * D.min():5.0f} ms  measured "
            f"{res.runtime:7.3f} s  predicted {res.predicted_runtime:7.3f} s  ratio "
            f"{res.ratio:.4f}  overhead {1000 * res.overhead:6.2f} ms/round  "
            f"max rel error {res.max_error:.1e}  late {res.late}  "
            f"| master {1000 * cal['master_seconds_per_round']:.1f} ms/round, first-arrival "
            f"latency {1000 * cal['first_arrival_latency_median']:.1f} ms; predicted + master "
            f"{cal['plus_master_runtime']:7.3f} s ratio {cal['plus_master_ratio']:.4f}; "
            f"+ latency {cal['predicted_runtime']:7.3f} s ratio "
            f"{cal['measured_over_predicted']:.4f}  "
            f"wall {time.perf_counter() - t0:5.1f} s"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="10 jobs instead of 50")
    ap.add_argument("--time-scale", type=float, default=0.1)
    ap.add_argument("--only", choices=["local", "cluster"], default=None)
    ap.add_argument("--n", type=int, choices=sorted(CLUSTER), default=None, help="cluster runs")
    ap.add_argument("--jobs", type=int, default=None, help="jobs (default 50, --quick 10)")
    args = ap.parse_args()
    jobs = args.jobs or (10 if args.quick else 50)
    with tempfile.TemporaryDirectory() as tmp:
        spec = _fit(Path(tmp))
        if args.only != "cluster":
            _local(spec, jobs, args.time_scale)
        if args.only != "local":
            from sgc_theory.execute import local_cluster

            for n in (args.n,) if args.n else sorted(CLUSTER):
                with local_cluster(2, n + 4) as client:
                    _cluster(spec, n, jobs, args.time_scale, client)


if __name__ == "__main__":
    main()
