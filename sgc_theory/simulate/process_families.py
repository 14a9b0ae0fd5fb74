"""Emission families of a straggler process: the law of a worker's relative time in one state
(docs/guide/processes.md).

A worker's *relative time* is ``x = D[i, r] / F[r]`` (its delay over the round's common factor).
In every hidden state it follows one of four families, each a density on ``x > 0``:

* ``lognormal``: ``log x ~ N(m, s^2)`` (2 parameters);
* ``shiftexp``: ``x = c + E``, ``E`` exponential of rate ``b`` (shift ``c >= 0``; 2 parameters);
* ``pareto``: ``x = c * exp(E)``, ``E`` exponential of rate ``a`` (a heavy tail of index ``a``,
  ``x >= c``; 2 parameters);
* ``empirical``: a histogram of ``log x`` on fixed edges (``B - 1`` parameters for ``B`` bins),
  uniform within a bin; what the trace shows, with no shape assumed.

Each family is a small dict (``{"family": "lognormal", "mean": m, "sd": s}``, ...), written as
such in process files. :func:`logpdf` is the log density *of x* (the Jacobian of the log is
included), so the likelihoods of models with different families are comparable;
:func:`fit_weighted` is the weighted maximum-likelihood fit of one family (the M step of EM);
:func:`sample` draws ``log x``.
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import SGCError

__all__ = ["FAMILIES", "logpdf", "fit_weighted", "sample", "n_params", "check_emission"]

FAMILIES = ("lognormal", "shiftexp", "pareto", "empirical")

#: bounds that keep generation finite and positive (exp of at most 700, at least -700)
MAX_LOG = 50.0
MAX_SD = 10.0
_TINY = 1e-300


def n_params(e: dict) -> int:
    """Free parameters of an emission (its share of an information criterion)."""
    if e["family"] == "empirical":
        return len(e["probs"]) - 1
    return 2


def logpdf(e: dict, y: np.ndarray) -> np.ndarray:
    """Log density of ``x = exp(y)`` under the emission ``e`` (``-inf`` off its support)."""
    fam = e["family"]
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if fam == "lognormal":
            m, s = e["mean"], e["sd"]
            return -0.5 * ((y - m) / s) ** 2 - math.log(s) - 0.5 * math.log(2 * math.pi) - y
        if fam == "shiftexp":
            c, b = e["shift"], e["rate"]
            x = np.exp(y)
            return np.where(x >= c, math.log(b) - b * (x - c), -np.inf)
        if fam == "pareto":
            c, a = e["scale"], e["alpha"]
            lc = math.log(c)
            return np.where(y >= lc, math.log(a) + a * lc - (a + 1) * y, -np.inf)
        edges, probs = np.asarray(e["edges"]), np.asarray(e["probs"])
        k = np.clip(np.searchsorted(edges, y, side="right") - 1, 0, probs.size - 1)
        dens = probs / np.diff(edges)
        return np.log(np.maximum(dens[k], _TINY)) - y


def fit_weighted(family: str, y: np.ndarray, w: np.ndarray, edges=None, lower=None) -> dict:
    """Weighted maximum-likelihood emission of ``family`` for the values ``y = log x`` with
    weights ``w`` (posterior probabilities of the state); ``edges`` for ``empirical``. For the
    families with a lower end (``shiftexp``, ``pareto``) the end is ``lower`` (a ``log x``) when
    given, else the smallest value the state owns (weight >= half the largest)."""
    y, w = np.ravel(y), np.ravel(w)
    W = float(w.sum())
    if W <= 0:
        raise SGCError("fit_weighted: the state has no weight")
    if family == "lognormal":
        m = float((w * y).sum() / W)
        s = math.sqrt(max(float((w * (y - m) ** 2).sum() / W), 1e-6))
        return {"family": "lognormal", "mean": m, "sd": min(s, MAX_SD)}
    if family in ("shiftexp", "pareto"):
        lc = float(y[w >= 0.5 * w.max()].min()) if lower is None else float(lower)
        lc = min(lc, float(y.max())) - 1e-9
        w = np.where(y >= lc, w, 0.0)
        W = max(float(w.sum()), 1e-300)
        if family == "shiftexp":
            c = math.exp(lc)
            mean_excess = float((w * np.maximum(np.exp(y) - c, 0.0)).sum() / W)
            return {"family": "shiftexp", "shift": c, "rate": 1.0 / max(mean_excess, 1e-9)}
        mean_excess = float((w * np.maximum(y - lc, 0.0)).sum() / W)
        return {
            "family": "pareto",
            "scale": math.exp(lc),
            "alpha": min(1.0 / max(mean_excess, 1e-9), 1e6),
        }
    if family == "empirical":
        edges = np.asarray(edges, dtype=float)
        k = np.clip(np.searchsorted(edges, y, side="right") - 1, 0, edges.size - 2)
        counts = np.bincount(k, weights=w, minlength=edges.size - 1) + 1e-3 * W / edges.size
        return {
            "family": "empirical",
            "edges": edges.tolist(),
            "probs": (counts / counts.sum()).tolist(),
        }
    raise SGCError(f"marginal family must be one of {', '.join(FAMILIES)} (got {family!r})")


def hist_edges(y: np.ndarray, bins: int = 16) -> np.ndarray:
    """Edges of the ``empirical`` family: ``bins`` equal-width and ``bins`` equal-count cells
    of the values merged (fine where the mass is, and over the whole range)."""
    lo, hi = float(y.min()), float(y.max())
    pad = 1e-6 * max(1.0, hi - lo)
    q = np.quantile(y, np.linspace(0, 1, bins + 1))
    e = np.unique(np.round(np.concatenate([np.linspace(lo, hi, bins + 1), q]), 12))
    e[0], e[-1] = lo - pad, hi + pad
    keep = np.concatenate([[True], np.diff(e) > 1e-9 * max(1.0, hi - lo)])
    return e[keep]


def sample(e: dict, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` draws of ``log x``."""
    fam = e["family"]
    if fam == "lognormal":
        return e["mean"] + e["sd"] * rng.standard_normal(size)
    if fam == "shiftexp":
        return np.log(e["shift"] + rng.exponential(1.0 / e["rate"], size))
    if fam == "pareto":
        return math.log(e["scale"]) + rng.exponential(1.0 / e["alpha"], size)
    edges, probs = np.asarray(e["edges"]), np.asarray(e["probs"])
    cum = np.cumsum(probs)
    k = np.minimum(np.searchsorted(cum / cum[-1], rng.random(size), "right"), probs.size - 1)
    return edges[k] + rng.random(size) * (edges[k + 1] - edges[k])


