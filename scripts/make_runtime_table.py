"""Regenerate results/runtime_by_region.{json,md}: per shipped load-0 probe (the seven traces of
``sgc_theory.simulate.reproduce.load0_traces``), the fitted process's credibility verdict (with
its failing checks), the converged long-run ratios to GC of M-SGC, BR-SGC and the fastest
scheme under both waiting policies with their 95 % intervals, the runs used, and the same
configurations replayed on the trace itself with the agreement check.

Knobs (stated in the outputs): ``compare`` with ``rounds=ROUNDS``, ``replications=REPLICATIONS``
to start, ``target_halfwidth=TARGET`` (every ratio's 95 % interval within 1 % of its mean, at most
``MAX_REPLICATIONS`` runs), ``seed=SEED``, ``mu=1``, default slope, the pilot's configuration per
family (20 jobs, delay <= 4), ``allow_not_credible=True`` (the verdict is in the row).

``python scripts/make_runtime_table.py [--render]``: each probe's row is written to the JSON as
soon as it is done (a probe already there is skipped, so an interrupted run resumes);
``--render`` only rewrites the Markdown from the JSON; ``--variants`` (instead) runs the
modelling variants of desktop_long (the paper's slope, no persistence, mu = 0.5 and 2, log-normal
times; results/runtime_by_region_variants.json). The same runs (the full ``compare``
outputs) are also written to results/long_run.json, which ``paper_figures/fig_long_run_ratios.py``
draws (its protocol is this one). Several CPU-minutes.
"""

import json
import pathlib
import sys
import time

from sgc_theory.simulate.compare import compare
from sgc_theory.simulate.processes import fit_process
from sgc_theory.simulate.reproduce import load0_traces

HERE = pathlib.Path(__file__).resolve().parent.parent / "results"
OUT_JSON = HERE / "runtime_by_region.json"
OUT_MD = HERE / "runtime_by_region.md"
OUT_FIG = HERE / "long_run.json"
OUT_VAR = HERE / "runtime_by_region_variants.json"
ROUNDS, REPLICATIONS, TARGET, MAX_REPLICATIONS, SEED, MU = 2_000, 5, 0.01, 100, 0, 1.0
POLICIES = ("paper", "minimal")


def short(name: str) -> str:
    """``desktop_long Canada`` from the trace's file name."""
    region = name.removesuffix(".csv").split("-")[-1]
    machine = name.split("est")[1].split("__")[0].strip("-_") or "mbp"
    return f"{machine} {region}"


def row(name: str) -> dict:
    """One probe: fit, verdict, converged comparison with replay and agreement."""
    t0 = time.process_time()
    proc, _ = fit_process(name, mu=MU, quality=False)
    cred = proc.meta.get("credibility") or {}
    out = compare(proc, trace=name, rounds=ROUNDS, replications=REPLICATIONS, mu=MU,
                  target_halfwidth=TARGET, max_replications=MAX_REPLICATIONS, seed=SEED,
                  allow_not_credible=True)  # fmt: skip
    res = {}
    for sc, r in out["results"].items():
        res[sc] = {"params": r["params"]} | {
            pol: {"ratio_to_gc": r[pol]["ratio_to_gc"], "time_per_job": r[pol]["mean_time_per_job"]}
            for pol in POLICIES
        }
    best = {
        pol: min(res, key=lambda sc: res[sc][pol]["time_per_job"] or float("inf"))
        for pol in POLICIES
    }
    full = {k: v for k, v in out.items()}
    return full, {
        "probe": short(name),
        "trace": name,
        "credible": cred.get("credible"),
        "reasons": cred.get("reasons") or [],
        "model_choice": proc.meta.get("model_choice"),
        "results": res,
        "best": best,
        "replay": out["replay"],
        "agreement": out["agreement"],
        "convergence": out["convergence"],
        "jobs": out["jobs"],
        "not_compared": out["not_compared"],
        "cpu_seconds": round(time.process_time() - t0, 1),
    }


def knobs() -> dict:
    return {"rounds": ROUNDS, "replications_to_start": REPLICATIONS, "target_halfwidth": TARGET,
            "max_replications": MAX_REPLICATIONS, "seed": SEED, "mu": MU, "slope": "default",
            "pilot_jobs": 20, "max_delay": 4, "policies": list(POLICIES)}  # fmt: skip


