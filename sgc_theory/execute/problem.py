"""The learning problems the engine trains (docs/guide/execute.md): a real model on a real data set.

* ``logistic``: logistic regression on scikit-learn's bundled breast-cancer data (569 samples,
  30 features standardized, plus an intercept column), mean log-loss;
* ``lstsq``: least squares on scikit-learn's bundled diabetes data (442 samples, 10 features
  standardized, plus an intercept), loss ``0.5 mean (x.w - y)^2`` with ``y`` standardized.

A job is one full gradient of the mean loss. A scheme's partitions (exact sizes summing to 1) are
contiguous blocks of samples: partition ``p`` holds the samples ``bounds[p] .. bounds[p+1] - 1``
with ``bounds[p] = floor(N * (size_0 + ... + size_{p-1}))`` (exact), so
``g = sum_p g_p`` where ``g_p`` is the partition's share of the mean-loss gradient. At large ``n``
some partitions hold no sample; their partial gradient is the zero vector, which the coefficient
algebra treats like any other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

import numpy as np

from ..errors import SGCError

__all__ = ["Problem", "load_problem", "partition_bounds", "encoded_gradient", "MODELS"]

#: the models ``sgc run --model`` trains
MODELS = ("logistic", "lstsq")


@dataclass(frozen=True)
class Problem:
    """A data set and a loss: ``X`` (``N x d`` float64), ``y`` (``N``), ``kind`` in :data:`MODELS`."""

    kind: str
    X: np.ndarray
    y: np.ndarray
    dataset: str

    @property
    def dim(self) -> int:
        return int(self.X.shape[1])

    @property
    def samples(self) -> int:
        return int(self.X.shape[0])

    def loss(self, w: np.ndarray) -> float:
        z = self.X @ w
        if self.kind == "logistic":
            return float(np.mean(np.logaddexp(0.0, z) - self.y * z))
        return float(0.5 * np.mean((z - self.y) ** 2))

    def gradient(self, w: np.ndarray) -> np.ndarray:
        """The uncoded full gradient of the mean loss (the reference every decode is checked against)."""
        return self.X.T @ _residual(self.kind, self.X @ w, self.y) / self.samples

    def lipschitz(self) -> float:
        """A Lipschitz constant of the gradient: ``lambda_max(X^T X) / N`` (times 1/4 for logistic)."""
        top = float(np.linalg.eigvalsh(self.X.T @ self.X)[-1]) / self.samples
        return top / 4.0 if self.kind == "logistic" else top


def _residual(kind: str, z: np.ndarray, y: np.ndarray) -> np.ndarray:
    if kind == "logistic":
        return 0.5 * (1.0 + np.tanh(0.5 * z)) - y  # a sigmoid that never overflows
    return z - y


def _standardize(A: np.ndarray) -> np.ndarray:
    sd = A.std(axis=0)
    return (A - A.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def _bundled(kind: str):
    """``(X, y, name)`` read straight from the data files scikit-learn ships (the files its
    ``load_breast_cancer`` / ``load_diabetes`` read; importing scikit-learn itself takes seconds),
    or through scikit-learn's loaders when the files are not where they used to be."""
    import gzip
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("sklearn")
    if spec is None or not spec.submodule_search_locations:
        raise SGCError("model: scikit-learn is not installed (pip install scikit-learn)")
    data = Path(list(spec.submodule_search_locations)[0]) / "datasets" / "data"
    try:
        if kind == "logistic":
            table = np.loadtxt(data / "breast_cancer.csv", delimiter=",", skiprows=1)
            return table[:, :-1], table[:, -1], "breast_cancer"
        with gzip.open(data / "diabetes_data_raw.csv.gz") as fx:
            X = np.loadtxt(fx)
        with gzip.open(data / "diabetes_target.csv.gz") as fy:
            y = np.loadtxt(fy)
        return X, y, "diabetes"
    except OSError:  # pragma: no cover - another scikit-learn layout
        from sklearn import datasets

        if kind == "logistic":
            X, y = datasets.load_breast_cancer(return_X_y=True)
            return X, y, "breast_cancer"
        X, y = datasets.load_diabetes(return_X_y=True)
        return X, y, "diabetes"


@lru_cache(maxsize=4)
def load_problem(kind: str = "logistic") -> Problem:
    """The problem ``kind`` (:data:`MODELS`) on its scikit-learn data set (shipped with the library,
    no download)."""
    if kind not in MODELS:
        raise SGCError(f"model must be one of {', '.join(MODELS)} (got {kind!r})")
    X, y, name = _bundled(kind)
    y = y.astype(np.float64)
    if kind == "lstsq":
        y = _standardize(y[:, None])[:, 0]
    X = np.hstack([_standardize(X.astype(np.float64)), np.ones((X.shape[0], 1))])
    X.setflags(write=False)
    y.setflags(write=False)
    return Problem(kind, np.ascontiguousarray(X), np.ascontiguousarray(y), name)


def partition_bounds(sizes, samples: int) -> np.ndarray:
    """Sample boundaries of partitions of exact ``sizes`` (summing to 1) over ``samples`` rows."""
    acc, out = Fraction(0), [0]
    for s in sizes:
        acc += Fraction(s)
        out.append(math.floor(acc * samples))
    if acc != 1:
        raise SGCError(f"partition sizes must sum to 1 (got {acc})")
    return np.asarray(out, dtype=np.int64)


def encoded_gradient(kind, X, y, bounds, w, parts, coefs) -> np.ndarray:
    """``sum_p coefs[p] g_p(w)`` over the partitions ``parts``: what a worker sends for one task
    (runs on a Dask worker; plain arrays only)."""
    starts, ends = bounds[parts], bounds[parts + 1]
    counts = ends - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(X.shape[1])
    offsets = np.cumsum(counts) - counts
    rows = np.arange(total) - np.repeat(offsets, counts) + np.repeat(starts, counts)
    Xr = X[rows]
    r = _residual(kind, Xr @ w, y[rows]) * np.repeat(coefs, counts)
    return Xr.T @ r / X.shape[0]