def _num(label, value, lo=None, hi=None, lo_open=False) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise SGCError(f"{label} must be a number (got {value!r})")
    v = float(value)
    if not math.isfinite(v):
        raise SGCError(f"{label} must be finite (got {value!r})")
    if lo is not None and (v < lo or (lo_open and v <= lo)):
        raise SGCError(f"{label} must be {'>' if lo_open else '>='} {lo:g} (got {v:g})")
    if hi is not None and v > hi:
        raise SGCError(f"{label} must be <= {hi:g} (got {v:g})")
    return v


def check_emission(e, label: str) -> dict:
    """A validated copy of an emission dict (strict types, finite, bounded so that generated
    delays are finite and positive); :class:`~sgc_theory.errors.SGCError` naming the field."""
    if not isinstance(e, dict) or e.get("family") not in FAMILIES:
        raise SGCError(
            f"{label}: an emission needs family one of {', '.join(FAMILIES)} (got {e!r:.80})"
        )
    fam = e["family"]
    want = {
        "lognormal": ("mean", "sd"),
        "shiftexp": ("shift", "rate"),
        "pareto": ("scale", "alpha"),
        "empirical": ("edges", "probs"),
    }[fam]
    extra = set(e) - {"family", *want}
    if extra or any(k not in e for k in want):
        raise SGCError(f"{label}: a {fam} emission has exactly the fields {', '.join(want)}")
    bound = math.exp(MAX_LOG)
    if fam == "lognormal":
        return {"family": fam, "mean": _num(f"{label}.mean", e["mean"], -MAX_LOG, MAX_LOG),
                "sd": _num(f"{label}.sd", e["sd"], 0.0, MAX_SD)}  # fmt: skip
    if fam == "shiftexp":
        return {"family": fam, "shift": _num(f"{label}.shift", e["shift"], 0.0, bound),
                "rate": _num(f"{label}.rate", e["rate"], 1 / bound, bound)}  # fmt: skip
    if fam == "pareto":
        return {"family": fam, "scale": _num(f"{label}.scale", e["scale"], 1 / bound, bound, True),
                "alpha": _num(f"{label}.alpha", e["alpha"], 0.05, 1e6)}  # fmt: skip
    edges, probs = e["edges"], e["probs"]
    if not isinstance(edges, list) or not isinstance(probs, list) or len(probs) < 1:
        raise SGCError(f"{label}: empirical edges and probs must be lists")
    if len(edges) != len(probs) + 1 or len(probs) > 10_000:
        raise SGCError(f"{label}: empirical needs len(edges) = len(probs) + 1 <= 10001")
    ed = [_num(f"{label}.edges", v, -MAX_LOG, MAX_LOG) for v in edges]
    pr = [_num(f"{label}.probs", v, 0.0, 1.0) for v in probs]
    if any(b <= a for a, b in zip(ed, ed[1:])):
        raise SGCError(f"{label}: empirical edges must increase")
    if abs(sum(pr) - 1.0) > 1e-6:
        raise SGCError(f"{label}: empirical probs must sum to 1 (got {sum(pr):.9g})")
    return {"family": fam, "edges": ed, "probs": pr}


def describe(e: dict) -> str:
    """One short line: ``lognormal(mean 0.01, sd 0.10)``, ``pareto(scale 2.9, alpha 3.1)``."""
    fam = e["family"]
    if fam == "lognormal":
        return f"lognormal(log-mean {e['mean']:.3g}, sd {e['sd']:.3g})"
    if fam == "shiftexp":
        return f"shiftexp(shift {e['shift']:.3g}, rate {e['rate']:.3g})"
    if fam == "pareto":
        return f"pareto(scale {e['scale']:.3g}, alpha {e['alpha']:.3g})"
    return f"empirical({len(e['probs'])} bins)"
