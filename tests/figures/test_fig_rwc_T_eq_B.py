"""The T = B figure (fig_rwc_T_eq_B): its numbers against the results tables and the package, every
proved load at or above the counting bound, and one cheap row re-proved by RWC-SGC's automaton."""

import csv
from fractions import Fraction

from figures_helpers import fig

from sgc_theory.bounds import counting_bound
from sgc_theory.rationals import to_fraction
from sgc_theory.schemes import RWCSGC
from sgc_theory.verify import verify


def test_rwc_T_eq_B_rows_are_the_tables_and_above_the_bound():
    mod = fig("rwc_T_eq_B")
    d = mod.data()
    assert set(d) == {3, 4}
    with open(mod.RESULTS / "optimal_T_eq_B_n256.csv") as fh:
        pr = {int(r["lam"]): Fraction(r["runnable"]) for r in csv.DictReader(fh)
              if (r["B"], r["W"], r["runnable_scheme"]) == ("2", "3", "prsgc")}  # fmt: skip
    for lam, v in pr.items():  # PR-SGC's closed form = the table's best runnable at W = 3
        assert d[3]["prsgc"][lam] == v
    for W, c in d.items():
        assert c["rwcsgc"] and c["wcsgc"]
        for lam, cb in c["cb"].items():
            assert cb == to_fraction(counting_bound(256, 2, W, lam))
            assert c["best"][lam] >= cb  # the counting bound holds for every scheme
            vals = [c[k][lam] for k in ("prsgc", "wcsgc", "rwcsgc", "padded") if lam in c[k]]
            assert c["best"][lam] == min(vals)
        for lam, v in c["rwcsgc"].items():  # replication never loses to tuned WC-SGC here
            assert v <= c["wcsgc"][lam] and v < c["prsgc"][lam]
    assert d[3]["rwcsgc"][6] == Fraction(4, 1009) and d[3]["wcsgc"][6] == Fraction(1, 252)
    # the join-padded RWC-SGC: (2, 3, 15) within 1 % of the counting bound (P = 12, K = 2954)
    assert d[3]["padded"][15] == Fraction(6, 1477) == d[3]["best"][15]
    assert d[3]["padded"][15] / d[3]["cb"][15] < Fraction(101, 100)


def test_rwc_T_eq_B_one_row_reproved():
    v = fig("rwc_T_eq_B").data()[3]["rwcsgc"][2]
    assert v == Fraction(4, 1019)
    res = verify(RWCSGC(256, 2, 3, 2, T=2, P=4, K=1019), all_horizons=True, method="counts")
    assert res.ok
