"""``sgc demo``: the toolkit's front page, at the paper's configuration (a few seconds).

It prints a short report of what the toolkit knows about ``n = 256`` workers under the bursty
straggler model ``(B, W, lam) = (1, 2, 27)``:

1. the load (work per worker and job, in units of one full gradient) and delay of every family at
   the paper's parameters, next to the exact optimum at delay 1 (the covering LP) and the counting
   lower bound (every scheme, any delay);
2. one all-horizon proof at ``n = 256``, with its time;
3. one exhaustive check (every admitted straggler pattern of a fixed horizon, exact algebra);
4. simulated runtimes on a shipped AWS Lambda trace, in seconds.

``--json`` prints the same content; every load has the one JSON shape
``{"fraction": "p/q", "float": p/q}``.
"""

from __future__ import annotations

import time

from ..rationals import fraction_str, load_json

#: the paper's configuration (Krishnan, Ebrahimi, Khisti, ICLR 2023, Sec. 6)
N = 256
MODEL = (1, 2, 27)
#: the shipped trace the runtime comparison replays (256 workers, probe load 0)
TRACE = "sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000"
JOBS, MU = 20, 1.0

#: (family key, parameters): the paper's choices, then the two new families at the same model
FAMILIES = (
    ("nocoding", {}),
    ("gc", {"s": 15}),
    ("srsgc", {"B": 2, "W": 3, "lam": 23}),
    ("msgc", {"B": 1, "W": 2, "lam": 27}),
    ("brsgc", {"B": 1, "W": 2, "lam": 27}),
    ("wcsgc", {"B": 1, "W": 2, "lam": 27}),
)


def register(sub) -> None:
    p = sub.add_parser(
        "demo", help="what the toolkit knows at the paper's configuration (a few seconds)"
    )
    p.add_argument("--json", action="store_true", help="print the same report as JSON")
    p.set_defaults(func=_demo)


def _timed(f, *a, **k):
    t0 = time.perf_counter()
    out = f(*a, **k)
    return out, round(time.perf_counter() - t0, 2)


def _loads() -> list[dict]:
    """Every family's exact load and delay, and the model it is guaranteed under."""
    from ..bounds import nocoding_load, scheme_load

    rows = []
    for key, params in FAMILIES:
        if key == "nocoding":
            load, T, tolerates = nocoding_load(N), 0, "no straggler"
        else:
            load, T = scheme_load(key, N, **params)
            tolerates = (
                f"per-round:s={params['s']}"
                if key == "gc"
                else "bursty:B={B},W={W},lam={lam}".format(**params)
            )
        rows.append(
            {"family": key, "params": params, "tolerates": tolerates, "T": int(T), "load": load}
        )
    return rows


def _optimum() -> dict:
    """The least load of any scheme at delay 1 (covering LP, exact) and the counting bound."""
    from ..bounds import counting_bound
    from ..design import design

    res, secs = _timed(design, N, "bursty:B={},W={},lam={}".format(*MODEL), T=1)
    return {
        "T": 1,
        "load": res.load_fraction,
        "exact": bool(res.exact),
        "seconds": secs,
        "counting_bound": counting_bound(N, *MODEL),
    }


def _checks() -> tuple[dict, dict]:
    """One all-horizon proof at n = 256 and one exhaustive finite-horizon check."""
    from ..schemes import MSGC
    from ..verify import verify

    big = MSGC(N, *MODEL)
    res, secs = _timed(verify, big, all_horizons=True)
    proof = {"scheme": repr(big), "ok": res.ok, "method": res.method, "states": res.states}
    proof["seconds"] = secs
    small, rounds = MSGC(4, B=1, W=2, lam=2), 6
    ex, secs = _timed(verify, small, rounds=rounds)
    check = {"scheme": repr(small), "rounds": rounds, "ok": ex.ok, "patterns": ex.patterns}
    check["seconds"] = secs
    return proof, check


def _runtimes() -> dict:
    """Simulated runtime of ``JOBS`` jobs of every family on :data:`TRACE` (paper policy)."""
    from ..simulate import simulate

    rows = []
    for key, params in FAMILIES:
        r = simulate(TRACE, key, jobs=JOBS, mu=MU, **params)
        rows.append({"family": key, "seconds": round(float(r.runtime), 2), "waits": r.waits})
    gc = next(r["seconds"] for r in rows if r["family"] == "gc")
    for r in rows:
        r["vs_gc"] = round(r["seconds"] / gc, 3)
    return {"trace": TRACE, "jobs": JOBS, "mu": MU, "policy": "paper", "rows": rows}


