"""Straggler processes whose truth is known (the property tests of the fit recover them)."""

import math

from sgc_theory.simulate.processes import StragglerProcess


def _ln(mean, sd):
    return {"family": "lognormal", "mean": float(mean), "sd": float(sd)}


def gilbert_elliott(n):
    """Issue 26: normal lognormal(0, 0.1), slow x 3, p(n -> s) = 0.015, p(s -> n) = 0.45."""
    return StragglerProcess.from_emissions(
        n, [[0.985, 0.015], [0.45, 0.55]], [_ln(0, 0.1), _ln(math.log(3), 0.1)]
    )


def three_state(n):
    """Normal, slow (x 2.5) and very slow (x 6), each with its own persistence."""
    A = [[0.98, 0.012, 0.008], [0.35, 0.6, 0.05], [0.25, 0.05, 0.7]]
    return StragglerProcess.from_emissions(
        n, A, [_ln(0, 0.1), _ln(math.log(2.5), 0.1), _ln(math.log(6), 0.15)]
    )


def iid(n):
    """No persistence: every round, slow (x 3) with probability 0.04 independently."""
    return StragglerProcess.from_emissions(
        n, [[0.96, 0.04], [0.96, 0.04]], [_ln(0, 0.1), _ln(math.log(3), 0.1)]
    )


def heavy_tail(n):
    """Gilbert-Elliott with a Pareto slow state: x = 2.2 exp(E / 2.5), a tail of index 2.5."""
    return StragglerProcess.from_emissions(
        n,
        [[0.98, 0.02], [0.4, 0.6]],
        [_ln(0, 0.1), {"family": "pareto", "scale": 2.2, "alpha": 2.5}],
    )


TRUTHS = {"gilbert_elliott": gilbert_elliott, "three_state": three_state, "iid": iid,
          "heavy_tail": heavy_tail}  # fmt: skip
