"""What a long run costs, in work units (about a microsecond each, :mod:`sgc_theory.budget`),
calibrated on ``n = 256``, 10,000 rounds (CPU time of one replication, one core):

* generating the matrix: 0.3 units per delay; sorting every round: 0.07 per delay;
* per family and online policy, per round: GC and no coding 8; BR-SGC and M-SGC ``18 + 6 W``
  (paper) and ``40 + 8 W`` (minimal) with ``W`` the family's largest window; SR-SGC 15 more
  (its decode rule); every further configuration of a family 1;
* through the scheme objects (WC-SGC, PR-SGC): the minimal policy's admission, and the decoder,
  25 units per round (PR-SGC) and 3,000 (WC-SGC) per configuration and policy;
* the offline optimum: 3,000,000 per configuration (its dynamic program's default budget).

``tests/simulate/test_compare_budget.py`` checks the estimate against the measured cost.
"""

from __future__ import annotations

__all__ = ["run_cost", "pilot_cost"]

_DECODER = {"prsgc": 25, "wcsgc": 3000}


def _family_cost(sc: str, rows: list, npol: int) -> float:
    """Units per round of one family's configurations under ``npol`` policies."""
    if sc in ("nocoding", "gc"):
        base = 8.0 * npol
    elif sc in ("srsgc", "msgc", "brsgc"):
        W = max(int(p["W"]) for p in rows)
        paper, minimal = 18 + 6 * W, 40 + 8 * W
        base = (paper + minimal) / 2 * npol + (15 * npol if sc == "srsgc" else 0)
    else:
        W = max(int(p.get("W", 2)) for p in rows)
        base = (40 + 8 * W) * npol + _DECODER.get(sc, 3000) * len(rows) * npol
    return base + (len(rows) - 1) * npol


def run_cost(n: int, rounds: int, configs, npol: int, optimal_jobs: int = 0) -> float:
    """Work units of one replication: ``rounds`` rounds of ``n`` workers, the configurations
    ``[(scheme, params)]`` under ``npol`` online policies (and the optimum when asked)."""
    fams: dict = {}
    for sc, p in configs:
        fams.setdefault(sc, []).append(p)
    per_round = 0.37 * n + sum(_family_cost(sc, rows, npol) for sc, rows in fams.items())
    return rounds * per_round + (3_000_000 * len(configs) if optimal_jobs else 0)


def pilot_cost(n: int, rounds: int, configurations: int, npol: int) -> float:
    """Work units of a pilot sweep: ``configurations`` evaluated over ``rounds`` rounds under
    ``npol`` policies (the sweep's vectorised engine, about 0.5 units per configuration-round)
    plus generating the matrix."""
    return rounds * (0.37 * n + 0.5 * configurations * npol)
