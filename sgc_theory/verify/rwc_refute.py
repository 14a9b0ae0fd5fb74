"""Counterexamples for RWC-SGC at any ``n`` by a beam search on its exact count automaton.

RWC-SGC's count automaton (:mod:`sgc_theory.verify.rwc_counts`) keeps every reachable state:
exact, but near the largest job size ``K`` the breadth-first search passes ``10^5`` states long
before it reaches a failure, because the failures of these instances are deep (the adversary's
periodic pattern lets the carried work grow a few units per period until a last-chance unit no
longer fits).  This module looks for such a failure directly: a breadth-first search that keeps,
after each round, only the ``beam`` states with the most pending work (then the most old work).

It is a *refuter*, never a proof: a path it returns is a real admitted straggler pattern (the
automaton is exact, by equivariance), written out worker by worker and replayed through the
scheme's exact token decoder, so a returned counterexample is confirmed independently of the
search; when it finds nothing the instance is simply undecided.
"""

from __future__ import annotations

from .rwc_counts import RWCSGCCounts, confirm_by_tokens

__all__ = ["beam_refute"]


def _score(state):
    """Most pending work first, then the most old work (tail sums from the oldest age)."""
    c, p = state
    tails, acc = [], 0
    for v in reversed(p):
        acc += v
        tails.append(acc)
    return (acc, *tails)


def beam_refute(scheme, beam: int = 400, rounds: int = 400, meter=None):
    """A confirmed counterexample to RWC-SGC ``scheme`` under its design model, or ``None``.

    Each round keeps the ``beam`` successors with the most pending work (ties: most old work),
    for at most ``rounds`` rounds.  Returns a failing
    :class:`~sgc_theory.verify.result.VerificationResult` (``method="counts-beam"``,
    ``confirmed`` by the exact token decoder) or ``None`` (nothing found: undecided).

    >>> from sgc_theory.schemes import RWCSGC
    >>> res = beam_refute(RWCSGC(8, 2, 3, 2, P=4, K=28))
    >>> res.ok, res.confirmed
    (False, True)
    >>> beam_refute(RWCSGC(8, 2, 3, 2, P=4, K=27), rounds=60) is None
    True
    """
    import time

    from .result import VerificationResult

    t0 = time.perf_counter()
    auto = RWCSGCCounts(scheme)
    layers: list = [{auto.initial(): None}]  # per round: state -> (state before, choice)
    for _ in range(rounds):
        cand: dict = {}
        for state in layers[-1]:
            failed, succ = auto.successors(state)
            if meter is not None:
                meter.charge(2 + auto.T)
            if failed:
                steps = [succ[0][1]]
                for layer in reversed(layers[1:]):  # back to the root, one round at a time
                    state, ch = layer[state]
                    steps.append(ch)
                res = VerificationResult(
                    ok=False, method="counts-beam", scheme=scheme, model=auto.model
                )
                res.states = sum(map(len, layers))
                res.basis = (
                    "a path of RWC-SGC's exact count automaton found by beam search, replayed "
                    "worker by worker through the scheme's exact token decoder"
                )
                confirm_by_tokens(res, auto.concretize(steps[::-1]))
                res.seconds = time.perf_counter() - t0
                return res
            for nxt, ch in succ:
                cand.setdefault(nxt, (state, ch))
        keep = sorted(cand, key=_score, reverse=True)[:beam]
        layers.append({s: cand[s] for s in keep})
    return None
