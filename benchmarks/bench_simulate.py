"""Timing of the trace-driven simulator (issue 5 target: whole sweep < 1.5 s).

Sweep: trace ``sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000`` (256 workers x 30 rounds,
probe load 0), 20 jobs, max delay 10, mu = 1, both policies; single runs of the paper's
configurations. Run: ``python benchmarks/bench_simulate.py``.
"""

import time

from sgc_theory.simulate import load_trace, simulate, sweep

TRACE = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"


def timed(f, repeat=3):
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def main():
    t0 = time.perf_counter()
    tr = load_trace(TRACE)
    print(f"load_trace: {time.perf_counter() - t0:.3f} s")
    t0 = time.perf_counter()
    sweep(tr, jobs=20, max_delay=10, mu=1.0, progress=False)
    print(f"sweep paper, first call (imports, lambdify): {time.perf_counter() - t0:.3f} s")
    for pol in ("paper", "minimal"):
        dt, res = timed(lambda pol=pol: sweep(tr, jobs=20, max_delay=10, mu=1.0, policy=pol,
                                      progress=False))
        print(f"sweep {pol}: {dt:.3f} s for {res.evaluated} configurations")
        for sc, b in res.best[pol].items():
            print(f"    best {sc:9s} {b}")
    for sc, kw in [("nocoding", {}), ("gc", {"s": 15}), ("srsgc", {"B": 2, "W": 3, "lam": 23}),
                   ("msgc", {"B": 1, "W": 2, "lam": 27})]:
        for pol in ("paper", "minimal"):
            dt, r = timed(lambda sc=sc, pol=pol, kw=kw: simulate(tr, sc, jobs=20, mu=1.0,
                                                                 policy=pol, **kw))
            print(f"simulate {sc:8s} {pol:7s}: {dt * 1e3:7.1f} ms  runtime {r.runtime:.3f} s, "
                  f"{r.rounds} rounds, {r.waits} waits")


if __name__ == "__main__":
    main()
