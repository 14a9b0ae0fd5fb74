"""The Reed-Solomon gradient code and structural guarantees.

Each fact is checked by a route independent of the proof it tests: exhaustive certification
(modular certificate + exact integer ranks), a sympy rank oracle, and decoding vectors multiplied
out with plain Fractions or a python-flint matrix product.
"""

import itertools
import json
import math
from fractions import Fraction

import flint
import pytest
from codes_oracle import sympy_decodable

from sgc_theory.cli import main
from sgc_theory.codes import (
    CONSTRUCTIONS,
    GradientCode,
    Guarantee,
    ReedSolomonCode,
    code_guarantee,
    fractional_repetition,
    make_code,
    reed_solomon,
)
from sgc_theory.codes.reed_solomon import RS_LEMMA
from sgc_theory.budget import WorkTooLargeError
from sgc_theory.errors import SGCError

SMALL = [(n, s) for n in range(1, 13) for s in range(n)]


def times_E(a, E):
    """``a^T E`` with plain Fractions (dense, no shortcut)."""
    n = len(E)
    return [sum((Fraction(a[i]) * E[i][j] for i in range(n)), Fraction(0)) for j in range(n)]


@pytest.mark.parametrize("n,s", SMALL)
def test_structure_agrees_with_exhaustive_certificate(n, s):
    code = reed_solomon(n, s)
    assert code.guarantee.kind == "structural"
    assert code.load == Fraction(s + 1, n)
    assert all(len(sp) == s + 1 for sp in code.support)  # every row: s + 1 nonzeros
    assert [sorted(sp) for sp in code.support] == [
        sorted({(i + k) % n for k in range(s + 1)}) for i in range(n)
    ]
    structural = code.verify()
    assert structural.ok and structural.basis == "structural"
    # at most 924 sets here: all of them fit the default budget, so every set is checked
    assert structural.sets_checked == math.comb(n, s) and not structural.sampled
    # over the budget, the default is a sample of SPOT_CHECKS sets
    budget = max(1, math.comb(n, s) * n * n - 1)
    if min(math.comb(n, s), code.SPOT_CHECKS) * n * n <= budget:
        small = code.verify(max_work=budget)
        assert small.sets_checked == min(math.comb(n, s), code.SPOT_CHECKS)
    else:  # not even the sample fits: refused, never silently smaller
        with pytest.raises(WorkTooLargeError):
            code.verify(max_work=budget)
    # the independent route: every one of the C(n, s) sets, exactly
    plain = GradientCode(code.E, s)
    exhaustive = plain.verify("exhaustive")
    assert exhaustive.ok and exhaustive.sets_checked == math.comb(n, s)
    assert plain.guarantee.kind == "certified"
    # Lemma 2: rank E = n - s, and no set of s + 1 stragglers decodes
    assert plain.rank == n - s
    if s + 1 < n:
        assert GradientCode(code.E, s + 1).verify("exhaustive").failures == math.comb(n, s + 1)


@pytest.mark.parametrize("n,s", [(n, s) for n, s in SMALL if n <= 8])
def test_every_decoding_vector_is_exact_and_is_the_locator_polynomial(n, s):
    code = reed_solomon(n, s)
    for S in itertools.combinations(range(n), s):
        F = [i for i in range(n) if i not in S]
        a = code.decoding_vector(F)
        assert times_E(a, code.E) == [1] * n
        assert all(a[i] == 0 for i in S)
        assert a == [math.prod(i - k for k in S) for i in range(n)]
        # Lemma 2: the decoding vector of n - s workers is unique, so the generic solver
        # (reduced echelon form of the system) finds the same one
        generic = GradientCode(code.E, s).decoding_vector(F)
        assert generic == a


@pytest.mark.parametrize("n,s", [(5, 1), (6, 2), (7, 3), (6, 4)])
def test_lemma2_against_sympy_oracle(n, s):
    """Workers decode iff there are at least n - s of them (sympy ranks)."""
    E = reed_solomon(n, s).E
    for m in range(1, n + 1):
        for F in itertools.combinations(range(n), m):
            assert sympy_decodable(E, list(F)) == (m >= n - s), F


def test_fewer_stragglers_pad_and_decode():
    code = reed_solomon(9, 3)
    for F in ([0, 1, 2, 3, 4, 5, 6, 7], list(range(9)), [1, 2, 3, 5, 6, 7, 8]):
        a = code.decoding_vector(F)
        assert times_E(a, code.E) == [1] * 9
        assert all(a[i] == 0 for i in range(9) if i not in F)


@pytest.mark.parametrize("s", [12, 30])
def test_spot_checks_at_n256(s):
    code = reed_solomon(256, s)
    r = code.verify(spot_checks=6, seed=5)
    assert r.ok and r.basis == "structural" and r.sampled and r.seed == 5
    assert r.sets_checked == 6 and r.sets_total == math.comb(256, s)
    # same seed, same sample; the sample is distinct sets of size s
    sets = code.random_straggler_sets(6, seed=5)
    assert sets == code.random_straggler_sets(6, seed=5) and len(set(sets)) == 6
    assert all(len(S) == s and list(S) == sorted(S) for S in sets)
    # decoding vectors multiplied out by a flint matrix product (independent of check_vector)
    for S in sets[:2]:
        F = [i for i in range(256) if i not in S]
        a = code.decoding_vector(F)
        row = flint.fmpq_mat([[flint.fmpq(x.numerator, x.denominator) for x in a]])
        prod = row * code.E_flint
        assert all(prod[0, j] == 1 for j in range(256))
        assert all(a[i] == 0 for i in S)


