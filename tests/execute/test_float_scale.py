"""Float64 decoding at the paper's scale: every default scheme of ``sgc run`` at n = 256 decodes
each job to the uncoded gradient within 1e-9 relative on admitted adversarial patterns, and the
run names the float-safe inner code it chose with its exact load next to the default code's."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from sgc_theory.execute import build_scheme, code_choice, train

JOBS = 12


def _admitted(family, params, n, R, seed):
    """Stragglers every round: ``s`` random workers (GC), or ``lam`` random workers in the
    first round of every window of ``W`` rounds (bursts of 1, ``lam`` distinct per window)."""
    rng = np.random.default_rng(seed)
    P = np.zeros((n, R), dtype=bool)
    if family == "gc":
        for r in range(R):
            P[rng.choice(n, params["s"], replace=False), r] = True
    else:
        for r in range(0, R, params["W"]):
            P[rng.choice(n, params["lam"], replace=False), r] = True
    return P


def _check(family, params, construction):
    sch = build_scheme(family, 256, **params)
    P = _admitted(family, params, 256, JOBS + sch.T, seed=len(params))
    assert sch.design_model.admits(P)
    res = train(sch, jobs=JOBS, pattern=P)
    assert res.pattern.sum() == P[:, : res.rounds].sum() > 0
    assert len(res.errors) == JOBS and res.max_error < 1e-9
    assert res.loss_gap < 1e-9
    code = code_choice(sch, family, 256, **params)
    if construction is None:
        assert code is None
    else:
        assert code["construction"] == construction
        assert Fraction(code["load"]) == sch.load >= Fraction(code["default_load"])


FAST = [("gc", dict(s=40), "ufrc"), ("srsgc", dict(B=2, W=3, lam=23), "ufrc")]
SLOW = [
    ("gc", dict(s=15), "frc"),
    ("msgc", dict(B=1, W=2, lam=27), "ufrc"),
    ("brsgc", dict(B=1, W=2, lam=27), None),
    ("wcsgc", dict(B=1, W=2, lam=27), None),
]


@pytest.mark.parametrize("family,params,construction", FAST, ids=lambda c: str(c))
def test_default_codes_decode_at_n256(family, params, construction):
    _check(family, params, construction)


@pytest.mark.slow
@pytest.mark.parametrize("family,params,construction", SLOW, ids=lambda c: str(c))
def test_default_codes_decode_at_n256_all_families(family, params, construction):
    _check(family, params, construction)


def _cli(argv):
    import contextlib
    import io

    from sgc_theory.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    return out.getvalue()


def test_sgc_run_names_the_float_safe_code():
    argv = "run --scheme msgc --n 32 --B 1 --W 2 --lam 4 --jobs 2 --local".split()
    text = _cli(argv)
    assert "inner code: float-safe, ufrc (s=4), load 3/56 = " in text
    assert "the scheme's default rs code has load 5/96 = " in text
    code = json.loads(_cli(argv + ["--json"]))["code"]
    assert code == {
        "construction": "ufrc",
        "s": 4,
        "load": "3/56",
        "default_construction": "rs",
        "default_load": "5/96",
    }
    assert "(the scheme's default code)" in _cli(
        "run --scheme gc --n 8 --s 1 --jobs 2 --local".split()
    )
