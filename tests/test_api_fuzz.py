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
from fractions import Fraction

from sgc_theory.bounds import counting_bound, density_bound, gc_load, msgc_load, scheme_load
from sgc_theory.bounds.loads import (
    brsgc_delay,
    brsgc_load,
    msgc_delay,
    msgc_mu,
    msgc_x,
    nocoding_load,
    srsgc_delay,
    srsgc_load,
    srsgc_s,
    wcsgc_load,
)
from sgc_theory.fileio import atomic_write, parse_csv_text
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


_FORMULAS = {
    "nocoding_load": (nocoding_load, 1),
    "brsgc_load": (brsgc_load, 2),
    "wcsgc_load": (wcsgc_load, 4),
    "srsgc_s": (srsgc_s, 3),
    "srsgc_load": (srsgc_load, 4),
    "msgc_mu": (msgc_mu, 4),
    "msgc_x": (msgc_x, 3),
    "brsgc_delay": (brsgc_delay, 1),
    "srsgc_delay": (srsgc_delay, 1),
    "msgc_delay": (msgc_delay, 2),
}

SMALL_MASK = st.one_of(
    st.integers(-2, 70), st.sampled_from([1 << 10, 1 << 200, True, 2.0, "1", None])
)


def _automaton_call(m, meth, state, mask):
    if meth == "row_ok":
        return m.row_ok(mask)
    if state is not None and not isinstance(state, str):
        state = tuple(state)
    if meth == "next_sets":
        return m.next_sets(state)
    return getattr(m, meth)(state, mask)


def _automaton_check(v, m, meth, state, mask):
    """Only valid arguments were accepted; the answers agree with the definition."""
    assert type(mask) is int or meth == "next_sets"
    if meth == "row_ok":
        assert 0 <= mask < 1 << m.W and isinstance(v, bool)
        return
    assert len(state) == m.W - 1 and all(0 <= x < 1 << m.n for x in state)
    if meth == "next_sets":
        assert all(m.allows(tuple(state), x) for x in v)
        return
    assert 0 <= mask < 1 << m.n
    if meth == "allows":
        assert isinstance(v, bool)
    else:
        assert v == tuple(state[1:]) + (mask,)


CSV_TEXT = st.one_of(
    st.sampled_from(
        [
            "\ufeff1,1\n1,1\n",
            "\ufeffw0,w1\n1,2\n3,4\n",
            "w0,w1\n1,2\n",
            "w0,1\n1,2\n",
            "time,worker,delay\n0,0,1\n",
            "1e99999999,1\n1,1\n",
            "1e-99999999,1\n1,1\n",
            "1/2,3\n-4/6,0.25\n",
            "1,2,3\n4,5,6\n",
            "1,2\n3\n",
            "",
            "\n\n",
            "nan,inf\n1,1\n",
            "9" * 2000 + ",1\n1,1\n",
        ]
    ),
    st.text(alphabet="0123456789,.e/-+\n\ufeffw ", max_size=40),
)


