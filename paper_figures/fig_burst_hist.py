"""Burst lengths in real traces: for every shipped AWS Lambda trace (35 probe runs of 256
workers) and every worker, the lengths of its maximal runs of consecutive straggling rounds
(straggler: time > (1 + mu) x fastest, mu = 1). Almost all bursts last one round, which is the
regime (small B) where the sequential schemes gain most over GC.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np  # noqa: E402

from _common import MU, cli, plt, save  # noqa: E402
from sgc_theory.models import extract_pattern  # noqa: E402
from sgc_theory.simulate import list_traces, load_trace  # noqa: E402


def run_lengths(pattern) -> np.ndarray:
    """Lengths of the maximal runs of True in each row of a boolean (workers, rounds) array."""
    P = np.asarray(pattern, dtype=bool)
    pad = np.zeros((P.shape[0], 1), dtype=np.int8)
    diff = np.diff(np.concatenate([pad, P.astype(np.int8), pad], axis=1), axis=1)
    starts = np.nonzero(diff == 1)
    ends = np.nonzero(diff == -1)
    # nonzero is row-major, so starts and ends pair up in order
    return (ends[1] - starts[1]).astype(int)


def data(mu=MU):
    """``lengths`` (all bursts of all traces), ``per_trace`` {name: lengths}, ``cells`` (total
    straggling cells per trace) and the histogram ``counts[k]`` of bursts of length ``k``."""
    per_trace, cells = {}, {}
    for name in list_traces():
        P = extract_pattern(load_trace(name).delays, mu)
        per_trace[name] = run_lengths(P)
        cells[name] = int(P.sum())
    lengths = np.concatenate(list(per_trace.values()))
    counts = np.bincount(lengths, minlength=2)
    return {"mu": mu, "lengths": lengths, "per_trace": per_trace, "cells": cells, "counts": counts}


def main(out_dir):
    d = data()
    c = d["counts"]
    ks = np.arange(1, len(c))
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.bar(ks, c[1:], color="tab:purple")
    ax.set_yscale("log")
    ax.set_xlabel("burst length (consecutive straggling rounds)")
    ax.set_ylabel("number of bursts")
    ax.set_title(f"{len(d['per_trace'])} traces, {len(d['lengths'])} bursts, $\\mu$ = {d['mu']:g}")
    ax.set_xticks(ks)
    return save(fig, out_dir, "fig_burst_hist")


if __name__ == "__main__":
    cli(main, __doc__)
