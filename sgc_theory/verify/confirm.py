"""Confirming counterexamples with the exact code.

A counterexample is *confirmed* only when the scheme's exact code misses a deadline on it: the
received coefficient vectors of some job do not span the all-ones vector by the job's deadline.
Two exact routes decide that:

* ``scheme.run`` -- the scheme's own exact run (incremental rational spans), for small ``n``;
* for large ``n``, the same question asked once per job: collect the coefficient vectors the
  master received for job ``t`` up to round ``t + T``, scale them to integer rows, and compare
  ``rank([V; 1])`` with ``rank(V)`` (python-flint ``fmpz_mat``, exact).

The worker-symmetric verifier decides decodability on result COUNTS ("any ``n - s`` results of an
(n, s)-GC decode"). That rule is sufficient for every valid code, so a pattern the exact code fails
on also fails on counts; the converse depends on the code. For the Reed-Solomon code it holds
(fewer than ``n - s`` results never decode, :mod:`sgc_theory.codes.reed_solomon`, Lemma 2), but
fractional repetition decodes from one result per group, so a count-level counterexample may be
survived by the exact code. :func:`search` then searches on: it walks the count-level failing
transitions breadth-first (so in order of length) and, for each, replays concrete placements of
the stragglers -- first the lowest-index one, then random ones (seeded) -- until the exact code
fails or a budget of tries runs out.
"""

from __future__ import annotations

import random
from collections import deque
from functools import lru_cache

import flint
import numpy as np

from ..codes.certify import integer_rows
from .exact import _pattern

#: below this many workers a counterexample is replayed with ``scheme.run``
RUN_MAX_N = 12

#: default budget of exact replays when searching for a confirmed counterexample (n <= 32)
SEARCH_TRIES = 400

#: the same for larger n, where one exact replay costs up to a second
SEARCH_TRIES_LARGE_N = 40

#: placements tried per count-level failing transition (the first is the lowest-index one)
PER_FAILURE = 4


@lru_cache(maxsize=4096)
def _integer_row(vec: tuple) -> tuple:
    return tuple(integer_rows([vec])[0])


def spans_ones(vectors, dim: int) -> bool:
    """Exact: is the all-ones vector in the rational row space of ``vectors``?

    >>> spans_ones([(1, 1, 0), (0, 0, 2)], 3), spans_ones([(1, 1, 0)], 3)
    (True, False)
    """
    rows = [_integer_row(tuple(v)) for v in dict.fromkeys(tuple(v) for v in vectors)]
    rows = [list(r) for r in rows if any(r)]
    if not rows:
        return False
    M = flint.fmpz_mat(rows)
    return flint.fmpz_mat(rows + [[1] * dim]).rank() == M.rank()


def exact_first_missed(scheme, pattern):
    """``(job, route)``: the first job the exact code fails to decode by its deadline under
    ``pattern`` (``None`` if every job with ``t + T < R`` is decoded in time), and which exact
    route decided it."""
    P = np.asarray(pattern, dtype=bool)
    R, T = P.shape[1], scheme.T
    if scheme.n <= RUN_MAX_N:
        return scheme.run(P).first_missed(), "exact run (scheme.run, rational spans)"
    if getattr(scheme, "exact_token_rule", False):
        # the scheme's token decoder is exact by a proof (and tested against scheme.run)
        for t, d in enumerate(scheme.decode_rounds(P, max(0, R - T))):
            if d is None or d > t + T:
                return t, "the scheme's exact token rule (decode_rounds; uncoded partitions)"
        return None, "the scheme's exact token rule (decode_rounds; uncoded partitions)"
    route = "exact ranks over Q of each job's received vectors (python-flint)"
    jobs = range(max(0, R - T))
    received = {t: [] for t in jobs}
    for r, _, tasks, mask in scheme.states(P):
        for i, ts in enumerate(tasks):
            if mask >> i & 1:
                continue
            for task in ts:
                t = r - task.age
                if 0 <= t < R - T:
                    received[t].append(task.coeffs)
    for t in jobs:
        if not spans_ones(received[t], scheme.num_partitions):
            return t, route
    return None, route


def failing_paths(explorer, max_states=None):
    """Count-level failing transitions in breadth-first order: yields ``steps`` (the abstract
    rounds from the start, the failing one last), as
    :meth:`~sgc_theory.verify.symmetric.SymmetricExplorer.concretize` takes them."""
    root = explorer.initial()
    parent = {root: None}
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for plan, choice, nxt, failed in explorer.transitions(node):
            if failed is not None:
                path, v = [], node
                while parent[v] is not None:
                    v, label = parent[v]
                    path.append(label)
                path.reverse()
                path.append((plan, choice))
                yield path
                continue
            if nxt not in parent:
                parent[nxt] = (node, (plan, choice))
                queue.append(nxt)
                if max_states is not None and len(parent) > max_states:
                    return


def search(scheme, model, explorer, tries=None, seed=0, max_states=None):
    """Search for a counterexample the exact code fails on (at most ``tries`` exact replays,
    default :data:`SEARCH_TRIES`, or :data:`SEARCH_TRIES_LARGE_N` above ``n = 32``).

    Returns ``(pattern, job, route, info)`` or ``(None, None, None, info)``; ``info`` has
    ``tries`` (exact replays made), ``failures`` (count-level failing transitions visited),
    ``shortest`` (length of the shortest count-level failure), ``exhausted`` (every count-level
    failing transition was tried), ``seed``.
    """
    if tries is None:
        tries = SEARCH_TRIES if scheme.n <= 32 else SEARCH_TRIES_LARGE_N
    rng = random.Random(seed)
    info = {"tries": 0, "failures": 0, "shortest": None, "exhausted": False, "seed": seed}
    for steps in failing_paths(explorer, max_states):
        info["failures"] += 1
        if info["shortest"] is None:
            info["shortest"] = len(steps)
        for j in range(PER_FAILURE):
            if info["tries"] >= tries:
                return None, None, None, info
            P = _pattern(scheme.n, explorer.concretize(steps, rng if j else None))
            info["tries"] += 1
            if not model.admits(P):  # cannot happen for a sound view; never report it
                continue
            job, route = exact_first_missed(scheme, P)
            if job is not None:
                return P[:, : job + scheme.T + 1], job, route, info
    info["exhausted"] = True
    return None, None, None, info