def tour() -> dict:
    """Run the tour; returns the report (exact loads as :class:`~fractions.Fraction`)."""
    from ..rationals import to_fraction

    t0 = time.perf_counter()
    loads = _loads()
    for row in loads:
        row["load"] = to_fraction(row["load"])
    opt = _optimum()
    opt["counting_bound"] = to_fraction(opt["counting_bound"])
    proof, check = _checks()
    report = {
        "n": N,
        "model": "bursty:B={},W={},lam={}".format(*MODEL),
        "loads": loads,
        "optimum": opt,
        "proof": proof,
        "exhaustive": check,
        "runtime": _runtimes(),
    }
    report["seconds"] = round(time.perf_counter() - t0, 2)
    return report


def _params(p: dict) -> str:
    if not p:
        return "-"
    if "s" in p:
        return f"s = {p['s']}"
    return "({B}, {W}, {lam})".format(**p)


def _load_lines(report: dict) -> list[str]:
    from ._common import LABELS

    opt = report["optimum"]
    model = report["model"]
    rows = [
        (LABELS[r["family"]], _params(r["params"]), r["tolerates"], str(r["T"]), r["load"])
        for r in report["loads"]
    ]
    rows.append(("optimum", "covering LP", model, str(opt["T"]), opt["load"]))
    rows.append(("bound", "counting", model, "any", opt["counting_bound"]))
    out = [
        "1. Loads: work per worker and job, in full gradients (n x load = 1: uncoded); delay T: "
        "job t is decoded by the end of round t + T.",
        f"   {'family':10s} {'parameters':12s} {'guaranteed under':24s} {'T':>3s} "
        f"{'load':>14s} {'n x load':>9s}",
    ]
    for name, par, tol, T, load in rows:
        out.append(
            f"   {name:10s} {par:12s} {tol:24s} {T:>3s} {fraction_str(load):>14s} "
            f"{float(N * load):9.4f}"
        )
    by = {r["family"]: float(r["load"]) for r in report["loads"]}
    best = float(opt["load"])
    out += [
        "   optimum = the least load of ANY scheme with delay 1 that looks back one round "
        f"({'exact, certified' if opt['exact'] else 'NOT certified'}; {opt['seconds']:.1f} s); "
        "bound = no scheme does better at any delay.",
        f"   BR-SGC is {100 * (by['brsgc'] / best - 1):.2f} % above that optimum, M-SGC "
        f"{100 * (by['msgc'] / best - 1):.0f} %; WC-SGC meets the bound at delay 2, so it is "
        "optimal.",
    ]
    return out


def _text(report: dict) -> str:
    from ._common import LABELS

    proof, check, rt = report["proof"], report["exhaustive"], report["runtime"]
    gc = next(r["seconds"] for r in rt["rows"] if r["family"] == "gc")
    out = [
        f"sgc demo: n = {N} workers, straggler model bursty(B, W, lam) = {MODEL}: in any "
        f"{MODEL[1]} consecutive rounds at most {MODEL[2]} distinct workers straggle.",
        "",
        *_load_lines(report),
        "",
        f"2. Proof for every horizon: {proof['scheme']} decodes every job by its deadline under "
        f"every admitted straggler pattern of every length: {'PROVED' if proof['ok'] else 'FAILS'}"
        f" ({proof['method']} automaton, {proof['states']} states, {proof['seconds']:.2f} s).",
        f"3. Exhaustive check: {check['scheme']}, all {check['patterns']:,} admitted patterns of "
        f"{check['rounds']} rounds decoded exactly: {'OK' if check['ok'] else 'FAILS'} "
        f"({check['seconds']:.2f} s).",
        f"4. Runtime of {rt['jobs']} jobs replayed on a measured AWS Lambda trace ({N} workers, "
        f"straggler = slower than (1 + mu) x fastest, mu = {rt['mu']:g}; {rt['policy']} policy):",
        "   " + "   ".join(f"{LABELS[r['family']]} {r['seconds']:.2f} s" for r in rt["rows"]),
        f"   (GC = {gc:.2f} s; one trace of 30 rounds: differences of a few % are within the "
        "trace-to-trace spread, see 'sgc reproduce')",
        "",
        f"({report['seconds']:.1f} s. Next: 'sgc --help', docs/guide/.)",
    ]
    return "\n".join(_wrap(line) for line in out)


def _wrap(line: str, width: int = 100) -> str:
    """A prose line wrapped at ``width`` (continuation indented under its section)."""
    import re
    import textwrap

    if len(line) <= width:
        return line
    glued = re.sub(r"(\d) (s\b|%)", "\\1\u00a0\\2", line)  # never "0.57 | s"
    return "\n".join(textwrap.wrap(glued, width, subsequent_indent="   ")).replace("\u00a0", " ")


def _json(report: dict) -> dict:
    out = dict(report)
    out["loads"] = [{**r, "load": load_json(r["load"])} for r in report["loads"]]
    opt = report["optimum"]
    out["optimum"] = {
        **opt,
        "load": load_json(opt["load"]),
        "counting_bound": load_json(opt["counting_bound"]),
    }
    return out


def _demo(args) -> int:
    from ._common import emit

    report = tour()
    emit(args, _json(report), _text(report))
    return 0
