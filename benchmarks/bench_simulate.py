"""Timing of the trace-driven simulator.

Targets: whole sweep (20 jobs, T <= 10, both online policies) < 1.5 s; BR-SGC's fast path in the
sweep several times faster than the generic route (0.65 s against 5.3 s for its 48,128
configuration-policies at 26 jobs, T <= 4, on the shared 2-core machine); optimal policy for
M-SGC (1, 2, 27) on a 256 x 30 trace < 5 s; ``sgc reproduce`` over every shipped load-0 trace and
both slopes well under a minute. Run: ``python benchmarks/bench_simulate.py``.
"""

import time

from sgc_theory.simulate import load_trace, reproduce, simulate, sweep

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
        dt, res = timed(
            lambda pol=pol: sweep(tr, jobs=20, max_delay=10, mu=1.0, policy=pol, progress=False)
        )
        print(f"sweep {pol}: {dt:.3f} s for {res.evaluated} configurations")
        for sc, b in res.best[pol].items():
            print(f"    best {sc:9s} {b}")
    for sc, kw in [
        ("nocoding", {}),
        ("gc", {"s": 15}),
        ("srsgc", {"B": 2, "W": 3, "lam": 23}),
        ("msgc", {"B": 1, "W": 2, "lam": 27}),
        ("brsgc", {"B": 1, "W": 2, "lam": 27}),
    ]:
        for pol in ("paper", "minimal", "optimal"):
            dt, r = timed(
                lambda sc=sc, pol=pol, kw=kw: simulate(tr, sc, jobs=26, mu=1.0, policy=pol, **kw)
            )
            extra = f", {r.dp_transitions} DP transitions" if pol == "optimal" else ""
            print(
                f"simulate {sc:8s} {pol:7s} 26 jobs: {dt * 1e3:7.1f} ms  runtime "
                f"{r.runtime:.3f} s, {r.rounds} rounds, {r.waits} waits{extra}"
            )
    dt, r = timed(lambda: simulate(tr, "msgc", jobs=29, mu=1.0, policy="optimal", B=1, W=2, lam=27))
    print(
        f"optimal M-SGC (1, 2, 27) on the full 256 x 30 trace (29 jobs): {dt:.3f} s "
        f"(target < 5 s), exact={r.exact}"
    )
    # BR-SGC in the sweep: its closed-form fast path against the registry-generic route (one
    # scheme object and one decode_rounds call per configuration), same table
    for forced in (False, True):
        dt, res = timed(
            lambda forced=forced: sweep(
                tr,
                jobs=26,
                max_delay=4,
                mu=1.0,
                policy=("paper", "minimal"),
                schemes=("brsgc",),
                progress=False,
                _force_generic=forced,
            ),
            repeat=1,
        )
        print(
            f"sweep BR-SGC alone ({'generic route' if forced else 'fast path'}): {dt:.2f} s "
            f"for {res.evaluated} configuration-policies"
        )
    dt, out = timed(lambda: reproduce(slopes=("default", "paper")), repeat=1)
    print(
        f"reproduce: {len(out['runs'])} runs (7 load-0 traces x 2 slopes) in {dt:.2f} s "
        "(target well under 60 s)"
    )
    dt, res = timed(
        lambda: sweep(tr, jobs=26, max_delay=4, mu=1.0, policy="optimal", progress=False), repeat=1
    )
    print(f"sweep optimal (26 jobs, T <= 4): {dt:.2f} s")
    for sc, b in res.best["optimal"].items():
        print(f"    best {sc:9s} {b}")


if __name__ == "__main__":
    main()
