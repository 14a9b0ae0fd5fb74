"""The result object of :func:`sgc_theory.verify.verify`."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from ..rationals import load_json


@dataclass
class Overload:
    """A round in which a worker computes more than the scheme's load (a failing verdict as
    much as a missed deadline: the load is what the scheme promises to cost).

    ``round`` is the round of the counterexample whose work exceeds the load (its own
    stragglers do not matter: the work of a round is fixed by the rounds before it); ``worker``
    the busiest worker (``None`` until the pattern is replayed, for the count-level methods);
    ``work`` and ``load`` exact, in units of one job's data set.
    """

    work: Fraction
    load: Fraction
    worker: int | None = None
    round: int | None = None

    def to_dict(self) -> dict:
        return {
            "round": self.round,
            "worker": self.worker,
            "work": load_json(self.work),
            "load": load_json(self.load),
        }

    def sentence(self) -> str:
        who = "a worker" if self.worker is None else f"worker {self.worker}"
        return (
            f"in round {self.round} {who} computes {self.work} of a job, above the scheme's "
            f"load {self.load}"
        )


@dataclass
class VerificationResult:
    """Outcome of a verification.

    Attributes
    ----------
    ok : bool
        True iff no admitted pattern (of the horizon, or of any length) makes a job miss its
        deadline or a worker compute more than the scheme's load in some round (``overload``).
    method : str
        ``"exhaustive"`` (exact, finite horizon), ``"automaton"`` (exact, all horizons) or
        ``"symmetric"`` (all horizons on counts of worker kinds, token-level decodability).
    patterns : int or None
        Admitted patterns covered (finite horizon); equals ``model.count(rounds)`` when ok.
    states : int or None
        Reachable states explored (all horizons).
    counterexample : bool array (n, R) or None
        A failing pattern; for all-horizon methods a shortest one.
    failed_job : int or None
        The job (index in the counterexample) that misses its deadline.
    confirmed : bool or None
        True iff the exact code fails on ``counterexample`` (exact algebra on the received
        coefficient vectors, never result counts). False when a count-level failure was found
        but no pattern the exact code fails on (then ``counterexample`` is ``None``, ``ok`` is
        False and means "not proved", and ``notes`` say what was searched).
    confirmation : str or None
        How the counterexample was confirmed: which exact route (``scheme.run``, or exact ranks
        of the failing job's received vectors) on which pattern (the verifier's own, or one found
        by searching on, with the number of replays and the seed).
    code : dict or None
        The one-shot gradient code the scheme uses: ``n, s, construction``, ``guarantee`` (a
        :class:`~sgc_theory.codes.Guarantee`: structural proof, exhaustive certificate or
        unchecked) and ``count_rule`` (``"exact"`` when "at least ``n - s`` results" is also
        necessary for decoding, ``"sufficient"`` otherwise). The symmetric method's verdict rests
        on it; the exact methods decide on its coefficient vectors.
    max_load : Fraction or None
        The largest per-worker load seen in any explored state (exact), to compare with the
        scheme's claimed ``load``.
    overload : Overload or None
        When the verdict fails because a reachable round makes a worker compute more than the
        scheme's load (possible outside the scheme's design model): which round, which worker,
        how much. ``counterexample`` is then a pattern leading to that round.
    load_check : str or None
        How the per-round work was checked against the load: on every reachable state, by the
        scheme's construction, or by the closed form under the design model.
    """

    ok: bool
    method: str
    scheme: object
    model: object
    patterns: int | None = None
    states: int | None = None
    counterexample: np.ndarray | None = None
    failed_job: int | None = None
    confirmed: bool | None = None
    confirmation: str | None = None
    code: dict | None = None
    max_load: object = None
    seconds: float = 0.0
    graph: object = None
    notes: list = field(default_factory=list)
    #: what a proof rests on, when it is not the exact algebra or the count rule of a code
    basis: str | None = None
    overload: Overload | None = None
    load_check: str | None = None

    def counterexample_rounds(self):
        """The counterexample as ``[[workers straggling in round 0], [round 1], ...]``."""
        if self.counterexample is None:
            return None
        P = self.counterexample
        return [[int(i) for i in np.flatnonzero(P[:, r])] for r in range(P.shape[1])]

    def recurrent_states(self) -> set:
        """States of the reachable graph visited infinitely often by some pattern: those on a
        cycle (non-trivial strongly connected components or self-loops). Needs ``graph=True``."""
        import networkx as nx

        if self.graph is None:
            raise ValueError("run verify(..., graph=True) to get the state graph")
        out = set()
        for comp in nx.strongly_connected_components(self.graph):
            if len(comp) > 1 or any(self.graph.has_edge(v, v) for v in comp):
                out |= comp
        return out

    def rests_on(self) -> str | None:
        """One sentence: the gradient code behind the verdict and why it decodes."""
        c = self.code
        if c is None:
            return None
        head = f"({c['n']}, {c['s']})-GC '{c['construction']}'"
        g = c["guarantee"]
        why = f"{g.kind}: {g.reference or g.statement}"
        if self.method != "symmetric":
            return f"{head} ({why}); decided on its exact coefficient vectors"
        rule = (
            "fewer never decode, so counting is exact"
            if c["count_rule"] == "exact"
            else "counting is sufficient, not necessary, for this code"
        )
        out = f"result counts assume any n - s results of the {head} decode -- {why}; {rule}"
        if g.kind == "unchecked":
            out += ". The verdict is CONDITIONAL on that code being valid"
        return out

    def to_dict(self) -> dict:
        code = None
        if self.code is not None:
            code = dict(self.code)
            code["guarantee"] = self.code["guarantee"].to_dict()
        return {
            "ok": bool(self.ok),
            "method": self.method,
            "patterns": self.patterns,
            "states": self.states,
            "counterexample": self.counterexample_rounds(),
            "failed_job": self.failed_job,
            "confirmed": self.confirmed,
            "confirmation": self.confirmation,
            "code": code,
            "notes": list(self.notes),
            "basis": self.basis,
            "overload": None if self.overload is None else self.overload.to_dict(),
            "load_check": self.load_check,
        }

    def summary(self) -> str:
        verdict = (
            "PROVED" if self.ok else ("FAILS" if self.confirmed is not False else "NOT PROVED")
        )
        head = f"{self.scheme!r} under {self.model!r}: {verdict} ({self.method}"
        if self.patterns is not None:
            head += f", {self.patterns} patterns"
        if self.states is not None:
            head += f", {self.states} states"
        head += f", {self.seconds:.2f} s)"
        lines = [head]
        if self.max_load is not None:
            lines.append(f"  measured load {self.max_load} (claimed {self.scheme.load})")
        if not self.ok and self.overload is not None:
            lines.append(
                f"  over the load: {self.overload.sentence()}, under the pattern "
                f"{self.counterexample_rounds()}"
                + (f" (confirmed: {self.confirmation})" if self.confirmed else "")
            )
        elif not self.ok and self.counterexample is not None:
            lines.append(
                f"  job {self.failed_job} misses its deadline under the pattern "
                f"{self.counterexample_rounds()}"
                + (
                    ""
                    if self.confirmed is None
                    else f" (confirmed: {self.confirmation})"
                    if self.confirmed
                    else " (NOT confirmed by the exact code)"
                )
            )
        if self.code is not None:
            lines.append(f"  code: {self.rests_on()}")
        if self.load_check is not None and self.overload is None:
            lines.append(f"  load: {self.load_check}")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    __str__ = summary

    def _repr_html_(self) -> str:
        import html

        color = "#2e7d32" if self.ok else "#c62828"
        body = html.escape(self.summary()).replace("\n", "<br>")
        return f'<div style="border-left:4px solid {color};padding-left:8px;font-family:monospace">{body}</div>'
