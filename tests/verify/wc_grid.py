"""The WC-SGC tunings the count-kernel and count-search tests share."""

from __future__ import annotations

from sgc_theory.schemes import WCSGC

#: (n, B, W, lam, dT, dK): every (B, W) with W <= 5 (lam <= 3 at W = 5: larger ones take seconds
#: each, in the slow grids), with the theorem's (T, K), one unit more per job, one round less
GRID = [
    (n, B, W, lam, dT, dK)
    for n, lams in ((5, (1, 3, 5)), (7, (2, 4, 6)))
    for B in (1, 2, 3, 4)
    for W in range(B + 1, 6)
    for lam in lams
    if W < 5 or lam <= 3
    for dT, dK in ((0, 0), (0, 1), (-1, 0))
]


def scheme(n, B, W, lam, dT, dK):
    """WC-SGC at the grid point: the theorem's capacity, delay ``B + 1 + dT``, units ``+ dK``."""
    P = W - 1 + B
    return WCSGC(n, B, W, lam, T=B + 1 + dT, P=P, K=n * P - lam * B + dK)
