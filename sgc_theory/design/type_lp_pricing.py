"""Pricing set orbits in the covering LP by worker types (:mod:`sgc_theory.design.type_lp`).

At one node (age, history orbit) the reduced cost of a set orbit ``a`` is
``f(a) - u[node]`` with ``f(a) = sum_j a_j pi_j + sum_children U(a, s) u_child``.
``Pricer`` evaluates ``f`` over the useful set orbits of the node: in floats to screen
candidates (column generation, :mod:`~sgc_theory.design.type_lp_solve`), and exactly for the
weak-duality bound (:mod:`~sgc_theory.design.type_lp_certify`).
"""

from __future__ import annotations

import math
from fractions import Fraction
from math import comb

import numpy as np

from .type_lp import TypeLP, _box, _Node

__all__ = ["Pricer"]


class Pricer:
    """Evaluates ``f(a) = sum_j a_j pi_j + sum_children U(a, s) u_child`` over the useful set
    orbits of one node: the box of :attr:`_Node.limits` before the deadline, the minimal safe
    orbits at the deadline (the single-type ones and the cheapest composition for the prices
    at hand, which is the cheapest of all compositions)."""

    def __init__(self, lp: TypeLP, node: _Node, total=None):
        self.lp, self.node, self.total = lp, node, total
        self.deadline = node.d == lp.T
        m = len(node.orbit)
        if self.deadline:
            self._singles = lp.safe_singles(node, total)
            self.points = np.array(self._singles, dtype=np.int64).reshape(len(self._singles), m)
        else:
            self.points = _box(node.limits, total)
        self._tables = None

    def prepare(self, prices) -> int:
        """Fix the candidate points for ``prices`` (deadline nodes); returns their number
        (0: no safe set of the allowed size, so no data may reach this node)."""
        if self.deadline:
            pts = list(self._singles)
            g = self.lp.greedy_composition(self.node, prices, self.total)
            if g is not None and g not in pts:
                pts.append(g)
            self.points = np.array(pts, dtype=np.int64).reshape(len(pts), len(self.node.orbit))
        return self.points.shape[0]

    def _child_tables(self):
        if self._tables is None:
            node = self.node
            tabs = []
            for cid, s in node.children:
                per = []
                for c, sj, lim in zip(node.counts, s, node.limits):
                    per.append(np.array([comb(sj, x) / comb(c, x) for x in range(lim + 1)]))
                tabs.append((cid, per))
            self._tables = tabs
        return self._tables

    def floats(self, pi, u) -> np.ndarray:
        """``f`` on every candidate point, in floats (``pi``: per type; ``u``: per node id)."""
        pts = self.points
        out = pts @ np.asarray(pi, dtype=float)
        if not self.deadline:
            for cid, per in self._child_tables():
                uc = u[cid]
                if uc == 0:
                    continue
                prod = np.ones(pts.shape[0])
                for j, tab in enumerate(per):
                    prod *= tab[pts[:, j]]
                if math.isinf(uc):  # data reaching that child can never be covered
                    out[prod > 0] = math.inf
                else:
                    out += prod * float(uc)
        return out

    def exact(self, a, pi, u) -> Fraction | None:
        """Exact ``f(a)`` (``None`` = infinite: ``a`` leaves data where it cannot be covered)."""
        node = self.node
        val = sum((x * p for x, p in zip(a, pi) if x), Fraction(0))
        if not self.deadline:
            for cid, s in node.children:
                uc = u[cid]
                if uc is None:
                    if self.lp.coefficient(node, a, s):
                        return None
                elif uc:
                    val += self.lp.coefficient(node, a, s) * uc
        return val
