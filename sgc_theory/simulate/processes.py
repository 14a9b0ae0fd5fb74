"""Straggler processes: hidden Markov models of delay matrices, fitted to traces by EM
(docs/guide/processes.md).

The model
---------
A delay matrix ``D`` (workers x rounds) is written ``D[i, r] = F[r] * X[i, r]``:

* ``F[r]`` is a **common factor**, the median round time of round ``r`` (cluster-wide slowdowns
  move every worker at once). ``log F`` is a stationary Gaussian AR(1) series (mean, standard
  deviation, lag-one correlation ``phi``), fitted by the sample moments.
* ``X[i, r] = D[i, r] / F[r]`` is the worker's time relative to its round. Every worker carries a
  hidden state ``z[i, r]`` in ``0..K-1`` (``K >= 2``; state 0 is the fastest, "normal", and the
  others are "slow"), a Markov chain from round to round with transition matrix ``A`` and initial
  law ``pi``, shared by all workers (a Gilbert-Elliott channel when ``K = 2``). Given its state,
  a score ``Y[i, r]`` is Gaussian with the state's mean and standard deviation, and
  ``log X = Q(Phi(Y))``:

  - ``marginal="empirical"`` (the default for fits): ``Q`` is the empirical quantile function of
    the trace's ``log X`` (linear between the sorted values, clamped at the ends) and ``Y`` the
    normal scores of the trace's values (ranks through the inverse normal distribution). The
    round-time distribution of the trace, its lower tail included, is kept exactly; this matters
    because a straggler is a worker past ``(1 + mu)`` times the *fastest* of the round, an
    extreme of the lower tail that a log-normal body misplaces on the shipped traces.
  - ``marginal="lognormal"``: ``log X = Y`` (log-normal times per state).

Workers are independent given ``F``. The chain and the emissions are fitted by maximum likelihood
(Baum-Welch EM, ``hmmlearn.hmm.GaussianHMM`` with one sequence per worker); the initial
states of EM are the straggler labels of the trace at the chosen ``mu`` (a worker is slow in a
round when it is past ``(1 + mu)`` times the fastest), so EM starts from the partition that
matters to the schemes.

The straggler rule compares a worker with the *fastest of the n workers*, so a process is
calibrated for the number of workers it was fitted on: generation at another ``n`` is refused.

>>> import numpy as np
>>> p = StragglerProcess.two_state(n=64, p_slow=0.05, p_stay=0.5)
>>> D = p.generate(rounds=200, seed=1)
>>> D.shape, bool((D > 0).all())
((64, 200), True)
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from dataclasses import dataclass, field

import numpy as np

from ..errors import SGCError

__all__ = [
    "StragglerProcess",
    "ProcessError",
    "fit_process",
    "fit_quality",
    "load_process",
    "trace_from_spec",
    "is_process_spec",
    "write_delay_csv",
    "straggler_stats",
]

#: format tag of the JSON files written by :meth:`StragglerProcess.save`
FORMAT = "sgc-straggler-process/1"


class ProcessError(SGCError):
    """A straggler process cannot be fitted, read or used as asked."""


@dataclass
class StragglerProcess:
    """A fitted (or constructed) straggler process; see the module docstring.

    Attributes
    ----------
    n : int
        number of workers it was fitted on (and generates).
    startprob, transmat : np.ndarray
        initial law ``pi`` (K,) and transition matrix ``A`` (K, K) of each worker's hidden chain.
    means, sds : np.ndarray
        per state, mean and standard deviation of ``log(D / round median)``.
    factor : dict
        ``{"mean", "sd", "phi"}`` of the AR(1) series ``log F[r]`` (``sd = 0``: constant).
    marginal : np.ndarray or None
        sorted ``log X`` values of the trace (the quantile function ``Q``), ``None`` for
        log-normal emissions.
    meta : dict
        where it came from: ``trace``, ``mu``, ``probe_load``, log-likelihood, EM iterations.
    """

    n: int
    startprob: np.ndarray
    transmat: np.ndarray
    means: np.ndarray
    sds: np.ndarray
    factor: dict
    marginal: np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.marginal is not None:
            self.marginal = np.sort(np.asarray(self.marginal, dtype=float))
        self.startprob = np.asarray(self.startprob, dtype=float)
        self.transmat = np.asarray(self.transmat, dtype=float)
        self.means = np.asarray(self.means, dtype=float)
        self.sds = np.asarray(self.sds, dtype=float)
        _validate(self)

    @property
    def states(self) -> int:
        """Number of hidden states ``K``."""
        return int(self.means.size)

    @classmethod
    def two_state(
        cls,
        n: int,
        p_slow: float,
        p_stay: float,
        slow: float = 1.5,
        sd: float = 0.1,
        factor_sd: float = 0.0,
        phi: float = 0.0,
    ) -> StragglerProcess:
        """A Gilbert-Elliott process with stationary slow probability ``p_slow`` and mean burst
        length ``1 / (1 - p_stay)``; slow rounds take ``exp(slow)`` times a normal one."""
        q = p_slow * (1 - p_stay) / (1 - p_slow)  # normal -> slow, so that pi is stationary
        A = np.array([[1 - q, q], [1 - p_stay, p_stay]])
        return cls(
            n=n,
            startprob=np.array([1 - p_slow, p_slow]),
            transmat=A,
            means=np.array([0.0, slow]),
            sds=np.array([sd, sd]),
            factor={"mean": 0.0, "sd": float(factor_sd), "phi": float(phi)},
        )

    # ---------------------------------------------------------------------------------------
    # generation
    # ---------------------------------------------------------------------------------------
    def states_path(self, rounds: int, rng: np.random.Generator) -> np.ndarray:
        """Hidden states ``(n, rounds)`` (int8), every worker's chain drawn at once per round."""
        K, n = self.states, self.n
        cum = np.cumsum(self.transmat, axis=1)
        cum[:, -1] = 1.0
        z = np.empty((n, rounds), dtype=np.int8)
        u = rng.random((n, rounds))
        z[:, 0] = np.minimum(np.searchsorted(np.cumsum(self.startprob), u[:, 0], "right"), K - 1)
        for r in range(1, rounds):
            rows = cum[z[:, r - 1]]  # (n, K)
            z[:, r] = (u[:, r, None] >= rows).sum(axis=1)
        return np.minimum(z, K - 1)

    def common_factor(self, rounds: int, rng: np.random.Generator) -> np.ndarray:
        """``log F`` (rounds,): stationary AR(1) with the fitted mean, sd and ``phi``."""
        f = self.factor
        mean, sd, phi = float(f["mean"]), float(f["sd"]), float(f["phi"])
        eps = rng.standard_normal(rounds)
        out = np.empty(rounds)
        innov = sd * math.sqrt(max(0.0, 1.0 - phi * phi))
        out[0] = sd * eps[0]
        for r in range(1, rounds):
            out[r] = phi * out[r - 1] + innov * eps[r]
        return mean + out

    def generate(self, rounds: int, seed=None, n: int | None = None) -> np.ndarray:
        """A delay matrix ``(n, rounds)`` in seconds, reproducible from ``seed`` (an int, a
        :class:`numpy.random.SeedSequence` or a Generator)."""
        from ..errors import check_int

        rounds = check_int("rounds", rounds, minimum=1)
        if n is not None and int(n) != self.n:
            raise ProcessError(
                f"the process was fitted on n={self.n} workers and cannot generate n={n}: the "
                "straggler rule compares each worker with the fastest of all n, so its straggler "
                f"rate is calibrated for n={self.n} only; fit a process on an n={n} trace"
            )
        if self.n * rounds > 50_000_000:
            raise ProcessError(
                f"rounds={rounds}: {self.n} x {rounds} delays is beyond 50,000,000 values; "
                "generate fewer rounds"
            )
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        z = self.states_path(rounds, rng)
        x = self.means[z] + self.sds[z] * rng.standard_normal(z.shape)
        if self.marginal is not None:
            x = self.quantile(x)
        return np.exp(x + self.common_factor(rounds, rng)[None, :])

    def quantile(self, y: np.ndarray) -> np.ndarray:
        """``Q(Phi(y))``: normal scores to ``log X`` through the stored marginal."""
        from scipy.special import ndtr

        v = self.marginal
        p = np.arange(1, v.size + 1) / (v.size + 1)
        return np.interp(ndtr(y), p, v)

    # ---------------------------------------------------------------------------------------
    # serialisation
    # ---------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        """JSON-ready dict (format ``sgc-straggler-process/1``)."""
        return {
            "format": FORMAT,
            "kind": "markov",
            "n": self.n,
            "states": self.states,
            "startprob": self.startprob.tolist(),
            "transmat": self.transmat.tolist(),
            "means": self.means.tolist(),
            "sds": self.sds.tolist(),
            "factor": {k: float(v) for k, v in self.factor.items()},
            "marginal": None
            if self.marginal is None
            else [float(f"{x:.7g}") for x in self.marginal],
            "meta": self.meta,
        }

    @classmethod
    def from_json(cls, data, label: str = "process") -> StragglerProcess:
        """Read :meth:`to_json` output; a malformed file raises :class:`ProcessError`."""
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ProcessError(f"{label}: not a straggler-process file (format {FORMAT!r})")
        try:
            return cls(
                n=int(data["n"]),
                startprob=data["startprob"],
                transmat=data["transmat"],
                means=data["means"],
                sds=data["sds"],
                factor=dict(data["factor"]),
                marginal=data.get("marginal"),
                meta=dict(data.get("meta", {})),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProcessError(f"{label}: malformed straggler-process file ({exc})") from None

    def save(self, path) -> None:
        """Write the JSON file atomically (a temporary file renamed into place)."""
        _atomic_write(path, json.dumps(self.to_json(), indent=1, allow_nan=False) + "\n")


def _validate(p: StragglerProcess) -> None:
    K = p.means.size
    if not isinstance(p.n, (int, np.integer)) or p.n < 1:
        raise ProcessError(f"process: n must be a positive integer (got {p.n!r})")
    if K < 2 or p.sds.shape != (K,) or p.startprob.shape != (K,) or p.transmat.shape != (K, K):
        raise ProcessError(
            f"process: need K >= 2 states with startprob (K,), transmat (K, K), means and sds "
            f"(K,) (got {p.startprob.shape}, {p.transmat.shape}, {p.means.shape}, {p.sds.shape})"
        )
    arrays = (p.startprob, p.transmat, p.means, p.sds)
    if not all(np.isfinite(a).all() for a in arrays) or (p.sds < 0).any():
        raise ProcessError("process: parameters must be finite and sds >= 0")
    for name, a in (("startprob", p.startprob[None, :]), ("transmat", p.transmat)):
        if (a < 0).any() or not np.allclose(a.sum(axis=1), 1.0, atol=1e-6):
            raise ProcessError(f"process: {name} rows must be probabilities summing to 1")
    f = p.factor
    try:
        ok = all(math.isfinite(float(f[k])) for k in ("mean", "sd", "phi"))
    except (KeyError, TypeError, ValueError):
        ok = False
    if not ok or float(f["sd"]) < 0 or abs(float(f["phi"])) >= 1:
        raise ProcessError("process: factor needs finite mean, sd >= 0 and |phi| < 1")
    if p.marginal is not None and (p.marginal.ndim != 1 or p.marginal.size < 2):
        raise ProcessError("process: marginal must list at least two sorted values")
    if p.marginal is not None and not np.isfinite(p.marginal).all():
        raise ProcessError("process: marginal values must be finite")


def check_out_path(path) -> str:
    """Refuse an output path that cannot be written (before any work is done)."""
    path = os.fspath(path)
    if not path:
        raise ProcessError("--out: give a file name")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ProcessError(f"--out {path}: folder {folder} does not exist")
    if os.path.exists(path) and not os.path.isfile(path):
        raise ProcessError(f"--out {path}: exists and is not a regular file")
    return path


def _atomic_write(path, text: str) -> None:
    """Write ``text`` to a temporary file next to ``path``, then rename it into place: a reader
    never sees a half-written file, and an error leaves nothing behind."""
    path = check_out_path(path)
    folder = os.path.dirname(os.path.abspath(path))
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".sgc-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise ProcessError(f"--out {path}: cannot be written ({exc.strerror or exc})") from None
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def write_delay_csv(D: np.ndarray, path) -> None:
    """Write a ``(workers, rounds)`` matrix in the shipped CSV format (header ``w0,...``, one
    line per round), atomically."""
    D = np.asarray(D, dtype=float)
    lines = [",".join(f"w{i}" for i in range(D.shape[0]))]
    lines += [",".join(repr(float(x)) for x in row) for row in D.T]
    _atomic_write(path, "\n".join(lines) + "\n")


# --------------------------------------------------------------------------------------------
# statistics that matter to the schemes
# --------------------------------------------------------------------------------------------
def straggler_stats(D: np.ndarray, mu: float, window: int = 3) -> dict:
    """Straggler rate at ``mu``, burst lengths, distinct stragglers per window, quantiles.

    ``burst_lengths``: fraction of maximal runs of consecutive straggling rounds of one worker
    with length 1, 2, 3, 4 and >= 5 (runs touching the ends of the matrix included).
    ``distinct_per_window``: mean number of distinct workers straggling in ``window`` consecutive
    rounds. ``round_time_quantiles``: quantiles 0.5, 0.9, 0.99 of the slowest worker's time over
    the round's median, and the same of the fastest.
    """
    D = np.asarray(D, dtype=float)
    n, R = D.shape
    S = D > (1.0 + mu) * D.min(axis=0)
    pad = np.zeros((n, 1), dtype=bool)
    edges = np.diff(np.concatenate([pad, S, pad], axis=1).astype(np.int8), axis=1)
    starts = np.argwhere(edges == 1)
    ends = np.argwhere(edges == -1)
    lengths = ends[:, 1] - starts[:, 1]  # both in row-major order: paired
    hist = np.bincount(np.minimum(lengths, 5), minlength=6)[1:].astype(float)
    total = hist.sum()
    w = max(1, min(int(window), R))
    cs = np.concatenate([np.zeros((n, 1), np.int64), np.cumsum(S, axis=1)], axis=1)
    distinct = ((cs[:, w:] - cs[:, :-w]) > 0).sum(axis=0)
    med = np.median(D, axis=0)
    qs = (0.5, 0.9, 0.99)
    return {
        "straggler_rate": float(S.mean()),
        "stragglers_per_round": float(S.sum(axis=0).mean()),
        "burst_lengths": {
            str(k + 1) if k < 4 else ">=5": (float(hist[k] / total) if total else 0.0)
            for k in range(5)
        },
        "mean_burst": float(lengths.mean()) if lengths.size else 0.0,
        "window": w,
        "distinct_per_window": float(distinct.mean()),
        "slowest_over_median": [float(x) for x in np.quantile(D.max(axis=0) / med, qs)],
        "fastest_over_median": [float(x) for x in np.quantile(D.min(axis=0) / med, qs)],
        "quantiles": list(qs),
    }


# --------------------------------------------------------------------------------------------
# fitting
# --------------------------------------------------------------------------------------------
def _check_delays(D, label: str) -> np.ndarray:
    D = np.asarray(D, dtype=float)
    if D.ndim != 2 or D.size == 0:
        raise ProcessError(f"{label}: need a non-empty (workers, rounds) delay matrix")
    bad = np.argwhere(~np.isfinite(D) | (D <= 0) | (D > 1e100))
    if bad.size:
        i, r = (int(x) for x in bad[0])
        raise ProcessError(
            f"{label}: delay [{i}, {r}] (worker {i}, round {r}) is {float(D[i, r])!r}; a process "
            "is fitted to log times, so every delay must be > 0 and at most 1e100 s"
        )
    return D


def _split(D: np.ndarray):
    """``(log F, log X)``: the round medians and the relative times."""
    logF = np.log(np.median(D, axis=0))
    return logF, np.log(D) - logF[None, :]


def _fit_factor(logF: np.ndarray) -> dict:
    mean = float(logF.mean())
    sd = float(logF.std())
    phi = 0.0
    if logF.size >= 4 and sd > 0:
        c = logF - mean
        phi = float(np.clip((c[1:] * c[:-1]).sum() / (c * c).sum(), -0.95, 0.95))
    return {"mean": mean, "sd": sd, "phi": phi}


def _scores(logX: np.ndarray) -> np.ndarray:
    """Normal scores of the values (average ranks over ``N + 1`` through ``Phi^-1``)."""
    from scipy.special import ndtri
    from scipy.stats import rankdata

    ranks = rankdata(logX.ravel()).reshape(logX.shape)
    return ndtri(ranks / (logX.size + 1))


def _init_states(D: np.ndarray, Y: np.ndarray, mu: float, K: int) -> np.ndarray:
    slow = D > (1.0 + mu) * D.min(axis=0)
    z = slow.astype(np.int64)
    if K > 2 and slow.sum() >= K - 1:  # split the slow values by quantiles
        v = Y[slow]
        cuts = np.quantile(v, np.linspace(0, 1, K)[1:-1])
        z[slow] = np.minimum(1 + np.searchsorted(cuts, v, side="right"), K - 1)
    return z


def _hmm_from_labels(Y, z, K, seed, n_iter, tol):
    """Baum-Welch (hmmlearn, one sequence per worker) started from the labels ``z``."""
    import logging

    from hmmlearn.hmm import GaussianHMM

    logging.getLogger("hmmlearn").setLevel(logging.ERROR)
    n, R = Y.shape
    means = np.array([Y[z == k].mean() if (z == k).any() else Y.max() for k in range(K)])
    var = np.array([max(Y[z == k].var(), 1e-3) if (z == k).sum() > 1 else 1e-2 for k in range(K)])
    A = np.full((K, K), 0.5 / K)
    for k in range(K):
        a, b = z[:, :-1] == k, z[:, 1:]
        if a.any():
            A[k] += np.bincount(b[a], minlength=K)
    A /= A.sum(axis=1, keepdims=True)
    pi = np.bincount(z[:, 0], minlength=K) + 0.5
    m = GaussianHMM(
        n_components=K,
        covariance_type="diag",
        n_iter=n_iter,
        tol=tol,
        init_params="",
        params="stmc",
        random_state=seed,
        min_covar=1e-3,
        implementation="scaling",
    )
    m.startprob_ = pi / pi.sum()
    m.transmat_ = A
    m.means_ = means[:, None]
    m.covars_ = var[:, None]
    try:
        with np.errstate(all="ignore"):
            m.fit(Y.reshape(-1, 1), lengths=[R] * n)
    except (ValueError, FloatingPointError, np.linalg.LinAlgError) as exc:
        raise ProcessError(f"EM failed on this trace ({exc}); try fewer --states") from None
    bad = [m.startprob_, m.transmat_, m.means_, m.covars_]
    if not all(np.isfinite(np.asarray(a)).all() for a in bad):
        raise ProcessError("EM failed on this trace (non-finite parameters); try fewer --states")
    return m


def fit_process(
    trace,
    *,
    mu: float = 1.0,
    states: int = 2,
    marginal: str = "empirical",
    seed: int = 0,
    n_iter: int = 300,
    tol: float = 1e-3,
    min_rounds: int = 5,
    quality: bool = True,
    max_work=None,
) -> tuple[StragglerProcess, dict]:
    """Fit a straggler process to a trace by EM; returns ``(process, report)``.

    ``report`` holds the fit: log-likelihood, EM iterations, the held-out log-likelihood per
    delay (every fifth worker held out, model refitted on the others) against an independent
    (one-state) baseline, and :func:`fit_quality` (trace vs generated statistics).

    Refused (:class:`ProcessError`): fewer than ``min_rounds`` rounds, non-positive / NaN / inf
    delays, no straggler at ``mu`` (nothing to fit a slow state to), EM not converging within
    ``n_iter`` iterations; beyond the work budget (``max_work``, see :mod:`sgc_theory.budget`;
    about 12 units per delay, EM iteration (60 assumed) and squared state count).
    """
    from .traces import as_plain_trace

    tr = as_plain_trace(trace)
    label = f"trace {tr.source or tr.name}"
    mu, K, D = _check_fit(tr, label, mu, states, marginal, min_rounds, n_iter, quality, max_work)
    n, R = D.shape
    logF, logX = _split(D)
    Y = _scores(logX) if marginal == "empirical" else logX
    m = _em(label, D, Y, mu, K, seed, n_iter, tol)
    proc = _to_process(m, n, _fit_factor(logF), logX if marginal == "empirical" else None)
    proc.meta = {
        "trace": tr.name,
        "source": tr.source,
        "region": tr.region,
        "probe_load": tr.probe_load,
        "rounds": R,
        "mu": mu,
        "marginal": marginal,
        "loglik": float(m.score(Y.reshape(-1, 1), lengths=[R] * n)),
        "em_iterations": int(m.monitor_.iter),
        "converged": True,
    }
    report = {"fit": dict(proc.meta)}
    if quality:
        report["held_out"] = _held_out(D, Y, mu, K, seed, n_iter, tol)
        report["quality"] = fit_quality(proc, D, mu, seed=seed)
    return proc, report


def _check_fit(tr, label, mu, states, marginal, min_rounds, n_iter, quality, max_work):
    """``(mu, states, delays)`` of a fit, each checked, and the fit's work within the budget."""
    from ..budget import check_work
    from ..errors import check_int
    from ._checks import check_float as _check_float

    mu = _check_float("mu", mu, minimum=0.0)
    K = check_int("states", states, minimum=2)
    if K > 4:
        raise ProcessError(f"states must be 2, 3 or 4 (got states={K})")
    if marginal not in ("empirical", "lognormal"):
        raise ProcessError(f"marginal must be 'empirical' or 'lognormal' (got {marginal!r})")
    D = _check_delays(tr.delays, label)
    n, R = D.shape
    if R < min_rounds:
        raise ProcessError(
            f"{label}: {R} rounds are too few to fit a Markov process (need >= {min_rounds}: "
            "transitions between rounds are what it learns)"
        )
    check_work(
        12 * n * R * K * K * min(n_iter, 60) * (2 if quality else 1),
        f"fitting a {K}-state process to {n} x {R} delays (EM, about 60 iterations)",
        limit=max_work,
    )
    return mu, K, D


def _em(label, D, Y, mu, K, seed, n_iter, tol):
    """The hidden Markov model fitted by EM from the straggler labels at ``mu``; refused with
    fewer than two stragglers or when EM does not converge."""
    z = _init_states(D, Y, mu, K)
    if (z > 0).sum() < 2:
        raise ProcessError(
            f"{label}: {int((z > 0).sum())} straggler(s) at mu={mu:g} (workers past (1 + mu) x "
            "the fastest): too clean to fit a slow state; use a smaller --mu or a longer trace"
        )
    m = _hmm_from_labels(Y, z, K, seed, n_iter, tol)
    if not _converged(m, tol):
        raise ProcessError(
            f"{label}: EM did not converge in {n_iter} iterations (tol {tol:g}); the trace does "
            f"not support {K} states, try fewer --states"
        )
    return m


def _converged(m, tol: float) -> bool:
    """EM stopped because the log-likelihood gain fell below ``tol`` (hmmlearn's own flag also
    counts reaching ``n_iter`` as converged)."""
    h = list(m.monitor_.history)
    return len(h) >= 2 and abs(h[-1] - h[-2]) < tol


def _to_process(m, n: int, factor: dict, logX) -> StragglerProcess:
    order = np.argsort(m.means_[:, 0])  # state 0 = the fastest
    return StragglerProcess(
        n=n,
        startprob=m.startprob_[order],
        transmat=m.transmat_[np.ix_(order, order)],
        means=m.means_[order, 0],
        sds=np.sqrt(m.covars_[order, 0, 0]),
        factor=factor,
        marginal=None if logX is None else np.sort(logX.ravel()),
    )


def _held_out(D, Y, mu, K, seed, n_iter, tol) -> dict:
    """Per-delay log-likelihood (of the scores ``Y``) of every fifth worker under a model fitted
    to the others, and under an independent Gaussian fitted to the same workers."""
    n, R = Y.shape
    test = np.arange(n) % 5 == 4
    if test.sum() < 1 or (~test).sum() < 2:
        return {"workers": 0}
    train_z = _init_states(D[~test], Y[~test], mu, K)
    if (train_z > 0).sum() < 2:
        return {"workers": int(test.sum()), "note": "training workers have no straggler"}
    m = _hmm_from_labels(Y[~test], train_z, K, seed, n_iter, tol)
    ll = m.score(Y[test].reshape(-1, 1), lengths=[R] * int(test.sum())) / Y[test].size
    mean, sd = Y[~test].mean(), max(Y[~test].std(), 1e-3)
    base = float(
        (-0.5 * ((Y[test] - mean) / sd) ** 2 - math.log(sd) - 0.5 * math.log(2 * math.pi)).mean()
    )
    return {
        "workers": int(test.sum()),
        "loglik_per_delay": float(ll),
        "independent_per_delay": base,
        "statistic": "log density of the fitted scores, every fifth worker held out",
    }


def fit_quality(proc: StragglerProcess, D: np.ndarray, mu: float, seed: int = 0) -> dict:
    """:func:`straggler_stats` of the trace next to those of the process (5 generated matrices
    of ``max(rounds, 200)`` rounds, averaged)."""
    R = max(D.shape[1], 200)
    rng = np.random.default_rng(seed + 1)
    sims = [straggler_stats(proc.generate(R, seed=rng), mu) for _ in range(5)]

    def avg(key):
        v = [s[key] for s in sims]
        if isinstance(v[0], dict):
            return {k: float(np.mean([x[k] for x in v])) for k in v[0]}
        if isinstance(v[0], list):
            return [float(x) for x in np.mean(v, axis=0)]
        return float(np.mean(v)) if not isinstance(v[0], int) else v[0]

    model = {k: avg(k) for k in sims[0] if k != "quantiles"}
    return {"mu": mu, "trace": straggler_stats(D, mu), "model": model, "model_rounds": R}


# --------------------------------------------------------------------------------------------
# files and generator specs
# --------------------------------------------------------------------------------------------
def load_process(path) -> StragglerProcess:
    """Read a process JSON file written by :meth:`StragglerProcess.save`."""
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise ProcessError(f"process file {path}: no such file") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ProcessError(f"process file {path}: cannot be read as JSON ({exc})") from None
    return StragglerProcess.from_json(data, label=f"process file {path}")


def is_process_spec(text) -> bool:
    """Does a ``--trace`` value name a process (``process:FILE[,rounds=R][,seed=S]`` or a
    ``.json`` file) rather than a delay trace?"""
    return isinstance(text, (str, os.PathLike)) and (
        os.fspath(text).startswith("process:") or os.fspath(text).lower().endswith(".json")
    )


def trace_from_spec(text, default_rounds: int = 1000):
    """A :class:`~sgc_theory.simulate.traces.Trace` generated from a process spec:
    ``process:MODEL.json,rounds=R,seed=S`` or ``MODEL.json`` (``R = 1000``, ``S = 0``)."""
    from ..errors import check_int
    from .traces import Trace

    text = os.fspath(text)
    body = text[len("process:") :] if text.startswith("process:") else text
    parts = body.split(",")
    opts = {"rounds": default_rounds, "seed": 0}
    for part in parts[1:]:
        key, eq, val = part.partition("=")
        key = key.strip()
        if not eq or key not in opts:
            raise ProcessError(
                f"process spec {text!r}: options are rounds=R and seed=S (got {part!r})"
            )
        try:
            opts[key] = int(val)
        except ValueError:
            raise ProcessError(f"process spec {text!r}: {key} must be an integer") from None
    rounds = check_int("rounds", opts["rounds"], minimum=1)
    seed = check_int("seed", opts["seed"], minimum=0)
    proc = load_process(parts[0])
    D = proc.generate(rounds, seed=seed)
    return Trace(
        delays=D,
        name=f"process:{os.path.basename(parts[0])},rounds={rounds},seed={seed}",
        probe_load=proc.meta.get("probe_load"),
        region=proc.meta.get("region"),
        source=f"process:{parts[0]}",
        meta={"process": parts[0], "rounds": rounds, "seed": seed},
    )
