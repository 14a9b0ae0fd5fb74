"""The straggler process: a hidden Markov chain per worker times a common round factor, and its
generation (docs/guide/processes.md).

The model
---------
A delay matrix ``D`` (workers x rounds) is written ``D[i, r] = F[r] * X[i, r]``:

* ``F[r]`` is a **common factor**, the median round time of round ``r`` (cluster-wide slowdowns
  move every worker at once). ``log F`` is a stationary Gaussian AR(1) series (mean, standard
  deviation, lag-one correlation ``phi``).
* ``X[i, r]`` is the worker's time relative to its round. Every worker carries a hidden state
  ``z[i, r]`` in ``0..K-1`` (state 0 the fastest, "normal"; the others "slow"), a Markov chain
  from round to round with transition matrix ``A`` shared by all workers (a Gilbert-Elliott
  channel when ``K = 2``). Given its state, ``X`` follows that state's *emission*, one of the
  families of :mod:`~sgc_theory.simulate.process_families` (log-normal, shifted exponential,
  Pareto, empirical histogram), chosen per state by the fit.

Workers are independent given ``F``. **Generation is stationary**: every worker's chain starts
from the stationary law of ``A`` (not from the fitted initial law ``startprob``, which describes
the first round of the trace only), and ``log F`` starts from its stationary law too, so the
statistics of rounds 0-1000 of a generated run are those of rounds 5000-6000.

The straggler rule compares a worker with the *fastest of the n workers*, so a process is
calibrated for the number of workers it was fitted on: generation at another ``n`` is refused.

>>> p = StragglerProcess.two_state(n=64, p_slow=0.05, p_stay=0.5)
>>> D = p.generate(rounds=200, seed=1)
>>> D.shape, bool((D > 0).all())
((64, 200), True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..errors import SGCError
from . import process_families as fam

__all__ = ["StragglerProcess", "ProcessError", "MAX_STATES", "MAX_VALUES", "stationary_law"]

#: the largest number of hidden states a process may have
MAX_STATES = 128

#: the largest delay matrix generated at once (workers x rounds)
MAX_VALUES = 50_000_000


class ProcessError(SGCError):
    """A straggler process cannot be fitted, read or used as asked."""


def stationary_law(A: np.ndarray, start: np.ndarray | None = None) -> np.ndarray:
    """The stationary law of the transition matrix ``A`` that the chain started from ``start``
    (uniform by default) converges to (Cesaro average of two consecutive powers ``A^(2^12)``,
    ``A^(2^12 + 1)``, which also settles periodic chains)."""
    K = A.shape[0]
    p = np.full(K, 1.0 / K) if start is None else np.asarray(start, dtype=float)
    M = np.array(A, dtype=float)
    for _ in range(12):
        M = M @ M
        M /= M.sum(axis=1, keepdims=True)
    q = p @ M
    q = 0.5 * (q + q @ A)
    return q / q.sum()


@dataclass
class StragglerProcess:
    """A fitted (or constructed) straggler process; see the module docstring.

    Attributes
    ----------
    n : int
        number of workers it was fitted on (and generates).
    startprob, transmat : np.ndarray
        law of the first round of the trace ``(K,)`` and transition matrix ``A`` ``(K, K)``.
    means, sds : np.ndarray
        per state, mean and standard deviation of ``log X`` (the log-normal emission when
        ``emissions`` is not given; a summary otherwise).
    factor : dict
        ``{"mean", "sd", "phi"}`` of the AR(1) series ``log F[r]`` (``sd = 0``: constant).
    marginal : np.ndarray or None
        legacy files only (format 1 fits): sorted ``log X`` values, emissions Gaussian on normal
        scores mapped through them. New fits use ``emissions``.
    emissions : list of dict or None
        per state, the emission family and its parameters (module ``process_families``).
    meta : dict
        where it came from: ``trace``, ``mu``, ``probe_load``, the model choice, the
        credibility verdict (``meta["credibility"]``).
    """

    n: int
    startprob: np.ndarray
    transmat: np.ndarray
    means: np.ndarray
    sds: np.ndarray
    factor: dict
    marginal: np.ndarray | None = None
    meta: dict = field(default_factory=dict)
    emissions: list | None = None

    def __post_init__(self):
        _validate(self)

    @property
    def states(self) -> int:
        """Number of hidden states ``K``."""
        return int(self.transmat.shape[0])

    @property
    def stationary(self) -> np.ndarray:
        """Stationary law of the hidden chain (the law every generated worker starts from)."""
        return stationary_law(self.transmat, self.startprob)

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
        from ._checks import check_float

        p_slow = check_float("p_slow", p_slow, minimum=0.0)
        p_stay = check_float("p_stay", p_stay, minimum=0.0)
        if p_slow >= 1 or p_stay >= 1:
            raise ProcessError(f"p_slow and p_stay must be < 1 (got {p_slow}, {p_stay})")
        q = p_slow * (1 - p_stay) / (1 - p_slow)  # normal -> slow, so that pi is stationary
        if q > 1:
            raise ProcessError(f"p_slow={p_slow} with p_stay={p_stay} is not a chain's law")
        return cls(
            n=n,
            startprob=np.array([1 - p_slow, p_slow]),
            transmat=np.array([[1 - q, q], [1 - p_stay, p_stay]]),
            means=np.array([0.0, check_float("slow", slow)]),
            sds=np.array([check_float("sd", sd, minimum=0.0)] * 2),
            factor={"mean": 0.0, "sd": check_float("factor_sd", factor_sd, minimum=0.0),
                    "phi": check_float("phi", phi)},
        )  # fmt: skip

    @classmethod
    def from_emissions(cls, n, transmat, emissions, factor=None, startprob=None, meta=None):
        """A process with the given emissions per state (``startprob`` defaults to the stationary
        law); ``means``/``sds`` summarise ``log X`` per state (from 4000 seeded draws)."""
        if not isinstance(emissions, (list, tuple)) or not emissions:
            raise ProcessError("emissions must be a non-empty list of emission dicts")
        ems = [fam.check_emission(e, f"emissions[{k}]") for k, e in enumerate(emissions)]
        A = np.asarray(transmat, dtype=float)
        rng = np.random.default_rng(0)
        draws = [fam.sample(e, 4000, rng) for e in ems]
        start = stationary_law(A) if startprob is None else startprob
        return cls(
            n=n,
            startprob=start,
            transmat=A,
            means=np.clip([float(d.mean()) for d in draws], -fam.MAX_LOG, fam.MAX_LOG),
            sds=np.minimum([float(d.std()) for d in draws], fam.MAX_SD),
            factor=factor if factor is not None else {"mean": 0.0, "sd": 0.0, "phi": 0.0},
            meta=dict(meta or {}),
            emissions=ems,
        )

    def emission(self, k: int) -> dict:
        """The emission of state ``k`` (log-normal from ``means``/``sds`` when none is stored)."""
        if self.emissions is not None:
            return self.emissions[k]
        return {"family": "lognormal", "mean": float(self.means[k]), "sd": float(self.sds[k])}

    # ---------------------------------------------------------------------------------------
    # generation
    # ---------------------------------------------------------------------------------------
    def states_path(self, rounds: int, rng: np.random.Generator) -> np.ndarray:
        """Hidden states ``(n, rounds)`` (int16), every worker's chain drawn at once per round,
        the first round from the stationary law."""
        K, n = self.states, self.n
        cum = np.cumsum(self.transmat, axis=1)
        cum[:, -1] = 1.0
        z = np.empty((n, rounds), dtype=np.int16)
        u = rng.random((n, rounds))
        first = np.cumsum(self.stationary)
        first[-1] = 1.0
        z[:, 0] = np.minimum(np.searchsorted(first, u[:, 0], "right"), K - 1)
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
        """A delay matrix ``(n, rounds)`` in seconds, reproducible from ``seed`` (an int >= 0, a
        :class:`numpy.random.SeedSequence` or a Generator)."""
        from ..errors import check_int

        rounds = check_int("rounds", rounds, minimum=1)
        if n is not None and check_int("n", n, minimum=1) != self.n:
            raise ProcessError(
                f"the process was fitted on n={self.n} workers and cannot generate n={n}: the "
                "straggler rule compares each worker with the fastest of all n, so its straggler "
                f"rate is calibrated for n={self.n} only; fit a process on an n={n} trace"
            )
        if self.n * rounds > MAX_VALUES:
            raise ProcessError(
                f"rounds={rounds}: {self.n} x {rounds} delays is beyond {MAX_VALUES:,} values; "
                "generate fewer rounds"
            )
        rng = _rng(seed)
        z = self.states_path(rounds, rng)
        if self.marginal is not None:  # legacy: Gaussian scores through the trace's quantiles
            x = self.means[z] + self.sds[z] * rng.standard_normal(z.shape)
            x = self.quantile(x)
        else:
            x = np.empty(z.shape)
            for k in range(self.states):
                at = z == k
                if at.any():
                    x[at] = fam.sample(self.emission(k), int(at.sum()), rng)
        logD = np.clip(x + self.common_factor(rounds, rng)[None, :], -200.0, 200.0)
        return np.exp(logD)

    def quantile(self, y: np.ndarray) -> np.ndarray:
        """Legacy files: ``Q(Phi(y))``, normal scores to ``log X`` through the stored marginal."""
        from scipy.special import ndtr

        v = self.marginal
        p = np.arange(1, v.size + 1) / (v.size + 1)
        return np.interp(ndtr(y), p, v)

    # ---------------------------------------------------------------------------------------
    # serialisation (the file format and its checks are in process_io)
    # ---------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        """JSON-ready dict (format ``sgc-straggler-process/2``)."""
        return _to_json(self)

    @classmethod
    def from_json(cls, data, label: str = "process") -> StragglerProcess:
        """Read ``to_json`` output (formats 1 and 2); a malformed file raises
        :class:`ProcessError` naming the field."""
        return _from_json(cls, data, label)

    def save(self, path) -> None:
        """Write the JSON file atomically (a temporary file renamed into place)."""
        import json

        text = json.dumps(self.to_json(), indent=1, allow_nan=False) + "\n"
        atomic_write_text(path, text)


def _rng(seed) -> np.random.Generator:
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ProcessError(
            f"seed must be an integer >= 0, a SeedSequence or a Generator (got seed={seed!r})"
        )
    return np.random.default_rng(int(seed))


# --------------------------------------------------------------------------------------------
# checks and the file format
# --------------------------------------------------------------------------------------------
#: format tag of the JSON files written by :meth:`StragglerProcess.save`
FORMAT = "sgc-straggler-process/2"
FORMATS = ("sgc-straggler-process/1", FORMAT)


def _array(p, name, shape_ok) -> np.ndarray:
    v = getattr(p, name)
    try:
        a = np.asarray(v, dtype=float)
    except (TypeError, ValueError):
        raise ProcessError(f"process: {name} must be an array of numbers") from None
    if not shape_ok(a.shape) or not np.isfinite(a).all():
        raise ProcessError(f"process: {name} has shape {a.shape} or non-finite values")
    return a


def _validate(p: StragglerProcess) -> None:
    """Strict checks of a process (also of every file read): so that generation gives finite,
    positive delays and nothing downstream meets a malformed array."""
    if isinstance(p.n, bool) or not isinstance(p.n, (int, np.integer)) or p.n < 1:
        raise ProcessError(f"process: n must be a positive integer (got {p.n!r})")
    p.n = int(p.n)
    p.transmat = _array(p, "transmat", lambda s: len(s) == 2 and s[0] == s[1])
    K = p.transmat.shape[0]
    if not 2 <= K <= MAX_STATES:
        raise ProcessError(f"process: need 2 to {MAX_STATES} states (got {K})")
    p.startprob = _array(p, "startprob", lambda s: s == (K,))
    p.means = _array(p, "means", lambda s: s == (K,))
    p.sds = _array(p, "sds", lambda s: s == (K,))
    for name, a in (("startprob", p.startprob[None, :]), ("transmat", p.transmat)):
        if (a < 0).any() or not np.allclose(a.sum(axis=1), 1.0, atol=1e-6):
            raise ProcessError(f"process: {name} rows must be probabilities summing to 1")
    if (np.abs(p.means) > fam.MAX_LOG).any() or (p.sds < 0).any() or (p.sds > fam.MAX_SD).any():
        raise ProcessError(
            f"process: means must lie in [-{fam.MAX_LOG:g}, {fam.MAX_LOG:g}] and sds in "
            f"[0, {fam.MAX_SD:g}] (log seconds), so that generated delays are finite and positive"
        )
    _check_factor(p.factor)
    p.factor = {k: float(p.factor[k]) for k in ("mean", "sd", "phi")}
    if p.emissions is not None:
        if not isinstance(p.emissions, (list, tuple)) or len(p.emissions) != K:
            raise ProcessError(f"process: emissions must list one emission per state ({K})")
        p.emissions = [fam.check_emission(e, f"emissions[{k}]") for k, e in enumerate(p.emissions)]
    if p.marginal is not None:
        m = _array(p, "marginal", lambda s: len(s) == 1 and s[0] >= 2)
        if (np.abs(m) > fam.MAX_LOG).any():
            raise ProcessError("process: marginal values must lie in [-50, 50] (log seconds)")
        p.marginal = np.sort(m)
    if not isinstance(p.meta, dict):
        raise ProcessError("process: meta must be a dict")
    pl = p.meta.get("probe_load")
    if pl is not None:
        from ._checks import check_float

        check_float("meta.probe_load", pl, minimum=0.0)


def _check_factor(f) -> None:
    if not isinstance(f, dict) or set(f) != {"mean", "sd", "phi"}:
        raise ProcessError('process: factor must be {"mean", "sd", "phi"}')
    for k in ("mean", "sd", "phi"):
        v = f[k]
        if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
            raise ProcessError(f"process: factor.{k} must be a number (got {v!r:.40})")
        if not math.isfinite(float(v)):
            raise ProcessError(f"process: factor.{k} must be finite (got {v!r})")
    if abs(f["mean"]) > fam.MAX_LOG or not 0 <= f["sd"] <= fam.MAX_SD or abs(f["phi"]) >= 1:
        raise ProcessError(
            f"process: factor needs |mean| <= {fam.MAX_LOG:g}, 0 <= sd <= {fam.MAX_SD:g} and "
            "|phi| < 1 (log seconds)"
        )


def _to_json(p: StragglerProcess) -> dict:
    return {
        "format": FORMAT,
        "kind": "markov",
        "n": p.n,
        "states": p.states,
        "startprob": p.startprob.tolist(),
        "transmat": p.transmat.tolist(),
        "means": p.means.tolist(),
        "sds": p.sds.tolist(),
        "factor": {k: float(v) for k, v in p.factor.items()},
        "emissions": p.emissions,
        "marginal": None if p.marginal is None else [float(f"{x:.7g}") for x in p.marginal],
        "meta": p.meta,
    }


_KEYS = {"format", "kind", "n", "states", "startprob", "transmat", "means", "sds", "factor",
         "emissions", "marginal", "meta"}  # fmt: skip


def _from_json(cls, data, label: str):
    if not isinstance(data, dict) or data.get("format") not in FORMATS:
        raise ProcessError(f"{label}: not a straggler-process file (format {FORMAT!r})")
    unknown = set(data) - _KEYS
    if unknown:
        raise ProcessError(f"{label}: unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    if data.get("kind", "markov") != "markov":
        raise ProcessError(f'{label}: kind must be "markov" (got {data.get("kind")!r:.40})')
    missing = [k for k in ("n", "startprob", "transmat", "means", "sds", "factor") if k not in data]
    if missing:
        raise ProcessError(f"{label}: malformed straggler-process file (missing {missing[0]!r})")
    n, K = data["n"], data.get("states")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ProcessError(f"{label}: n must be a positive integer (got {n!r:.40})")
    tm = data["transmat"]
    if K is not None and (isinstance(K, bool) or not isinstance(K, int) or not isinstance(tm, list)
                          or K != len(tm)):  # fmt: skip
        raise ProcessError(f"{label}: states={K!r:.20} does not match the transition matrix")
    if not isinstance(tm, list) or len(tm) > MAX_STATES:
        raise ProcessError(f"{label}: transmat must be a list of at most {MAX_STATES} rows")
    for key in ("startprob", "transmat", "means", "sds", "marginal"):
        _strict_numbers(data.get(key), f"{label}: {key}")
    try:
        return cls(
            n=n,
            startprob=data["startprob"],
            transmat=tm,
            means=data["means"],
            sds=data["sds"],
            factor=data["factor"],
            marginal=data.get("marginal"),
            meta=data.get("meta", {}),
            emissions=data.get("emissions"),
        )
    except SGCError as exc:
        raise ProcessError(f"{label}: {exc}") from None


def _strict_numbers(v, label) -> None:
    """Numbers only (no strings, no booleans), in nested lists."""
    if v is None:
        return
    stack = [v]
    while stack:
        x = stack.pop()
        if isinstance(x, list):
            stack.extend(x)
        elif isinstance(x, bool) or not isinstance(x, (int, float)):
            raise ProcessError(f"{label} must hold numbers only (got {x!r:.40})")


def check_out_path(path) -> str:
    """Refuse an output path that cannot be written (before any work is done)."""
    import os

    if path is None or isinstance(path, bool) or not isinstance(path, (str, os.PathLike)):
        raise ProcessError(f"--out must be a file name (got {path!r})")
    path = os.fspath(path)
    if not path:
        raise ProcessError("--out: give a file name")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise ProcessError(f"--out {path}: folder {folder} does not exist")
    if os.path.exists(path) and not os.path.isfile(path):
        raise ProcessError(f"--out {path}: exists and is not a regular file")
    return path


def atomic_write_text(path, text: str) -> None:
    """Write ``text`` to a temporary file next to ``path``, then rename it into place: a reader
    never sees a half-written file, and an error leaves nothing behind."""
    from ..fileio import atomic_write

    path = check_out_path(path)
    try:
        with atomic_write(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        raise ProcessError(f"--out {path}: cannot be written ({exc.strerror or exc})") from None
