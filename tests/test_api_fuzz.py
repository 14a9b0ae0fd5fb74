"""Fuzzing the public Python API: every call returns a correct result or raises ``SGCError``
(a ``ValueError`` naming the argument and the rule), under a small work budget.

Table-driven: ``CALLS`` maps a name to ``(strategy of arguments, call, check of the result)``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import sgc_theory as sgc
from sgc_theory.bounds import counting_bound, density_bound, gc_load, msgc_load, scheme_load
from sgc_theory.budget import WorkTooLargeError, work_budget
from sgc_theory.codes import GradientCode, from_csv, make_code
from sgc_theory.errors import SGCError
from sgc_theory.models import Arbitrary, Bursty, PerRound, extract_pattern, parse_model
from sgc_theory.schemes import make_scheme

ANY = st.one_of(
    st.integers(-3, 8),
    st.sampled_from([10**9, 10**30, -(10**9)]),
    st.none(),
    st.booleans(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=6),
    st.sampled_from(["3", "bursty:B=1,W=2,lam=1", [1, 2], (0,), {}, object()]),
)
SMALL = st.one_of(st.integers(-2, 6), st.sampled_from([None, "2", 2.5, True, 10**12]))
MODEL_STR = st.sampled_from(
    [
        *"per-round:s=1 bursty:B=1,W=2,lam=1 bursty:B=2,W=3,lam=2 arbitrary:N=2,W=3,lam=2 bursty:B=1,W=2 bursty:B=1,W=2,lam=9 junk".split(),
        7,
        None,
    ]
)


@st.composite
def schemes(draw):
    name = draw(st.sampled_from(["gc", "srsgc", "msgc"]))
    n = draw(st.integers(1, 6))
    if name == "gc":
        return make_scheme("gc", n, s=draw(st.integers(0, n - 1)))
    B = draw(st.integers(1, 2))
    W = draw(st.integers(B + 1, B + 2))
    lam = draw(st.integers(0, n))
    try:
        return make_scheme(name, n, B=B, W=W, lam=lam)
    except SGCError:  # e.g. SR-SGC needs s < n
        assume(False)


def _verify(scheme, model, rounds, all_h, method, max_states):
    return sgc.verify(
        scheme, model, rounds=rounds, all_horizons=all_h, method=method, max_states=max_states
    )


def _check_verify(res, scheme, model, rounds, all_h, method, max_states):
    assert isinstance(res.ok, bool)
    if res.ok and rounds is not None:
        m = (
            scheme.design_model
            if model is None
            else parse_model(model, scheme.n)
            if isinstance(model, str)
            else model
        )
        assert res.patterns == m.count(rounds)
    if not res.ok:
        assert res.counterexample is not None


def _check_count(c, model, rounds, method):
    assert isinstance(c, int) and c >= 1
    if isinstance(rounds, int) and rounds <= 3 and model.n <= 4:
        assert c == sum(1 for _ in model.enumerate(rounds))


def _check_sample(P, model, rounds, rng):
    assert P.shape == (model.n, rounds) and model.admits(P)


@st.composite
def _model(draw):
    n = draw(st.integers(1, 6))
    lam = draw(st.integers(0, min(n, 3)))
    kind = draw(st.sampled_from(["per-round", "bursty", "arbitrary"]))
    if kind == "per-round":
        return PerRound(n, lam)
    W = draw(st.integers(2, 4))
    B = draw(st.integers(1, 2))
    return (Bursty if kind == "bursty" else Arbitrary)(n, B, W, lam)


def _models():
    return _model()


CALLS = {
    "verify": (
        st.tuples(
            st.one_of(schemes(), ANY),
            st.one_of(st.none(), MODEL_STR),
            st.one_of(st.none(), SMALL),
            st.one_of(st.booleans(), ANY),
            st.sampled_from(["auto", "exhaustive", "automaton", "symmetric", "x", None]),
            st.one_of(st.none(), SMALL),
        ),
        _verify,
        _check_verify,
    ),
    "model constructors": (
        st.tuples(st.sampled_from([PerRound, Bursty, Arbitrary]), SMALL, SMALL, SMALL, SMALL),
        lambda cls, *a: cls(*a[:2]) if cls is PerRound else cls(*a),
        lambda m, cls, *a: m.n >= 1 and 0 <= m.lam <= m.n and m.admits(np.zeros((m.n, 0))),
    ),
    "count": (
        st.tuples(
            _models(),
            st.one_of(SMALL, st.just(10**6)),
            st.sampled_from(["symmetric", "automaton", "brute"]),
        ),
        lambda m, r, method: m.count(r, method),
        _check_count,
    ),
    "sample": (
        st.tuples(
            _models(),
            st.one_of(SMALL, st.just(10**6)),
            st.one_of(SMALL, st.just(np.random.default_rng(1))),
        ),
        lambda m, r, rng: m.sample(r, rng),
        _check_sample,
    ),
    "enumerate": (
        st.tuples(_models(), SMALL),
        lambda m, r: next(iter(m.enumerate(r))),
        lambda P, m, r: m.admits(P),
    ),
    "parse_model": (
        st.tuples(st.one_of(MODEL_STR, st.text(max_size=20)), SMALL),
        parse_model,
        lambda m, spec, n: m.n == n,
    ),
    "extract_pattern": (
        st.tuples(
            st.one_of(
                st.just([[1.0, 2.0], [3.0, 1.0]]),
                st.just([[1, 2], [3]]),
                st.just([["a"]]),
                st.just([[1e308, 1e308], [1e308, 1.0]]),
                st.just([[float("nan")]]),
                st.just([[-1.0]]),
                ANY,
            ),
            st.one_of(st.floats(allow_nan=True), SMALL),
        ),
        extract_pattern,
        lambda P, D, mu: P.dtype == bool,
    ),
    "make_scheme": (
        st.tuples(
            st.sampled_from(["gc", "srsgc", "msgc", "x", None]), SMALL, SMALL, SMALL, SMALL, SMALL
        ),
        lambda name, n, s, B, W, lam: (
            make_scheme(name, n, s=s) if name == "gc" else make_scheme(name, n, B=B, W=W, lam=lam)
        ),
        lambda sch, *a: sch.T >= 0,
    ),
    "make_code": (
        st.tuples(
            SMALL, SMALL, st.sampled_from(["cyclic", "frc", "x"]), st.one_of(st.none(), SMALL)
        ),
        lambda n, s, c, seed: make_code(n, s, c, seed=seed),
        lambda code, *a: code.verify().ok,
    ),
    "GradientCode": (
        st.tuples(
            st.one_of(
                st.just([[1, 1], [1, 1]]),
                st.just([[1]]),
                st.just([[1, 2], [3]]),
                st.just("ab"),
                ANY,
            ),
            SMALL,
        ),
        GradientCode,
        lambda code, E, s: code.n >= 1,
    ),
    "scheme methods": (
        st.tuples(
            schemes(),
            st.sampled_from(["run", "decode_rounds", "assignment", "symbolic"]),
            st.one_of(st.just(np.zeros((3, 2), bool)), st.just("x"), SMALL, st.just([[0, 1]])),
        ),
        lambda sch, meth, arg: getattr(sch, meth)(
            np.zeros((sch.n, 2), bool)
            if isinstance(arg, np.ndarray)
            and arg.shape[0] != sch.n
            and meth in ("run", "decode_rounds")
            and sch.n == 3
            else arg
        ),
        lambda res, *a: res is not None,
    ),
    "closed forms": (
        st.tuples(
            st.sampled_from([gc_load, msgc_load, counting_bound]), SMALL, SMALL, SMALL, SMALL
        ),
        lambda f, a, b, c, d: f(a, b) if f is gc_load else f(a, b, c, d),
        lambda v, *a: v.is_number and v > 0,
    ),
    "scheme_load": (
        st.tuples(st.sampled_from(["gc", "srsgc", "msgc", "x"]), SMALL, SMALL, SMALL, SMALL, SMALL),
        scheme_load,
        lambda v, *a: v[0] > 0,
    ),
    "density_bound": (
        st.tuples(st.one_of(_models(), MODEL_STR)),
        density_bound,
        lambda v, m: v > 0,
    ),
}


def _call(name, args):
    strategy, call, check = CALLS[name]
    try:
        with work_budget(10**5):
            result = call(*args)
    except SGCError as exc:
        assert str(exc) and "\n" not in str(exc), exc
        return
    check(result, *args)


@pytest.mark.parametrize("name", sorted(CALLS))
def test_api_fuzz(name):
    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(CALLS[name][0])
    def inner(args):
        _call(name, args)

    inner()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CALLS))
def test_api_fuzz_long(name):
    @settings(
        max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    @given(CALLS[name][0])
    def inner(args):
        _call(name, args)

    inner()


def test_from_csv_odd_files(tmp_path):
    (tmp_path / "empty.csv").write_text("")
    (tmp_path / "junk.csv").write_bytes(bytes(range(256)))
    for path in [
        tmp_path,
        tmp_path / "empty.csv",
        tmp_path / "junk.csv",
        "/dev/null",
        "/dev/zero",
        tmp_path / "missing.csv",
        None,
        3,
    ]:
        with pytest.raises(SGCError):
            from_csv(path, 1)
    with pytest.raises(SGCError, match="directory"):
        from_csv(tmp_path, 1)
    with pytest.raises(SGCError, match="character device"):
        from_csv("/dev/zero", 1)


def test_budget_error_is_an_sgc_error():
    assert issubclass(WorkTooLargeError, SGCError) and issubclass(SGCError, ValueError)
    assert not math.isnan(1.0)  # keep the import used
