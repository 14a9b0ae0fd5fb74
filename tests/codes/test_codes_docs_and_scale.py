import doctest
import importlib
import math
import time

import pytest

from sgc_theory.codes import GradientCode, cyclic_repetition

MODULES = "sgc_theory.codes sgc_theory.codes.base sgc_theory.codes.certify sgc_theory.codes.constructions".split()


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


def test_medium_code_certified_by_modular_path_only():
    code = cyclic_repetition(16, 4, seed=1)
    r = GradientCode(code.E, 4).verify()
    assert r.ok and r.sets_checked == math.comb(16, 4) == r.certified_modular


@pytest.mark.slow
def test_performance_target_n24_s6():
    code = cyclic_repetition(24, 6, seed=1)
    fresh = GradientCode(code.E, 6)
    t0 = time.perf_counter()
    r = fresh.verify()
    assert r.ok and r.sets_checked == 134596
    assert time.perf_counter() - t0 < 5
