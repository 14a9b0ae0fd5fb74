"""Regenerate results/long_run_converged.json: the desktop_long probe (load 0, Canada) fitted
with the tree's ``fit_process`` (automatic model choice where the fit has it), then ``compare``
at 3,000 and 10,000 rounds under the convergence rule (relative half-width 0.01 of every ratio's
95 % interval, both online policies). ``python scripts/make_long_run_converged.py [--stationary]``;
``--stationary`` also runs the fitted process started from its chain's stationary law (for a fit
that starts elsewhere). About 2 CPU-minutes."""

import json
import pathlib
import sys
import time

import numpy as np

from sgc_theory.simulate.compare import compare
from sgc_theory.simulate.processes import fit_process

OUT = pathlib.Path(__file__).resolve().parent.parent / "results" / "long_run_converged.json"
TRACE = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000-b2048-cno_forloop-Canada.csv"


def stationary(A):
    w, v = np.linalg.eig(np.asarray(A, float).T)
    pi = np.abs(np.real(v[:, np.argmin(abs(w - 1))]))
    return pi / pi.sum()


def run(proc, rounds):
    t0 = time.process_time()
    out = compare(proc, rounds=rounds, replications=5, mu=1.0, target_halfwidth=0.01,
                  allow_not_credible=True, seed=0)  # fmt: skip
    keep = {k: out[k] for k in ("results", "jobs", "convergence", "settings", "warning")}
    keep["cpu_seconds"] = round(time.process_time() - t0, 1)
    return keep


def main():
    proc, _ = fit_process(TRACE, mu=1.0, quality=False)
    variants = {"fit": proc}
    if "--stationary" in sys.argv:
        import copy

        st = copy.deepcopy(proc)
        st.startprob = stationary(st.transmat)
        variants["fit, started from the stationary law"] = st
    res = {"trace": TRACE, "process": proc.to_json() | {"marginal": None}, "runs": {}}
    res["credibility"] = proc.meta.get("credibility")
    res["fit_module"] = fit_process.__module__  # which fit made the process
    res["stationary_variant"] = "--stationary" in sys.argv
    for label, p in variants.items():
        res["runs"][label] = {str(R): run(p, R) for R in (3_000, 10_000)}
        for R, o in res["runs"][label].items():
            m = o["results"]["msgc"]
            print(label, R, o["convergence"]["replications"], "runs",
                  {pol: m[pol]["ratio_to_gc"] for pol in ("paper", "minimal")})  # fmt: skip
    OUT.write_text(json.dumps(res, indent=1, allow_nan=False) + "\n")


if __name__ == "__main__":
    main()
