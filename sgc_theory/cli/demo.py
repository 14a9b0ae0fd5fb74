"""``sgc demo``: a short tour of what the toolkit does, on built-in defaults (a few seconds)."""

from __future__ import annotations

import time


def register(sub) -> None:
    p = sub.add_parser("demo", help="a short tour on built-in defaults")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=_demo)


def tour() -> list[tuple[str, object, str]]:
    """Run the tour; returns ``(key, value, description)`` rows."""
    from ..bounds import counting_bound, msgc_load
    from ..codes import make_code
    from ..models import Bursty
    from ..schemes import GC, MSGC, SRSGC
    from ..simulate import simulate
    from ..verify import verify

    rows = []
    model = Bursty(256, B=1, W=2, lam=27)
    rows.append(
        (
            "patterns_n256_10_rounds",
            model.count(10),
            "admitted patterns of bursty(1, 2, 27) on 256 workers over 10 rounds (exact)",
        )
    )
    code = make_code(12, 3, "cyclic", seed=1)
    cert = code.verify()
    rows.append(
        (
            "gc_12_3_certified",
            cert.ok,
            f"cyclic (12, 3)-GC certified exactly on all {cert.sets_checked} straggler sets",
        )
    )
    small = MSGC(5, B=2, W=3, lam=3)
    ex = verify(small, rounds=5)
    rows.append(
        (
            "msgc_5_exhaustive_5_rounds",
            ex.patterns,
            f"{small!r}: every admitted pattern of 5 rounds decoded exactly ({ex.ok})",
        )
    )
    for sch in (MSGC(256, B=1, W=2, lam=27), SRSGC(256, B=2, W=3, lam=23)):
        res = verify(sch, all_horizons=True)
        rows.append(
            (
                f"{sch.name}_n256_all_horizons",
                res.ok,
                f"{sch!r}: proved for every horizon ({res.states} states, {res.seconds:.2f} s)",
            )
        )
    weak = verify(GC(6, 1), Bursty(6, 1, 1, 2), all_horizons=True)
    rows.append(
        (
            "gc_counterexample",
            weak.counterexample_rounds(),
            "GC(6, s=1) under 2 stragglers per round: shortest counterexample",
        )
    )
    rows.append(
        (
            "msgc_load",
            str(msgc_load(256, 1, 2, 27)),
            "M-SGC (1, 2, 27) load; counting lower bound "
            f"{counting_bound(256, 1, 2, 27)}; GC s=15 load {GC(256, 15).load}",
        )
    )
    trace = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"
    for name, params in (
        ("nocoding", {}),
        ("gc", {"s": 15}),
        ("msgc", {"B": 1, "W": 2, "lam": 27}),
    ):
        r = simulate(trace, name, jobs=20, mu=1.0, **params)
        rows.append(
            (
                f"runtime_{name}",
                round(r.runtime, 3),
                f"simulated runtime of 20 jobs on 256 AWS Lambda workers, {name} {params}",
            )
        )
    return rows


def _demo(args) -> int:
    from ._common import emit

    t0 = time.perf_counter()
    rows = tour()
    payload = {k: v for k, v, _ in rows}
    payload["seconds"] = round(time.perf_counter() - t0, 2)
    text = "\n".join(f"- {d}: {v}" for _, v, d in rows)
    emit(args, payload, "sgc_theory tour\n" + text + f"\n({payload['seconds']} s)")
    return 0
