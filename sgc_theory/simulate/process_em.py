"""Baum-Welch EM for the straggler process with any emission family per state
(docs/guide/processes.md, "Fitting and model choice").

The data are the log relative times ``y[r, i] = log(D[i, r] / F[r])`` (rounds x workers), one
hidden chain per worker; the forward-backward pass runs over all workers at once (numpy, scaled
probabilities). Every log-likelihood is that of the relative times ``x = exp(y)`` (the Jacobian
of the log included), so models with different families and numbers of states compare on the
same data.
"""

from __future__ import annotations

import math

import numpy as np

from . import process_families as fam

__all__ = ["EMResult", "forward_backward", "run_em", "label_init", "choose_families", "em_start"]

#: floor of an emission's log density (a density of e^-700: keeps a point off every support
#: from zeroing a worker's likelihood)
LOG_FLOOR = -700.0


class EMResult:
    """Parameters and fit of one EM run: ``startprob``, ``transmat``, ``emissions``, ``gamma``
    (posterior state probabilities, rounds x workers x K), ``loglik``, ``iterations``,
    ``converged``."""

    def __init__(self, startprob, transmat, emissions, gamma, loglik, iterations, converged):
        self.startprob, self.transmat, self.emissions = startprob, transmat, emissions
        self.gamma, self.loglik = gamma, loglik
        self.iterations, self.converged = iterations, converged


def log_emissions(y: np.ndarray, emissions) -> np.ndarray:
    """``(R, n, K)`` log densities, floored at :data:`LOG_FLOOR`."""
    out = np.stack([fam.logpdf(e, y) for e in emissions], axis=-1)
    return np.maximum(out, LOG_FLOOR)


def forward_backward(L: np.ndarray, pi: np.ndarray, A: np.ndarray):
    """Scaled forward-backward over every worker at once: ``(gamma, xi_sum, loglik)`` from the
    log emissions ``L`` (R, n, K)."""
    R, n, K = L.shape
    m = L[..., 0].copy()
    for k in range(1, K):  # faster than a reduction over the short last axis
        np.maximum(m, L[..., k], out=m)
    B = np.exp(L - m[..., None])
    alpha = np.empty_like(B)
    c = np.empty((R, n))
    one = np.ones(K)
    a = pi[None, :] * B[0]
    c[0] = a @ one  # (matrix products beat reductions over the short last axis)
    alpha[0] = a / c[0][:, None]
    for r in range(1, R):
        a = (alpha[r - 1] @ A) * B[r]
        c[r] = a @ one
        alpha[r] = a * (1.0 / c[r])[:, None]
    beta = np.empty_like(B)
    beta[R - 1] = 1.0
    Bb = np.empty_like(B)
    Bb[R - 1] = B[R - 1] / c[R - 1][:, None]
    AT = np.ascontiguousarray(A.T)
    for r in range(R - 2, -1, -1):
        beta[r] = Bb[r + 1] @ AT
        Bb[r] = B[r] * beta[r] * (1.0 / c[r])[:, None]
    gamma = alpha * beta
    xi = A * np.einsum("rik,ril->kl", alpha[:-1], Bb[1:]) if R > 1 else np.zeros((K, K))
    loglik = float(np.log(c).sum() + m.sum())
    return gamma, xi, loglik


def label_init(S: np.ndarray, y: np.ndarray, K: int) -> np.ndarray:
    """Initial states ``(R, n)``: 0 for non-stragglers, the stragglers ``S`` split into ``K - 1``
    groups by the quantiles of their ``y``."""
    z = S.astype(np.int64)
    if K > 2 and S.sum() >= K - 1:
        v = y[S]
        cuts = np.quantile(v, np.linspace(0, 1, K)[1:-1])
        z[S] = np.minimum(1 + np.searchsorted(cuts, v, side="right"), K - 1)
    return z


def _init_params(y, z, K, families, edges):
    gamma = np.stack([(z == k).astype(float) for k in range(K)], axis=-1)
    gamma = 0.98 * gamma + 0.02 / K
    A = np.full((K, K), 0.5)
    for k in range(K):
        a = z[:-1] == k
        if a.any():
            A[k] += np.bincount(z[1:][a], minlength=K)
    A /= A.sum(axis=1, keepdims=True)
    pi = np.bincount(z[0], minlength=K) + 0.5
    ems = [fam.fit_weighted(families[k], y, gamma[..., k], edges) for k in range(K)]
    return pi / pi.sum(), A, ems


