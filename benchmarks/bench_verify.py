"""Benchmarks of the models and the verifier (issues 2 and 3). Run: python benchmarks/bench_verify.py"""

from __future__ import annotations

import json
import sys
import time

from sgc_theory.models import Bursty
from sgc_theory.schemes import MSGC, SRSGC
from sgc_theory.verify import verify


def timed(label, fn, results):
    t0 = time.perf_counter()
    out = fn()
    dt = time.perf_counter() - t0
    results.append({"benchmark": label, "seconds": round(dt, 3), "result": out})
    print(f"{label:<62} {dt:8.3f} s   {out}")
    return out


def main() -> int:
    results: list = []
    timed(
        "count bursty(2,3,2) n=4, 1000 rounds (digits)",
        lambda: len(str(Bursty(4, 2, 3, 2).count(1000))),
        results,
    )
    timed(
        "count bursty(1,2,27) n=256, 10 rounds (digits)",
        lambda: len(str(Bursty(256, 1, 2, 27).count(10))),
        results,
    )
    timed(
        "count bursty(2,3,23) n=256, 10 rounds (digits)",
        lambda: len(str(Bursty(256, 2, 3, 23).count(10))),
        results,
    )
    timed(
        "all horizons M-SGC n=256 (1,2,27) [target < 60 s]",
        lambda: (lambda r: (r.ok, r.states))(verify(MSGC(256, 1, 2, 27), all_horizons=True)),
        results,
    )
    timed(
        "all horizons SR-SGC n=256 (2,3,23) [target < 60 s]",
        lambda: (lambda r: (r.ok, r.states))(verify(SRSGC(256, 2, 3, 23), all_horizons=True)),
        results,
    )
    timed(
        "all horizons SR-SGC n=256 (2,5,23) (W > B + 1)",
        lambda: (lambda r: (r.ok, r.states))(verify(SRSGC(256, 2, 5, 23), all_horizons=True)),
        results,
    )
    timed(
        "exhaustive M-SGC n=5 (2,3,3), 7 rounds [target < 30 s]",
        lambda: (lambda r: (r.ok, r.patterns))(verify(MSGC(5, 2, 3, 3), rounds=7)),
        results,
    )
    timed(
        "all horizons M-SGC n=5 (2,3,3), exact automaton",
        lambda: (lambda r: (r.ok, r.states))(
            verify(MSGC(5, 2, 3, 3), all_horizons=True, method="automaton")
        ),
        results,
    )
    timed(
        "all horizons SR-SGC n=64 (2,3,11), full symmetric explorer",
        lambda: (lambda r: (r.ok, r.states))(
            verify(SRSGC(64, 2, 3, 11, rule="lowest-index"), all_horizons=True, method="symmetric")
        ),
        results,
    )
    if "--json" in sys.argv:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