def fmt(e) -> str:
    r = e["ratio_to_gc"]
    if r["mean"] is None:
        return "n/a"
    ci = r["ci95"]
    return f"{r['mean']:.3f} [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else f"{r['mean']:.3f}"


def cells(r: dict, pol: str) -> list:
    """M-SGC, BR-SGC, the fastest scheme (ratio), the replay of M-SGC and BR-SGC."""
    res, rp = r["results"], (r["replay"] or {}).get("ratio_to_gc", {})
    out = [fmt(res[sc][pol]) if sc in res else "not compared" for sc in ("msgc", "brsgc")]
    b = r["best"][pol]
    params = ",".join(f"{k}={v}" for k, v in res[b]["params"].items())
    out.append(f"{b} ({params}) {fmt(res[b][pol])}")
    rep = [rp.get(sc, {}).get(pol) for sc in ("msgc", "brsgc")]
    out.append(" / ".join("n/a" if x is None else f"{x:.3f}" for x in rep))
    return out


def agree_cell(r: dict, pol: str) -> str:
    """M-SGC / BR-SGC: agree, or DISAGREE with the gap, and whether the replay lies within the
    range of runs of the trace's length under the process."""
    out = []
    for sc in ("msgc", "brsgc"):
        lab = next((k for k in r["agreement"]["checks"] if k["configuration"].split()[0] == sc
                    and k["policy"] == pol), None) if r["agreement"] else None  # fmt: skip
        if lab is None:
            out.append("n/a")
        elif lab["agree"]:
            out.append("agree")
        else:
            sp = lab["short_run_range"]
            rng = "" if not sp or None in sp else f", short runs [{sp[0]:.2f}, {sp[1]:.2f}]"
            out.append(f"DISAGREE ({100 * lab['relative_gap']:.0f} %{rng})")
    return " / ".join(out)


