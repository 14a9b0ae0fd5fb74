"""Classical gradient coding as a sequential scheme (docs/guide/schemes.md, T = 0).

References
----------
.. [TLDK17] R. Tandon, Q. Lei, A. G. Dimakis, N. Karampatziakis, "Gradient Coding", ICML 2017.
"""

from __future__ import annotations

from fractions import Fraction

from ..bounds import check_scheme_params, gc_delay, gc_load
from ..errors import check_int, check_seed
from ..rationals import to_fraction
from ..models import PerRound
from ._common import check_construction, code_basis, code_load, gradient_code
from .base import Scheme, Task, check_scheme_size


class GC(Scheme):
    """Round ``r``: every worker computes its (n, s)-GC task for job ``r`` (``T = 0``).

    >>> GC(4, 1).load, GC(4, 1).T
    (Fraction(1, 2), 0)

    ``construction``: ``"auto"`` (fractional repetition when ``(s + 1) | n``, else
    Reed-Solomon), ``"cyclic"``, ``"frc"``, ``"rs"``, ``"stable"`` (float-stable,
    :mod:`sgc_theory.codes.stable`) or a ready (n, s) GradientCode such as
    :func:`sgc_theory.codes.float_safe_code`.

    >>> GC(256, 40, construction="stable").load, GC(256, 40).load
    (Fraction(43, 256), Fraction(41, 256))
    """

    name = "gc"
    load_bound = "every worker computes its one row of the code in every round"

    def __init__(self, n: int, s: int, construction="auto", seed=0):
        self.n, self.s = check_int("n", n), check_int("s", s)
        check_scheme_params("gc", n=self.n, s=self.s)  # the table of sgc_theory.bounds
        self.construction = check_construction(construction, self.n, self.s)
        self.seed = check_seed("seed", seed)
        self.T = int(gc_delay())
        check_scheme_size("GC", self.n, self.n)
        self.partition_sizes = (Fraction(1, self.n),) * self.n

    def _params(self):
        return f"n={self.n}, s={self.s}"

    @property
    def load(self) -> Fraction:
        """``(s + 1) / n``; the code's own load for ``construction="stable"`` or a given code."""
        custom = code_load(self.n, self.s, self.construction)
        return to_fraction(gc_load(self.n, self.s)) if custom is None else custom

    @property
    def design_model(self):
        return PerRound(self.n, self.s)

    @property
    def code(self):
        """The exact (n, s)-GC used in every round."""
        return gradient_code(self.n, self.s, self.construction, self.seed)

    def code_basis(self):
        """The (n, s)-GC this scheme uses and why it decodes (not built; see ``_common``)."""
        return code_basis(self.n, self.s, self.construction)

    def initial_state(self):
        return ()

    def tasks(self, state):
        E = self.code.E
        return tuple((Task(0, E[i], f"GC row {i}"),) for i in range(self.n))

    def next_state(self, state, tasks, mask):
        return ()

    def decode_rounds(self, pattern, jobs=None):
        """Token rule: job ``r`` is decoded in round ``r`` iff at most ``s`` workers straggle."""
        P, jobs = self._pattern_and_jobs(pattern, jobs)
        R = P.shape[1]
        return [t if t < R and P[:, t].sum() <= self.s else None for t in range(jobs)]

    def symmetric_view(self):
        from .symmetric import GCView

        return GCView(self)