def run_em(y, z0, families, edges, *, n_iter, tol, start=None, charge=None) -> EMResult:
    """EM from the labels ``z0`` (or from ``start = (pi, A, emissions)``) with the emission
    family of every state fixed; stops when the log-likelihood gains less than ``tol`` per 1000
    relative times (at least ``100 tol``), or after ``n_iter`` iterations (then ``converged`` is False). ``charge(k)``
    is called after every iteration (work meter, progress bar)."""
    K = len(families)
    pi, A, ems = start if start is not None else _init_params(y, z0, K, families, edges)
    stop = tol * max(y.size / 1000.0, 100.0)
    prev, it, converged = -math.inf, 0, False
    gamma, ll = None, -math.inf
    while it < n_iter:
        it += 1
        with np.errstate(divide="ignore", over="ignore", invalid="ignore", under="ignore"):
            gamma, xi, ll = forward_backward(log_emissions(y, ems), pi, A)
        if charge is not None:
            charge(1)
        if not math.isfinite(ll):
            break
        if ll - prev < stop and it > 1:
            converged = True
            break
        prev = ll
        pi = gamma[0].mean(axis=0) + 1e-12
        pi /= pi.sum()
        A = xi + 1e-12
        A /= A.sum(axis=1, keepdims=True)
        ems = [
            fam.fit_weighted(families[k], y, gamma[..., k], edges)
            if gamma[..., k].sum() > 1e-9
            else ems[k]
            for k in range(K)
        ]
    return EMResult(pi, A, ems, gamma, ll, it, converged)


def _logsumexp_cols(cols) -> np.ndarray:
    """Elementwise ``log(sum(exp(c)))`` of a list of equal-length arrays."""
    out = cols[0]
    for c in cols[1:]:
        out = np.logaddexp(out, c)
    return out


def _options(family, y, w, edges):
    """Candidate emissions of one family for one state: for the families with a lower end,
    the ends at the 0, 0.1, 1 and 5 % quantiles of the values the state owns."""
    if family not in ("shiftexp", "pareto"):
        return [fam.fit_weighted(family, y, w, edges)]
    own = y[w >= 0.5 * w.max()]
    ends = np.unique(np.quantile(own, [0.0, 0.001, 0.01, 0.05])) if own.size else [None]
    return [fam.fit_weighted(family, y, w, edges, lower=c) for c in ends]


def choose_families(y, res: EMResult, edges, allowed=fam.FAMILIES) -> tuple[list, list]:
    """Per state, the family of ``allowed`` with the smallest BIC of the *stationary mixture*
    of the states (the other states as ``res`` has them; the chain's persistence does not
    change which shape fits a state): ``-2 x log-likelihood + parameters x log N``, each family
    fitted to the state's posterior weights. Returns ``(families, table)``, ``table[k]``
    listing ``(family, bic)`` best first; ``families`` holds the chosen emissions."""
    from .process_model import stationary_law

    yv = y.ravel()
    log_n = math.log(yv.size)
    K = len(res.emissions)
    logw = np.log(np.maximum(stationary_law(res.transmat, res.startprob), 1e-300))
    with np.errstate(divide="ignore", over="ignore", invalid="ignore", under="ignore"):
        cols = [
            np.maximum(fam.logpdf(e, yv), LOG_FLOOR) + logw[j] for j, e in enumerate(res.emissions)
        ]
        fams, table = [], []
        for k in range(K):
            w = res.gamma[..., k].ravel()
            rest = _logsumexp_cols([c for j, c in enumerate(cols) if j != k])
            scores, best = {}, {}
            for f in allowed:
                for e in _options(f, yv, w, edges):
                    col = np.maximum(fam.logpdf(e, yv), LOG_FLOOR) + logw[k]
                    ll = float(np.logaddexp(rest, col).sum())
                    b = -2.0 * ll + fam.n_params(e) * log_n
                    if b < scores.get(f, math.inf):
                        scores[f], best[f] = b, e
            ranked = sorted(scores.items(), key=lambda t: t[1])
            fams.append(best[ranked[0][0]])
            table.append([(f, float(b)) for f, b in ranked])
    return fams, table


def em_start(res: EMResult, emissions):
    """``(pi, A, emissions)``: the chain of ``res`` continued with other emissions."""
    return res.startprob, res.transmat, list(emissions)
