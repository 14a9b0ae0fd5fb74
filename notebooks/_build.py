"""Generate the tutorial notebooks (saved without outputs): ``python notebooks/_build.py``.

The committed ``.ipynb`` files are the product; this script only keeps them easy to edit.
Each notebook is executed in the test suite by ``pytest --nbmake notebooks``.
"""

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent
SETUP = """%matplotlib inline
import warnings
warnings.filterwarnings("ignore", category=DeprecationWarning)
import numpy as np
import sympy as sp
import matplotlib.pyplot as plt
from IPython.display import Math, display"""


def nb(name, cells):
    out = []
    for kind, src in cells:
        src = src.strip("\n")
        out.append(new_markdown_cell(src) if kind == "md" else new_code_cell(src))
    book = new_notebook(cells=out, metadata={
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"}})
    nbformat.validate(book)
    nbformat.write(book, HERE / f"{name}.ipynb")


M, C = "md", "code"

# --------------------------------------------------------------------------------------------
nb("00_quickstart", [
    (M, r"""
# Quickstart: model, scheme, proof, load, bound

A **straggler model** is the set of straggler patterns $S \in \{0,1\}^{n \times R}$ we promise to
survive. `Bursty(n, B, W, lam)` admits $S$ iff in every window of $W$ consecutive rounds at most
$\lambda$ distinct workers straggle and each one's straggles fit in $B$ consecutive rounds.

A **sequential scheme** decides what every worker computes in every round; job $t$ must be
decodable by the end of round $t + T$. M-SGC (Krishnan, Ebrahimi, Khisti, ICLR 2023) has
$T = W - 2 + B$ and load
$L = \frac{(\lambda+1)(W-1+B)}{n\,(B + (W-1)(\lambda+1))}$, while any scheme needs at least the
counting bound $\frac{W-1+B}{n(W-1+B) - \lambda B}$.
"""),
    (C, """
from sgc_theory import Bursty, MSGC, verify
from sgc_theory.bounds import counting_bound, gc_load

model = Bursty(n=256, B=1, W=2, lam=27)          # the paper's AWS Lambda setting
scheme = MSGC(n=256, B=1, W=2, lam=27)
proof = verify(scheme, model, all_horizons=True)  # every admitted pattern of every length
print(proof.summary())
print("delay T =", scheme.T, " load =", scheme.load, "=", float(scheme.load))
print("counting bound =", counting_bound(256, 1, 2, 27), " GC(s=27) load =", gc_load(256, 27))
"""),
    (M, r"""
The proof is exact: the verifier explores the finite state space of (model automaton, scheme
state), here in its worker-symmetric form, so "PROVED" covers every horizon. On a tiny instance
we can also check every pattern of a fixed horizon with exact rational linear algebra:
"""),
    (C, """
small = MSGC(n=4, B=1, W=2, lam=1)
res = verify(small, rounds=5)
print(res.summary())
assert res.ok and res.patterns == small.design_model.count(5)
"""),
])

# --------------------------------------------------------------------------------------------
nb("01_straggler_models", [
    (M, r"""
# Straggler models

A pattern is a boolean array `S` of shape `(n, R)` (True = straggler; rounds before 0 are clean).
Windows $[a, a+W-1]$ slide, including those that start before round 0.

| model | admits $S$ iff in every window of $W$ rounds |
|---|---|
| `PerRound(n, s)` | at most $s$ stragglers per round ($W = 1$) |
| `Bursty(n, B, W, lam)` | $\le \lambda$ distinct stragglers, each within $B$ consecutive rounds |
| `Arbitrary(n, N, W, lam)` | $\le \lambda$ distinct stragglers, each at most $N$ times |

Whether the next straggler set is admitted depends only on the last $W-1$ rounds, so each model
is a finite automaton.
"""),
    (C, SETUP),
    (C, """
from sgc_theory.models import PerRound, Bursty, Arbitrary, parse_model, extract_pattern

b = Bursty(n=4, B=2, W=3, lam=2)
S = np.array([[1, 0, 1, 0],      # worker 0 straggles in rounds 0 and 2: a span of 3 > B = 2
              [0, 0, 0, 0],
              [0, 0, 0, 0],
              [0, 0, 0, 0]], dtype=bool)
print(b.spec, "admits S:", b.admits(S))
S2 = S.copy(); S2[0, 2] = False; S2[0, 1] = True   # rounds 0,1: a burst of length 2
print("admits burst of 2:", b.admits(S2))
print("arbitrary N=2 admits S:", Arbitrary(4, N=2, W=3, lam=2).admits(S))
print(parse_model("bursty:B=2,W=3,lam=2", 4) == b)
"""),
    (M, r"""
## Enumeration and exact counting

`enumerate(R)` lists the admitted patterns depth-first; `count(R)` counts them by dynamic
programming over the automaton. The default counter runs on *counts of worker histories*
(workers are interchangeable), which reaches $n = 256$ exactly (Python big integers).
Bursty$(B,W,\lambda) \subseteq$ Arbitrary$(N=B,W,\lambda)$ and PerRound$(s)$ = Bursty$(1,1,s)$.
"""),
    (C, """
R = 4
for m in (PerRound(4, 1), Bursty(4, B=1, W=1, lam=1), Bursty(4, B=2, W=3, lam=2),
          Arbitrary(4, N=2, W=3, lam=2)):
    listed = sum(1 for _ in m.enumerate(R))
    print(f"{m!r:40s} enumerate={listed:6d} count={m.count(R):6d} "
          f"automaton-count={m.count(R, method='automaton'):6d}")
"""),
    (C, """
import time
paper = Bursty(n=256, B=1, W=2, lam=27)
t0 = time.perf_counter()
N10 = paper.count(10)
print(f"{paper!r}: {N10} admitted patterns of 10 rounds")
print(f"  = 2^{N10.bit_length() - 1}.., computed exactly in {time.perf_counter() - t0:.2f} s")
print("  fraction of all 2^(256*10) patterns: 2^%.1f" % (np.log2(float(N10)) - 2560))
"""),
    (M, r"""
## Uniform sampling

`sample(R, rng)` draws uniformly from the admitted patterns (backward counts of completions,
then forward choices of how many workers of each history class straggle). Every sample is
admitted; the empirical mean number of stragglers per round approaches its exact value.
"""),
    (C, """
m = Bursty(n=8, B=2, W=3, lam=3)
rng = np.random.default_rng(0)
samples = [m.sample(6, rng=rng) for _ in range(300)]
assert all(m.admits(s) for s in samples)
print("mean stragglers per round:", np.mean([s.sum(axis=0).mean() for s in samples]).round(3))
big = Bursty(256, B=1, W=2, lam=27).sample(12, rng=1)
print("a uniform n=256 pattern, stragglers per round:", big.sum(axis=0))
"""),
    (M, r"""
## Patterns from a real trace

`extract_pattern(D, mu)` marks worker $i$ a straggler in round $r$ iff
$D_{i,r} > (1+\mu)\min_j D_{j,r}$. We extract the pattern of a shipped AWS Lambda trace at
$\mu = 1$ and ask which models admit it, and how long a prefix each admits. Round 1 of this
trace has 58 stragglers, far beyond the budgets the schemes are designed for, so no model of
interest admits the raw pattern: that is why the runtime simulation (notebook 05) lets the
master wait for some late workers, turning the raw pattern into an admitted *effective* one.
"""),
    (C, """
from sgc_theory.simulate import load_trace
tr = load_trace("sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000")
P = extract_pattern(tr.delays, mu=1.0)
print(P.shape, "straggling cells:", P.sum(), " per round:", P.sum(axis=0))

def admitted_prefix(model, P):
    state = model.initial_state()
    for r, mask in enumerate(model.pattern_masks(P)):
        if not model.allows(state, mask):
            return r
        state = model.advance(state, mask)
    return P.shape[1]

for m in (Bursty(256, B=1, W=2, lam=27), Bursty(256, B=2, W=3, lam=60), PerRound(256, 15),
          Arbitrary(256, N=3, W=5, lam=128)):
    k = admitted_prefix(m, P)
    print(f"{m.spec:28s} admits the first {k:2d} of {P.shape[1]} rounds; whole pattern: {m.admits(P)}")
"""),
    (C, """
fig, ax = plt.subplots(figsize=(7, 3))
ax.imshow(P[np.argsort(-P.sum(axis=1))][:120], aspect="auto", cmap="Greys", interpolation="nearest")
ax.set_xlabel("round"); ax.set_ylabel("worker (top 120 by straggles)")
ax.set_title("straggler pattern, mu = 1");
"""),
])

# --------------------------------------------------------------------------------------------
nb("02_gradient_codes", [
    (M, r"""
# One-shot gradient codes

Worker $i$ sends $f_i = \sum_p E_{ip}\, g_p$. An $(n,s)$ code tolerates $s$ stragglers iff for
every set $F$ of $n-s$ workers there is $a$ with $a^\top E_F = \mathbf 1^\top$; its load is
$\max_i |\mathrm{supp}(E_i)|/n \ge (s+1)/n$. Everything here is exact rational arithmetic.
"""),
    (C, SETUP),
    (C, """
from sgc_theory.codes import make_code, fractional_repetition, cyclic_repetition, GradientCode
frc = fractional_repetition(6, 2)
cyc = make_code(6, 2, "cyclic", seed=0)
display(Math(r"E_{\\mathrm{FRC}} = " + sp.latex(frc.sympy_matrix())))
display(Math(r"E_{\\mathrm{cyclic}} = " + sp.latex(cyc.sympy_matrix())))
print(frc, cyc, sep="\\n")
"""),
    (M, r"""
**Cyclic repetition** (Tandon et al.): row $i$ is supported on $\{i,\dots,i+s\} \bmod n$ and lies
in the null space of a random $H \in \mathbb Z^{s\times n}$ whose rows sum to zero, so
$\mathbf 1 \in \ker H$; for generic $H$ any $n-s$ rows span $\ker H$. Genericity is *certified*:
each of the $\binom{n}{s}$ straggler sets is checked (modular determinant as a fast exact
certificate, exact rational rank otherwise).

The decoding vector for a set of survivors, again exact:
"""),
    (C, """
survivors = [0, 2, 3, 5]
a = cyc.decoding_vector(survivors)
display(Math(r"a = " + sp.latex(sp.Matrix([[sp.Rational(x.numerator, x.denominator) for x in a]]))))
E = cyc.sympy_matrix()
check = sp.Matrix([[sp.Rational(x.numerator, x.denominator) for x in a]]) * E
display(Math(r"a^\\top E = " + sp.latex(check)))
assert check == sp.ones(1, 6)
"""),
    (C, """
for code in (frc, cyc, make_code(12, 3, "cyclic", seed=0)):
    print(code, code.verify())
bad = GradientCode([[1, 1, 0], [0, 1, 1], [1, 0, 1]], s=1)   # covers every partition twice...
print(bad, bad.verify().to_dict())                              # ...but cannot decode
print("covering condition holds:", bad.covers())
"""),
    (M, r"""
## Why floating point fails

Decoding in floats solves $a^\top E_F = \mathbf 1^\top$ numerically. The worst condition number
$\kappa(E_F) = \sigma_1/\sigma_r$ over straggler sets grows quickly with $n$ for cyclic codes
with random integer $H$, so float decoding loses digits (and a float rank test can both accept
non-decodable sets and reject decodable ones). Fractional repetition is perfectly conditioned
but needs $(s+1) \mid n$.
"""),
    (C, """
rows = []
for n, s in ((6, 2), (8, 2), (10, 3), (12, 3), (16, 4), (20, 5)):
    c = make_code(n, s, "cyclic", seed=0)
    rep = c.condition_report(max_sets=3000)
    rows.append((n, s, rep.worst, rep.median))
    print(f"n={n:2d} s={s}: worst kappa = {rep.worst:10.3g}   median = {rep.median:8.3g}"
          f"   ({rep.sets_checked} sets{', sampled' if rep.sampled else ''})")
print("FRC(12, 3): worst kappa =", round(fractional_repetition(12, 3).condition_report().worst, 4))
"""),
    (C, """
# a float decoder on the worst set of a larger cyclic code: residual of a^T E_F = 1
c = make_code(20, 5, "cyclic", seed=0)
rep = c.condition_report(max_sets=3000)
F = [i for i in range(c.n) if i not in rep.worst_stragglers]
Ef = c.to_numpy()[F]
a_float, *_ = np.linalg.lstsq(Ef.T, np.ones(c.n), rcond=None)
print("kappa =", f"{rep.worst:.3g}", " float residual =", f"{np.abs(a_float @ Ef - 1).max():.2e}")
a_exact = c.decoding_vector(F)            # exact: residual is exactly 0
print("exact decoding vector has", sum(1 for x in a_exact if x), "nonzeros, denominators up to",
      max(x.denominator for x in a_exact))
"""),
    (M, r"""
## Support graph

The bipartite graph workers–partitions (an edge when $E_{ip} \neq 0$). A necessary condition for
tolerating $s$ stragglers is that every partition has degree $\ge s+1$.
"""),
    (C, """
fig, axes = plt.subplots(1, 2, figsize=(8, 3.2))
frc.draw(ax=axes[0]); cyc.draw(ax=axes[1]);
"""),
])

# --------------------------------------------------------------------------------------------
nb("03_sequential_schemes", [
    (M, r"""
# Sequential schemes round by round

Jobs arrive one per round and job $t$ must be decoded by round $t+T$. Schemes adapt to the
stragglers they have seen. `scheme.symbolic(r, history)` shows round $r$ as a matrix whose row
$i$ lists worker $i$'s tasks as linear combinations of partial gradients $g[t,p]$ (job $t$,
partition $p$).

**M-SGC** ($T = W-2+B$) splits every job into an uncoded part D1 ($n(W-1)$ chunks, chunk
$(i,j)$ for worker $i$) and a coded part D2 ($B$ groups, each coded with an $(n,\lambda)$-GC).
Slot $m \le W-2$ of job $t$ (round $t+m$) computes D1 chunk $(i,m)$; slot $W-1+g$ computes
coded task $(i,g)$ if all of worker $i$'s D1 chunks arrived, otherwise re-computes the lowest
missing one.
"""),
    (C, SETUP),
    (C, """
from sgc_theory import MSGC, SRSGC, GC, Bursty, PerRound, verify
ms = MSGC(n=4, B=1, W=2, lam=1)
print(ms, "T =", ms.T, "load =", ms.load, " partition sizes:", [str(x) for x in ms.partition_sizes])
for r in range(3):
    display(Math(rf"\\text{{round {r}, no stragglers: }}" + sp.latex(ms.symbolic(r))))
"""),
    (C, """
# worker 1 straggles in round 1: in round 2 it re-computes its lost D1 chunk of job 1
hist = np.zeros((4, 2), dtype=bool); hist[1, 1] = True
display(Math(r"\\text{round 2 after worker 1 straggled in round 1: }" + sp.latex(ms.symbolic(2, hist))))
"""),
    (M, r"""
**SR-SGC** ($T = B$) runs an $(n,s)$-GC with $s = \lceil B\lambda/(W-1+B)\rceil$ and, $B$ rounds
later, lets $|M_t| - s$ of the workers whose job-$t$ result is missing re-attempt it.
"""),
    (C, """
sr = SRSGC(n=4, B=1, W=2, lam=2)
print(sr, "s =", sr.s if hasattr(sr, "s") else "?", "T =", sr.T, "load =", sr.load)
P = np.zeros((4, 4), dtype=bool); P[[0, 1], 1] = True      # two stragglers in round 1 (> s = 1)
run = sr.run(P)
print(run.table())
display(Math(r"\\text{round 2: }" + sp.latex(sr.symbolic(2, P[:, :2]))))
"""),
    (M, r"""
## Decoding, exactly

The master decodes job $t$ by finding coefficients $c$ with $\sum_k c_k v_k = \mathbf 1$ over the
coefficient vectors $v_k$ it received.
"""),
    (C, """
t = 1
received = run.received[t]
c = sr.decode(t, received)
print(f"job {t}: {len(received)} results received, decoded at end of round {run.decoded_round[t]}")
print("combination:", [str(x) for x in c])
"""),
    (M, r"""
## All-horizon proof and the state graph

The pair (model automaton state, scheme state with jobs named by age) takes finitely many
values. Breadth-first exploration of the reachable pairs proves the scheme for every pattern of
every length; with `graph=True` we get the state graph (edges labelled by straggler sets).
"""),
    (C, """
import networkx as nx
res = verify(ms, all_horizons=True, graph=True)
print(res.summary())
G = res.graph
print(G.number_of_nodes(), "states,", G.number_of_edges(), "transitions")
fig, ax = plt.subplots(figsize=(6, 4))
pos = nx.spring_layout(G, seed=1)
nx.draw_networkx(G, pos, ax=ax, node_size=350, node_color="tab:green", font_size=8,
                 connectionstyle="arc3,rad=0.1", arrows=True)
labels = {(u, v): d.get("stragglers") for u, v, d in G.edges(data=True)}
nx.draw_networkx_edge_labels(G, pos, edge_labels=labels, font_size=6, ax=ax)
ax.set_title("M-SGC(4; B=1, W=2, lam=1): reachable states (edge: #stragglers)"); ax.set_axis_off()
"""),
    (C, """
print(verify(sr, all_horizons=True).summary())
print(verify(SRSGC(256, B=2, W=3, lam=23), all_horizons=True).summary())
"""),
    (M, r"""
## A counterexample under a model the scheme was not designed for

M-SGC(B=1) assumes one-round bursts. Under per-round(2) (two stragglers in *any* round, with no
window budget) the verifier finds a shortest failing pattern; replaying it through the exact run
shows which job misses its deadline and why.
"""),
    (C, """
bad = verify(ms, PerRound(4, 2), all_horizons=True, graph=True)
print(bad.summary())
print("counterexample rounds:", bad.counterexample_rounds())
replay = ms.run(bad.counterexample)
print(replay.table())
print("first missed job:", replay.first_missed())
assert replay.first_missed() == bad.failed_job
"""),
    (C, """
bursty2 = verify(ms, Bursty(4, B=2, W=2, lam=1), all_horizons=True)
print(bursty2.summary())
"""),
])

# --------------------------------------------------------------------------------------------
nb("04_optimal_load", [
    (M, r"""
# Optimal load for a given delay

A piece of job data is recovered iff some non-straggler computed it, so the optimal load is the
value of a covering game: each round the master spreads each active job's still-uncovered data
over worker sets $A$, then the adversary picks an admitted straggler set $S$. Variables
$y[d,h,A] \ge 0$ (age $d$, history $h$):

$$\sum_A y[0,h,A] = 1,\quad \sum_A y[d{+}1, h{+}S, A] = \sum_{A \subseteq S} y[d,h,A],\quad
\sum_{A\subseteq S} y[T,h,A] = 0,$$
$$\sum_d \sum_{A \ni i} y[d, \mathrm{suffix}(g), A] \le L \;\; \forall g, i,\qquad \min L.$$

Its optimum is a scheme (an upper bound on the optimal load for delay $T$), certified exactly
by rounded primal and dual solutions. Worker symmetry keeps one variable per orbit.
"""),
    (C, SETUP),
    (C, """
from fractions import Fraction
from pathlib import Path
from sgc_theory.models import Bursty
from sgc_theory.bounds import msgc_load, msgc_delay, counting_bound, gc_load
from sgc_theory.design import build_covering_lp, solve, design

table_csv = Path("..") / "results" / "load_table.csv"
print("precomputed table:", table_csv.resolve() if table_csv.exists() else "not present; solving here")
if table_csv.exists():
    import csv
    rows = list(csv.DictReader(table_csv.open()))
    print(len(rows), "rows; columns:", list(rows[0]) if rows else [])
    for r in rows[:15]:
        print(r)
"""),
    (C, """
def fr(x):
    return Fraction(int(x.p), int(x.q))

rows = []
for n in (3, 4):
    for B, W in ((1, 2), (1, 3)):
        T = int(msgc_delay(B, W))
        for lam in range(1, n + 1):
            res = design(n, Bursty(n, B=B, W=W, lam=lam), T)
            rows.append((n, B, W, lam, T, res.load_fraction, res.exact,
                         fr(msgc_load(n, B, W, lam)), fr(counting_bound(n, B, W, lam))))
print(f"{'n':>2} {'B':>2} {'W':>2} {'lam':>3} {'T':>2} {'LP opt':>8} {'M-SGC':>7} {'bound':>7}  verdict")
for n, B, W, lam, T, lp, ex, ms, cb in rows:
    verdict = "M-SGC optimal" if lp == ms else f"M-SGC {float(ms / lp - 1):.1%} above optimum"
    print(f"{n:>2} {B:>2} {W:>2} {lam:>3} {T:>2} {str(lp):>8} {str(ms):>7} {str(cb):>7}  {verdict}"
          + ("" if ex else " (LP value not certified)"))
"""),
    (M, r"""
**Reading the table.** At $\lambda \ge n-1$ M-SGC meets the LP optimum (and the counting bound):
it is optimal for its delay. For small $\lambda$ a scheme with the same delay does strictly
better, and at $W = 3$ the LP reaches the counting bound, so there the bound is tight and M-SGC
is not. Sanity check from SPEC: at $T = 0$ the optimum is plain GC, $(\lambda+1)/n$.
"""),
    (C, """
for lam in (1, 2):
    res = design(4, Bursty(4, B=1, W=2, lam=lam), T=0)
    print(f"T=0, lam={lam}: LP {res.load_fraction}  GC {gc_load(4, lam)}")
    assert res.load_fraction == fr(gc_load(4, lam))
"""),
    (M, r"""
## An explicit scheme from the ILP

With $K$ equal partitions and integer $y$ (in units of $1/K$) the solution is a table from
histories to partition assignments: `TabularScheme`, which the verifier of notebook 03 checks
like any other scheme. (Integrality is imposed per orbit, so the symmetric ILP may sit above
the LP value.)
"""),
    (C, """
from sgc_theory.schemes.tabular import TabularScheme
from sgc_theory.verify import verify
model = Bursty(4, B=1, W=2, lam=2)
print("LP optimum:", design(4, model, 1).load_fraction, "  M-SGC:", msgc_load(4, 1, 2, 2))
for K in (8, 12, 16, 32):
    print(f"  ILP with K={K:2d} partitions per job: load", solve(build_covering_lp(4, model, T=1, partitions=K)).load_fraction)
"""),
    (M, r"""
The symmetric ILP value is not monotone in $K$ (integrality per orbit); with $K = 32$ it reaches
the LP optimum $11/32 < 3/8$. The resulting table is an explicit scheme with delay 1 that beats
M-SGC, and the exact all-horizon verifier accepts it:
"""),
    (C, """
lp = build_covering_lp(4, model, T=1, partitions=32)
res = solve(lp)
print(lp.num_variables, "variables,", lp.num_constraints, "constraints; ILP load", res.load_fraction)
sch = TabularScheme(lp.scheme_table())
proof = verify(sch, model, all_horizons=True)
print(proof.summary())
assert proof.ok and res.load_fraction < msgc_load(4, 1, 2, 2)
"""),
    (C, """
import sys
sys.path.insert(0, str(Path("..") / "paper_figures"))
import fig_lp_vs_msgc
d = fig_lp_vs_msgc.data()
fig, axes = plt.subplots(1, 3, figsize=(10, 3), sharey=True)
for ax, ((B, W), c) in zip(axes, d["cases"].items()):
    ax.plot(c["lam"], c["msgc"], "o-", label="M-SGC"); ax.plot(c["lam"], c["lp"], "s--", label="LP")
    ax.plot(c["lam"], c["bound"], "k:", label="counting bound"); ax.set_title(f"n=4, B={B}, W={W}")
    ax.set_xlabel("lam")
axes[0].legend();
"""),
])

# --------------------------------------------------------------------------------------------
nb("05_aws_lambda", [
    (M, r"""
# Real traces: AWS Lambda, 256 workers

The shipped traces are the probe measurements published with the SGC paper: per round, the time
each of 256 Lambda workers took, at several probe loads (fraction of a full gradient). A worker
straggles when its time exceeds $(1+\mu)$ times the fastest, $\mu = 1$.
"""),
    (C, SETUP),
    (C, """
from sgc_theory.simulate import list_traces, load_trace, simulate, sweep
from sgc_theory.simulate.traces import trace_index
from sgc_theory.models import extract_pattern
idx = trace_index()
print(len(idx), "traces")
for name in list(idx)[:6]:
    r = idx[name]
    print(f"{name[:58]:58s} rounds={r['rounds']:>2} probe_load={r['probe_load']:>5} "
          f"region={r['region']:7s} median={r['median_s']}s p99={r['p99_s']}s")
"""),
    (C, """
tr = load_trace("sam-gc-cnn_profile_est_desktop_long__w256-n30-l0_000")
P = extract_pattern(tr.delays, mu=1.0)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.2), gridspec_kw={"width_ratios": [3, 1]})
im = axes[0].imshow(np.log10(tr.delays), aspect="auto", cmap="magma", interpolation="nearest")
fig.colorbar(im, ax=axes[0], label="log10 seconds")
axes[0].set_xlabel("round"); axes[0].set_ylabel("worker"); axes[0].set_title("delays")
axes[1].imshow(P, aspect="auto", cmap="Greys", interpolation="nearest")
axes[1].set_title(f"stragglers (mu=1): {P.sum()}"); axes[1].set_xlabel("round");
"""),
    (M, r"""
## Simulation under both waiting policies

A scheme with load $L$ sees delays $D + (L - L_0)\,c$ ($c = 1.1218$ s per unit load). Each round
the master waits until $(1+\mu)\min_i D_{i,r}$.
*Paper policy*: if the late workers form an admitted straggler set, move on, otherwise wait for
everyone. *Minimal policy*: wait only until the workers still running form an admitted set.
"""),
    (C, """
configs = {"nocoding": {}, "gc": {"s": 15}, "srsgc": {"B": 2, "W": 3, "lam": 23},
           "msgc": {"B": 1, "W": 2, "lam": 27}}
results = {}
print(f"{'scheme':9s} {'load':>8s} {'paper (s)':>10s} {'waits':>5s} {'minimal (s)':>11s} {'waits':>5s}")
for name, params in configs.items():
    p = simulate(tr, name, jobs=25, mu=1.0, policy="paper", **params)
    m = simulate(tr, name, jobs=25, mu=1.0, policy="minimal", **params)
    results[name] = (p, m)
    print(f"{name:9s} {p.load:8.5f} {p.runtime:10.2f} {p.waits:5d} {m.runtime:11.2f} {m.waits:5d}")
"""),
    (C, """
fig, ax = plt.subplots(figsize=(6, 3.2))
for name, (p, m) in results.items():
    for res, ls in ((p, "-"), (m, "--")):
        ax.plot(np.cumsum(res.round_times), ls=ls, label=f"{name} ({res.policy})")
ax.set_xlabel("round"); ax.set_ylabel("elapsed time (s)"); ax.legend(fontsize=7, ncol=2);
"""),
    (M, r"""
## A small sweep

`sweep` evaluates *every* configuration (GC: all $s$; SR-SGC and M-SGC: all $(B, W, \lambda)$
with delay $\le T_{\max}$) on the trace, vectorized over configurations, and reports the fastest
per scheme. The best configurations are re-checked with the schemes' own decoders.
"""),
    (C, """
res = sweep(tr, jobs=15, max_delay=3, mu=1.0, policy=("paper", "minimal"), progress=False)
print(res.evaluated, "configurations x policies")
for pol, best in res.best.items():
    for name, b in best.items():
        print(f"{pol:8s} {name:9s}", {k: (round(v, 5) if isinstance(v, float) else v) for k, v in b.items()})
"""),
    (C, """
fig, ax = plt.subplots(figsize=(6, 3.4))
for name, color in (("gc", "tab:blue"), ("srsgc", "tab:orange"), ("msgc", "tab:green")):
    pts = [(r["load"], r["runtime"]) for r in res.table
           if r["scheme"] == name and r["policy"] == "minimal" and r["runtime"] is not None]
    x, y = np.array(pts).T
    ax.scatter(x, y, s=3, alpha=0.3, color=color, label=name)
ax.set_xscale("log"); ax.set_xlabel("normalized load"); ax.set_ylabel("runtime (s)")
ax.set_title("minimal policy, 15 jobs"); ax.legend();
"""),
])