def render(data: dict) -> str:
    k = data["knobs"]
    lines = [
        "# Runtime by region (load-0 probes)",
        "",
        f"Generated by `scripts/make_runtime_table.py`: `compare` with rounds={k['rounds']}, "
        f"{k['replications_to_start']} runs to start, target half-width {k['target_halfwidth']} "
        f"(at most {k['max_replications']} runs), seed {k['seed']}, mu={k['mu']}, default slope, "
        f"pilot {k['pilot_jobs']} jobs with delay <= {k['max_delay']}. Ratios are to GC (paired, "
        "95 % interval); replay: the same configurations on the trace itself (M-SGC / BR-SGC); "
        "agreement: the rule of `compare` (relative gap above max(3 %, 3 half-widths) is a "
        "disagreement) with the range (2.5 % to 97.5 %) of the ratio over 40 generated runs of "
        "the trace's length.",
        "",
        "| probe | verdict (failing checks) | policy | M-SGC/GC | BR-SGC/GC | fastest | replay "
        "M-SGC / BR-SGC | agreement M-SGC / BR-SGC | runs x rounds |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in data["order"]:
        r = data["rows"].get(name)
        if r is None:
            lines.append(f"| {short(name)} | not finished | | | | | | | |")
            continue
        verdict = "credible" if r["credible"] else "NOT credible: " + "; ".join(r["reasons"])
        c = r["convergence"]
        runs = f"{c['replications']} x {c['rounds']}" + ("" if c["reached"] else " (not reached)")
        for pol in POLICIES:
            lines.append(f"| {r['probe']} | {verdict} | {pol} | " + " | ".join(cells(r, pol))
                         + f" | {agree_cell(r, pol)} | {runs} |")  # fmt: skip
    return "\n".join(lines) + "\n"


def figure_runs(name: str, out: dict) -> None:
    """Add one probe's ``compare`` output to results/long_run.json (the figure's file, probes in
    ``load0_traces`` order)."""
    want = {"rounds": ROUNDS, "replications": REPLICATIONS, "target_halfwidth": TARGET, "mu": MU}
    d = json.loads(OUT_FIG.read_text()) if OUT_FIG.exists() else {}
    if {k: d.get(k) for k in want} != want:
        d = want | {"runs": {}}
    d["runs"][name] = out
    d["runs"] = {n: d["runs"][n] for n in load0_traces() if n in d["runs"]}
    OUT_FIG.write_text(json.dumps(d, indent=1, allow_nan=False) + "\n")


def main():
    data = json.loads(OUT_JSON.read_text()) if OUT_JSON.exists() else {}
    if data.get("knobs") != knobs():
        data = {"knobs": knobs(), "rows": {}}
    data["order"] = load0_traces()
    if "--variants" in sys.argv:
        v = {"knobs": knobs(), "variants": variants()}
        OUT_VAR.write_text(json.dumps(v, indent=1, allow_nan=False) + "\n")
    elif "--render" not in sys.argv:
        for name in sorted(data["order"], key=lambda n: "desktop_long" not in n):  # it first
            if name in data["rows"]:
                continue
            full, data["rows"][name] = row(name)
            print(short(name), data["rows"][name]["cpu_seconds"], "CPU-s", flush=True)
            OUT_JSON.write_text(json.dumps(data, indent=1, allow_nan=False) + "\n")
            figure_runs(name, full)
    text = render(data)
    if OUT_VAR.exists():
        text += "\n## desktop_long: which modelling choices move the answer\n\n"
        text += render_variants(json.loads(OUT_VAR.read_text())["variants"])
    OUT_MD.write_text(text)


def variants() -> dict:
    """desktop_long: which modelling choices move the answer (same knobs as the table)."""
    import copy

    import numpy as np

    name = next(n for n in load0_traces() if "desktop_long" in n)
    base, _ = fit_process(name, mu=MU, quality=False)
    flat = copy.deepcopy(base)
    pi = np.asarray(base.stationary, float)
    flat.transmat = np.tile(pi, (len(pi), 1))
    flat.startprob = pi.copy()
    cases = {
        "as fitted (mu = 1, default slope)": (base, MU, None),
        "the paper's slope": (base, MU, "paper"),
        "no persistence (each row of A replaced by its stationary law)": (flat, MU, None),
        "mu = 0.5 (refitted)": (fit_process(name, mu=0.5, quality=False)[0], 0.5, None),
        "mu = 2 (refitted)": (fit_process(name, mu=2.0, quality=False)[0], 2.0, None),
        "log-normal times in every state (refitted)": (
            fit_process(name, mu=MU, quality=False, marginal="lognormal")[0], MU, None),
    }  # fmt: skip
    out = {}
    for label, (proc, mu, slope) in cases.items():
        t0 = time.process_time()
        o = compare(proc, trace=name, rounds=ROUNDS, replications=REPLICATIONS, mu=mu,
                    slope=slope, target_halfwidth=TARGET, max_replications=MAX_REPLICATIONS,
                    seed=SEED, allow_not_credible=True)  # fmt: skip
        cred = proc.meta.get("credibility") or {}
        out[label] = {
            "credible": cred.get("credible"),
            "reasons": cred.get("reasons") or [],
            "params": {sc: r["params"] for sc, r in o["results"].items()},
            "ratios": {
                sc: {pol: r[pol]["ratio_to_gc"] for pol in POLICIES}
                for sc, r in o["results"].items()
            },  # fmt: skip
            "violations_msgc_paper": o["results"]["msgc"]["paper"]["model_violations"],
            "replay": o["replay"],
            "agree": (o["agreement"] or {}).get("agree"),
            "convergence": o["convergence"],
            "cpu_seconds": round(time.process_time() - t0, 1),
        }
        print(label, out[label]["cpu_seconds"], "CPU-s", flush=True)
    return out


def render_variants(v: dict) -> str:
    lines = [
        "| variant | verdict | GC | M-SGC | M-SGC / GC paper (minimal) | no coding / GC | "
        "M-SGC rounds breaking its model | replay M-SGC / GC | runs |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for label, r in v.items():
        p = r["params"]
        m, nc = r["ratios"]["msgc"], r["ratios"]["nocoding"]
        rp = (r["replay"] or {}).get("ratio_to_gc", {}).get("msgc", {}).get("paper")
        lines.append(
            f"| {label} | {'credible' if r['credible'] else 'NOT credible'} | "
            f"s={p['gc']['s']} | ({p['msgc']['B']}, {p['msgc']['W']}, {p['msgc']['lam']}) | "
            f"{fmt({'ratio_to_gc': m['paper']})} ({m['minimal']['mean']:.3f}) | "
            f"{nc['paper']['mean']:.3f} | {100 * r['violations_msgc_paper']:.1f} % | "
            f"{'n/a' if rp is None else f'{rp:.3f}'} | {r['convergence']['replications']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