def test_perturbed_entry_is_caught_by_the_exhaustive_certifier():
    code = reed_solomon(7, 2)
    E = [list(row) for row in code.E]
    E[3][4] += 1  # breaks the divided-difference weights of column 4
    broken = GradientCode(E, 2)
    assert broken.guarantee.kind == "unchecked"  # a matrix alone carries no proof
    r = broken.verify()
    assert r.basis == "exhaustive" and not r.ok and r.failures > 0
    assert broken.guarantee.kind == "fails"
    # every failing straggler set keeps worker 3 (when worker 3 straggles, the others decode
    # from untouched rows)
    assert all(3 not in S for S in r.failing_sets)


def test_broken_structural_vector_is_caught_by_the_spot_check():
    class Broken(ReedSolomonCode):
        def structural_vector(self, stragglers):
            a = super().structural_vector(stragglers)
            a[max(i for i in range(self.n) if i not in stragglers)] += 1
            return a

    r = Broken(10, 3).verify(spot_checks=20, seed=0)
    assert r.basis == "structural" and not r.ok and r.failures == 20


def test_rational_nodes_and_node_validation():
    code = reed_solomon(6, 2, nodes=[Fraction(1, 3) * i - 1 for i in range(6)])
    assert GradientCode(code.E, 2).verify("exhaustive").ok
    assert code.verify().ok
    with pytest.raises(SGCError, match="distinct"):
        reed_solomon(3, 1, nodes=[0, 1, 1])
    with pytest.raises(SGCError, match="n=3"):
        reed_solomon(3, 1, nodes=[0, 1])
    with pytest.raises(SGCError, match="rational"):
        reed_solomon(3, 1, nodes=[0, 1, "x"])
    with pytest.raises(SGCError, match="s must"):
        reed_solomon(3, 3)


def test_frc_structural_vector_and_spot_check():
    code = fractional_repetition(256, 15)
    r = code.verify(spot_checks=10, seed=2)
    assert r.ok and r.basis == "structural" and r.sampled
    for S in code.random_straggler_sets(3, seed=2):
        a = code.structural_vector(S)
        row = flint.fmpq_mat([[int(x) for x in a]])
        assert all((row * code.E_flint)[0, j] == 1 for j in range(256))
    # small n: the structural answer agrees with the exhaustive one
    for n, s in [(6, 1), (6, 2), (8, 3), (9, 2)]:
        c = fractional_repetition(n, s)
        assert c.verify().ok and GradientCode(c.E, s).verify("exhaustive").ok


def test_structural_method_needs_a_proof():
    with pytest.raises(SGCError, match="structural"):
        GradientCode([[1, 1], [1, 1]], 1).verify("structural")
    with pytest.raises(SGCError, match="spot_checks"):
        reed_solomon(5, 1).verify(spot_checks=0)


def test_code_guarantee_without_building():
    for n, s in [(6, 2), (8, 3), (9, 2)]:
        for c in CONSTRUCTIONS:
            if c == "frc" and n % (s + 1):
                with pytest.raises(SGCError, match="divide"):
                    code_guarantee(n, s, c)
                continue
            built = make_code(n, s, c, seed=0)
            assert code_guarantee(n, s, c).kind == built.guarantee.kind
    assert code_guarantee(256, 12, "rs") == reed_solomon(8, 2).guarantee
    assert code_guarantee(256, 12, "rs").statement == RS_LEMMA
    assert code_guarantee(256, 12, "cyclic").kind == "unchecked"
    assert code_guarantee(256, 0, "cyclic").kind == "structural"
    with pytest.raises(SGCError, match="kind"):
        Guarantee("proved", "x")


def test_cli_rs_n256_answers_from_the_proof(capsys):
    rc = main("gc verify --n 256 --s 12 --construction rs --spot-checks 4 --seed 9 --json".split())
    out, err = capsys.readouterr()
    assert rc == 0 and err == ""
    got = json.loads(out)
    assert got["ok"] and got["basis"] == "structural" and got["sampled"] is True
    assert got["sets_checked"] == 4 and got["seed"] == 9
    assert got["sets_total"] == math.comb(256, 12)
    assert got["guarantee"]["kind"] == "structural"
    rc = main(["gc", "verify", "--n", "256", "--s", "12", "--construction", "rs"])
    out, _ = capsys.readouterr()
    assert rc == 0 and out.startswith("OK:") and out.count("\n") == 1
    assert "structural proof" in out and "spot check of random sample of 64" in out
    assert "seed 0" in out
    rc = main(
        ["gc", "verify", "--n", "6", "--s", "2", "--construction", "cyclic", "--spot-checks", "3"]
    )
    out, err = capsys.readouterr()
    assert rc == 2 and out == "" and err.count("\n") == 1 and "--spot-checks" in err