def _csv_check(t, text, exact, square):
    rows, cols = t.shape
    assert rows >= 1 and cols >= 1 and all(len(r) == cols for r in t.rows)
    assert not square or rows == cols
    if t.header is not None:
        assert len(t.header) == cols and all(h for h in t.header)  # names, none empty
        assert "worker" not in {h.lower() for h in t.header}
    for row in t.rows:
        for x in row:
            assert isinstance(x, Fraction if exact else float)
            if exact:  # no number of absurd size was built
                assert x.numerator.bit_length() < 5000 and x.denominator.bit_length() < 5000


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
    # issue 20, class 5: every closed form validates its arguments (a load is a number in
    # (0, 1], a delay an integer >= 0)
    "loads and delays": (
        st.tuples(st.sampled_from(sorted(_FORMULAS)), SMALL, SMALL, SMALL, SMALL),
        lambda name, *a: _FORMULAS[name][0](*a[: _FORMULAS[name][1]]),
        lambda v, name, *a: v.is_number and (0 < v <= 1 if "load" in name else v >= 0),
    ),
    # class 5: the automaton's states, straggler sets and rows are checked (no loop, no
    # silently out-of-range worker)
    "automaton methods": (
        st.tuples(
            _models(),
            st.sampled_from(["allows", "advance", "next_sets", "row_ok"]),
            st.one_of(st.none(), st.just("x"), st.lists(SMALL_MASK, max_size=4)),
            SMALL_MASK,
        ),
        lambda m, meth, state, mask: _automaton_call(m, meth, state, mask),
        lambda v, m, meth, state, mask: _automaton_check(v, m, meth, state, mask),
    ),
    # class 6: one CSV reader (BOM, header by rule, long format, exponents, shapes)
    "read_csv": (
        st.tuples(CSV_TEXT, st.booleans(), st.booleans()),
        lambda text, exact, square: parse_csv_text(text, "file", exact=exact, square=square),
        lambda t, text, exact, square: _csv_check(t, text, exact, square),
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


# ---------------------------------------------------------------------------------------------
# issue 20: the replayable examples of nonsense the library accepted (class 5), the CSV reader
# (class 6) and the atomic writer (class 2)
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda: brsgc_load(4, -3),
        lambda: brsgc_load(4, 100),
        lambda: nocoding_load(0),
        lambda: nocoding_load(-4),
        lambda: wcsgc_load(4, 1, 2, -1),
        lambda: wcsgc_load(4, 1, 1, 1),
        lambda: srsgc_s(1, 0, 1),
        lambda: msgc_mu(4, 1, 2, -1),
        lambda: brsgc_delay(-2),
        lambda: msgc_delay(3, 2),
        lambda: msgc_x(1, 2, 5, 4),
        lambda: Bursty(4, B=1, W=2, lam=1).allows((0,), 1 << 10),
        lambda: Bursty(4, B=1, W=2, lam=1).allows((0,), -1),
        lambda: Bursty(4, B=1, W=2, lam=1).allows("x", 1),
        lambda: Bursty(4, B=1, W=2, lam=1).allows((0, 0), 1),
        lambda: Bursty(4, B=1, W=2, lam=1).advance((0,), 1 << 4),
        lambda: Bursty(4, B=1, W=2, lam=1).next_sets((1 << 7,)),
        lambda: Bursty(4, B=1, W=2, lam=1).row_ok(4),
        lambda: make_code(4, 1, construction="rs", seed="x"),
    ],
)
def test_issue20_nonsense_is_refused(call):
    with pytest.raises(SGCError):
        call()


def test_issue20_symbolic_loads_still_work():
    import sympy as sp

    n, lam = sp.symbols("n lam", positive=True)
    assert sp.simplify(brsgc_load(n, lam) - (n + lam) / n**2) == 0
    assert brsgc_load(256, 27) == sp.Rational(283, 65536)


def test_issue20_atomic_write_is_whole_or_absent(tmp_path):
    p = tmp_path / "out.bin"
    with pytest.raises(RuntimeError):
        with atomic_write(p) as fh:
            fh.write(b"half")
            raise RuntimeError("interrupted")
    assert not p.exists() and list(tmp_path.iterdir()) == []
    p.write_bytes(b"old")
    with pytest.raises(KeyboardInterrupt):
        with atomic_write(p) as fh:
            fh.write(b"new but cut")
            raise KeyboardInterrupt
    assert p.read_bytes() == b"old" and list(tmp_path.iterdir()) == [p]
    with atomic_write(p) as fh:
        fh.write(b"new")
    assert p.read_bytes() == b"new"
    with pytest.raises(IsADirectoryError):
        with atomic_write(tmp_path) as fh:
            pass


def test_issue20_csv_reader_size_checked_before_parsing(tmp_path):
    """A file over the budget is refused from its size, before a value is parsed."""
    import time

    from sgc_theory.fileio import read_csv

    p = tmp_path / "big.csv"
    p.write_text(("1," * 999 + "1\n") * 1000)  # 2 MB, 10^6 cells
    t0 = time.perf_counter()
    with work_budget(10**5), pytest.raises(WorkTooLargeError, match="bytes"):
        read_csv(p, "matrix file", exact=True)
    assert time.perf_counter() - t0 < 2
    with pytest.raises(SGCError, match="square"):  # the shape too, before any value
        parse_csv_text("1,2,3\n4,5,6\n", "m", square=True)
